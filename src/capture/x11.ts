// Linux X11: the screen through xwd (one small process per tick, raw pixels, no encoding), the
// focused window through the window manager's _NET_ACTIVE_WINDOW (xprop), monitors through
// xrandr, idle time through xprintidle, the lock through logind's LockedHint.
import { execFile } from "node:child_process";
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

  async check(): Promise<void> {
    await tool("xprop", ["-display", this.display, "-root", "_NET_SUPPORTED"]).catch((err: Error) => {
      throw new Error(`cannot reach the X display ${this.display}: ${err.message}`, { cause: err });
    });
    await tool("xwd", ["-version"]).catch((err: Error) => {
      if (err.message.includes("not installed")) throw err;
    });
  }

  /** The screen as xwd gave it: comparing these bytes with the last tick's tells a static screen without decoding it. */
  async snap(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile("xwd", ["-display", this.display, "-root", "-silent"], { encoding: "buffer", maxBuffer: 512 << 20, timeout: 15_000 }, (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error("xwd is not installed: apt-get install x11-apps (or run scripts/provision.sh)"));
        if (err) return reject(new Error(`xwd failed: ${String(stderr).trim() || err.message}`, { cause: err }));
        resolve(stdout);
      });
    });
  }

  decode(snap: Buffer): Grab {
    return parseXwd(snap);
  }

  async monitors(): Promise<Monitor[]> {
    let out: string;
    try {
      out = await tool("xrandr", ["-display", this.display, "--listmonitors"]);
    } catch {
      return [];
    }
    // " 0: +*DP-1 1920/530x1080/300+0+0  DP-1"
    return out.split("\n").flatMap((line) => {
      const m = /^\s*(\d+):\s+\S+\s+(\d+)\/\d+x(\d+)\/\d+\+(\d+)\+(\d+)\s+(\S+)/.exec(line);
      return m ? [{ index: Number(m[1]), name: m[6]!, width: Number(m[2]), height: Number(m[3]), x: Number(m[4]), y: Number(m[5]) }] : [];
    });
  }

  async focused(): Promise<Focused> {
    const root = await tool("xprop", ["-display", this.display, "-root", "_NET_ACTIVE_WINDOW"]).catch(() => "");
    const id = /window id # (0x[0-9a-f]+)/i.exec(root)?.[1];
    if (!id || /^0x0+$/.test(id)) return { app: null, title: null };
    const props = await tool("xprop", ["-display", this.display, "-id", id, "WM_CLASS", "_NET_WM_NAME", "WM_NAME"]).catch(() => "");
    // WM_CLASS(STRING) = "xterm", "XTerm": instance, then class; the class names the app.
    const cls = /^WM_CLASS\(\w+\) = (.*)$/m.exec(props)?.[1];
    const classes = cls ? [...cls.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => unescapeXprop(m[1]!)) : [];
    const title = /^_NET_WM_NAME\(\w+\) = "((?:[^"\\]|\\.)*)"/m.exec(props)?.[1] ?? /^WM_NAME\(\w+\) = "((?:[^"\\]|\\.)*)"/m.exec(props)?.[1];
    return { app: classes[1] ?? classes[0] ?? null, title: title === undefined ? null : unescapeXprop(title) };
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

function unescapeXprop(s: string): string {
  return s.replace(/\\(["\\])/g, "$1");
}
