// macOS: the screen through `screencapture -x` (one PNG per display, decoded with sharp), the
// frontmost app and its window title through `osascript` (System Events), the displays' names
// through `system_profiler SPDisplaysDataType -json`, idle time through `ioreg -c IOHIDSystem`
// (HIDIdleTime) and the lock through `ioreg -n Root -d1 -a` (CGSSessionScreenIsLocked in
// IOConsoleUsers). Only tools every macOS has, called by their absolute paths.
//
// NOT YET RUN ON A MAC. This backend was written on Linux against Apple's documented tools
// (screencapture(1), ioreg(8), launchd.plist(5)) and the output formats those tools are known to
// print; every parser below is a pure function tested with sample outputs written from those
// formats (test/capture/macos.test.ts), but screencapture, osascript, ioreg and system_profiler
// themselves have never been called by this code.
//
// Permissions (System Settings > Privacy & Security), granted to the app that runs pgrecall —
// Terminal or iTerm when run by hand, the node binary when run by the launchd agent:
// - Screen Recording: without it screencapture still exits 0 but the image shows the wallpaper
//   (or black) instead of the windows. check() asks CGPreflightScreenCaptureAccess (macOS 10.15+).
// - Automation (System Events): without it osascript fails with -1743 and the frontmost app is unknown.
// - Accessibility: without it the window title cannot be read ("not allowed assistive access").
// Capture refuses to start without the last two: exclusion rules match the app and the title, and
// a screen whose app or title is unknown could not be excluded.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import type { Backend, Focused, Grab, Monitor } from "./backend.js";

export const MAC_TOOLS = {
  screencapture: "/usr/sbin/screencapture",
  osascript: "/usr/bin/osascript",
  ioreg: "/usr/sbin/ioreg",
  system_profiler: "/usr/sbin/system_profiler",
} as const;

type Tool = keyof typeof MAC_TOOLS;

/** The failure of a macOS tool, with its stderr kept for the permission checks. */
export class MacToolError extends Error {
  constructor(message: string, readonly stderr: string, options?: ErrorOptions) {
    super(message, options);
  }
}

function mac(cmd: Tool, args: string[], timeoutMs = 10_000): Promise<string> {
  const path = MAC_TOOLS[cmd];
  return new Promise((resolve, reject) => {
    execFile(path, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
        return reject(new MacToolError(`${path} is missing: it ships with macOS (this backend needs screencapture, osascript, ioreg and system_profiler at their usual paths)`, ""));
      }
      if (err) {
        const last = String(stderr).trim().split("\n").slice(-2).join(" / ");
        return reject(new MacToolError(`${cmd} failed: ${last || err.message}`, String(stderr), { cause: err }));
      }
      resolve(String(stdout));
    });
  });
}

const SETTINGS = "System Settings > Privacy & Security";

// ---- idle and lock (ioreg)

/** Milliseconds since the last keyboard or mouse input from `ioreg -c IOHIDSystem` (HIDIdleTime, in nanoseconds); null if absent. */
export function parseHidIdleTime(out: string): number | null {
  const m = /"HIDIdleTime"\s*=\s*(\d+)/.exec(out);
  if (!m) return null;
  // Nanoseconds may pass 2^53 only after 104 days idle; BigInt keeps the division exact anyway.
  return Number(BigInt(m[1]!) / 1_000_000n);
}

export type PlistValue = string | number | boolean | Date | Buffer | PlistValue[] | { [key: string]: PlistValue };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1]!.toLowerCase() === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e.toLowerCase()]!);
}

/**
 * An XML property list (what `ioreg -a` prints) → its value. Enough of the format for ioreg and
 * launchd: dict, array, key, string, integer, real, true, false, date, data; comments and the
 * XML declaration and DOCTYPE skipped. Anything else is an error naming what was found.
 */
