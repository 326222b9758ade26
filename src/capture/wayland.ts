// Linux Wayland: the screen through `grim -t ppm` (wlr-screencopy: sway, Hyprland and other
// wlroots compositors; raw RGB, nothing to decode), the focused window and the outputs through
// the compositor's IPC — sway's i3-style socket, spoken directly (no swaymsg process per
// tick) with a subscription to window and workspace events keeping the focused window
// current; Hyprland's `hyprctl activewindow -j` / `monitors -j` (untested). Idle time through a
// long-running `swayidle` (the compositor's idle protocol), the lock through a running screen
// locker (swaylock, hyprlock, gtklock, waylock) or logind's LockedHint (which they do not set).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { run } from "../import/video.js";
import type { Backend, Focused, Grab, Monitor } from "./backend.js";

const TOOLS: Record<string, string> = { grim: "grim", swayidle: "swayidle", hyprctl: "hyprland", loginctl: "systemd" };

function tool(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<string> {
  return run(cmd, args, { pkg: TOOLS[cmd], timeoutMs, env }).then((r) => r.stdout);
}

/** Whether `cmd` is an executable on the PATH of `env` (the one the backend's processes get). */
function installed(cmd: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? "").split(":")) {
    if (!dir) continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** PPM (P6, maxval 255) → raw RGB: the pixels are the file past its header, not copied. */
export function parsePpm(buf: Buffer): Grab {
  // "P6" whitespace width whitespace height whitespace maxval, one whitespace byte, the pixels (no comments from grim).
  const m = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString("latin1"));
  if (!m) throw new Error(`grim gave ${buf.length} bytes that are not a PPM (P6) image`);
  const [width, height, maxval] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (maxval !== 255) throw new Error(`unsupported PPM depth: maxval ${maxval} (8 bits per channel expected)`);
  const start = m[0].length;
  if (buf.length < start + width * height * 3) throw new Error(`grim's PPM image is truncated (${buf.length} bytes for ${width}x${height})`);
  return { data: buf.subarray(start, start + width * height * 3), width, height, channels: 3 };
}

// ---- sway (and i3-compatible) IPC: "i3-ipc", payload length and type (native-endian u32), JSON payload.

const IPC_MAGIC = Buffer.from("i3-ipc");
const IPC = { subscribe: 2, getOutputs: 3, getTree: 4, getVersion: 7 } as const;
const EVENT_BIT = 0x80000000;

interface SwayNode {
  id: number;
  type: string;
  name: string | null;
  focused?: boolean;
  app_id?: string | null;
  window_properties?: { class?: string; instance?: string; title?: string };
  nodes?: SwayNode[];
  floating_nodes?: SwayNode[];
}

interface SwayOutput {
  name: string;
  active: boolean;
  scale?: number;
  rect: { x: number; y: number; width: number; height: number };
}

