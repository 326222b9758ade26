// The Wayland capture backend on a real compositor: sway headless (fixtures/wayland-display.ts),
// grim for the screen, sway's IPC for the focused window and the outputs, swayidle for idle
// time, foot for windows, and `pgrecall capture` run as a user would, with only WAYLAND_DISPLAY
// and XDG_RUNTIME_DIR telling it where the session is. Skipped only when sway cannot run here;
// Hyprland's path (hyprctl) cannot run here and is tested on its parsers alone.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWayland, waylandUnavailable, type WaylandDisplay } from "../../fixtures/wayland-display.js";
import { pickBackend } from "../../src/capture/backend.js";
import { Capturer } from "../../src/capture/capture.js";
import { Spool } from "../../src/capture/spool.js";
import { hyprMonitors, parsePpm, swayMonitors, WaylandBackend } from "../../src/capture/wayland.js";
import { X11Backend } from "../../src/capture/x11.js";
import { hashImage } from "../../src/engines/hasher.js";
import { BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
// Tried (and stopped) here, so that a skip says why; each describe starts its own in beforeAll.
const skipped = await waylandUnavailable();
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-capture-wayland-"));
const dataDir = join(root, "data");
const store = new BlobStore(dataDir);
let w: WaylandDisplay;
const backends: WaylandBackend[] = [];
function backend(o?: ConstructorParameters<typeof WaylandBackend>[1], env = w.env) {
  const b = new WaylandBackend(env, o);
  backends.push(b);
  return b;
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The session as a user's shell has it: WAYLAND_DISPLAY and XDG_RUNTIME_DIR, no SWAYSOCK, no DISPLAY. */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...w.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir };
  delete env.SWAYSOCK;
  delete env.DISPLAY;
  return env;
}

/** `pgrecall capture ... --json`: its counts, stderr and exit code. */
async function capture(args: string[], env: NodeJS.ProcessEnv) {
  const r = await run(process.execPath, ["bin/pgrecall.js", "capture", ...args, "--json"], { env, timeout: 60_000 }).then(
    (x) => ({ ...x, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );
  return { ...r, counts: r.code === 0 ? (JSON.parse(r.stdout) as Record<string, number>) : null };
}

const framesOf = (deployment: string) =>
  db.sql`select app_name, window_title, image_ref, hash_status, phash, tile_hashes, capture_key, right(capture_key, 3) as monitor
         from pgrecall.frames where deployment_id = ${deployment} order by right(capture_key, 3)`;

describe("the Wayland backend's parsers", () => {
  it("reads grim's PPM without copying its pixels, and refuses what is not one", () => {
    const img = Buffer.concat([Buffer.from("P6\n2 1\n255\n"), Buffer.from([1, 2, 3, 4, 5, 6])]);
    const g = parsePpm(img);
    expect(g).toMatchObject({ width: 2, height: 1, channels: 3 });
    expect([...g.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(g.data.buffer).toBe(img.buffer);
    expect(() => parsePpm(Buffer.from("\x89PNG...."))).toThrow(/not a PPM/);
    expect(() => parsePpm(Buffer.from("P6\n2 1\n65535\n"))).toThrow(/maxval 65535/);
    expect(() => parsePpm(Buffer.from("P6\n2 2\n255\n\x01\x02"))).toThrow(/truncated/);
  });

  it("places outputs in grim's image of the layout: from its corner, at the greatest scale", () => {
    const rect = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });
    expect(swayMonitors([
      { name: "DP-1", active: true, scale: 2, rect: rect(-1280, 0, 1280, 720) },
      { name: "eDP-1", active: true, scale: 1, rect: rect(0, 100, 1920, 1080) },
      { name: "HDMI-A-1", active: false, rect: rect(0, 0, 0, 0) },
    ])).toEqual([
      { index: 0, name: "DP-1", x: 0, y: 0, width: 2560, height: 1440 },
      { index: 1, name: "eDP-1", x: 2560, y: 200, width: 3840, height: 2160 },
    ]);
    // Hyprland: pixel modes, logical positions, a rotated monitor.
    expect(hyprMonitors([
      { name: "DP-1", width: 1920, height: 1080, x: 0, y: 0, scale: 1, transform: 0 },
      { name: "DP-2", width: 1920, height: 1080, x: 1920, y: 0, scale: 1, transform: 1 },
    ])).toEqual([
      { index: 0, name: "DP-1", x: 0, y: 0, width: 1920, height: 1080 },
      { index: 1, name: "DP-2", x: 1920, y: 0, width: 1080, height: 1920 },
    ]);
  });

  it("pickBackend: Wayland when only WAYLAND_DISPLAY is set, or when sway or Hyprland runs (their sessions set DISPLAY for XWayland too); else X11 when DISPLAY is", () => {
    const empty = mkdtempSync(join(root, "runtime-"));
    expect(pickBackend({ WAYLAND_DISPLAY: "wayland-1", XDG_RUNTIME_DIR: empty }, "linux")).toBeInstanceOf(WaylandBackend);
    expect(pickBackend({ WAYLAND_DISPLAY: "wayland-1", DISPLAY: ":0", SWAYSOCK: join(empty, "sway.sock") }, "linux")).toBeInstanceOf(WaylandBackend);
    expect(pickBackend({ WAYLAND_DISPLAY: "wayland-1", DISPLAY: ":0", HYPRLAND_INSTANCE_SIGNATURE: "abc" }, "linux")).toBeInstanceOf(WaylandBackend);
    // GNOME or KDE (no IPC the backend speaks, no wlr-screencopy for grim): XWayland's X screen.
    expect(pickBackend({ WAYLAND_DISPLAY: "wayland-1", DISPLAY: ":0", XDG_RUNTIME_DIR: empty }, "linux")).toBeInstanceOf(X11Backend);
    expect(pickBackend({ DISPLAY: ":0" }, "linux")).toBeInstanceOf(X11Backend);
    expect(() => pickBackend({}, "linux")).toThrow("no display to capture: set DISPLAY (X11) or WAYLAND_DISPLAY (Wayland)");
  });
});

describe.skipIf(skipped)(`capture on Wayland (sway headless)${skipped ? `: skipped, ${skipped}` : ""}`, () => {
  beforeAll(async () => {
    w = await startWayland("1280x800");
    await w.openWindow("notes.txt - editor", { appId: "notes-app", command: "echo 'meeting notes: ship the importer'; sleep 3600" });
  });
  afterAll(async () => {
    for (const b of backends) await b.close();
    await w?.stop();
  });

  it("check() passes with nothing to say; grabs the output at its size as raw RGB; an unchanged screen gives the same bytes", async () => {
    const b = backend();
    expect(await b.check()).toEqual([]);
    const a = await b.snap();
    const g = b.decode(a);
    expect(g).toMatchObject({ width: 1280, height: 800, channels: 3 });
    expect(g.data.length).toBe(1280 * 800 * 3);
    expect((await b.snap()).equals(a)).toBe(true);
    expect(await b.monitors()).toEqual([{ index: 0, name: "HEADLESS-1", x: 0, y: 0, width: 1280, height: 800 }]);
    expect(await b.locked()).toBeNull(); // no logind session here
  });

  it("`pgrecall capture --once` with only WAYLAND_DISPLAY set: the screen at its size, the focused app and title, the worker's hashes", async () => {
    const r = await capture(["--deployment", "wl-once", "--once"], userEnv());
    expect(r.stderr).toBe("");
    expect(r.counts).toMatchObject({ ticks: 1, frames: 1, errors: 0, waiting: 0 });
    const [f] = await framesOf("wl-once");
    expect(f).toMatchObject({ app_name: "notes-app", window_title: "notes.txt - editor", hash_status: 1, monitor: ":m0" });
    expect(f!.capture_key).toBe(`${f!.image_ref}:m0`);
    const png = await store.read(f!.image_ref as string);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 1280, 800]);
    // Hashed from grim's pixels in the client: the hashes the worker computes from the stored PNG.
    const h = await hashImage(png);
    expect([f!.phash, f!.tile_hashes]).toEqual([h.phash, h.tileHashes]);
    expect((f!.tile_hashes as unknown[]).length).toBe(64);
  });

  it("names what is missing with its install command: grim (check() and the command), swayidle; an unreachable sway socket", async () => {
    const bin = mkdtempSync(join(root, "bin-"));
    await expect(backend({}, { ...w.env, PATH: bin }).check()).rejects.toThrow("grim is not installed: apt-get install grim");
    const r = await capture(["--deployment", "wl-nogrim", "--once"], { ...userEnv(), PATH: bin });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("grim is not installed: apt-get install grim (or run scripts/provision.sh)");
    expect(await framesOf("wl-nogrim")).toEqual([]);

    const grim = (await run("sh", ["-c", "command -v grim"])).stdout.trim();
    symlinkSync(grim, join(bin, "grim"));
    expect(await backend({}, { ...w.env, PATH: bin }).check()).toEqual([expect.stringMatching(/^swayidle is not installed: no pause when idle .*apt-get install swayidle$/)]);
    await expect(backend({}, { ...w.env, SWAYSOCK: join(root, "no-such.sock") }).check()).rejects.toThrow(/cannot reach sway's socket .*no-such\.sock/);
  });

  it("a compositor without sway's or Hyprland's IPC: says the focused window is unknown, and stores the whole screen as one monitor without app or title", async () => {
    // The same display, its socket named by path, seen from a runtime directory with no sway socket in it.
    const runtime = mkdtempSync(join(root, "runtime-"));
    const env = { ...userEnv(), WAYLAND_DISPLAY: join(w.env.XDG_RUNTIME_DIR!, w.env.WAYLAND_DISPLAY!), XDG_RUNTIME_DIR: runtime };
    const b = pickBackend(env, "linux") as WaylandBackend;
    expect(b).toBeInstanceOf(WaylandBackend);
    backends.push(b);
    const unknown = "neither sway's socket (SWAYSOCK) nor Hyprland (HYPRLAND_INSTANCE_SIGNATURE) found: the focused window's app and title are unknown and the whole screen is one monitor";
    expect(await b.check()).toEqual([unknown]);
    expect(await b.focused()).toEqual({ app: null, title: null });
    expect(await b.monitors()).toEqual([]);

    const r = await capture(["--deployment", "wl-other", "--once"], env);
    expect(r.stderr).toBe(`pgrecall capture: ${unknown}\n`);
    expect(r.counts).toMatchObject({ ticks: 1, frames: 1, errors: 0 });
    const [f] = await framesOf("wl-other");
    expect(f).toMatchObject({ app_name: null, window_title: null, hash_status: 1, monitor: ":m0" });
    expect((await sharp(await store.read(f!.image_ref as string)).metadata()).width).toBe(1280);
  });

  it("the focused window's app_id and title, asked once, then kept current by sway's events (focus, title)", async () => {
    const once = backend();
    expect(await once.focused()).toEqual({ app: "notes-app", title: "notes.txt - editor" });
    const b = backend();
    await b.open();
    expect(await b.focused()).toEqual({ app: "notes-app", title: "notes.txt - editor" });
    await w.openWindow("second", { appId: "org.example.Second", command: "sleep 1; printf '\\033]2;%s\\007' 'second, renamed'; sleep 3600" });
    await vi.waitFor(async () => expect(await b.focused()).toEqual({ app: "org.example.Second", title: "second, renamed" }), { timeout: 15_000, interval: 100 });
    await w.focus("notes.txt - editor");
    await vi.waitFor(async () => expect(await b.focused()).toEqual({ app: "notes-app", title: "notes.txt - editor" }), { timeout: 15_000, interval: 100 });
    // An empty workspace: no window has the focus.
    await w.swaymsg("workspace", "9");
    await vi.waitFor(async () => expect(await b.focused()).toEqual({ app: null, title: null }), { timeout: 15_000, interval: 100 });
    await w.swaymsg("workspace", "1");
    await vi.waitFor(async () => expect(await b.focused()).toEqual({ app: "notes-app", title: "notes.txt - editor" }), { timeout: 15_000, interval: 100 });
  });

  it("idle time from swayidle: capture pauses past the setting, says so, and resumes on input", async () => {
    const lines: string[] = [];
    const b = backend({ idleStepS: 1 });
    const c = new Capturer(db.sql, store, b, {
      deployment: "wl-idle", intervalMs: 2000, monitor: "all", idleAfterMs: 1500, log: (l) => lines.push(l),
      spool: new Spool(join(root, "buffer", "idle"), 10),
    });
    await c.start();
    await w.nudge();
    await vi.waitFor(async () => expect(await b.idleMs()).toBe(0), { timeout: 15_000, interval: 50 });
    await c.tick();
    await vi.waitFor(async () => expect(await b.idleMs()).toBeGreaterThanOrEqual(1500), { timeout: 15_000, interval: 100 });
    await c.tick();
    await w.nudge();
    await vi.waitFor(async () => expect(await b.idleMs()).toBe(0), { timeout: 15_000, interval: 50 });
    await c.tick();
    await c.close();
    expect(c.stats).toMatchObject({ ticks: 3, paused: 1, frames: 2, errors: 0 });
    expect(lines).toEqual([expect.stringMatching(/^paused: no input for \d+ s \(idle after 2 s\)$/), "resumed"]);
  });

  it("a running screen locker (swaylock) is a locked screen: capture pauses, says so, and resumes once it is gone", async () => {
    const b = backend();
    expect(await b.locked()).toBeNull();
    const lock = spawn("swaylock", ["--color", "000000"], { env: w.env, stdio: "ignore" });
    try {
      await vi.waitFor(async () => expect(await b.locked()).toBe(true), { timeout: 15_000, interval: 100 });
      // The locker has the screen: sway gives the focus to no window.
      await vi.waitFor(async () => expect(await b.focused()).toEqual({ app: null, title: null }), { timeout: 15_000, interval: 100 });
      const lines: string[] = [];
      const c = new Capturer(db.sql, store, b, {
        deployment: "wl-lock", intervalMs: 2000, monitor: "all", idleAfterMs: null, log: (l) => lines.push(l),
        spool: new Spool(join(root, "buffer", "lock"), 10),
      });
      await c.start();
      await c.tick();
      expect(await framesOf("wl-lock")).toEqual([]);
      lock.kill("SIGTERM");
      await new Promise((r) => lock.once("exit", r));
      // swaylock's password-checking child (also "swaylock") goes a moment after it.
      await vi.waitFor(async () => expect(await b.locked()).toBeNull(), { timeout: 15_000, interval: 100 });
      await c.tick();
      expect(c.stats).toMatchObject({ ticks: 2, paused: 1, frames: 1, errors: 0 });
      expect(lines).toEqual(["paused: the screen is locked", "resumed"]);
      expect((await framesOf("wl-lock")).map((f) => f.app_name)).toEqual(["notes-app"]);
    } finally {
      if (lock.exitCode === null && lock.signalCode === null) lock.kill("SIGTERM");
    }
  });

  it("two outputs are two monitors: `pgrecall capture --once` stores one frame each at each output's size, --monitor 1 the second alone; grim -o takes one alone", async () => {
    const second = await w.addOutput("1024x768");
    const b = backend();
    expect(await b.monitors()).toEqual([
      { index: 0, name: "HEADLESS-1", x: 0, y: 0, width: 1280, height: 800 },
      { index: 1, name: second, x: 1280, y: 0, width: 1024, height: 768 },
    ]);
    expect(b.decode(await b.snap())).toMatchObject({ width: 2304, height: 800 });
    const one = backend({ output: second });
    expect(await one.monitors()).toEqual([{ index: 0, name: second, x: 0, y: 0, width: 1024, height: 768 }]);
    expect(one.decode(await one.snap())).toMatchObject({ width: 1024, height: 768 });

    const all = await capture(["--deployment", "wl-desk", "--once", "--monitor", "all"], userEnv());
    expect(all.counts).toMatchObject({ ticks: 1, frames: 2, errors: 0 });
    const frames = await framesOf("wl-desk");
    expect(frames.map((f) => [f.app_name, f.window_title, f.monitor])).toEqual([
      ["notes-app", "notes.txt - editor", ":m0"], ["notes-app", "notes.txt - editor", ":m1"],
    ]);
    const sizes = await Promise.all(frames.map(async (f) => sharp(await store.read(f.image_ref as string)).metadata()));
    expect(sizes.map((m) => [m.format, m.width, m.height])).toEqual([["png", 1280, 800], ["png", 1024, 768]]);
    for (const f of frames) {
      const h = await hashImage(await store.read(f.image_ref as string));
      expect([f.phash, f.tile_hashes]).toEqual([h.phash, h.tileHashes]);
    }

    const m1 = await capture(["--deployment", "wl-m1", "--once", "--monitor", "1"], userEnv());
    expect(m1.counts).toMatchObject({ ticks: 1, frames: 1, errors: 0 });
    const [f1] = await framesOf("wl-m1");
    expect(f1!.monitor).toBe(":m1");
    expect(f1!.image_ref).toBe(frames[1]!.image_ref); // the same pixels: the same blob
  });

  it("a scaled output: grim's image is at the greatest scale, the monitors are placed in it; grim -o takes an output at its own scale", async () => {
    await w.swaymsg("output", "HEADLESS-1", "scale", "2");
    try {
      const b = backend();
      const [m0, m1] = await b.monitors();
      // HEADLESS-1 is 640x400 in the layout at scale 2; the second output (1024x768, scale 1) follows it and is drawn at 2x in grim's image.
      expect(m0).toEqual({ index: 0, name: "HEADLESS-1", x: 0, y: 0, width: 1280, height: 800 });
      expect(m1).toMatchObject({ index: 1, width: 2048, height: 1536 });
      const g = b.decode(await b.snap());
      expect([g.width, g.height]).toEqual([m1!.x + m1!.width, Math.max(m0!.height, m1!.y + m1!.height)]);
      const one = backend({ output: m1!.name });
      expect(await one.monitors()).toEqual([{ index: 0, name: m1!.name, x: 0, y: 0, width: 1024, height: 768 }]);
      expect(one.decode(await one.snap())).toMatchObject({ width: 1024, height: 768 });
    } finally {
      await w.swaymsg("output", "HEADLESS-1", "scale", "1");
    }
  });
});

// A sway session with XWayland: sway's clients get DISPLAY too, and an X11 window is told by its class.
describe.skipIf(skipped)(`capture on Wayland with XWayland (sway headless)${skipped ? `: skipped, ${skipped}` : ""}`, () => {
  let x: WaylandDisplay;
  beforeAll(async () => {
    x = await startWayland("1024x768", { xwayland: true });
  });
  afterAll(async () => {
    for (const b of backends) await b.close();
    await x?.stop();
  });

  it("DISPLAY set as sway sets it: still the Wayland backend; an X11 window's app is its class", async () => {
    await x.openX11Window("ledger.ods - spreadsheet");
    const env = { ...x.env, DISPLAY: x.display!, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir };
    delete env.SWAYSOCK;
    const b = pickBackend(env, "linux");
    expect(b).toBeInstanceOf(WaylandBackend);
    backends.push(b as WaylandBackend);
    expect(await b.focused()).toEqual({ app: "XTerm", title: "ledger.ods - spreadsheet" });

    const r = await capture(["--deployment", "wl-xwayland", "--once"], env);
    expect(r.stderr).toBe("");
    expect(r.counts).toMatchObject({ ticks: 1, frames: 1, errors: 0 });
    const [f] = await framesOf("wl-xwayland");
    expect(f).toMatchObject({ app_name: "XTerm", window_title: "ledger.ods - spreadsheet", hash_status: 1 });
    const meta = await sharp(await store.read(f!.image_ref as string)).metadata();
    expect([meta.width, meta.height]).toEqual([1024, 768]);
  });
});