export function parsePlist(xml: string): PlistValue {
  const tokens = [...xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, "").matchAll(/<(\/?)([A-Za-z]+)\s*[^>]*?(\/?)>|([^<]+)/g)];
  let i = 0;
  const next = () => {
    while (i < tokens.length && tokens[i]![4] !== undefined && !tokens[i]![4]!.trim()) i++;
    return tokens[i++];
  };
  const textUntil = (name: string): string => {
    let text = "";
    for (;;) {
      const t = tokens[i++];
      if (!t) throw new Error(`property list ends inside <${name}>`);
      if (t[4] !== undefined) text += t[4];
      else if (t[1] === "/" && t[2] === name) return unescapeXml(text);
      else throw new Error(`property list has <${t[1]}${t[2]}> inside <${name}>`);
    }
  };
  const value = (t: RegExpMatchArray | undefined): PlistValue => {
    if (!t || t[4] !== undefined || t[1] === "/") throw new Error(`property list: expected a value, found ${t ? JSON.stringify(t[0].slice(0, 40)) : "the end"}`);
    const name = t[2]!, empty = t[3] === "/";
    switch (name) {
      case "true": case "false":
        if (!empty && next()?.[2] !== name) throw new Error(`property list: <${name}> is not closed`);
        return name === "true";
      case "string": case "key": return empty ? "" : textUntil(name);
      case "integer": {
        const s = empty ? "" : textUntil(name).trim();
        if (!/^[+-]?(\d+|0x[0-9a-f]+)$/i.test(s)) throw new Error(`property list: <integer>${s}</integer> is not an integer`);
        return Number(s.replace(/^\+/, ""));
      }
      case "real": return Number(empty ? NaN : textUntil(name));
      case "date": return new Date(empty ? NaN : textUntil(name).trim());
      case "data": return Buffer.from(empty ? "" : textUntil(name).replace(/\s+/g, ""), "base64");
      case "array": {
        const out: PlistValue[] = [];
        if (empty) return out;
        for (let t2 = next(); !(t2?.[1] === "/" && t2[2] === "array"); t2 = next()) out.push(value(t2));
        return out;
      }
      case "dict": {
        const out: Record<string, PlistValue> = {};
        if (empty) return out;
        for (let t2 = next(); !(t2?.[1] === "/" && t2[2] === "dict"); t2 = next()) {
          if (t2?.[2] !== "key" || t2[1] === "/") throw new Error(`property list: a <dict> entry must start with <key>, found ${t2 ? JSON.stringify(t2[0].slice(0, 40)) : "the end"}`);
          const k = t2[3] === "/" ? "" : textUntil("key");
          out[k] = value(next());
        }
        return out;
      }
      case "plist": {
        const v = value(next());
        if (next()?.[2] !== "plist") throw new Error("property list: more than one value inside <plist>");
        return v;
      }
      default: throw new Error(`property list: unknown element <${name}>`);
    }
  };
  return value(next());
}

/**
 * Whether this user's screen is locked, from `ioreg -n Root -d1 -a`: the IOConsoleUsers entry of
 * `uid` (without a uid, the one on the console) carries CGSSessionScreenIsLocked = true while the lock
 * screen is up; the key is absent, not false, while unlocked. A session that is not on the console
 * (another user switched in, or the login window has it) counts as locked: its screen is not shown.
 * Null when the registry names no console users, or not this one (no GUI session: over ssh, or before login).
 */
export function lockedFromIoreg(xml: string, uid: number | null): boolean | null {
  const doc = parsePlist(xml);
  // A dict (the root entry, as `-n Root -d1` prints it), or a list of entries (as with -r): the one holding IOConsoleUsers.
  const root = (Array.isArray(doc) ? doc.find((e) => isDict(e) && "IOConsoleUsers" in e) : doc) as Record<string, PlistValue> | undefined;
  const users = isDict(root) ? root.IOConsoleUsers : undefined;
  if (!Array.isArray(users) || !users.length) return null;
  const entries = users.filter(isDict);
  const mine = uid !== null ? entries.find((u) => u.kCGSSessionUserIDKey === uid) : entries.find((u) => u.kCGSSessionOnConsoleKey === true);
  if (!mine) return null;
  if (mine.CGSSessionScreenIsLocked === true || mine.CGSSessionScreenIsLocked === 1) return true;
  return mine.kCGSSessionOnConsoleKey === false;
}

function isDict(v: PlistValue | undefined): v is { [key: string]: PlistValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
}

// ---- displays (system_profiler) and the grab (screencapture)

export interface MacDisplay {
  name: string;
  /** Pixels, where system_profiler tells them. */
  width: number | null;
  height: number | null;
  main: boolean;
}