/** The sway socket: $SWAYSOCK (set by sway for what it starts), else the newest sway-ipc.<uid>.<pid>.sock of a live sway in $XDG_RUNTIME_DIR. */
export function swaySocket(env: NodeJS.ProcessEnv): string | null {
  if (env.SWAYSOCK) return env.SWAYSOCK;
  const dir = env.XDG_RUNTIME_DIR;
  if (!dir) return null;
  let best: { path: string; mtime: number } | null = null;
  try {
    for (const n of readdirSync(dir)) {
      const m = /^sway-ipc\.\d+\.(\d+)\.sock$/.exec(n);
      if (!m || !alive(Number(m[1]))) continue;
      const mtime = statSync(join(dir, n)).mtimeMs;
      if (!best || mtime > best.mtime) best = { path: join(dir, n), mtime };
    }
  } catch {
    return null;
  }
  return best?.path ?? null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One connection to the sway socket: requests answered in order, events (type with the high bit) to `onEvent`. */
class SwayIpc {
  private rest: Buffer = Buffer.alloc(0);
  private pending: { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private dead: Error | null = null;
  onEvent: ((type: number, payload: unknown) => void) | null = null;
  onClose: (() => void) | null = null;

  private constructor(private readonly sock: net.Socket) {
    sock.on("data", (d: Buffer) => this.received(d));
    sock.on("error", (e) => (this.dead ??= e));
    sock.on("close", () => {
      this.dead ??= new Error("the sway socket closed");
      for (const p of this.pending.splice(0)) clearTimeout(p.timer), p.reject(this.dead);
      this.onClose?.();
    });
  }

  static connect(path: string, timeoutMs = 5_000): Promise<SwayIpc> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(path);
      const t = setTimeout(() => (sock.destroy(), reject(new Error(`the sway socket ${path} does not answer`))), timeoutMs);
      sock.once("error", (e) => (clearTimeout(t), reject(new Error(`cannot reach sway's socket ${path}: ${e.message}`, { cause: e }))));
      sock.once("connect", () => (clearTimeout(t), resolve(new SwayIpc(sock))));
    });
  }

  get live(): boolean {
    return this.dead === null;
  }

  /** One request; a sway that does not answer within `timeoutMs` has its connection closed (the next request opens another). */
  request<T>(type: number, payload = "", timeoutMs = 5_000): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const body = Buffer.from(payload);
    const head = Buffer.alloc(14);
    IPC_MAGIC.copy(head);
    head.writeUInt32LE(body.length, 6);
    head.writeUInt32LE(type, 10);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.sock.destroy(new Error(`sway did not answer an IPC request in ${timeoutMs} ms`)), timeoutMs);
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject, timer });
      this.sock.write(Buffer.concat([head, body]));
    });
  }

  private received(d: Buffer): void {
    this.rest = this.rest.length ? Buffer.concat([this.rest, d]) : d;
    while (this.rest.length >= 14) {
      if (!this.rest.subarray(0, 6).equals(IPC_MAGIC)) {
        this.sock.destroy(new Error("the sway socket sent something that is not an IPC message"));
        return;
      }
      const len = this.rest.readUInt32LE(6), type = this.rest.readUInt32LE(10);
      if (this.rest.length < 14 + len) return;
      const payload = JSON.parse(this.rest.subarray(14, 14 + len).toString("utf8")) as unknown;
      this.rest = this.rest.subarray(14 + len);
      if (type & EVENT_BIT) this.onEvent?.(type & ~EVENT_BIT, payload);
      else {
        const p = this.pending.shift();
        if (p) clearTimeout(p.timer), p.resolve(payload);
      }
    }
  }

  /** Closes at once: sway does not close its end when ours half-closes (end() would wait for ever). */
  close(): Promise<void> {
    if (this.sock.destroyed) return Promise.resolve();
    return new Promise((r) => (this.sock.once("close", () => r()), this.sock.destroy()));
  }
}

/** The focused window of a sway tree: app_id (native Wayland) or the X11 class (XWayland), and its title. */
export function focusedInTree(tree: SwayNode): Focused {
  const stack = [tree];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.focused) return windowOf(n);
    stack.push(...(n.nodes ?? []), ...(n.floating_nodes ?? []));
  }
  return { app: null, title: null };
}

function windowOf(n: SwayNode): Focused {
  // A focused workspace or output: no window has the focus.
  if (n.type !== "con" && n.type !== "floating_con") return { app: null, title: null };
  return { app: n.app_id || n.window_properties?.class || n.window_properties?.instance || null, title: n.name ?? n.window_properties?.title ?? null };
}

/** Active outputs as regions of grim's image of the whole layout: from its top-left corner, at the greatest scale (grim's default). */
export function swayMonitors(outputs: SwayOutput[]): Monitor[] {
  const active = outputs.filter((o) => o.active);
  if (!active.length) return [];
  const minX = Math.min(...active.map((o) => o.rect.x)), minY = Math.min(...active.map((o) => o.rect.y));
  const s = Math.max(...active.map((o) => o.scale ?? 1));
  return active.map((o, index) => ({
    index, name: o.name,
    x: Math.round((o.rect.x - minX) * s), y: Math.round((o.rect.y - minY) * s),
    width: Math.round(o.rect.width * s), height: Math.round(o.rect.height * s),
  }));
}

