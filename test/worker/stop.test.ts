// `pgrecall worker` stopped by a signal, as an operator (or systemd, or `timeout`) stops it:
// it exits 0 within seconds, even in the middle of a long OCR, its rows leave
// pgrecall.workers, no job stays locked by it, and the job it interrupted runs again with its
// attempt given back; nothing is recorded on the frame.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { readConfig } from "../../src/config.js";
import { startWorker } from "../../src/worker.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-stop-"));
const { embedding, vision } = readConfig();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function spawnWorker(args: string[]): Running {
  const child = spawn("node", ["bin/pgrecall.js", "worker", ...args], {
    env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c) => (stderr += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, stderr: () => stderr, exited };
}

/** Waits (bounded) for the child to exit; kills it if it does not. */
async function exitWithin(w: Running, ms: number) {
  const timer = new Promise<null>((r) => setTimeout(() => r(null), ms));
  const r = await Promise.race([w.exited, timer]);
  if (!r) {
    w.child.kill("SIGKILL");
    throw new Error(`worker still running ${ms / 1000} s after SIGTERM; its stderr:\n${w.stderr()}`);
  }
  return r;
}

async function until(what: string, ms: number, ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`still not ${what} after ${ms / 1000} s`);
    await sleep(50);
  }
}

const lockedOcr = async () =>
  db.sql<{ id: string; key: string }[]>`select id::text, key from graphile_worker.jobs where task_identifier = 'ocr' and locked_at is not null`;

/** A wide frame of `cols` × `rows` rendered editor screens: dense text, as on a wall of monitors. */
async function tiledScreens(cols: number, rows: number): Promise<Buffer> {
  const tiles = await Promise.all([renderScreen({}), renderScreen({ scroll: 6 }), renderScreen({ theme: "dark", scroll: 3 })]);
  const composite = [];
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) composite.push({ input: tiles[(x + y) % 3]!, left: x * 1920, top: y * 1080 });
  return sharp({ create: { width: cols * 1920, height: rows * 1080, channels: 3, background: "#ffffff" } })
    .composite(composite)
    .png({ compressionLevel: 1 })
    .toBuffer();
}

async function insertFrame(deployment: string, image: Buffer, second: number): Promise<string> {
  const path = join(dataDir, `${deployment}.png`);
  writeFileSync(path, image);
  const [f] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, phash, image_ref)
                           values (${deployment}, ${new Date(Date.UTC(2026, 0, 1, 9, 0, second))}, ${randomPhash()}, ${path}) returning id`;
  return f!.id as string;
}

describe("a worker stopped with SIGTERM", () => {
  it("between and during OCR jobs: exits 0, unregistered, nothing locked, the interrupted job keeps its attempt", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await insertFrame(`stop-${i}`, await renderScreen({ scroll: i, theme: i % 2 ? "dark" : "light" }), i));

    const w = spawnWorker(["--only", "ocr", "--concurrency", "2"]);
    await until("one frame OCRed and another in OCR", 60_000, async () => {
      const [r] = await db.sql`select count(*) filter (where ocr_status = 1)::int as done from pgrecall.frames`;
      return r!.done >= 1 && (await lockedOcr()).length > 0;
    });
    const interrupted = await lockedOcr();
    expect((await db.sql`select count(*)::int as n from pgrecall.workers`)[0]!.n).toBeGreaterThan(0);

    const sent = Date.now();
    w.child.kill("SIGTERM");
    const r = await exitWithin(w, 30_000);
    console.log(`stop after SIGTERM between/during 1080p OCR jobs: ${r.at - sent} ms`, process.env.SHOW_STDERR ? w.stderr() : "");
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    expect(w.stderr()).toMatch(/SIGTERM: stopping/);

    expect(await db.sql`select worker_id from pgrecall.workers`).toEqual([]);
    expect(await db.sql`select id from graphile_worker.jobs where locked_at is not null`).toEqual([]);
    // What it was running either finished within the grace or runs again as if never tried.
    for (const j of interrupted) {
      const [job] = await db.sql`select attempts, run_at <= now() as runnable from graphile_worker.jobs where id = ${j.id}`;
      if (job) expect(job).toEqual({ attempts: 0, runnable: true });
    }
    // Finished jobs are gone (graphile-worker had not always recorded it when the process ended).
    expect(await db.sql`select id from graphile_worker.jobs where task_identifier = 'ocr' and attempts > 0`).toEqual([]);
    expect((await db.sql`select count(*)::int as n from pgrecall.frames where ocr_status = 2`)[0]!.n).toBe(0);

    await startWorker({ databaseUrl: db.url, dataDir, embedding, vision, concurrency: 2, once: true, only: ["ocr"] });
    expect((await db.sql`select count(*)::int as n from pgrecall.frames where id = any(${ids}::uuid[]) and ocr_status = 1`)[0]!.n).toBe(6);
  }, 120_000);

  it("in the middle of a long OCR (33 Mpx of text, over a minute alone): stops within seconds, the frame stays pending", async () => {
    const id = await insertFrame("stop-huge", await tiledScreens(4, 4), 0);
    const w = spawnWorker(["--only", "ocr", "--concurrency", "1"]);
    await until("the OCR job locked", 60_000, async () => (await lockedOcr()).length > 0);
    const [job] = await lockedOcr();
    await sleep(8_000); // past decoding: tesseract is at work
    expect(w.child.exitCode).toBeNull();

    const sent = Date.now();
    w.child.kill("SIGTERM");
    const r = await exitWithin(w, 30_000);
    console.log(`stop after SIGTERM mid-OCR of a 7680×4320 frame: ${r.at - sent} ms`, process.env.SHOW_STDERR ? w.stderr() : "");
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    expect(w.stderr()).toMatch(/interrupted by the stop; it runs again/);
    expect(w.stderr()).toMatch(/1 job\(s\) this worker had left unfinished run again/);

    expect(await db.sql`select worker_id from pgrecall.workers`).toEqual([]);
    expect(await db.sql`select attempts, locked_by, run_at <= now() as runnable from graphile_worker.jobs where id = ${job!.id}`).toEqual([
      { attempts: 0, locked_by: null, runnable: true },
    ]);
    expect((await db.sql`select ocr_status, ocr_message from pgrecall.frames where id = ${id}`)[0]).toEqual({ ocr_status: 0, ocr_message: null });
  }, 120_000);

  it("a second SIGTERM ends it at once, as kill -9 would (its rows are left for --dead-after)", async () => {
    await insertFrame("stop-twice", await tiledScreens(3, 2), 1);
    const w = spawnWorker(["--only", "ocr", "--concurrency", "1"]);
    await until("the OCR job locked", 60_000, async () => (await lockedOcr()).length > 0);
    await sleep(3_000);
    w.child.kill("SIGTERM");
    await sleep(200);
    w.child.kill("SIGTERM");
    const r = await exitWithin(w, 10_000);
    expect(r.signal).toBe("SIGTERM");
    await db.sql`select pgrecall.release_dead_workers('0 seconds')`; // what the others would do after its --dead-after
    expect(await db.sql`select id from graphile_worker.jobs where locked_at is not null`).toEqual([]);
  }, 120_000);
});
