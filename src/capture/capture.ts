// `pgrecall capture`: a screenshot per tick → exclusion rules asked first → phash and tile
// hashes here → the blob store → the tick's frames in one insert_frame statement, so dedup
// happens at insert. Each monitor's screen is compared with the last tick's row by row: an
// unchanged one is not encoded or hashed again, and a changed one has only its changed tiles
// hashed again (src/capture/screen-hash.ts). While the database is away, ticks wait in a
// bounded disk buffer (src/capture/spool.ts; sealed like the image store with a blob key) and go
// in, in order, when it is back.
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { putClaimed } from "../blob-gc.js";
import { clientText, int8ArrayLiteral, type Sql } from "../db.js";
import { hashImage } from "../engines/hasher.js";
import { blobRefOf, type BlobStore } from "../store.js";
import type { Backend, Focused, Grab, Monitor } from "./backend.js";
import { ScreenHasher, type Region } from "./screen-hash.js";
import { Spool, type SpoolEntry } from "./spool.js";

export interface CaptureOptions {
  deployment: string;
  intervalMs: number;
  /** Stop after this long (default: until stopped). */
  durationMs?: number;
  once?: boolean;
  /** A monitor's index (xrandr --listmonitors), or every monitor. */
  monitor: number | "all";
  /** Pause after this much idle time, where the platform tells (null: never). */
  idleAfterMs: number | null;
  spool: Spool;
  /** Says what capture is doing: paused, resumed, database away or back, dropped ticks. */
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface CaptureStats {
  ticks: number;
  frames: number;
  duplicates: number;
  excluded: number;
  /** Ticks whose screen had the same bytes as the one before: not encoded or hashed again. */
  unchanged: number;
  /** Tiles (of 64 a screen) hashed again because their pixels changed: all 64 for a monitor's first screen. */
  tilesHashed: number;
  paused: number;
  /** Frames written to the disk buffer while the database was away, then inserted from it. */
  buffered: number;
  flushed: number;
  dropped: number;
  errors: number;
  /** CPU seconds of the capture process and the tools it ran (xwd, xprop). */
  cpuSeconds: number;
}

interface Shot {
  monitor: number;
  png: Buffer;
  ref: string;
  phash: bigint;
  tiles: bigint[];
}

interface Row {
  capturedAt: string;
  monitor: number;
  app: string | null;
  title: string | null;
  shot: Shot | null;
}

/** A database that cannot be reached (refused, reset, restarting, shutting down), as opposed to a refused statement. */
export function databaseAway(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? "");
  return /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|CONNECTION_\w+|CONNECT_TIMEOUT|57P0[1-3]|08\w{3}|53300)$/.test(code);
}

/** CPU seconds of this process and its waited-for children (xwd, xprop), from /proc where there is one. */
export function cpuSeconds(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    children = (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in clock ticks (USER_HZ 100)
  } catch {
    // not Linux: the process alone
  }
  return (own.user + own.system) / 1e6 + children;
}

export class Capturer {
  readonly stats: CaptureStats = { ticks: 0, frames: 0, duplicates: 0, excluded: 0, unchanged: 0, tilesHashed: 0, paused: 0, buffered: 0, flushed: 0, dropped: 0, errors: 0, cpuSeconds: 0 };
  /** Per monitor: its hasher and the last shot taken of it. */
  private readonly screens = new Map<number, { hasher: ScreenHasher; shot: Shot | null }>();
  /** When the frame of the last tick was grabbed: a frame grabbed once for two ticks is the same screen. */
  private lastAt: number | null = null;
  /** No idle check is needed before then: the user cannot have been idle long enough sooner. */
  private idleCheckAt = 0;
  private lockCheckAt = 0;
  private monitors: Monitor[] = [];
  private pausedFor: string | null = null;
  private away = false;
  private readonly cpuAtStart = cpuSeconds();

  constructor(private readonly sql: Sql, private readonly store: BlobStore, private readonly backend: Backend, private readonly o: CaptureOptions) {}