interface HyprMonitor {
  name: string;
  width: number;
  height: number;
  x: number;
  y: number;
  scale?: number;
  transform?: number;
  disabled?: boolean;
}

/** Hyprland's monitors (pixel modes, logical positions) as regions of grim's image, as for sway. */
export function hyprMonitors(ms: HyprMonitor[]): Monitor[] {
  const active = ms.filter((m) => !m.disabled);
  if (!active.length) return [];
  const logical = active.map((m) => {
    const sc = m.scale || 1, turned = (m.transform ?? 0) % 2 === 1;
    const [w, h] = turned ? [m.height, m.width] : [m.width, m.height];
    return { name: m.name, x: m.x, y: m.y, width: w / sc, height: h / sc, scale: sc };
  });
  return swayMonitors(logical.map((l) => ({ name: l.name, active: true, scale: l.scale, rect: l })));
}

type Compositor = "sway" | "hyprland" | "other";

function compositorOf(env: NodeJS.ProcessEnv): Compositor {
  return env.HYPRLAND_INSTANCE_SIGNATURE ? "hyprland" : swaySocket(env) ? "sway" : "other";
}

/** Whether the session's compositor is one whose IPC this backend speaks (sway, Hyprland): it can tell the focused window. */
export function waylandIpc(env: NodeJS.ProcessEnv): boolean {
  return compositorOf(env) !== "other";
}

export interface WaylandOptions {
  /** grim -o: capture this output alone (its name in the compositor's outputs), which is then monitor 0. */
  output?: string;
  /** swayidle's timeout in seconds: below it the idle time reads 0, from it on exactly (default 10). */
  idleStepS?: number;
}

export class WaylandBackend implements Backend {
  readonly name = "wayland";
  private readonly env: NodeJS.ProcessEnv;
  private readonly compositor: Compositor;
  private readonly idleStepS: number;

  constructor(env: NodeJS.ProcessEnv = process.env, private readonly o: WaylandOptions = {}) {
    this.env = env;
    this.compositor = compositorOf(env);
    this.idleStepS = Math.max(1, Math.round(o.idleStepS ?? 10));
  }

  async check(): Promise<string[]> {
    if (!this.env.WAYLAND_DISPLAY) throw new Error("no Wayland display: WAYLAND_DISPLAY is not set");
    // One screenshot: grim is there and the compositor lets clients copy the screen (wlr-screencopy).
    await this.snap().catch((err: Error) => {
      if (err.message.includes("not installed")) throw err;
      throw new Error(`${err.message}: grim needs a compositor with wlr-screencopy (sway, Hyprland, other wlroots ones; not GNOME or KDE)`, { cause: err });
    });
    const notes: string[] = [];
    if (this.compositor === "sway") {
      const ipc = await SwayIpc.connect(swaySocket(this.env)!).catch((err: Error) => {
        throw new Error(`${err.message} (is SWAYSOCK right?)`, { cause: err });
      });
      await ipc.close();
    } else if (this.compositor === "hyprland") {
      await tool("hyprctl", ["version", "-j"], this.env, 5_000).catch((err: Error) => {
        if (err.message.includes("not installed")) throw err;
        throw new Error(`cannot ask Hyprland (hyprctl version -j): ${err.message}`, { cause: err });
      });
      notes.push("Hyprland: the focused window and monitors come from hyprctl, one process per tick (best effort, untested)");
    } else {
      notes.push("neither sway's socket (SWAYSOCK) nor Hyprland (HYPRLAND_INSTANCE_SIGNATURE) found: the focused window's app and title are unknown and the whole screen is one monitor");
    }
    if (!installed("swayidle", this.env)) notes.push("swayidle is not installed: no pause when idle (the compositor's idle protocol is read through it); apt-get install swayidle");
    return notes;
  }

  private ipc: SwayIpc | null = null;
  private watcher: FocusWatcher | null = null;
  private idle: IdleWatcher | null = null;

