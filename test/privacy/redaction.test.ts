// Screens with fake secrets where people really have them, through the real worker (hash,
// OCR, detection, redaction): afterwards no piece of any secret is in the database, in the
// stored images or in the worker's log; control screens keep their text and have no findings.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CONTROL_SCREENS, SECRET_SCREENS, type SecretScreen } from "../../fixtures/secret-screens.js";
import { readConfig } from "../../src/config.js";
import { OcrEngine } from "../../src/engines/ocr.js";
import { startWorker } from "../../src/worker.js";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-redact-"));
const screens: SecretScreen[] = [...SECRET_SCREENS, ...CONTROL_SCREENS];
const ids: Record<string, string> = {};
let log = "";

/** Every 10-character piece of a secret (whitespace ignored): none may be found anywhere. */
const pieces = (value: string) => {
  const v = value.replace(/\s+/g, "");
  return Array.from({ length: Math.max(0, v.length - 9) }, (_, i) => v.slice(i, i + 10));
};
const leaks = (haystack: string, s: SecretScreen) => {
  const flat = haystack.replace(/\s+/g, "");
  return s.secrets.flatMap((x) => pieces(x.value).filter((p) => flat.includes(p)).slice(0, 1).map((p) => `${s.name}: ${x.kind} (${p.slice(0, 3)}…)`));
};

beforeAll(async () => {
  for (const [i, s] of screens.entries()) {
    const path = join(dataDir, `${s.name}.png`);
    writeFileSync(path, await s.render());
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, image_ref, app_name)
                             values (${"privacy-" + i}, ${new Date(Date.UTC(2026, 10, 20, 9, i))}, ${path}, ${s.app}) returning id`;
    ids[s.name] = f!.id as string;
  }
  // both streams: the worker's own lines and, with tesseract.js, its threads' go to either
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write.bind(s));
  streams.forEach((s, i) => {
    s.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      log += chunk.toString();
      return writes[i]!(chunk, ...rest);
    }) as typeof s.write;
  });
  // the worker's logger reads PGRECALL_LOG from the environment: every line it has, job by job
  const level = process.env.PGRECALL_LOG;
  process.env.PGRECALL_LOG = "debug";
  try {
    const config = readConfig();
    await startWorker({ databaseUrl: db.url, dataDir, embedding: config.embedding, vision: null, concurrency: 2, once: true, only: ["hash", "ocr"] });
  } finally {
    streams.forEach((s, i) => (s.write = writes[i]!));
    if (level === undefined) delete process.env.PGRECALL_LOG;
    else process.env.PGRECALL_LOG = level;
  }
}, 600_000);

describe("redaction before storage", () => {
  it("finds the secrets of every secret screen and none on the control screens", async () => {
    const rows = await db.sql`select f.id, count(s.id)::int as n from pgrecall.frames f left join pgrecall.secrets s on s.frame_id = f.id group by f.id`;
    const n = Object.fromEntries(rows.map((r) => [r.id, r.n]));
    for (const s of SECRET_SCREENS) expect(n[ids[s.name]!], s.name).toBeGreaterThan(0);
    for (const s of CONTROL_SCREENS) expect(n[ids[s.name]!], s.name).toBe(0);
  });

  it("leaves not a 10-character piece of any secret in a dump of the database", () => {
    const dump = execFileSync("pg_dump", ["--data-only", "--schema=pgrecall", "--schema=graphile_worker", db.url], { encoding: "utf8", maxBuffer: 1 << 28 });
    expect(screens.flatMap((s) => leaks(dump, s))).toEqual([]);
  });

  it("leaves none in the stored images: the frame points at a redacted blob, the original file is gone", async () => {
    const ocr = new OcrEngine(2);
    try {
      const found: string[] = [];
      for (const s of SECRET_SCREENS) {
        const [f] = await db.sql`select image_ref from pgrecall.frames where id = ${ids[s.name]!}`;
        expect(f!.image_ref, s.name).toMatch(/^blob:sha256:/);
        const files = readdirSync(join(dataDir, "blobs"), { recursive: true }) as string[];
        const blob = files.find((p) => p.includes((f!.image_ref as string).slice(12)))!;
        const text = (await ocr.recognize(await ocr.prepare(readFileSync(join(dataDir, "blobs", blob))))).text;
        found.push(...leaks(text, s));
        expect(readdirSync(dataDir), s.name).not.toContain(`${s.name}.png`);
      }
      expect(found).toEqual([]);
    } finally {
      await ocr.stop();
    }
  }, 300_000);

  it("keeps the text around the secrets, and the control screens' text (at least half of each screen's markers: OCR misreads some, psql as psal)", async () => {
    for (const s of [...SECRET_SCREENS, ...CONTROL_SCREENS]) {
      const [f] = await db.sql`select ocr_text from pgrecall.frames where id = ${ids[s.name]!}`;
      const text = (f!.ocr_text as string).replace(/\s+/g, " ");
      const kept = s.keep.filter((k) => text.includes(k.replace(/\s+/g, " ")));
      expect(kept.length, `${s.name}: ${s.keep.filter((k) => !kept.includes(k)).join(" | ")}`).toBeGreaterThanOrEqual(Math.floor(s.keep.length / 2));
    }
  });

  it("says in search snippets what was redacted, and keeps fingerprints, never values", async () => {
    const s = SECRET_SCREENS.find((x) => x.secrets.some((y) => /aws/i.test(y.kind)))!;
    const hits = await db.sql`select snippet from pgrecall.search_frames(null, p_mode => 'fts', p_deployment_id => (select deployment_id from pgrecall.frames where id = ${ids[s.name]!}))`;
    expect(hits[0]!.snippet).toMatch(/\[redacted: [^\]]+\]/);
    const findings = await db.sql`select fingerprint, preview from pgrecall.secrets where frame_id = ${ids[s.name]!}`;
    for (const f of findings) {
      expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect((f.preview as string).replace(/…\(\d+\)$/, "").length).toBeLessThanOrEqual(4);
    }
  });

  it("puts no piece of a secret in the worker's log", () => {
    expect(log.length).toBeGreaterThan(0);
    expect(screens.flatMap((s) => leaks(log, s))).toEqual([]);
  });
});
