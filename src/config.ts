// Configuration is read and checked once, at start, into one typed object.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { blobKeyFrom, type BlobKey } from "./blob-crypto.js";

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

/**
 * Everything pgrecall reads from its environment, in one object. Each setting is checked the first
 * time a command reads it, so a bad setting stops the commands that use it and names itself
 * (a malformed PGRECALL_VISION_URL stops `pgrecall worker`, not `pgrecall status`).
 */
export interface Config {
  /** DATABASE_URL (default postgres://postgres@127.0.0.1:5432/pgrecall). */
  readonly databaseUrl: string;
  /**
   * PGRECALL_READER_URL: how `pgrecall serve` and `pgrecall search` connect — as a login role
   * granted read access (pgrecall grant read ROLE). Default: databaseUrl.
   */
  readonly readerUrl: string;
  /** The database graphile-migrate's hooks work on: GM_DBURL while a hook runs, else databaseUrl. */
  readonly migrateUrl: string;
  /** Where the image store lives (PGRECALL_DATA_DIR, default ./data). */
  readonly dataDir: string;
  /** Folders besides the data dir that an image_ref path may point into (PGRECALL_IMAGE_ROOTS, ':'-separated). */
  readonly imageRoots: readonly string[];
  /** PGRECALL_BLOB_KEY or PGRECALL_BLOB_KEY_FILE: blobs are written encrypted with it (null: in clear, as before). */
  readonly blobKey: BlobKey | null;
  readonly embedding: EmbeddingConfig;
  /** null: no vision provider configured, the vision stage is skipped with that reason. */
  readonly vision: VisionConfig | null;
  /** statement_timeout of every search (PGRECALL_SEARCH_TIMEOUT_MS, default 5000). */
  readonly searchTimeoutMs: number;
  /** PGRECALL_SEARCH_POOL: connections `pgrecall serve` runs searches on (default: half the cores, at least one). */
  readonly searchPool: number | undefined;
  /** PGRECALL_SEARCH_WAIT_MS: how long a search waits for a free connection before a 503 (default 2000). */
  readonly searchWaitMs: number | undefined;
  /** PGRECALL_SECRET_KEY: the key of secret fingerprints (default: <data dir>/secret.key, made by the worker). */
  readonly secretKey: string | undefined;
  /** PGRECALL_API_TOKEN: the bearer token `pgrecall serve` requires (unset: the one kept in <data dir>/api.token, made on first start). */
  readonly apiToken: string | undefined;
  /** PGRECALL_NO_TOKEN=1: `pgrecall serve` requires no token (refused unless it binds a loopback address). */
  readonly noToken: boolean;
  /** PGRECALL_ALLOWED_HOSTS: Host names `pgrecall serve` answers to besides localhost and the addresses it binds (comma-separated). */
  readonly allowedHosts: readonly string[];
  /**
   * PGRECALL_OCR_ENGINE: which tesseract the worker's OCR runs — "tesseract.js" (default: bundled,
   * nothing to install), "native" (Debian's tesseract-ocr CLI) or "auto" (native when installed).
   */
  readonly ocrEngine: "tesseract.js" | "native" | "auto";
  /**
   * The OCR's second look (src/engines/ocr-second-look.ts): lines read with a mean confidence
   * under PGRECALL_OCR_SECOND_LOOK (1-100; 0: no second look) are read again enlarged
   * PGRECALL_OCR_SECOND_LOOK_SCALE times (default 1.5), and so is text the first reading missed
   * (ink outside every word), kept when read with a confidence of at least PGRECALL_OCR_MISSED
   * (default 60; 0: not looked for). "auto" (the default): 70 when the model is tessdata_fast,
   * off with the bundled model (there it costs 1.9× the native CLI's CPU, over the budget).
   */
  readonly ocrSecondLook: { minConfidence: number; scale: number; missedConfidence: number } | "auto" | null;
  /** PGRECALL_OCR_MISSED, for the automatic second look. */
  readonly ocrMissedConfidence: number;
  /**
   * PGRECALL_OCR_DATA: tesseract.js's English model — "auto" (default: tessdata_fast when
   * Debian's tesseract-ocr-eng has installed it, else bundled), "fast" (the system's
   * eng.traineddata, checked by its SHA-256; an error when it is not there) or "bundled"
   * (@tesseract.js-data/eng 4.0.0, an npm dependency: works with nothing installed).
   */
  readonly ocrData: "bundled" | "fast" | "auto";
  /** PGRECALL_LOG=debug: stacks and graphile's info lines. */
  readonly debug: boolean;
  /** PGRECALL_SCHEMA_DUMP=1 (development): every `pgrecall migrate` rewrites schema/pgrecall.sql. */
  readonly schemaDump: boolean;
}

export const DEFAULT_EMBEDDING_MODEL = "Xenova/all-MiniLM-L6-v2";