  /** Starts the watchers: sway's focus events, swayidle. */
  async open(): Promise<void> {
    if (this.compositor === "sway") this.watcher = await FocusWatcher.start(swaySocket(this.env)!).catch(() => null);
    this.idle = IdleWatcher.start(this.env, this.idleStepS);
  }

  async close(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    if (this.ipc) waits.push(this.ipc.close());
    if (this.watcher) waits.push(this.watcher.close());
    if (this.idle) waits.push(this.idle.close());
    this.ipc = this.watcher = this.idle = null;
    await Promise.all(waits);
  }

  /** The screen as grim's PPM (one output with `output`): equal bytes mean an unchanged screen. */
  snap(): Promise<Buffer> {
    const args = ["-t", "ppm", ...(this.o.output ? ["-o", this.o.output] : []), "-"];
    return new Promise((resolve, reject) => {
      execFile("grim", args, { encoding: "buffer", maxBuffer: 1 << 30, timeout: 15_000, env: this.env }, (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error("grim is not installed: apt-get install grim (or run scripts/provision.sh)"));
        if (err) return reject(new Error(`grim failed: ${String(stderr).trim() || err.message}`, { cause: err }));
        resolve(stdout);
      });
    });
  }

  decode(snap: Buffer): Grab {
    return parsePpm(snap);
  }

  /** A request on the sway socket, over one connection kept open (opened again when it has closed). */
  private async sway<T>(type: number): Promise<T> {
    if (!this.ipc?.live) this.ipc = await SwayIpc.connect(swaySocket(this.env)!);
    return this.ipc.request<T>(type);
  }

  /**
   * The outputs as regions of grim's image: all active ones, or with `output` that one alone (grim -o
   * takes it at its own scale). Empty when the compositor cannot tell: the whole image is one monitor.
   */
  async monitors(): Promise<Monitor[]> {
    const only = <T extends { name: string }>(xs: T[]) => (this.o.output ? xs.filter((x) => x.name === this.o.output) : xs);
    try {
      if (this.compositor === "sway") return swayMonitors(only(await this.sway<SwayOutput[]>(IPC.getOutputs)));
      if (this.compositor === "hyprland") return hyprMonitors(only(JSON.parse(await tool("hyprctl", ["monitors", "-j"], this.env)) as HyprMonitor[]));
    } catch {
      // the compositor did not answer: one monitor
    }
    return [];
  }

  async focused(): Promise<Focused> {
    if (this.compositor === "sway") {
      const known = this.watcher?.current();
      if (known) return known;
      const epoch = this.watcher?.epoch;
      const f = await this.sway<SwayNode>(IPC.getTree).then(focusedInTree, () => ({ app: null, title: null }));
      if (this.watcher && epoch !== undefined) this.watcher.seed(f, epoch);
      return f;
    }
    if (this.compositor === "hyprland") {
      const out = await tool("hyprctl", ["activewindow", "-j"], this.env, 5_000).catch(() => "");
      let w: { class?: string; initialClass?: string; title?: string } = {};
      try {
        w = JSON.parse(out) as typeof w;
      } catch {
        // "Invalid" or nothing: no window has the focus
      }
      return { app: w.class || w.initialClass || null, title: w.title ?? null };
    }
    return { app: null, title: null };
  }

  async idleMs(): Promise<number | null> {
    return this.idle?.idleMs() ?? null;
  }

  /**
   * Locked while a Wayland screen locker of this user runs (swaylock, hyprlock, gtklock, waylock:
   * they tell no one else, and the session-lock protocol is the compositor's alone), or while logind
   * says so (LockedHint, which they do not set); null when neither can tell.
   */
  async locked(): Promise<boolean | null> {
    if (lockerRunning()) return true;
    const session = this.env.XDG_SESSION_ID;
    if (!session) return null;
    const out = await run("loginctl", ["show-session", session, "-p", "LockedHint", "--value"], { timeoutMs: 5_000 }).then((r) => r.stdout.trim()).catch(() => "");
    return out === "yes" ? true : out === "no" ? false : null;
  }
}