/**
 * The displays from `system_profiler SPDisplaysDataType -json`, the main one first (screencapture's
 * first file and `-D 1`), the others in the order listed: SPDisplaysDataType is a list of graphics
 * processors, each with `spdisplays_ndrvs`, its displays (`_name`, `_spdisplays_pixels` "3024 x 1964",
 * `spdisplays_main` "spdisplays_yes").
 */
export function parseDisplays(json: string): MacDisplay[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new Error("system_profiler SPDisplaysDataType -json did not print JSON");
  }
  const gpus = (doc as { SPDisplaysDataType?: unknown })?.SPDisplaysDataType;
  if (!Array.isArray(gpus)) return [];
  const out: MacDisplay[] = [];
  for (const gpu of gpus) {
    const list = (gpu as { spdisplays_ndrvs?: unknown })?.spdisplays_ndrvs;
    if (!Array.isArray(list)) continue;
    for (const d of list as Record<string, unknown>[]) {
      const px = /(\d+)\s*x\s*(\d+)/.exec(String(d._spdisplays_pixels ?? d._spdisplays_resolution ?? ""));
      out.push({
        name: typeof d._name === "string" && d._name ? d._name : `display ${out.length + 1}`,
        width: px ? Number(px[1]) : null,
        height: px ? Number(px[2]) : null,
        main: d.spdisplays_main === "spdisplays_yes",
      });
    }
  }
  return [...out.filter((d) => d.main), ...out.filter((d) => !d.main)];
}

/*
 * A snap is the displays' pixels side by side (screencapture's order: the main display at x = 0,
 * the others to its right, top-aligned; macOS's own arrangement of the displays is not read), raw
 * RGB behind a small header that gives each display's size, so decode() needs no process and
 * equal bytes mean an unchanged screen:
 *   "PGRMAC1\n", u32 count, count × (u32 width, u32 height), canvas width × height × 3 bytes.
 */
const SNAP_MAGIC = Buffer.from("PGRMAC1\n");

/** One PNG (or any image sharp reads) per display, in screencapture's order → a snap. */
export async function composeDisplays(images: Buffer[]): Promise<Buffer> {
  if (!images.length) throw new Error("screencapture wrote no image");
  const sizes = await Promise.all(images.map(async (img, i) => {
    const m = await sharp(img).metadata().catch((err: Error) => {
      throw new Error(`screencapture's image for display ${i + 1} is unreadable: ${err.message}`, { cause: err });
    });
    if (!m.width || !m.height) throw new Error(`screencapture's image for display ${i + 1} has no size`);
    return { width: m.width, height: m.height };
  }));
  const width = sizes.reduce((s, d) => s + d.width, 0), height = Math.max(...sizes.map((d) => d.height));
  let pixels: Buffer;
  if (images.length === 1) {
    pixels = await sharp(images[0]).removeAlpha().toColourspace("srgb").raw().toBuffer();
  } else {
    let left = 0;
    const layers = images.map((input, i) => ({ input, left: (left += sizes[i]!.width) - sizes[i]!.width, top: 0 }));
    pixels = await sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } } })
      .composite(layers).removeAlpha().toColourspace("srgb").raw().toBuffer();
  }
  if (pixels.length !== width * height * 3) throw new Error(`decoding screencapture's images gave ${pixels.length} bytes for ${width}x${height}`);
  const head = Buffer.alloc(SNAP_MAGIC.length + 4 + sizes.length * 8);
  SNAP_MAGIC.copy(head);
  head.writeUInt32LE(sizes.length, SNAP_MAGIC.length);
  sizes.forEach((s, i) => {
    head.writeUInt32LE(s.width, SNAP_MAGIC.length + 4 + i * 8);
    head.writeUInt32LE(s.height, SNAP_MAGIC.length + 8 + i * 8);
  });
  return Buffer.concat([head, pixels]);
}

/** The displays' sizes a snap holds, in order. */
export function snapDisplays(snap: Buffer): { width: number; height: number }[] {
  if (snap.length < SNAP_MAGIC.length + 4 || !snap.subarray(0, SNAP_MAGIC.length).equals(SNAP_MAGIC)) throw new Error("not a macOS capture (composeDisplays) buffer");
  const n = snap.readUInt32LE(SNAP_MAGIC.length);
  if (n < 1 || n > 64 || snap.length < SNAP_MAGIC.length + 4 + n * 8) throw new Error(`a macOS capture buffer with a bad header (${n} displays)`);
  return Array.from({ length: n }, (_, i) => ({ width: snap.readUInt32LE(SNAP_MAGIC.length + 4 + i * 8), height: snap.readUInt32LE(SNAP_MAGIC.length + 8 + i * 8) }));
}

