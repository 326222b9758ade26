// Bytes stored per frame: ingest distinct rendered screens through the real client path
// (blob store + insert with client-side hashes), run the worker to the end (OCR with word
// boxes, a 384-dimension embedding from a model of MiniLM's output size), then measure the
// image store and the table, column by column.
//
//   npm run bench:storage [-- --frames 24]
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ingestFile } from "../src/ingest.js";
import { renderScreen } from "../fixtures/render.js";
import { BlobStore } from "../src/store.js";
import { TINY_SHAPE, writeBertModel } from "../fixtures/bert-model.js";
import { startWorker } from "../src/worker.js";
import { dropDatabase, freshDatabase } from "./lib.js";

const { values: args } = parseArgs({ options: { frames: { type: "string", default: "24" }, keep: { type: "boolean", default: false } } });
const N = Number(args.frames);
const DB = "pgrecall_bench_storage";

function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((a, e) => a + statSync(join(e.parentPath, e.name)).size, 0);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "pgrecall-bench-storage-"));
  const dataDir = join(work, "data");
  const modelsDir = join(work, "models");
  writeBertModel(modelsDir, "bench/tiny", TINY_SHAPE);
  const { sql, url } = await freshDatabase(DB);
  const store = new BlobStore(dataDir);
  for (let i = 0; i < N; i++) {
    const file = join(work, `screen${i}.png`);
    writeFileSync(file, await renderScreen({ scroll: i, theme: i % 2 ? "dark" : "light", clock: `10:${String(i).padStart(2, "0")}` }));
    await ingestFile(sql, store, file, { deployment: "bench", app: "Code", window: "invoices.js — billing", capturedAt: new Date(Date.UTC(2026, 10, 21, 10, i)) });
  }
  await startWorker({
    databaseUrl: url,
    dataDir,
    concurrency: 2,
    once: true,
    vision: null,
    embedding: { modelsDir, model: "bench/tiny", allowRemote: false, quantized: false, maxTokens: 256, batchSize: 16 },
  });
  const [r] = await sql`
    select count(*)::int as frames,
           count(*) filter (where embedding_status = 1)::int as embedded,
           avg(pg_column_size(f.*))::int as row_bytes,
           avg(pg_column_size(ocr_text))::int as ocr_text,
           avg(pg_column_size(ocr_words))::int as ocr_words,
           avg(pg_column_size(embedding))::int as embedding,
           avg(pg_column_size(tile_hashes))::int as tile_hashes
    from pgrecall.frames f`;
  const blobs = bytesUnder(join(dataDir, "blobs"));
  await sql.end();
  if (!args.keep) await dropDatabase(DB);
  rmSync(work, { recursive: true, force: true });

  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`\nBytes per frame over ${r!.frames} distinct 1920×1080 screens (${r!.embedded} embedded)\n`);
  console.log("| what | per frame |");
  console.log("|---|---|");
  console.log(`| image (PNG, content-addressed blob) | ${kb(blobs / r!.frames)} |`);
  console.log(`| table row, as stored (TOAST-compressed) | ${kb(r!.row_bytes)} |`);
  console.log(`| … of which OCR text | ${kb(r!.ocr_text)} |`);
  console.log(`| … of which OCR word boxes (jsonb) | ${kb(r!.ocr_words)} |`);
  console.log(`| … of which embedding (vector(384)) | ${kb(r!.embedding)} |`);
  console.log(`| … of which tile hashes (64 × int8) | ${kb(r!.tile_hashes)} |`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