const LOCKERS = new Set(["swaylock", "hyprlock", "gtklock", "waylock"]);

/**
 * Whether one of LOCKERS runs as this user: the processes' names in /proc, read synchronously
 * (a few microseconds each, no process started; promises cost ten times as much CPU).
 */
export function lockerRunning(): boolean {
  const uid = process.getuid?.();
  let pids: string[];
  try {
    pids = readdirSync("/proc");
  } catch {
    return false; // no /proc: cannot tell
  }
  for (const pid of pids) {
    if (pid.charCodeAt(0) < 48 || pid.charCodeAt(0) > 57) continue;
    try {
      if (LOCKERS.has(readFileSync(`/proc/${pid}/comm`, "latin1").trimEnd()) && (uid === undefined || statSync(`/proc/${pid}`).uid === uid)) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

/**
 * The focused window, kept current by a subscription to sway's window and workspace events: a
 * focus event (or a title event of the focused window) carries the window; any other event
 * makes the next call ask for the tree once. Until the subscription is up, and after it has
 * closed, every call asks.
 */
class FocusWatcher {
  private known: Focused | null = null;
  /** Bumped by each event: a tree asked for before an event is not kept after it. */
  epoch = 0;

  private constructor(private readonly ipc: SwayIpc) {
    ipc.onEvent = (type, payload) => this.event(type, payload as { change?: string; container?: SwayNode });
  }

  static async start(path: string): Promise<FocusWatcher> {
    const ipc = await SwayIpc.connect(path);
    const w = new FocusWatcher(ipc);
    const r = await ipc.request<{ success: boolean }>(IPC.subscribe, JSON.stringify(["window", "workspace"]));
    if (!r.success) {
      await ipc.close();
      throw new Error("sway refused the subscription to window events");
    }
    return w;
  }

  private event(type: number, e: { change?: string; container?: SwayNode }): void {
    this.epoch++;
    const window = type === 3 && e.container;
    if (window && (e.change === "focus" || e.change === "title") && e.container!.focused) this.known = windowOf(e.container!);
    else this.known = null;
  }

  current(): Focused | null {
    return this.ipc.live ? this.known : null;
  }

  seed(f: Focused, epoch: number): void {
    if (epoch === this.epoch && this.ipc.live) this.known = f;
  }

  close(): Promise<void> {
    return this.ipc.close();
  }
}

/**
 * `swayidle timeout N` (the compositor's idle protocol) telling when nobody has typed or moved the
 * pointer for N seconds, and when they are back: the idle time is exact from N seconds on
 * (the input stopped N seconds before the timeout fired), 0 below it; null when swayidle is
 * not running.
 */
class IdleWatcher {
  private idleSince: number | null = null;
  private constructor(private readonly proc: ChildProcess, private readonly stepMs: number) {
    let rest = "";
    proc.stdout!.on("data", (d: Buffer) => {
      const lines = (rest + d.toString()).split("\n");
      rest = lines.pop()!;
      for (const l of lines) {
        if (l === "idle") this.idleSince = Date.now() - this.stepMs;
        else if (l === "active") this.idleSince = null;
      }
    });
  }

  static start(env: NodeJS.ProcessEnv, stepS: number): IdleWatcher | null {
    const p = spawn("swayidle", ["-w", "timeout", String(stepS), "echo idle", "resume", "echo active"], { env, stdio: ["ignore", "pipe", "ignore"] });
    p.once("error", () => {});
    return new IdleWatcher(p, stepS * 1000);
  }

  private get live(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null && this.proc.pid !== undefined;
  }

  idleMs(): number | null {
    if (!this.live) return null;
    return this.idleSince === null ? 0 : Date.now() - this.idleSince;
  }

  close(): Promise<void> {
    if (!this.live) return Promise.resolve();
    return new Promise((r) => {
      this.proc.once("exit", () => r());
      this.proc.kill("SIGTERM");
    });
  }
}
