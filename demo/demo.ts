// `npm run demo`: migrate, capture a short rendered session (an editor, a cursor blinking,
// a clock ticking, a line typed, a dialog filled in, a scroll, a return to an earlier
// screen) the way a capture client would, and show what the SQL pipeline made of it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadDotEnv, readConfig } from "../src/config.js";
import { connect, int8ArrayLiteral } from "../src/db.js";
import { hashImage } from "../src/engines/hasher.js";
import { migrateAll } from "../src/migrate.js";
import { missingModelFailures } from "../src/model-install.js";
import { renderScreen, SAMPLE_CODE, type ScreenSpec } from "../fixtures/render.js";
import { parseSearch, Searcher } from "../src/search.js";
import { printPipeline } from "../src/status.js";
import { startWorker } from "../src/worker.js";

const base: ScreenSpec = { cursor: { line: 6, col: 20 }, pointer: { x: 900, y: 500 } };
const typed = SAMPLE_CODE.map((l, i) => (i === 8 ? "  const vat = invoice.amount * 0.2;" : l));
const dialog = (to: string, note: string): ScreenSpec => ({ ...base, lines: typed, dialog: { title: "Send reminder", lines: [to, note] } });

const session: [string, ScreenSpec, number][] = [
  ["editor", base, 0],
  ["cursor blinks", { ...base, cursor: null }, 2],
  ["clock ticks", { ...base, cursor: null, clock: "10:42" }, 4],
  ["pointer moves a little", { ...base, clock: "10:42", pointer: { x: 930, y: 520 } }, 6],
  ["a line of code typed", { ...base, lines: typed, clock: "10:42" }, 8],
  ["reminder dialog opens", dialog("To:", "Note:"), 10],
  ["an address typed in it", dialog("To: anna@example.com", "Note:"), 12],
  ["scrolled down", { ...base, lines: typed, scroll: 3 }, 14],
  ["back to the editor, an hour later", { ...base, lines: typed, clock: "11:42" }, 3600],
];