export interface EmbeddingConfig {
  /** Folder holding `<model id>/` (config.json, tokenizer.json, onnx/model.onnx). */
  modelsDir: string;
  /** Model id, e.g. Xenova/all-MiniLM-L6-v2. */
  model: string;
  /** Download from the Hugging Face hub into modelsDir when missing (off unless configured). */
  allowRemote: boolean;
  /** Use onnx/model_quantized.onnx instead of onnx/model.onnx. */
  quantized: boolean;
  /** Tokens per text; longer texts are truncated (MiniLM was trained on 256). */
  maxTokens: number;
  /** Most texts in one model call. */
  batchSize: number;
  /** PGRECALL_MODEL_HOST: where models are downloaded from (a Hugging Face hub mirror); default the hub. */
  remoteHost?: string;
}

export interface VisionConfig {
  /** OpenAI-compatible base URL; POST {url}/chat/completions. */
  url: string;
  model: string;
  apiKey?: string;
  /** Replaces the default instruction. */
  prompt?: string;
  timeoutMs: number;
  /** Images are scaled so their longer edge is at most this many pixels before sending. */
  maxEdge: number;
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
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, read: () => T): T => {
    if (!cache.has(key)) cache.set(key, read());
    return cache.get(key) as T;
  };
  const config: Config = {
    get databaseUrl() {
      return once("databaseUrl", () => databaseUrlFrom("DATABASE_URL", env.DATABASE_URL || DEFAULT_DATABASE_URL));
    },
    get readerUrl() {
      return once("readerUrl", () => (env.PGRECALL_READER_URL ? databaseUrlFrom("PGRECALL_READER_URL", env.PGRECALL_READER_URL) : config.databaseUrl));
    },
    get migrateUrl() {
      return once("migrateUrl", () => (env.GM_DBURL ? databaseUrlFrom("GM_DBURL", env.GM_DBURL) : config.databaseUrl));
    },
    get dataDir() {
      return once("dataDir", () => resolve(env.PGRECALL_DATA_DIR || "data"));
    },
    get imageRoots() {
      return once("imageRoots", () => imageRootsFrom(env.PGRECALL_IMAGE_ROOTS));
    },
    get blobKey() {
      return once("blobKey", () => blobKeyFrom(env));
    },
    get embedding() {
      return once("embedding", () => embeddingConfig(env, config.dataDir));
    },
    get vision() {
      return once("vision", () => visionConfig(env));
    },
    get searchTimeoutMs() {
      return once("searchTimeoutMs", () => whole(env, "PGRECALL_SEARCH_TIMEOUT_MS", 5000, 100, 600_000));
    },
    get searchPool() {
      return once("searchPool", () => (env.PGRECALL_SEARCH_POOL ? whole(env, "PGRECALL_SEARCH_POOL", 1, 1, 64) : undefined));
    },
    get searchWaitMs() {
      return once("searchWaitMs", () => (env.PGRECALL_SEARCH_WAIT_MS ? whole(env, "PGRECALL_SEARCH_WAIT_MS", 2000, 0, 60_000) : undefined));
    },
    get secretKey() {
      return once("secretKey", () => env.PGRECALL_SECRET_KEY || undefined);
    },
    get apiToken() {
      return once("apiToken", () => env.PGRECALL_API_TOKEN || undefined);
    },
    get noToken() {
      return once("noToken", () => flag(env, "PGRECALL_NO_TOKEN"));
    },
    get allowedHosts() {
      return once("allowedHosts", () => allowedHostsFrom(env.PGRECALL_ALLOWED_HOSTS));
    },
    get schemaDump() {
      return once("schemaDump", () => flag(env, "PGRECALL_SCHEMA_DUMP"));
    },
    get ocrEngine() {
      return once("ocrEngine", () => {
        const v = env.PGRECALL_OCR_ENGINE || "tesseract.js";
        if (v !== "tesseract.js" && v !== "native" && v !== "auto") throw new ConfigError(`PGRECALL_OCR_ENGINE must be tesseract.js, native or auto, not ${JSON.stringify(v)}`);
        return v;
      });
    },
    get ocrSecondLook() {
      return once("ocrSecondLook", () => {
        const raw = env.PGRECALL_OCR_SECOND_LOOK_SCALE;
        const scale = raw === undefined || raw === "" ? 1.5 : Number(raw);
        if (!Number.isFinite(scale) || scale < 1 || scale > 4) throw new ConfigError(`PGRECALL_OCR_SECOND_LOOK_SCALE must be a number from 1 to 4 (got "${raw}").`);
        const look = env.PGRECALL_OCR_SECOND_LOOK;
        if (look === undefined || look === "" || look === "auto") return "auto";
        if (!/^\d+$/.test(look)) throw new ConfigError(`PGRECALL_OCR_SECOND_LOOK must be auto or a whole number from 0 to 100 (got "${look}").`);
        const min = whole(env, "PGRECALL_OCR_SECOND_LOOK", 0, 0, 100);
        return min === 0 ? null : { minConfidence: min, scale, missedConfidence: config.ocrMissedConfidence };
      });
    },
    get ocrMissedConfidence() {
      return once("ocrMissedConfidence", () => whole(env, "PGRECALL_OCR_MISSED", 60, 0, 100));
    },
    get ocrData() {
      return once("ocrData", () => {
        const v = env.PGRECALL_OCR_DATA || "auto";
        if (v !== "bundled" && v !== "fast" && v !== "auto") throw new ConfigError(`PGRECALL_OCR_DATA must be bundled, fast or auto, not ${JSON.stringify(v)}`);
        return v;
      });
    },
    get debug() {
      return once("debug", () => (env.PGRECALL_LOG ?? "").toLowerCase() === "debug");
    },
  };
  return config;
}

