// The key of the secret fingerprints (HMAC-SHA256). Kept outside the database, so the
// fingerprints in pgrecall.secrets cannot be tested against guesses by whoever reads it:
// PGRECALL_SECRET_KEY, or <data dir>/secret.key, made (32 random bytes, mode 0600) on first use.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./config.js";

export function secretKeyFile(dataDir: string): string {
  return join(dataDir, "secret.key");
}

/** The key: from the environment's value, else the data dir's key file (created when `create`). */
export function loadSecretKey(dataDir: string, fromEnv: string | undefined, { create = false } = {}): Buffer {
  if (fromEnv !== undefined && fromEnv !== "") {
    if (Buffer.byteLength(fromEnv) < 16) throw new ConfigError("PGRECALL_SECRET_KEY must be at least 16 bytes (32 random bytes, base64, is a good one).");
    return Buffer.from(fromEnv, "utf8");
  }
  const file = secretKeyFile(dataDir);
  try {
    return readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT" || !create) {
      throw new ConfigError(`no fingerprint key at ${file} (${(err as Error).message}); the worker makes one on its first OCR, or set PGRECALL_SECRET_KEY.`, { cause: err });
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    writeFileSync(file, key, { mode: 0o600, flag: "wx" });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file); // another worker made it first
    throw err;
  }
}
