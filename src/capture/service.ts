// `pgrecall capture --install-service`: a systemd user unit, so capture starts with the
// graphical session and restarts when it stops. Settings (DATABASE_URL, PGRECALL_DATA_DIR)
// come from an environment file beside it, never from the unit's text.
import { access, chmod, mkdir, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface ServiceFiles {
  unit: string;
  envFile: string;
  text: string;
  /** The environment file was written now (from this shell's DATABASE_URL and data dir), not found. */
  wroteEnv: boolean;
}

/** systemd quoting for one ExecStart argument. */
function quote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, "\\$1").replace(/%/g, "%%")}"`;
}

export function unitText(args: string[], envFile: string, node = process.execPath, bin = process.argv[1] ?? "pgrecall"): string {
  return [
    "[Unit]",
    "Description=pgrecall screen capture",
    "PartOf=graphical-session.target",
    "After=graphical-session.target",
    "",
    "[Service]",
    `ExecStart=${[node, bin, "capture", ...args].map(quote).join(" ")}`,
    `EnvironmentFile=-${envFile}`,
    "Restart=on-failure",
    "RestartSec=10",
    "Nice=10",
    "",
    "[Install]",
    "WantedBy=graphical-session.target",
    "",
  ].join("\n");
}

export async function installService(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ServiceFiles> {
  const config = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  const dir = join(config, "systemd", "user");
  const envFile = join(config, "pgrecall", "capture.env");
  const unit = join(dir, "pgrecall-capture.service");
  const text = unitText(args, envFile);
  await mkdir(dir, { recursive: true });
  await writeFile(unit, text, { mode: 0o644 });
  // The settings this shell runs with, once (mode 0600: the URL may hold a password); an existing file is the user's.
  const wroteEnv = await access(envFile).then(() => false, () => true);
  if (wroteEnv) {
    await mkdir(join(config, "pgrecall"), { recursive: true, mode: 0o700 });
    const lines = [
      env.DATABASE_URL ? `DATABASE_URL=${env.DATABASE_URL}` : null,
      `PGRECALL_DATA_DIR=${resolve(env.PGRECALL_DATA_DIR || "data")}`,
    ].filter(Boolean);
    await writeFile(envFile, lines.join("\n") + "\n", { mode: 0o600 });
  }
  return { unit, envFile, text, wroteEnv };
}

// ---- macOS: a launchd agent (~/Library/LaunchAgents), loaded into the user's GUI session.
// Written from launchd.plist(5); NOT YET RUN ON A MAC (the plist is checked by a real property-list
// parser in the tests, launchd itself has never loaded it).

export const LAUNCHD_LABEL = "org.pgrecall.capture";

export interface LaunchAgentFiles {
  plist: string;
  log: string;
  text: string;
  label: string;
}

function xmlText(s: string, what: string): string {
  // XML 1.0 cannot hold most control characters, escaped or not.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s)) throw new Error(`${what} holds a control character a property list cannot hold`);
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The agent's property list: the program and its arguments (node, pgrecall, capture …), the
 * environment (DATABASE_URL, PGRECALL_DATA_DIR: what the Linux unit's environment file holds),
 * started at login (RunAtLoad) and again when it fails (KeepAlive SuccessfulExit=false: a clean
 * stop stays stopped, like Restart=on-failure) after ThrottleInterval seconds, in the GUI
 * session only (LimitLoadToSessionType Aqua: screencapture and System Events need it), its output
 * appended to `log`.
 */
export function launchdPlist(args: string[], env: Record<string, string>, log: string, node = process.execPath, bin = process.argv[1] ?? "pgrecall", label = LAUNCHD_LABEL): string {
  const str = (s: string, what: string) => `<string>${xmlText(s, what)}</string>`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    "\t<key>Label</key>", `\t${str(label, "the label")}`,
    "\t<key>ProgramArguments</key>",
    "\t<array>",
    ...[node, bin, "capture", ...args].map((a) => `\t\t${str(a, `the argument ${JSON.stringify(a)}`)}`),
    "\t</array>",
    "\t<key>EnvironmentVariables</key>",
    "\t<dict>",
    ...Object.entries(env).flatMap(([k, v]) => [`\t\t<key>${xmlText(k, "an environment name")}</key>`, `\t\t${str(v, k)}`]),
    "\t</dict>",
    "\t<key>RunAtLoad</key>", "\t<true/>",
    "\t<key>KeepAlive</key>",
    "\t<dict>", "\t\t<key>SuccessfulExit</key>", "\t\t<false/>", "\t</dict>",
    "\t<key>ThrottleInterval</key>", "\t<integer>10</integer>",
    "\t<key>LimitLoadToSessionType</key>", "\t<string>Aqua</string>",
    "\t<key>Nice</key>", "\t<integer>10</integer>",
    "\t<key>StandardOutPath</key>", `\t${str(log, "the log path")}`,
    "\t<key>StandardErrorPath</key>", `\t${str(log, "the log path")}`,
    "</dict>",
    "</plist>",
    "",
  ];
  return lines.join("\n");
}

/**
 * Writes ~/Library/LaunchAgents/org.pgrecall.capture.plist (mode 0600: DATABASE_URL may hold a
 * password, and launchd has no environment file to keep it apart) and creates the log folder
 * ~/Library/Logs/pgrecall. Loading it is the user's step: launchctl bootstrap gui/$(id -u) <plist>.
 */
export async function installLaunchAgent(args: string[], env: NodeJS.ProcessEnv = process.env, home = env.HOME || homedir()): Promise<LaunchAgentFiles> {
  const dir = join(home, "Library", "LaunchAgents");
  const logs = join(home, "Library", "Logs", "pgrecall");
  const plist = join(dir, `${LAUNCHD_LABEL}.plist`);
  const log = join(logs, "capture.log");
  const vars: Record<string, string> = {};
  if (env.DATABASE_URL) vars.DATABASE_URL = env.DATABASE_URL;
  vars.PGRECALL_DATA_DIR = resolve(env.PGRECALL_DATA_DIR || "data");
  const text = launchdPlist(args, vars, log);
  await mkdir(dir, { recursive: true });
  await mkdir(logs, { recursive: true, mode: 0o700 });
  await writeFile(plist, text, { mode: 0o600 });
  await chmod(plist, 0o600); // an existing file keeps its mode through writeFile
  return { plist, log, text, label: LAUNCHD_LABEL };
}
