// The API token of `pgrecall serve`: the default is a random token made on first start and
// kept in the data dir (mode 0600), shown once when it is made; --token or PGRECALL_API_TOKEN
// override it; --no-token (loopback only) serves without one.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdirSync, openSync, readFileSync, writeSync, closeSync, statSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config.js";

export const TOKEN_FILE = "api.token";

export interface ApiToken {
  /** null: no token (an explicit opt-out). */
  token: string | null;
  source: "option" | "environment" | "file" | "created" | "none";
  /** Where the token is kept, when it is the data dir's. */
  path?: string;
}

/** The token kept in `dataDir`, made (32 random bytes, base64url) when there is none. */
export function dataDirToken(dataDir: string): ApiToken {
  const path = join(dataDir, TOKEN_FILE);
  try {
    const token = readFileSync(path, "utf8").trim();
    if (token.length < 16) throw new ConfigError(`${path} holds no usable token (under 16 characters): delete it to have a new one made, or set PGRECALL_API_TOKEN`);
    // Tighten a file someone loosened: the token is a password.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return { token, source: "file", path };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString("base64url");
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600); // wx: two servers starting at once do not overwrite each other's
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return dataDirToken(dataDir);
    throw new ConfigError(`cannot write the API token to ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    writeSync(fd, token + "\n");
  } finally {
    closeSync(fd);
  }
  return { token, source: "created", path };
}

/** Which token `pgrecall serve` requires: --token, else PGRECALL_API_TOKEN, else the data dir's; none only with noToken. */
export function resolveToken(o: { option?: string | false; env?: string; dataDir: string; noToken?: boolean }): ApiToken {
  if (o.option === false || o.noToken) {
    if (typeof o.option === "string" || o.env) throw new ConfigError("--no-token (PGRECALL_NO_TOKEN) and a token (--token, PGRECALL_API_TOKEN) were both given: choose one");
    return { token: null, source: "none" };
  }
  if (typeof o.option === "string") {
    if (o.option.length < 8) throw new ConfigError("--token must be at least 8 characters");
    return { token: o.option, source: "option" };
  }
  if (o.env) {
    if (o.env.length < 8) throw new ConfigError("PGRECALL_API_TOKEN must be at least 8 characters");
    return { token: o.env, source: "environment" };
  }
  return dataDirToken(o.dataDir);
}

/** Compares a presented token with the expected one in constant time. */
export function tokenMatches(expected: Buffer, given: string | undefined): boolean {
  if (given === undefined) return false;
  const g = Buffer.from(given);
  return g.length === expected.length && timingSafeEqual(g, expected);
}

/** The cookie the page's requests carry the token in (set by GET /?token=…; HttpOnly, SameSite=Strict). */
export const TOKEN_COOKIE = "pgrecall_token";

export function cookieToken(header: string | undefined): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${TOKEN_COOKIE}=([^;]*)`).exec(header ?? "");
  return m ? m[1] : undefined; // tokens are base64url: nothing to decode
}