  async start(): Promise<void> {
    // One libvips thread per image operation: capture works in the background, and splitting a
    // 1080p encode or resize over threads costs more CPU than it saves time (bench/capture).
    sharp.concurrency(1);
    for (const note of await this.backend.check()) this.o.log(note);
    // One grab a tick (each frame is stamped with its own time); one screenshot needs no watcher.
    if (!this.o.once) await this.backend.open?.(Math.min(10, 1000 / this.o.intervalMs));
    const all = await this.backend.monitors();
    if (this.o.monitor === "all") this.monitors = all;
    else {
      const m = all.find((x) => x.index === this.o.monitor);
      if (!m && all.length) throw new Error(`no monitor ${this.o.monitor}: this display has ${all.map((x) => `${x.index} (${x.name} ${x.width}x${x.height})`).join(", ")}`);
      this.monitors = m ? [m] : [];
    }
  }

  /** Runs ticks until --once, --duration or the signal says stop. */
  async run(): Promise<CaptureStats> {
    await this.start();
    const until = this.o.durationMs === undefined ? Infinity : Date.now() + this.o.durationMs;
    let next = Date.now();
    while (!this.o.signal?.aborted) {
      await this.tick();
      if (this.o.once || Date.now() >= until) break;
      next += this.o.intervalMs;
      const wait = next - Date.now();
      if (wait < 0) next = Date.now(); // a slow tick: start again from now, never a burst
      else await sleep(Math.min(wait, until - Date.now()), this.o.signal);
      if (Date.now() >= until) break;
    }
    // What waits in the buffer goes in before a clean stop, if the database answers.
    await this.flush().catch(() => {});
    await this.close();
    this.stats.cpuSeconds = cpuSeconds() - this.cpuAtStart;
    this.stats.dropped = this.o.spool.dropped;
    return this.stats;
  }

  /** Stops the backend's watchers (their CPU time is counted once they have exited). */
  async close(): Promise<void> {
    await this.backend.close?.();
  }

  async tick(): Promise<void> {
    this.stats.ticks++;
    let capturedAt = new Date().toISOString();
    try {
      if (await this.pause()) return;
      const [snap, focused] = await Promise.all([this.backend.snap(), this.backend.focused()]);
      // The grabber's time for its frame; a frame already stored (the screen grabbed once for two ticks) gets the tick's.
      const at = this.backend.snappedAt;
      if (at && at.getTime() !== this.lastAt) capturedAt = at.toISOString();
      this.lastAt = at?.getTime() ?? null;
      const win: Focused = { app: clientText(focused.app), title: clientText(focused.title) };
      if (!(await this.flush())) return this.buffer(capturedAt, win, snap);
      let excluded: string | null;
      try {
        [{ excluded }] = (await this.sql`select pgrecall.exclusion_for(${this.o.deployment}, ${win.app}, ${win.title}) as excluded`) as unknown as [{ excluded: string | null }];
      } catch (err) {
        if (!databaseAway(err)) throw err;
        this.wentAway(err);
        return this.buffer(capturedAt, win, snap);
      }
      // An excluded screen is never decoded, stored or hashed: its frames keep time, deployment and app.
      const shots = excluded ? null : await this.shots(snap);
      const rows: Row[] = shots
        ? shots.map((s) => ({ capturedAt, monitor: s.monitor, app: win.app, title: win.title, shot: s }))
        : this.monitorList().map((m) => ({ capturedAt, monitor: m, app: win.app, title: win.title, shot: null }));
      for (const s of shots ?? []) await putClaimed(this.sql, this.store, s.png, "png");
      try {
        await this.insert(rows);
      } catch (err) {
        if (!databaseAway(err)) throw err;
        this.wentAway(err);
        await this.buffer(capturedAt, win, snap);
      }
    } catch (err) {
      this.stats.errors++;
      this.o.log(`tick at ${capturedAt} failed: ${(err as Error).message}`);
    }
  }

  private monitorList(): number[] {
    return this.monitors.length ? this.monitors.map((m) => m.index) : [0];
  }

