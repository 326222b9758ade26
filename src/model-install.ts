// `pgrecall model install`: the embedding model's files downloaded once from the Hugging Face hub
// (or a mirror) in the hub's layout, <host><model>/resolve/main/<file> — the URLs transformers.js
// and huggingface_hub fetch — into a temporary folder beside the models directory's final place,
// checked (it loads and makes a 384-dimension embedding), and only then renamed into place: an
// interrupted or failed download leaves nothing half-installed.
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import { ConfigError, type EmbeddingConfig } from "./config.js";
import type { Sql } from "./db.js";
import { EMBEDDING_DIMENSIONS, Embedder } from "./engines/embedder.js";

export const DEFAULT_MODEL_HOST = "https://huggingface.co/";
export const CHECK_SENTENCE = "pgrecall model check: invoice INV-2026-0042";

/** The files pgrecall's embedder loads; a model folder holding all of them is installed. */
export function modelFiles(quantized: boolean): string[] {
  return ["config.json", "tokenizer.json", "tokenizer_config.json", join("onnx", quantized ? "model_quantized.onnx" : "model.onnx")];
}

export function modelDir(modelsDir: string, model: string): string {
  return join(modelsDir, ...model.split("/"));
}

export function isInstalled(modelsDir: string, model: string, quantized: boolean): boolean {
  const dir = modelDir(modelsDir, model);
  return modelFiles(quantized).every((f) => existsSync(join(dir, f)));
}

/** A hub model id (owner/name or name): refused when it could name a path outside the models directory. */
export function checkModelName(model: string): string {
  if (!/^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(model) || model.split("/").some((p) => p.includes(".."))) {
    throw new ConfigError(`"${model}" is not a model id: use the hub's owner/name form, e.g. Xenova/all-MiniLM-L6-v2.`);
  }
  return model;
}

/** The host to download from (a hub mirror): http(s), ending in '/', so <host><model>/resolve/main/<file> is a URL. */
export function checkHost(host: string): string {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new ConfigError(`--host / PGRECALL_MODEL_HOST must be an http(s) URL such as https://huggingface.co/ (got "${host}").`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`--host / PGRECALL_MODEL_HOST must be an http(s) URL (got "${url.protocol}//").`);
  }
  return url.href.endsWith("/") ? url.href : url.href + "/";
}

export interface Installed {
  dir: string;
  /** Files downloaded (relative to dir) with their sizes; empty when it was already installed. */
  files: { file: string; bytes: number }[];
  alreadyInstalled: boolean;
  dimensions: number;
}