function imageRootsFrom(raw: string | undefined): string[] {
  const roots = (raw ?? "").split(":").filter((r) => r.trim() !== "");
  for (const r of roots) {
    if (!isAbsolute(r)) throw new ConfigError(`PGRECALL_IMAGE_ROOTS must hold absolute folders separated by ':' (got "${r}").`);
  }
  return roots.map((r) => resolve(r));
}

function allowedHostsFrom(raw: string | undefined): string[] {
  const names = (raw ?? "").split(",").map((n) => n.trim()).filter((n) => n !== "");
  for (const n of names) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+|[0-9a-fA-F:]+)$/.test(n)) throw new ConfigError(`PGRECALL_ALLOWED_HOSTS must hold host names or addresses separated by commas, without ports or schemes (got "${n}").`);
  }
  return names;
}

function databaseUrlFrom(name: string, databaseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(databaseUrl);
  } catch (cause) {
    throw new ConfigError(`${name} is not a valid URL ("${databaseUrl}"). Use postgres://user@host:5432/dbname.`, { cause });
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new ConfigError(`${name} must start with postgres:// (got "${parsed.protocol}//").`);
  }
  if (parsed.pathname.length <= 1) {
    throw new ConfigError(`${name} names no database ("${databaseUrl}"). Add one: postgres://user@host:5432/pgrecall.`);
  }
  return databaseUrl;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = (env[name] ?? "").trim().toLowerCase();
  if (["", "0", "false", "no", "off"].includes(v)) return false;
  if (["1", "true", "yes", "on"].includes(v)) return true;
  throw new ConfigError(`${name} must be 1 or 0 (got "${env[name]}").`);
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  return n;
}

/** PGRECALL_MODELS_DIR (default <data dir>/models), PGRECALL_EMBED_MODEL, PGRECALL_ALLOW_REMOTE_MODELS, … */
export function embeddingConfig(env: NodeJS.ProcessEnv, dataDir: string): EmbeddingConfig {
  return {
    modelsDir: resolve(env.PGRECALL_MODELS_DIR || join(dataDir, "models")),
    model: env.PGRECALL_EMBED_MODEL || DEFAULT_EMBEDDING_MODEL,
    allowRemote: flag(env, "PGRECALL_ALLOW_REMOTE_MODELS"),
    quantized: flag(env, "PGRECALL_EMBED_QUANTIZED"),
    maxTokens: whole(env, "PGRECALL_EMBED_MAX_TOKENS", 256, 8, 8192),
    batchSize: whole(env, "PGRECALL_EMBED_BATCH", 16, 1, 256),
    ...(env.PGRECALL_MODEL_HOST ? { remoteHost: env.PGRECALL_MODEL_HOST } : {}),
  };
}

/** PGRECALL_VISION_URL (an OpenAI-compatible base URL such as http://127.0.0.1:11434/v1) and PGRECALL_VISION_MODEL, or none. */
export function visionConfig(env: NodeJS.ProcessEnv): VisionConfig | null {
  const url = env.PGRECALL_VISION_URL?.trim();
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ConfigError(`PGRECALL_VISION_URL is not a valid URL ("${url}"). Use e.g. http://127.0.0.1:11434/v1.`, { cause });
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new ConfigError(`PGRECALL_VISION_URL must be http:// or https:// (got "${url}").`);
  const model = env.PGRECALL_VISION_MODEL?.trim();
  if (!model) throw new ConfigError("PGRECALL_VISION_URL is set but PGRECALL_VISION_MODEL is not: name the vision model (e.g. llava, gpt-4o-mini).");
  return {
    url: url.replace(/\/+$/, ""),
    model,
    apiKey: env.PGRECALL_VISION_API_KEY || undefined,
    prompt: env.PGRECALL_VISION_PROMPT || undefined,
    timeoutMs: whole(env, "PGRECALL_VISION_TIMEOUT_MS", 120_000, 1000, 3_600_000),
    maxEdge: whole(env, "PGRECALL_VISION_MAX_EDGE", 1344, 256, 8192),
  };
}
