// What capture costs and how fast an import goes, each against a baseline run in the same run.
//
// Capture: CPU-seconds per hour of `pgrecall capture` itself (its process and the tools it
// runs: ffmpeg's x11grab, xprop) at one frame every 2 s, on a 1920x1080 Xvfb screen with openbox, static
// (an idle terminal) and busy (a terminal printing every 200 ms); the baseline is a naive
// client that grabs each frame with `ffmpeg -f x11grab`, encodes and hashes every one.
// Import: frames per second of `pgrecall import screenpipe` from a Screenpipe-shaped folder,
// against extracting each frame with its own ffmpeg run.
//   npm run bench:capture            BENCH_TICKS=30 (per scenario), BENCH_IMPORT_FRAMES=120
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildScreenpipe, distinctScreens } from "../fixtures/screenpipe.js";
import { startDisplay } from "../fixtures/xdisplay.js";
import { Capturer, cpuSeconds } from "../src/capture/capture.js";
import { Spool } from "../src/capture/spool.js";
import { X11Backend } from "../src/capture/x11.js";
import { Redactor } from "../src/engines/redactor.js";
import { hashImage } from "../src/engines/hasher.js";
import { importScreenpipe } from "../src/import/screenpipe.js";
import { extractFrames } from "../src/import/video.js";
import { BlobStore } from "../src/store.js";
import { dropDatabase, freshDatabase } from "./lib.js";

const exec = promisify(execFile);
const TICKS = Number(process.env.BENCH_TICKS ?? 30);
const IMPORT_FRAMES = Number(process.env.BENCH_IMPORT_FRAMES ?? 120);
const INTERVAL = 2000;
const perHour = (cpu: number, ticks: number) => (cpu / ticks) * (3_600_000 / INTERVAL);
const pct = (cpuPerHour: number) => `${((cpuPerHour / 3600) * 100).toFixed(2)}% of a core`;

const dbName = "pgrecall_bench_capture";
const { sql } = await freshDatabase(dbName);
const root = mkdtempSync(join(tmpdir(), "pgrecall-bench-capture-"));
const store = new BlobStore(join(root, "data"));
const x = await startDisplay("1920x1080x24");
try {
  console.log(`capture: ${TICKS} ticks per scenario every ${INTERVAL / 1000} s on a 1920x1080 Xvfb + openbox`);
  const results: Record<string, number> = {};
  for (const scenario of ["static", "busy"] as const) {
    const title = `${scenario} terminal`;
    await x.openWindow(title, scenario === "static"
      ? "ls -la /usr/lib | head -40; sleep 3600"
      : "while :; do date +%T.%N; ls -la /usr/bin | shuf -n 3; sleep 0.2; done");
    // pgrecall capture: a run of one tick (start-up and shutdown: the watchers, the first frame), then a run of TICKS;
    // the difference is what the ticks themselves cost.
    const runFor = (ticks: number) => new Capturer(sql, store, new X11Backend(x.display), {
      deployment: `bench-${scenario}`, intervalMs: INTERVAL, durationMs: ticks * INTERVAL - INTERVAL / 2, monitor: "all",
      idleAfterMs: null, spool: new Spool(join(root, "buffer", scenario), 100), log: (l) => console.log(`  ${l}`),
    }).run();
    const one = await runFor(1);
    const s = await runFor(TICKS);
    const ours = perHour(s.cpuSeconds - one.cpuSeconds, s.ticks - one.ticks);
    // The naive client: ffmpeg grabs, every frame encoded, hashed and stored.
    const before = cpuSeconds();
    for (let i = 0; i < s.ticks; i++) {
      const t = Date.now();
      const { stdout } = await exec("ffmpeg", ["-nostdin", "-loglevel", "error", "-f", "x11grab", "-video_size", "1920x1080", "-i", x.display,
        "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "pipe:1"], { encoding: "buffer", maxBuffer: 64 << 20 });
      await hashImage(stdout);
      await store.put(stdout, "png");
      await new Promise((r) => setTimeout(r, Math.max(0, INTERVAL - (Date.now() - t))));
    }
    const naive = perHour(cpuSeconds() - before, s.ticks);
    results[scenario] = ours;
    console.log(`  ${scenario.padEnd(6)} pgrecall capture ${ours.toFixed(1)} CPU-s/h (${pct(ours)}; start-up and stop ${one.cpuSeconds.toFixed(2)} CPU-s once; ${s.ticks} ticks, ${s.errors} failed, ${s.frames} frames, ${s.unchanged} unchanged not re-encoded, ${s.tilesHashed} tiles hashed of ${64 * s.ticks}, ${s.duplicates} near-duplicates)` +
      ` · naive ffmpeg client ${naive.toFixed(1)} CPU-s/h (${pct(naive)}) · ratio ${(ours / naive).toFixed(2)}`);
  }

  // Import rate.
  const chunks = 4;
  const per = Math.ceil(IMPORT_FRAMES / chunks);
  const specs = [];
  for (let k = 0; k < chunks; k++) specs.push({ screens: await distinctScreens(per, `chunk ${k}`, { width: 1280, height: 800 }), device: "monitor_1" });
  const frames = specs.flatMap((c, k) => c.screens.map((_, i) => ({ at: (k * per + i) * 2, chunk: k, offset: i, app: "Code", window: `file ${k}.${i}`, text: `text of frame ${k}.${i}` })));
  const fx = await buildScreenpipe({ version: "2025", chunks: specs, frames, dir: join(root, "sp") });
  const t0 = process.hrtime.bigint();
  const tally = await importScreenpipe(sql, store, new Redactor(() => Buffer.alloc(32, 7)), { dir: fx.dir });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  // Baseline: one ffmpeg run per frame (select that frame alone).
  const t1 = process.hrtime.bigint();
  for (let k = 0; k < chunks; k++) for (let i = 0; i < per; i++) await extractFrames(join(fx.dir, "data", `monitor_1_2026-06-01_09-0${k}-00.mp4`), [i]);
  const perFrameSecs = Number(process.hrtime.bigint() - t1) / 1e9;
  fx.close();
  console.log(`import: ${tally.inserted} frames (1280x800, ${chunks} H.264 chunks) in ${secs.toFixed(1)} s = ${(tally.seen / secs).toFixed(1)} frames/s ` +
    `(hash, store, insert, Screenpipe OCR through the secret detector) · extraction alone, one ffmpeg run per frame: ${(tally.seen / perFrameSecs).toFixed(1)} frames/s · ratio ${(secs / perFrameSecs).toFixed(2)}`);
  console.log(`goal ≤ 2% of one core at one frame every 2 s: static ${pct(results.static!)}, busy ${pct(results.busy!)}`);
} finally {
  await x.stop();
  await sql.end();
  await dropDatabase(dbName);
  rmSync(root, { recursive: true, force: true });
}