export function decodeSnap(snap: Buffer): Grab {
  const sizes = snapDisplays(snap);
  const start = SNAP_MAGIC.length + 4 + sizes.length * 8;
  const width = sizes.reduce((s, d) => s + d.width, 0), height = Math.max(...sizes.map((d) => d.height));
  if (snap.length !== start + width * height * 3) throw new Error(`a macOS capture buffer of ${snap.length} bytes does not hold ${width}x${height} pixels`);
  return { data: snap.subarray(start), width, height, channels: 3 };
}

/**
 * The monitors a snap shows: index 1 is the main display (screencapture's `-D` numbering), each at
 * its place in the snap, named from system_profiler when it lists as many displays as were grabbed.
 */
export function monitorsOf(sizes: { width: number; height: number }[], displays: MacDisplay[]): Monitor[] {
  let x = 0;
  return sizes.map((s, i) => {
    const m = { index: i + 1, name: displays.length === sizes.length ? displays[i]!.name : `display ${i + 1}`, x, y: 0, width: s.width, height: s.height };
    x += s.width;
    return m;
  });
}

// ---- the frontmost app (osascript, System Events)

/**
 * Prints the frontmost process's name, a line with the error met reading its front window's
 * title (empty when none), then the title (last: a title may hold line breaks).
 */
export const FRONTMOST_SCRIPT = `tell application "System Events"
	set p to first application process whose frontmost is true
	set appName to name of p
	set winTitle to ""
	set problem to ""
	try
		if (count of windows of p) > 0 then set winTitle to name of front window of p
	on error errMsg number errNum
		set problem to "error " & errNum & ": " & errMsg
	end try
end tell
return appName & linefeed & problem & linefeed & winTitle`;

export interface Frontmost extends Focused {
  /** Why the title could not be read, if it could not. */
  problem: string | null;
}

/** FRONTMOST_SCRIPT's output (osascript adds one line break at the end) → app, title, problem. */
export function parseFrontmost(out: string): Frontmost {
  const text = out.endsWith("\n") ? out.slice(0, -1) : out;
  const a = text.indexOf("\n");
  const b = a < 0 ? -1 : text.indexOf("\n", a + 1);
  if (a < 0 || b < 0) throw new Error(`osascript printed ${JSON.stringify(out.slice(0, 80))}, not the frontmost app and its window`);
  const app = text.slice(0, a), problem = text.slice(a + 1, b), title = text.slice(b + 1);
  // "missing value" is AppleScript's null: a window without a name.
  return { app: app || null, title: title && title !== "missing value" ? title : null, problem: problem || null };
}

/**
 * What a failure of osascript or of FRONTMOST_SCRIPT means, in the user's terms: which permission
 * is missing and where to grant it; null when it is not a permission.
 */
export function permissionProblem(message: string): string | null {
  if (/-1743\b|not authori[sz]ed to send apple events/i.test(message)) {
    return `the Automation permission is missing: allow the app running pgrecall (Terminal, iTerm, or node for the launchd agent) to control "System Events" in ${SETTINGS} > Automation`;
  }
  if (/assistive access|-25211\b/i.test(message)) {
    return `the Accessibility permission is missing (window titles cannot be read): add the app running pgrecall (Terminal, iTerm, or node for the launchd agent) in ${SETTINGS} > Accessibility`;
  }
  return null;
}

/** `ObjC.import("CoreGraphics"); $.CGPreflightScreenCaptureAccess()` through JXA: whether Screen Recording is granted. */
export const PREFLIGHT_SCRIPT = 'ObjC.import("CoreGraphics"); $.CGPreflightScreenCaptureAccess() ? "true" : "false"';

export function parsePreflight(out: string): boolean | null {
  const s = out.trim();
  return s === "true" ? true : s === "false" ? false : null;
}

export const SCREEN_RECORDING_MISSING =
  `the Screen Recording permission is missing: screencapture would show only the wallpaper. Add the app running pgrecall (Terminal, iTerm, or node for the launchd agent) in ${SETTINGS} > Screen Recording, then start capture again`;

