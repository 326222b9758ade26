// `pgrecall capture --install-service`: a systemd user unit, so capture starts with the
// graphical session and restarts when it stops. Settings (DATABASE_URL, PGRECALL_DATA_DIR)
// come from an environment file beside it, never from the unit's text.
import { access, mkdir, writeFile } from "node:fs/promises";
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
