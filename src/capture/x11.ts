// Linux X11: the screen through one long-running `ffmpeg -f x11grab` (shared memory, raw RGB,
// no encoding, the pointer left out) read into reused buffers, else xwd per tick; the
// focused window through the window manager's _NET_ACTIVE_WINDOW, watched by `xprop -spy`
// (no process per tick); monitors through xrandr, idle time through xprintidle, the lock
// through logind's LockedHint.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../import/video.js";
import type { Backend, Focused, Grab, Monitor } from "./backend.js";

const TOOLS: Record<string, string> = { xwd: "x11-apps", xprop: "x11-utils", xrandr: "x11-xserver-utils", xprintidle: "xprintidle" };

function tool(cmd: string, args: string[], timeoutMs = 10_000, display?: string): Promise<string> {
  const env = display ? { ...process.env, DISPLAY: display } : undefined;
  return run(cmd, args, { pkg: TOOLS[cmd], timeoutMs, env }).then((r) => r.stdout);
}

/** XWD (X Window Dump) → raw RGB: a 100-byte big-endian header, the window name, the colormap, the pixels. */
export function parseXwd(buf: Buffer): Grab {
  if (buf.length < 100) throw new Error(`xwd gave ${buf.length} bytes, not an XWD image`);
  const f = (i: number) => buf.readUInt32BE(i * 4);
  const [headerSize, version, format, , width, height, , byteOrder, , , , bpp, bytesPerLine] = Array.from({ length: 13 }, (_, i) => f(i)) as number[];
  const [redMask, greenMask, blueMask] = [f(14), f(15), f(16)];
  const ncolors = f(19);
  if (version !== 7 || format !== 2) throw new Error(`unsupported XWD image (version ${version}, format ${format})`);
  if (bpp !== 32 && bpp !== 24) throw new Error(`unsupported XWD depth: ${bpp} bits per pixel (a TrueColor display of 24 or 32 bits is needed)`);
  const start = headerSize! + ncolors * 12;
  if (buf.length < start + bytesPerLine! * height!) throw new Error("xwd image is truncated");
  const shift = (m: number) => (m ? 31 - Math.clz32(m & -m) : 0);
  const [rs, gs, bs] = [shift(redMask!), shift(greenMask!), shift(blueMask!)];
  const bytes = bpp! / 8;
  const rgb = Buffer.allocUnsafe(width! * height! * 3);
  let o = 0;
  if (bytes === 4 && byteOrder === 0 && rs === 16 && gs === 8 && bs === 0) {
    // The usual case (little-endian, 0xRRGGBB masks): bytes B, G, R, X.
    for (let y = 0; y < height!; y++) {
      for (let p = start + y * bytesPerLine!, end = p + width! * 4; p < end; p += 4) {
        rgb[o++] = buf[p + 2]!;
        rgb[o++] = buf[p + 1]!;
        rgb[o++] = buf[p]!;
      }
    }
    return { data: rgb, width: width!, height: height!, channels: 3 };
  }
  for (let y = 0; y < height!; y++) {
    let p = start + y * bytesPerLine!;
    for (let x = 0; x < width!; x++, p += bytes) {
      const v = bytes === 4
        ? (byteOrder === 0 ? buf.readUInt32LE(p) : buf.readUInt32BE(p))
        : (byteOrder === 0 ? buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) : (buf[p]! << 16) | (buf[p + 1]! << 8) | buf[p + 2]!);
      rgb[o++] = (v >>> rs) & 0xff;
      rgb[o++] = (v >>> gs) & 0xff;
      rgb[o++] = (v >>> bs) & 0xff;
    }
  }
  return { data: rgb, width: width!, height: height!, channels: 3 };
}

export class X11Backend implements Backend {
  readonly name = "x11";
  constructor(private readonly display = process.env.DISPLAY ?? ":0") {}