  /**
   * Whether this tick is skipped: the session locked, or the user idle past the setting. Says so
   * when that changes. Asked of the platform only when the answer can have changed: the idle time
   * when it may have reached the setting (after idle-after minus the idle time last seen), the lock
   * every LOCK_POLL_MS (every tick while paused, to resume at once).
   */
  private async pause(): Promise<boolean> {
    let why: string | null = null;
    const now = Date.now();
    if (this.pausedFor || now >= this.lockCheckAt) {
      if ((await this.backend.locked()) === true) why = "the screen is locked";
      else this.lockCheckAt = now + LOCK_POLL_MS;
    }
    if (!why && this.o.idleAfterMs !== null && (this.pausedFor || now >= this.idleCheckAt)) {
      const idle = await this.backend.idleMs();
      if (idle !== null && idle >= this.o.idleAfterMs) why = `no input for ${Math.round(idle / 1000)} s (idle after ${Math.round(this.o.idleAfterMs / 1000)} s)`;
      else if (idle !== null) this.idleCheckAt = now + (this.o.idleAfterMs - idle);
      else this.idleCheckAt = now + LOCK_POLL_MS; // the platform did not tell: ask again later, not every tick
    }
    if (why) this.lockCheckAt = this.idleCheckAt = 0;
    if (why && !this.pausedFor) this.o.log(`paused: ${why}`);
    if (!why && this.pausedFor) this.o.log("resumed");
    this.pausedFor = why;
    if (why) this.stats.paused++;
    return why !== null;
  }

  /**
   * Each monitor's PNG and hashes: the last tick's for a monitor whose pixels did not change; for
   * one that did, hashed from the pixels in hand (the values the worker gets from the PNG, which is
   * lossless), only its changed tiles again.
   */
  private async shots(snap: Buffer): Promise<Shot[]> {
    const grab = this.backend.decode(snap);
    const shots: Shot[] = [];
    let changed = false;
    for (const m of this.monitors.length ? this.monitors : [null]) {
      const index = m?.index ?? 0;
      const r = regionOf(grab, m);
      let screen = this.screens.get(index);
      if (!screen || !screen.hasher.fits(grab) || !sameRegion(screen.hasher.region, r)) {
        screen = { hasher: new ScreenHasher(grab.width, grab.height, grab.channels, r), shot: null };
        this.screens.set(index, screen);
      }
      const u = await screen.hasher.update(grab);
      this.stats.tilesHashed += u.tilesRedone;
      if (u.changed || !screen.shot) {
        const png = await encode(grab, r);
        screen.shot = { monitor: index, png, ref: blobRefOf(png), phash: u.hashes.phash, tiles: u.hashes.tileHashes };
        changed = true;
      }
      shots.push(screen.shot);
    }
    if (!changed) this.stats.unchanged++;
    return shots;
  }

  private async insert(rows: Row[]): Promise<void> {
    const res = await this.sql<{ duplicate_of: string | null; existing: boolean }[]>`
      select f.duplicate_of, f.existing
      from unnest(${rows.map((r) => r.capturedAt)}::text[], ${rows.map((r) => r.shot?.ref ?? null)}::text[],
                  ${rows.map((r) => (r.shot ? `${r.shot.ref}:m${r.monitor}` : `screen:m${r.monitor}`))}::text[],
                  ${rows.map((r) => r.app)}::text[], ${rows.map((r) => r.title)}::text[],
                  ${rows.map((r) => (r.shot ? String(r.shot.phash) : null))}::text[],
                  ${rows.map((r) => (r.shot ? int8ArrayLiteral(r.shot.tiles) : null))}::text[]) with ordinality as u(t, ref, key, app, title, phash, tiles, ord)
      cross join lateral pgrecall.insert_frame(${this.o.deployment}, u.t::timestamptz, u.ref, u.key, u.app, u.title, u.phash::bigint, u.tiles::bigint[]) f
      order by u.ord`;
    for (const [i, r] of res.entries()) {
      if (r.existing) continue;
      this.stats.frames++;
      if (r.duplicate_of) this.stats.duplicates++;
      if (!rows[i]!.shot) this.stats.excluded++;
    }
  }

