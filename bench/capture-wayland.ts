// What Wayland capture costs, against a baseline run in the same run.
//
// CPU-seconds per hour of capture itself (this process and the tools it runs: grim each tick,
// swayidle) at one frame every 2 s, on a 1920x1080 headless sway (fixtures/wayland-display.ts)
// with a foot terminal, static (an idle terminal) and busy (a terminal printing every 200 ms);
// sway's own compositing is not counted (as Xvfb's is not in bench/capture.ts). The baseline is
// a naive client: `grim -t png` each tick, every frame decoded and hashed (hashImage) and stored.
//   npx tsc -p tsconfig.json && node dist/bench/capture-wayland.js     BENCH_TICKS=30 (per scenario)
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startWayland } from "../fixtures/wayland-display.js";
import { Capturer, cpuSeconds } from "../src/capture/capture.js";
import { Spool } from "../src/capture/spool.js";
import { WaylandBackend } from "../src/capture/wayland.js";
import { hashImage } from "../src/engines/hasher.js";
import { BlobStore } from "../src/store.js";
import { dropDatabase, freshDatabase } from "./lib.js";

const exec = promisify(execFile);
const TICKS = Number(process.env.BENCH_TICKS ?? 30);
const INTERVAL = 2000;
const perHour = (cpu: number, ticks: number) => (cpu / ticks) * (3_600_000 / INTERVAL);
const pct = (cpuPerHour: number) => `${((cpuPerHour / 3600) * 100).toFixed(2)}% of a core`;

const dbName = "pgrecall_bench_capture_wayland";
const { sql } = await freshDatabase(dbName);
const root = mkdtempSync(join(tmpdir(), "pgrecall-bench-capture-wayland-"));
const store = new BlobStore(join(root, "data"));
const w = await startWayland("1920x1080");
try {
  console.log(`capture (Wayland): ${TICKS} ticks per scenario every ${INTERVAL / 1000} s on a 1920x1080 headless sway, grim per tick`);
  const results: Record<string, number> = {};
  for (const scenario of ["static", "busy"] as const) {
    await w.openWindow(`${scenario} terminal`, {
      command: scenario === "static"
        ? "ls -la /usr/lib | head -40; sleep 3600"
        : "while :; do date +%T.%N; ls -la /usr/bin | shuf -n 3; sleep 0.2; done",
    });
    // A run of one tick (start-up and shutdown: the watchers, the first frame), then a run of TICKS;
    // the difference is what the ticks themselves cost.
    const runFor = (ticks: number) => new Capturer(sql, store, new WaylandBackend(w.env), {
      deployment: `bench-${scenario}`, intervalMs: INTERVAL, durationMs: ticks * INTERVAL - INTERVAL / 2, monitor: "all",
      idleAfterMs: 300_000, spool: new Spool(join(root, "buffer", scenario), 100), log: (l) => console.log(`  ${l}`),
    }).run();
    const one = await runFor(1);
    const s = await runFor(TICKS);
    const ours = perHour(s.cpuSeconds - one.cpuSeconds, s.ticks - one.ticks);
    const before = cpuSeconds();
    for (let i = 0; i < s.ticks; i++) {
      const t = Date.now();
      const { stdout } = await exec("grim", ["-t", "png", "-"], { env: w.env, encoding: "buffer", maxBuffer: 64 << 20 });
      await hashImage(stdout);
      await store.put(stdout, "png");
      await new Promise((r) => setTimeout(r, Math.max(0, INTERVAL - (Date.now() - t))));
    }
    const naive = perHour(cpuSeconds() - before, s.ticks);
    results[scenario] = ours;
    console.log(`  ${scenario.padEnd(6)} pgrecall capture ${ours.toFixed(1)} CPU-s/h (${pct(ours)}; start-up and stop ${one.cpuSeconds.toFixed(2)} CPU-s once; ${s.ticks} ticks, ${s.errors} failed, ${s.frames} frames, ${s.unchanged} unchanged not re-encoded, ${s.duplicates} near-duplicates)` +
      ` · naive grim-png client ${naive.toFixed(1)} CPU-s/h (${pct(naive)}) · ratio ${(ours / naive).toFixed(2)}`);
  }
  console.log(`goal ≤ 2% of one core at one frame every 2 s: static ${pct(results.static!)}, busy ${pct(results.busy!)}`);
} finally {
  await w.stop();
  await sql.end();
  await dropDatabase(dbName);
  rmSync(root, { recursive: true, force: true });
}