/** Downloads (unless installed), then checks it loads and embeds; throws ConfigError with the reason otherwise. */
export async function installModel(config: EmbeddingConfig, host: string, log: (line: string) => void = () => {}): Promise<Installed> {
  const { modelsDir, model, quantized } = config;
  const dir = modelDir(modelsDir, model);
  if (isInstalled(modelsDir, model, quantized)) {
    return { dir, files: [], alreadyInstalled: true, dimensions: await checkEmbeds({ ...config, allowRemote: false }) };
  }
  await mkdir(modelsDir, { recursive: true });
  // In modelsDir itself, so the final rename stays on one file system.
  const tmp = await mkdtemp(join(modelsDir, ".download-"));
  try {
    await download(config, host, tmp, log);
    const files = await listFiles(modelDir(tmp, model));
    const dimensions = await checkEmbeds({ ...config, modelsDir: tmp, allowRemote: false });
    if (existsSync(dir)) {
      log(`replacing the incomplete ${dir} (it lacked ${modelFiles(quantized).filter((f) => !existsSync(join(dir, f))).join(", ")})`);
      await rm(dir, { recursive: true, force: true });
    }
    await mkdir(dirname(dir), { recursive: true });
    await rename(modelDir(tmp, model), dir);
    return { dir, files, alreadyInstalled: false, dimensions };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Where the hub serves one file of a model's main revision. */
export function hubUrl(host: string, model: string, file: string): string {
  return `${host}${model.split("/").map(encodeURIComponent).join("/")}/resolve/main/${file.split(sep).map(encodeURIComponent).join("/")}`;
}

/** The hub's own HTTP status words, for the statuses a download meets. */
const STATUS_WORDS: Record<number, string> = { 401: "Unauthorized access to file", 403: "Forbidden access to file", 404: "Could not locate file" };

/** The embedder's files fetched from host into tmp/<model>/, one after the other, streamed to disk. */
async function download(config: EmbeddingConfig, host: string, tmp: string, log: (line: string) => void): Promise<void> {
  const headers: Record<string, string> = { "user-agent": "pgrecall" };
  // A gated or private model on the hub itself needs the user's token (the variable huggingface_hub reads).
  const token = process.env.HF_TOKEN ?? process.env.HF_ACCESS_TOKEN;
  if (token && /^(.*\.)?(huggingface\.co|hf\.co)$/.test(new URL(host).hostname)) headers.authorization = `Bearer ${token}`;
  const dest = modelDir(tmp, config.model);
  const failed = (why: string, cause?: unknown) =>
    new ConfigError(`could not download ${config.model} from ${host}: ${why}. Nothing was installed.`, cause === undefined ? undefined : { cause });
  for (const file of modelFiles(config.quantized)) {
    const url = hubUrl(host, config.model, file);
    let res: Response;
    try {
      res = await fetch(url, { headers, redirect: "follow" });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      throw failed(e.cause?.code ?? e.cause?.message ?? e.message, err);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw failed(`${STATUS_WORDS[res.status] ?? `HTTP ${res.status} ${res.statusText}`}: "${url}"`);
    }
    await mkdir(dirname(join(dest, file)), { recursive: true });
    try {
      await pipeline(Readable.fromWeb(res.body as ReadableStream), createWriteStream(join(dest, file)));
    } catch (err) {
      const e = err as Error & { code?: string };
      throw failed(`${file} was cut off (${e.code ?? e.message})`, err);
    }
    log(`downloaded ${file}`);
  }
}

/** The embedder's own loading, offline, and a real embedding of a test sentence: its size must be the column's. */
export async function checkEmbeds(config: EmbeddingConfig): Promise<number> {
  const v = await new Embedder(config).embed(CHECK_SENTENCE);
  if (v.length !== EMBEDDING_DIMENSIONS) {
    throw new ConfigError(`${config.model} makes ${v.length}-dimension vectors; pgrecall.frames.embedding holds ${EMBEDDING_DIMENSIONS} (all-MiniLM-L6-v2's size).`);
  }
  return v.length;
}

async function listFiles(root: string): Promise<{ file: string; bytes: number }[]> {
  const out: { file: string; bytes: number }[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    out.push({ file: relative(root, path), bytes: (await stat(path)).size });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * The messages the embedder records when the model is missing or does not load (ModelUnavailable,
 * src/engines/embedder.ts): frames failed for this reason are the ones an install fixes.
 */
export const MODEL_MISSING_MESSAGES = ["embedding model % is not installed:%", "embedding model % could not be loaded from %"];

/**
 * Requeues (pgrecall.requeue, one statement) the frames whose embedding failed for want of the
 * model; other embedding failures stay failed.
 */
export async function requeueMissingModel(sql: Sql, deployment: string | null): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    select count(pgrecall.requeue(f.id, 'embedding'))::int as n from pgrecall.frames f
    where f.embedding_status = 2 and f.excluded_by is null
      and (${deployment}::text is null or f.deployment_id = ${deployment})
      and f.embedding_message like any (${MODEL_MISSING_MESSAGES}::text[])`;
  return r!.n;
}

/** How many frames' embedding failed for want of the model (for status and the demo's hint). */
export async function missingModelFailures(sql: Sql, deployment: string | null = null): Promise<number> {
  const [r] = await sql<{ n: number }[]>`
    select count(*)::int as n from pgrecall.frames f
    where f.embedding_status = 2 and (${deployment}::text is null or f.deployment_id = ${deployment})
      and f.embedding_message like any (${MODEL_MISSING_MESSAGES}::text[])`;
  return r!.n;
}
