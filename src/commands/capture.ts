// `pgrecall capture`: screenshots of this machine's screen, a frame per tick (src/capture/).
import { join } from "node:path";
import { Command } from "commander";
import { Capturer } from "../capture/capture.js";
import { pickBackend } from "../capture/backend.js";
import { installLaunchAgent, installService } from "../capture/service.js";
import { Spool } from "../capture/spool.js";
import { ConfigError, readConfig } from "../config.js";
import { connect } from "../db.js";
import { BlobStore } from "../store.js";
import { printable } from "../terminal.js";

interface CaptureOpts {
  deployment: string;
  interval: string;
  duration?: string;
  once?: boolean;
  monitor: string;
  idleAfter: string;
  buffer: string;
  installService?: boolean;
  json?: boolean;
}

/** "2s", "500ms", "1h", "90" (seconds) → milliseconds. */
export function parseDuration(raw: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(raw.trim());
  if (!m) throw new ConfigError(`${what} "${raw}" is not a duration: use e.g. 500ms, 2s, 10m, 1h`);
  return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms"]);
}

export default new Command("capture")
  .description(
    "Capture this machine's screen: a screenshot per tick with the focused window's app and title, hashed here, stored in the image store and inserted (one statement per tick) so dedup happens at insert. " +
      "Exclusion rules are asked before anything is stored; an unchanged screen is not encoded again. Pauses while the session is locked or idle (where the platform tells). " +
      "While the database is away, frames wait in a bounded disk buffer and go in, in order, when it is back. Linux: X11, and Wayland under sway (Hyprland best effort); macOS: screencapture and System Events (written against Apple's documented tools, not yet run on a Mac).",
  )
  .requiredOption("--deployment <id>", "the deployment (machine or user) the frames belong to")
  .option("--interval <duration>", "time between screenshots", "2s")
  .option("--duration <duration>", "stop after this long (default: until stopped)")
  .option("--once", "take one screenshot and stop")
  .option("--monitor <n|all>", "which monitor (X11: xrandr --listmonitors numbering; Wayland: the compositor's outputs in order; macOS: screencapture -D numbering, 1 the main display), or all", "all")
  .option("--idle-after <duration>", "pause after this long without keyboard or mouse input (0: never)", "5m")
  .option("--buffer <frames>", "frames kept on disk at most while the database is away", "1800")
  .option("--install-service", "write a systemd user unit (Linux) or a launchd agent (macOS) that runs this capture with the session, and stop")
  .option("--json", "print the final counts as JSON")
  .action(async (opts: CaptureOpts) => {
    const intervalMs = parseDuration(opts.interval, "--interval");
    if (intervalMs < 100) throw new ConfigError("--interval must be at least 100ms");
    const durationMs = opts.duration === undefined ? undefined : parseDuration(opts.duration, "--duration");
    const idle = parseDuration(opts.idleAfter, "--idle-after");
    const monitor = opts.monitor === "all" ? "all" : Number(opts.monitor);
    if (monitor !== "all" && !Number.isInteger(monitor)) throw new ConfigError(`--monitor "${opts.monitor}" must be a monitor number or all`);
    const buffer = Number(opts.buffer);
    if (!Number.isInteger(buffer) || buffer < 0) throw new ConfigError(`--buffer "${opts.buffer}" must be a whole number of frames`);
    if (opts.installService) {
      const args = ["--deployment", opts.deployment, "--interval", opts.interval, "--monitor", opts.monitor, "--idle-after", opts.idleAfter, "--buffer", opts.buffer];
      if (process.platform === "darwin") {
        const a = await installLaunchAgent(args);
        console.log(`pgrecall: wrote ${a.plist} (DATABASE_URL, PGRECALL_DATA_DIR in it; mode 0600); output goes to ${a.log}`);
        console.log(`start it with:  launchctl bootstrap gui/$(id -u) ${a.plist}`);
        console.log(`after changing it:  launchctl bootout gui/$(id -u)/${a.label} && launchctl bootstrap gui/$(id -u) ${a.plist}`);
        console.log("grant node (" + process.execPath + ") Screen Recording, Accessibility and Automation (System Events) in System Settings > Privacy & Security: the agent runs as node, not as your terminal");
        return;
      }
      const s = await installService(args);
      console.log(`pgrecall: wrote ${s.unit}${s.wroteEnv ? ` and ${s.envFile} (DATABASE_URL, PGRECALL_DATA_DIR; mode 0600)` : ` (settings: ${s.envFile})`}`);
      console.log("start it with:  systemctl --user import-environment DISPLAY XAUTHORITY WAYLAND_DISPLAY SWAYSOCK && systemctl --user daemon-reload && systemctl --user enable --now pgrecall-capture");
      return;
    }
    const config = readConfig();
    const store = new BlobStore(config.dataDir, config.imageRoots);
    // Sealed like the image store when there is a blob key: buffered screens and titles are never on disk in clear.
    const spool = new Spool(join(config.dataDir, "capture-buffer", encodeURIComponent(opts.deployment)), buffer, store.key);
    // One connection; postgres.js reconnects by itself when the database is back.
    const sql = connect(config.databaseUrl, { max: 1, connect_timeout: 5, idle_timeout: 60 });
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const log = (line: string) => console.error(`pgrecall capture: ${printable(line)}`);
    try {
      const c = new Capturer(sql, store, pickBackend(), {
        deployment: opts.deployment, intervalMs, durationMs, once: opts.once, monitor,
        idleAfterMs: idle > 0 ? idle : null, spool, log, signal: stop.signal,
      });
      const s = await c.run();
      const waiting = await spool.size();
      if (opts.json) console.log(JSON.stringify({ ...s, waiting }));
      else {
        console.log(
          `pgrecall: ${s.ticks} ticks, ${s.frames} frames inserted (${s.duplicates} near-duplicates, ${s.excluded} excluded: image not kept), ` +
            `${s.unchanged} unchanged screens not re-encoded, ${s.paused} paused ticks, ${s.flushed} from the disk buffer, ${waiting} still buffered, ${s.dropped} dropped, ${s.errors} failed; ` +
            `${s.cpuSeconds.toFixed(2)} CPU-s`,
        );
      }
      if (s.errors) process.exitCode = 1;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await sql.end({ timeout: 2 });
    }
  });