  async check(): Promise<string[]> {
    await tool("xprop", ["-display", this.display, "-root", "_NET_SUPPORTED"]).catch((err: Error) => {
      throw new Error(`cannot reach the X display ${this.display}: ${err.message}`, { cause: err });
    });
    const missing = async (cmd: string, args: string[]) => tool(cmd, args, 5_000).then(() => false, (err: Error) => err.message.includes("not installed"));
    const notes: string[] = [];
    const [noXwd, noFfmpeg, noIdle, noRandr] = await Promise.all([
      missing("xwd", ["-help"]), missing("ffmpeg", ["-version"]), missing("xprintidle", []), missing("xrandr", ["--version"]),
    ]);
    if (noXwd && noFfmpeg) throw new Error("neither ffmpeg nor xwd is installed: apt-get install ffmpeg x11-apps (or run scripts/provision.sh)");
    if (noFfmpeg) notes.push("ffmpeg is not installed: each tick runs xwd instead (more CPU); apt-get install ffmpeg");
    if (noIdle) notes.push("xprintidle is not installed: no pause when idle; apt-get install xprintidle");
    if (noRandr) notes.push("xrandr is not installed: the whole screen is one monitor; apt-get install x11-xserver-utils");
    return notes;
  }

  private grabber: Grabber | null = null;
  /** When the screen snap() last returned was grabbed (the grabber's frames arrive on its own clock). */
  snappedAt: Date | null = null;
  private spy: WindowSpy | null = null;

  /** Starts the watchers: the grabber at `fps` frames a second (one a tick), the focus spy. */
  async open(fps: number): Promise<void> {
    const root = await tool("xwininfo", ["-display", this.display, "-root"]).catch(() => "");
    const width = Number(/Width: (\d+)/.exec(root)?.[1]), height = Number(/Height: (\d+)/.exec(root)?.[1]);
    if (width > 0 && height > 0) {
      const g = await Grabber.start(this.display, width, height, fps).catch(() => null);
      if (g) {
        g.onExit = () => {
          if (this.grabber === g) this.grabber = null;
        };
        this.grabber = g;
      }
    }
    this.spy = new WindowSpy(this.display);
  }

  close(): Promise<void> {
    const waits: Promise<unknown>[] = [];
    const g = this.grabber;
    this.grabber = null;
    if (g) waits.push(g.stop());
    if (this.spy) waits.push(this.spy.close());
    this.spy = null;
    return Promise.all(waits).then(() => {});
  }

  /**
   * The screen, undecoded (raw RGB from the grabber, or an XWD image): equal bytes mean an unchanged
   * screen. The grabber's buffer is reused: it is valid until the next call.
   */
  async snap(): Promise<Buffer> {
    const frame = await this.grabber?.take();
    if (frame) {
      this.snappedAt = frame.at;
      return frame.data;
    }
    this.snappedAt = new Date();
    return new Promise((resolve, reject) => {
      execFile("xwd", ["-display", this.display, "-root", "-silent"], { encoding: "buffer", maxBuffer: 512 << 20, timeout: 15_000 }, (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error("xwd is not installed: apt-get install x11-apps (or run scripts/provision.sh)"));
        if (err) return reject(new Error(`xwd failed: ${String(stderr).trim() || err.message}`, { cause: err }));
        resolve(stdout);
      });
    });
  }

  decode(snap: Buffer): Grab {
    const g = this.grabber;
    if (g && snap.length === g.width * g.height * 3 && !isXwd(snap)) return { data: snap, width: g.width, height: g.height, channels: 3 };
    return parseXwd(snap);
  }

  async monitors(): Promise<Monitor[]> {
    let out: string;
    try {
      out = await tool("xrandr", ["-display", this.display, "--listmonitors"]);
    } catch {
      return [];
    }
    // " 0: +*DP-1 1920/530x1080/300+0+0  DP-1"; a monitor set with `xrandr --setmonitor NAME … none` has no output after it.
    return parseMonitors(out);
  }

  async focused(): Promise<Focused> {
    return this.spy ? this.spy.current() : focusedOnce(this.display);
  }

  async idleMs(): Promise<number | null> {
    const out = await tool("xprintidle", [], 5_000, this.display).catch(() => null);
    const n = out === null ? NaN : Number(out.trim());
    return Number.isFinite(n) ? n : null;
  }

  async locked(): Promise<boolean | null> {
    const session = process.env.XDG_SESSION_ID;
    if (!session) return null;
    const out = await run("loginctl", ["show-session", session, "-p", "LockedHint", "--value"], { timeoutMs: 5_000 }).then((r) => r.stdout.trim()).catch(() => "");
    return out === "yes" ? true : out === "no" ? false : null;
  }
}