export async function demo(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  const { databaseUrl } = config;
  const dir = resolve(config.dataDir, "demo");
  mkdirSync(dir, { recursive: true });
  console.log(`Database: ${databaseUrl}`);
  const m = await migrateAll(databaseUrl);
  console.log(m.createdDatabase ? "Created and migrated the database." : "Database migrated (idempotent).");

  const sql = connect(databaseUrl);
  try {
    const deployment = `demo-${new Date().toISOString().slice(0, 19)}`;
    const start = Date.now() - 3700_000;
    console.log(`\nCapturing ${session.length} screens as deployment "${deployment}" (phash and tile hashes computed client-side):\n`);
    const ids = new Map<string, string>();
    for (const [name, spec, offset] of session) {
      const png = await renderScreen(spec);
      const path = join(dir, `${name.replace(/\W+/g, "-")}.png`);
      writeFileSync(path, png);
      const h = await hashImage(png);
      const [row] = await sql`
        insert into pgrecall.frames (deployment_id, captured_at, phash, tile_hashes, image_ref, app_name, window_title)
        values (${deployment}, ${new Date(start + offset * 1000)}, ${h.phash}, ${int8ArrayLiteral(h.tileHashes)}::bigint[],
                ${path}, 'Code', 'invoices.js — billing')
        returning id, duplicate_of, duplicate_distance`;
      ids.set(row!.id, name);
      const verdict = row!.duplicate_of
        ? `near-duplicate of "${ids.get(row!.duplicate_of)}" (${row!.duplicate_distance} bit${row!.duplicate_distance === 1 ? "" : "s"} apart): stages skipped`
        : "new content: OCR and vision queued";
      console.log(`  ${name.padEnd(36)} ${verdict}`);
    }
    const jobs = await sql`select task_identifier as task, count(*)::int as n from graphile_worker.jobs j
                           join pgrecall.frames f on j.key = pgrecall.job_key(j.task_identifier, f.id)
                           where f.deployment_id = ${deployment} group by 1 order by 1`;
    console.log(`\nJobs the triggers queued for this session: ${jobs.map((j) => `${j.n} ${j.task}`).join(", ") || "none"}`);
    console.log("\nRunning the worker until nothing runnable is left (pgrecall worker --once): hash, OCR, vision, embedding...");
    const t0 = Date.now();
    await startWorker({ databaseUrl, dataDir: config.dataDir, imageRoots: config.imageRoots, embedding: config.embedding, vision: config.vision, concurrency: 4, once: true });
    console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    const [sample] = await sql`select ocr_text, ocr_confidence from pgrecall.frames
                               where deployment_id = ${deployment} and ocr_status = 1
                               order by length(ocr_text) desc limit 1`;
    if (sample) {
      console.log(`\nOCR text of one frame (mean confidence ${sample.ocr_confidence}):\n`);
      console.log(String(sample.ocr_text).split("\n").slice(0, 18).map((l) => "  | " + l).join("\n"));
    }
    // What happened to the model-backed stages, in the frames' own words.
    const outcomes = await sql`
      select stage, status, message, count(*)::int as n from pgrecall.frames f
      cross join lateral (values ('vision', f.vision_status, coalesce(f.vision_message, 'described')),
                                 ('embedding', f.embedding_status, coalesce(f.embedding_message, 'embedded with ' || f.embedding_model)))
                         as o(stage, status, message)
      where f.deployment_id = ${deployment} and f.duplicate_of is null and status <> 0
      group by 1, 2, 3 order by 1, 2`;
    for (const o of outcomes) {
      const what = ({ 1: "done", 2: "failed", 3: "skipped" } as Record<number, string>)[o.status] ?? o.status;
      console.log(`\n${o.stage}: ${o.n} ${what} — ${o.message}`);
    }
    if (await missingModelFailures(sql, deployment)) {
      console.log("\nThe embedding model is not installed: `node bin/pgrecall.js model install` downloads it once (about 90 MB) and requeues these frames for the worker.");
    }
    // Search what was seen: one exact word and one with a typo (full text; hybrid needs the model).
    const searcher = new Searcher(sql, config.embedding);
    for (const q of ["anna@example.com", "reminedr"]) {
      const out = await searcher.search(parseSearch({ q, mode: "fts", deployment, limit: "2" }));
      console.log(`\npgrecall search "${q}" --mode fts --deployment ${deployment}:`);
      for (const h of out.results) {
        console.log(`  ${h.captured_at.toISOString().slice(11, 19)}  ${h.snippet.replace(/\s+/g, " ").slice(0, 110)}`);
      }
      if (!out.results.length) console.log("  (nothing)");
    }
    console.log("\nPipeline (pgrecall status):\n");
    await printPipeline(sql, { json: false });
    console.log(`
Try next:
  psql "${databaseUrl}" -c "select captured_at, duplicate_of is not null as dup, ocr_status from pgrecall.frames order by captured_at desc limit 10"
  psql "${databaseUrl}" -c "select * from pgrecall.pending_ocr"
  node bin/pgrecall.js search "invoice amount" --mode fts          # or: node bin/pgrecall.js serve, and open the address it prints (the page, with its token)
  curl -H "Authorization: Bearer $(cat data/api.token)" 'http://127.0.0.1:3030/search?q=invoice'   # once serve has started (it makes data/api.token)
  node bin/pgrecall.js status
  node bin/pgrecall.js model          # is the embedding model installed? \`model install\` downloads it once (README: "Installing the embedding model")
  PGRECALL_VISION_URL=http://127.0.0.1:11434/v1 PGRECALL_VISION_MODEL=llava node bin/pgrecall.js requeue --skipped --stage vision
Screens written to ${dir}.`);
  } finally {
    await sql.end();
  }
}

await demo().catch((err) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
