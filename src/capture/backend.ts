// What a capture backend tells: the screen, its monitors, the focused window, and whether the
// user is away. One per platform; X11 is implemented and tested (src/capture/x11.ts), Wayland
// (src/capture/wayland.ts: grim and the compositor's IPC) is tested under sway, macOS
// (src/capture/macos.ts: screencapture, osascript, ioreg) is written against Apple's documented
// tools but has not yet been run on a Mac; Windows is documented in the README.
import { MacBackend } from "./macos.js";
import { WaylandBackend, waylandIpc } from "./wayland.js";
import { X11Backend } from "./x11.js";

export interface Grab {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

export interface Monitor {
  index: number;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Focused {
  app: string | null;
  title: string | null;
}

export interface Backend {
  readonly name: string;
  /** Fails with the missing tool and its install command, or the display that cannot be reached; returns what works less well, and why. */
  check(): Promise<string[]>;
  /** Starts long-running watchers, if the backend has any (`fps`: how often the screen may change hands). */
  open?(fps: number): Promise<void>;
  close?(): Promise<void>;
  /** The whole screen, undecoded: equal bytes mean an unchanged screen. */
  snap(): Promise<Buffer>;
  /** When the last snap was taken, if not at the call (a grabber running on its own clock). */
  readonly snappedAt?: Date | null;
  decode(snap: Buffer): Grab;
  /** Empty when the platform cannot tell: the whole screen is one monitor. */
  monitors(): Promise<Monitor[]>;
  focused(): Promise<Focused>;
  /** Milliseconds since the last input, or null where the platform does not tell. */
  idleMs(): Promise<number | null>;
  /** Whether the session is locked, or null where the platform does not tell. */
  locked(): Promise<boolean | null>;
}

/**
 * The backend for this session. On Linux: Wayland when WAYLAND_DISPLAY is set and either DISPLAY is
 * not or the compositor is one whose IPC the Wayland backend speaks (sway, Hyprland) — a sway or
 * Hyprland session sets DISPLAY too, for XWayland, whose X screen shows only the X11 windows —
 * else X11 when DISPLAY is set (an X session, or XWayland under GNOME or KDE, whose compositors grim
 * cannot capture). On macOS: screencapture and System Events (not yet run on a Mac).
 */
export function pickBackend(env: NodeJS.ProcessEnv = process.env, platform = process.platform): Backend {
  if (platform === "linux" && env.WAYLAND_DISPLAY && (!env.DISPLAY || waylandIpc(env))) return new WaylandBackend(env);
  if (platform === "linux" && env.DISPLAY) return new X11Backend(env.DISPLAY);
  if (platform === "darwin") return new MacBackend();
  if (platform === "win32") throw new Error("Windows capture is not built yet (planned: Windows.Graphics.Capture through a small helper); see the README");
  throw new Error("no display to capture: set DISPLAY (X11) or WAYLAND_DISPLAY (Wayland)");
}