/**
 * One `ffmpeg -f x11grab` streaming raw RGB frames into a few buffers it reuses, read straight from
 * a Unix socket into them (no allocation per frame or per read, so no garbage to collect): the
 * latest complete frame, the one take() last handed out (left alone until the next take()), and
 * the one being filled.
 */
class Grabber {
  onExit: (() => void) | null = null;
  private readonly size: number;
  private readonly pool: Buffer[] = [];
  private filling: Buffer;
  private have = 0;
  private latest: { data: Buffer; at: Date } | null = null;
  private handed: Buffer | null = null;
  private waiters: (() => void)[] = [];
  private exited = false;
  private proc: ChildProcess | null = null;

  private constructor(readonly width: number, readonly height: number) {
    this.size = width * height * 3;
    this.filling = Buffer.allocUnsafe(this.size);
  }

  static async start(display: string, width: number, height: number, fps: number): Promise<Grabber> {
    const g = new Grabber(width, height);
    // A Unix socket in a private directory: ffmpeg writes to the accepted end, this process reads the other.
    const dir = await mkdtemp(join(tmpdir(), "pgrecall-grab-"));
    const server = net.createServer();
    try {
      const path = join(dir, "frames");
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(path, resolve));
      const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
      const sock = net.connect({ path, onread: { buffer: () => g.target(), callback: (n: number) => (g.received(n), true) } } as net.NetConnectOpts);
      sock.on("error", () => {});
      const peer = await accepted;
      const proc = spawn("ffmpeg", ["-nostdin", "-loglevel", "error", "-f", "x11grab", "-draw_mouse", "0", "-framerate", String(fps),
        "-video_size", `${width}x${height}`, "-i", display, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], { stdio: ["ignore", peer, "ignore"] });
      peer.destroy(); // ffmpeg has its own copy
      g.proc = proc;
      // Gone: ffmpeg exited, or never started (not installed: an "error" with no "exit" after it). snap() falls back to xwd.
      const gone = () => {
        if (g.exited) return;
        g.exited = true;
        sock.destroy();
        for (const w of g.waiters.splice(0)) w();
        g.onExit?.();
      };
      proc.once("error", gone);
      proc.once("exit", gone);
      return g;
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Where the next bytes go: the rest of the frame being filled. */
  private target(): Buffer {
    return this.filling.subarray(this.have);
  }

  private received(n: number): void {
    this.have += n;
    if (this.have < this.size) return;
    const done = this.filling;
    if (this.latest && this.latest.data !== this.handed) this.pool.push(this.latest.data);
    this.latest = { data: done, at: new Date() };
    this.filling = this.pool.pop() ?? Buffer.allocUnsafe(this.size);
    this.have = 0;
    for (const w of this.waiters.splice(0)) w();
  }

  /** The latest frame (waiting for the first); null once ffmpeg has stopped. */
  async take(): Promise<{ data: Buffer; at: Date } | null> {
    if (!this.latest && !this.exited) await new Promise<void>((r) => this.waiters.push(r));
    if (this.exited || !this.latest) return null;
    if (this.handed && this.handed !== this.latest.data) this.pool.push(this.handed);
    this.handed = this.latest.data;
    return this.latest;
  }

  stop(): Promise<void> {
    const p = this.proc;
    if (this.exited || !p) return Promise.resolve();
    const gone = new Promise<void>((r) => p.once("exit", () => r()));
    p.kill("SIGTERM");
    return gone;
  }
}

/** Monitors from `xrandr --listmonitors`: the index, the monitor's name (its flags + and * left out), its geometry. */
export function parseMonitors(out: string): Monitor[] {
  return out.split("\n").flatMap((line) => {
    const m = /^\s*(\d+):\s+[+*]*(\S+)\s+(\d+)\/\d+x(\d+)\/\d+\+(\d+)\+(\d+)/.exec(line);
    return m ? [{ index: Number(m[1]), name: m[2]!, width: Number(m[3]), height: Number(m[4]), x: Number(m[5]), y: Number(m[6]) }] : [];
  });
}

function unescapeXprop(s: string): string {
  return s.replace(/\\(["\\])/g, "$1");
}

function isXwd(b: Buffer): boolean {
  return b.length >= 100 && b.readUInt32BE(4) === 7 && b.readUInt32BE(8) === 2 && b.readUInt32BE(0) >= 100 && b.readUInt32BE(0) < 4096;
}

const WINDOW_PROPS = ["WM_CLASS", "_NET_WM_NAME", "WM_NAME"];

/** App (WM_CLASS's class) and title (_NET_WM_NAME, else WM_NAME) from xprop's output. */
function parseWindow(props: string): Focused {
  const cls = /^WM_CLASS\(\w+\) = (.*)$/m.exec(props)?.[1];
  const classes = cls ? [...cls.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => unescapeXprop(m[1]!)) : [];
  const title = /^_NET_WM_NAME\(\w+\) = "((?:[^"\\]|\\.)*)"/m.exec(props)?.[1] ?? /^WM_NAME\(\w+\) = "((?:[^"\\]|\\.)*)"/m.exec(props)?.[1];
  return { app: classes[1] ?? classes[0] ?? null, title: title === undefined ? null : unescapeXprop(title) };
}

const activeId = (line: string) => /window id # (0x[0-9a-f]+)/i.exec(line)?.[1] ?? null;

async function focusedOnce(display: string): Promise<Focused> {
  const id = activeId(await tool("xprop", ["-display", display, "-root", "_NET_ACTIVE_WINDOW"]).catch(() => ""));
  if (!id || /^0x0+$/.test(id)) return { app: null, title: null };
  return parseWindow(await tool("xprop", ["-display", display, "-id", id, ...WINDOW_PROPS]).catch(() => ""));
}

/**
 * The focused window, kept current by two `xprop -spy` processes: one on the root window's
 * _NET_ACTIVE_WINDOW, one on the active window's class and title (replaced when focus moves).
 * Until both have spoken, and after either dies, it asks once per call.
 */
class WindowSpy {
  private root: ChildProcess;
  private win: { id: string; proc: ChildProcess; props: Map<string, string>; ready: boolean } | null = null;
  private activeKnown = false;
  private closed = false;

  constructor(private readonly display: string) {
    this.root = this.watch(["-root", "_NET_ACTIVE_WINDOW"], (line) => {
      this.activeKnown = true;
      const id = activeId(line);
      if (id !== this.win?.id) this.follow(id && !/^0x0+$/.test(id) ? id : null);
    });
  }

  private watch(args: string[], onLine: (line: string) => void): ChildProcess {
    const p = spawn("xprop", ["-display", this.display, "-spy", ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let rest = "";
    p.stdout!.on("data", (d: Buffer) => {
      const lines = (rest + d.toString()).split("\n");
      rest = lines.pop()!;
      for (const l of lines) onLine(l);
    });
    p.once("error", () => {});
    return p;
  }

  private follow(id: string | null): void {
    this.win?.proc.kill("SIGTERM");
    this.win = null;
    if (!id || this.closed) return;
    const w = { id, props: new Map<string, string>(), ready: false, proc: null as unknown as ChildProcess };
    w.proc = this.watch(["-id", id, ...WINDOW_PROPS], (line) => {
      const name = /^(\w+)\(/.exec(line)?.[1] ?? /^(\w+):/.exec(line)?.[1];
      if (name && WINDOW_PROPS.includes(name)) w.props.set(name, line);
      // xprop prints every asked property once at the start (a missing one as "not found").
      if (w.props.size >= WINDOW_PROPS.length || /^WM_NAME/.test(line)) w.ready = true;
    });
    this.win = w;
  }

  private live(p: ChildProcess | undefined): boolean {
    return !!p && p.exitCode === null && p.signalCode === null;
  }

  async current(): Promise<Focused> {
    if (this.activeKnown && this.live(this.root) && (this.win === null || (this.win.ready && this.live(this.win.proc)))) {
      return this.win ? parseWindow([...this.win.props.values()].join("\n")) : { app: null, title: null };
    }
    return focusedOnce(this.display);
  }

  close(): Promise<void> {
    this.closed = true;
    const ps = [this.root, this.win?.proc].filter((p): p is ChildProcess => this.live(p));
    this.win = null;
    return Promise.all(ps.map((p) => new Promise((r) => { p.once("exit", r); p.kill("SIGTERM"); }))).then(() => {});
  }
}