// ---- the backend

export class MacBackend implements Backend {
  readonly name = "macos";
  private dir: string | null = null;
  private displays: MacDisplay[] | null = null;
  private readonly uid = typeof process.getuid === "function" ? process.getuid() : null;

  async check(): Promise<string[]> {
    const notes: string[] = [];
    const granted = await mac("osascript", ["-l", "JavaScript", "-e", PREFLIGHT_SCRIPT], 10_000).then(parsePreflight, () => null);
    if (granted === false) throw new Error(`cannot capture the screen: ${SCREEN_RECORDING_MISSING}`);
    if (granted === null) notes.push(`could not ask whether Screen Recording is granted; if frames show only the wallpaper, grant it in ${SETTINGS} > Screen Recording`);
    let front: Frontmost;
    try {
      front = parseFrontmost(await mac("osascript", ["-e", FRONTMOST_SCRIPT]));
    } catch (err) {
      const why = permissionProblem(`${(err as Error).message} ${(err as MacToolError).stderr ?? ""}`);
      throw new Error(`cannot read the frontmost app, so exclusion rules could not apply: ${why ?? (err as Error).message}`, { cause: err });
    }
    const why = front.problem ? permissionProblem(front.problem) : null;
    if (why) throw new Error(`cannot read window titles, so exclusion rules on titles could not apply: ${why}`);
    const idle = await this.idleMs();
    if (idle === null) notes.push("ioreg does not tell HIDIdleTime: no pause when idle");
    return notes;
  }

  private async workDir(): Promise<string> {
    // mkdtemp makes it 0700: the screenshots in it are the user's screen.
    return (this.dir ??= await mkdtemp(join(tmpdir(), "pgrecall-mac-")));
  }

  private async displayList(): Promise<MacDisplay[]> {
    if (!this.displays) {
      this.displays = await mac("system_profiler", ["SPDisplaysDataType", "-json"], 30_000).then(parseDisplays, () => []);
    }
    return this.displays;
  }

  async close(): Promise<void> {
    const d = this.dir;
    this.dir = null;
    if (d) await rm(d, { recursive: true, force: true });
  }

  /** One screencapture, one PNG per display (no sound, no cursor: the cursor needs -C), decoded and laid side by side. */
  async snap(): Promise<Buffer> {
    const dir = await this.workDir();
    const n = Math.max(1, (await this.displayList()).length);
    const files = Array.from({ length: n }, (_, i) => join(dir, `display-${i + 1}.png`));
    await mac("screencapture", ["-x", "-t", "png", ...files], 15_000).catch((err: MacToolError) => {
      const why = /could not create image|not permitted|screen recording/i.test(err.stderr) ? `; ${SCREEN_RECORDING_MISSING}` : "";
      throw new Error(`${err.message}${why}`, { cause: err });
    });
    const images: Buffer[] = [];
    for (const f of files) {
      const img = await readFile(f).catch(() => null);
      if (img) images.push(img);
      await unlink(f).catch(() => {});
    }
    if (!images.length) throw new Error(`screencapture wrote none of ${n} images (is the screen asleep, or the Screen Recording permission missing? ${SETTINGS} > Screen Recording)`);
    return composeDisplays(images);
  }

  decode(snap: Buffer): Grab {
    return decodeSnap(snap);
  }

  async monitors(): Promise<Monitor[]> {
    // What one screencapture writes, not what system_profiler lists: the two could disagree on a display being mirrored.
    return monitorsOf(snapDisplays(await this.snap()), await this.displayList());
  }

  async focused(): Promise<Focused> {
    const out = await mac("osascript", ["-e", FRONTMOST_SCRIPT]).catch(() => null);
    if (out === null) return { app: null, title: null };
    const f = parseFrontmost(out);
    return { app: f.app, title: f.title };
  }

  async idleMs(): Promise<number | null> {
    const out = await mac("ioreg", ["-c", "IOHIDSystem"], 5_000).catch(() => null);
    return out === null ? null : parseHidIdleTime(out);
  }

  async locked(): Promise<boolean | null> {
    const out = await mac("ioreg", ["-n", "Root", "-d1", "-a"], 5_000).catch(() => null);
    if (out === null) return null;
    try {
      return lockedFromIoreg(out, this.uid);
    } catch {
      return null;
    }
  }
}
