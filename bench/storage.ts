// Bytes stored per frame: ingest distinct rendered screens through the real client path
// (blob store + insert with client-side hashes), run the worker to the end (OCR with word
// boxes, a 384-dimension embedding from a model of MiniLM's output size), then measure the
// image store and the table, column by column. Then the cost of encryption at rest
// (PGRECALL_BLOB_KEY): the same screens written and read through a store with a key and one
// without, rounds alternating so drift falls on both alike, and a store converted in place.
//
//   npm run bench:storage [-- --frames 24]
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ingestFile } from "../src/ingest.js";
import { renderScreen } from "../fixtures/render.js";
import { BlobKey } from "../src/blob-crypto.js";
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
  const store = new BlobStore(dataDir, [], null);
  const screens: Buffer[] = [];
  for (let i = 0; i < N; i++) {
    const file = join(work, `screen${i}.png`);
    screens.push(await renderScreen({ scroll: i, theme: i % 2 ? "dark" : "light", clock: `10:${String(i).padStart(2, "0")}` }));
    writeFileSync(file, screens[i]!);
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
  for (const set of [
    { what: `${N} rendered screens (${kb(screens.reduce((a, x) => a + x.length, 0) / N)} each)`, images: screens },
    { what: "4 photo-like 1920×1080 PNGs (noise, ~6 MiB each)", images: await noiseImages(4) },
  ]) {
    const c = await encryptionCost(work, set.images);
    const mb = (ms: number) => `${(set.images.reduce((a, x) => a + x.length, 0) / 1048576 / (ms / 1000)).toFixed(0)} MB/s`;
    console.log(`\nEncryption at rest (AES-256-GCM): ${set.what}, ${ROUNDS} rounds, in clear and encrypted alternating; ratio = median over rounds of encrypted time / clear time\n`);
    console.log("| operation | in clear | encrypted | ratio |");
    console.log("|---|---|---|---|");
    console.log(`| put (sealed in memory, write, fsync, rename) | ${mb(c.put.plain)} | ${mb(c.put.sealed)} | ×${c.put.ratio.toFixed(2)} |`);
    console.log(`| read (read, decrypt, authenticate, check signature) | ${mb(c.read.plain)} | ${mb(c.read.sealed)} | ×${c.read.ratio.toFixed(2)} |`);
    console.log(`| \`blobs encrypt\` in place (read, hash, seal, fsync, rename) | | ${mb(c.convertMs)} | |`);
    console.log(`| bytes on disk per blob | | +${c.overhead} | |`);
  }
  rmSync(work, { recursive: true, force: true });
}

const ROUNDS = 7;

/** Incompressible PNGs the size of a busy screenshot: the upper end of what the store holds. */
async function noiseImages(n: number): Promise<Buffer[]> {
  const sharp = (await import("sharp")).default;
  return Promise.all(Array.from({ length: n }, () => sharp(randomBytes(1920 * 1080 * 3), { raw: { width: 1920, height: 1080, channels: 3 } }).png().toBuffer()));
}

/** Median milliseconds per pass (and the median ratio) to put and read `images` with a key and without, rounds alternating; then an in-place conversion. */
async function encryptionCost(work: string, images: Buffer[]) {
  const key = new BlobKey(randomBytes(32));
  const times = { put: { plain: [] as number[], sealed: [] as number[] }, read: { plain: [] as number[], sealed: [] as number[] } };
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  let overhead = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 ? (["sealed", "plain"] as const) : (["plain", "sealed"] as const)) {
      const store = new BlobStore(mkdtempSync(join(work, `crypto-${kind}-`)), [], kind === "sealed" ? key : null);
      const refs: string[] = [];
      times.put[kind].push(await time(async () => {
        for (const s of images) refs.push((await store.put(s, "png")).ref);
      }));
      times.read[kind].push(await time(async () => {
        for (const ref of refs) await store.read(ref);
      }));
      if (kind === "sealed") overhead = (bytesUnder(store.blobDir) - images.reduce((a, x) => a + x.length, 0)) / images.length;
      rmSync(store.dataDir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const summary = (t: { plain: number[]; sealed: number[] }) => ({ plain: median(t.plain), sealed: median(t.sealed), ratio: median(t.sealed.map((x, i) => x / t.plain[i]!)) });
  const plain = new BlobStore(mkdtempSync(join(work, "crypto-convert-")), [], null);
  for (const s of images) await plain.put(s, "png");
  const sealing = new BlobStore(plain.dataDir, [], key);
  const convertMs = await time(async () => {
    for await (const f of sealing.files()) await sealing.convert(f, "encrypt");
  });
  rmSync(plain.dataDir, { recursive: true, force: true });
  return { put: summary(times.put), read: summary(times.read), convertMs, overhead };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