  private wentAway(err: unknown): void {
    if (!this.away) this.o.log(`database away (${(err as Error).message}): buffering frames on disk in ${this.o.spool.dir}, at most ${this.o.spool.maxFrames}`);
    this.away = true;
  }

  private async buffer(capturedAt: string, win: Focused, snap: Buffer): Promise<void> {
    // The same shots as a tick with the database there: an unchanged screen is not encoded again.
    const shots = await this.shots(snap);
    const images = shots.map((s) => s.png);
    const frames = shots.map((s) => ({ capturedAt, monitor: s.monitor, app: win.app, title: win.title }));
    const before = this.o.spool.dropped;
    if (await this.o.spool.push(frames, images)) this.stats.buffered += frames.length;
    else if (before === 0) this.o.log(`disk buffer full (${this.o.spool.maxFrames} frames): frames are dropped, and counted, until the database is back`);
  }

  /** Inserts what waits in the disk buffer, oldest first. False while the database is still away. */
  async flush(): Promise<boolean> {
    if ((await this.o.spool.size()) === 0) return true;
    let e: SpoolEntry | null;
    while ((e = await this.o.spool.first())) {
      try {
        await this.insertSpooled(e);
      } catch (err) {
        if (databaseAway(err)) {
          this.wentAway(err);
          return false;
        }
        throw err;
      }
      this.stats.flushed += e.frames.length;
      await this.o.spool.done(e);
    }
    if (this.away) this.o.log(`database back: ${this.stats.flushed} buffered frames inserted in order${this.o.spool.dropped ? `, ${this.o.spool.dropped} dropped while the buffer was full` : ""}`);
    this.away = false;
    return true;
  }

  private async insertSpooled(e: SpoolEntry): Promise<void> {
    const rows: Row[] = [];
    for (const [i, f] of e.frames.entries()) {
      const [{ excluded }] = (await this.sql`select pgrecall.exclusion_for(${this.o.deployment}, ${f.app}, ${f.title}) as excluded`) as unknown as [{ excluded: string | null }];
      let shot: Shot | null = null;
      if (!excluded) {
        const png = e.images[i]!;
        const h = await hashImage(png);
        shot = { monitor: f.monitor, png, ref: (await putClaimed(this.sql, this.store, png, "png")).ref, phash: h.phash, tiles: h.tileHashes };
      }
      rows.push({ capturedAt: f.capturedAt, monitor: f.monitor, app: f.app, title: f.title, shot });
    }
    await this.insert(rows);
  }
}

/** Polling the session's lock (a process each time) at most this often while capturing. */
const LOCK_POLL_MS = 10_000;

/** A monitor's part of the grabbed screen (all of it without monitors), clipped to it. */
function regionOf(grab: Grab, m: Monitor | null): Region {
  if (!m) return { x: 0, y: 0, width: grab.width, height: grab.height };
  if (m.x >= grab.width || m.y >= grab.height) throw new Error(`monitor ${m.index} (${m.name} ${m.width}x${m.height}+${m.x}+${m.y}) is outside the ${grab.width}x${grab.height} screen grabbed`);
  return { x: m.x, y: m.y, width: Math.min(m.width, grab.width - m.x), height: Math.min(m.height, grab.height - m.y) };
}

function sameRegion(a: Region, b: Region): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/**
 * One monitor's part of the screen as PNG, compression level 3 without row filters: on
 * 1920x1080 screens, about the size of level 6 for two thirds of its CPU; adaptive filtering
 * saves a few percent more for ten times the CPU.
 */
function encode(grab: Grab, r: Region): Promise<Buffer> {
  let img = sharp(grab.data, { raw: { width: grab.width, height: grab.height, channels: grab.channels } });
  if (r.x !== 0 || r.y !== 0 || r.width !== grab.width || r.height !== grab.height) img = img.extract({ left: r.x, top: r.y, width: r.width, height: r.height });
  return img.png({ compressionLevel: 3 }).toBuffer();
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
