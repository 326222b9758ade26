// Configuration is read and checked once, at start, into one typed object.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: where migrations/, sql/ and tasks/ live, whether run from src/ or dist/src/. */
export const packageRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("pgrecall: cannot find package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
})();

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pgrecall";

export interface Config {
  databaseUrl: string;
  /** Where the image store lives (PGRECALL_DATA_DIR, default ./data). */
  dataDir: string;
}

export class ConfigError extends Error {}

/** Loads KEY=value lines from ./.env into process.env, never overriding what is already set. */
export function loadDotEnv(path = resolve(".env")): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith("#")) continue;
    const [, key, raw] = m as unknown as [string, string, string];
    const value = raw.replace(/^(['"])(.*)\1$/, "$2");
    if (process.env[key] === undefined) process.env[key] = value;
  }
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch (cause) {
    throw new ConfigError(`DATABASE_URL is not a valid URL ("${databaseUrl}"). Use postgres://user@host:5432/dbname.`, { cause });
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (got "${parsed.protocol}//").`);
  }
  if (parsed.pathname.length <= 1) {
    throw new ConfigError(`DATABASE_URL names no database ("${databaseUrl}"). Add one: postgres://user@host:5432/pgrecall.`);
  }
  const dataDir = resolve(env.PGRECALL_DATA_DIR || "data");
  return { databaseUrl, dataDir };
}
