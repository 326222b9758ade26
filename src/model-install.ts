// `pgrecall model install`: the embedding model downloaded once, through transformers.js's own
// download path (its hub layout, its remote host setting), into a temporary folder beside the
// models directory's final place, checked (it loads and makes a 384-dimension embedding), and
// only then renamed into place: an interrupted or failed download leaves nothing half-installed.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
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

/** The host to download from (a hub mirror), as transformers.js's env.remoteHost wants it: http(s), ending in '/'. */
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

/** transformers.js fetches the tokenizer and model files from host in the hub's layout and caches them in tmp. */
async function download(config: EmbeddingConfig, host: string, tmp: string, log: (line: string) => void): Promise<void> {
  const { AutoModel, AutoTokenizer, env } = await import("@xenova/transformers");
  env.allowLocalModels = false; // nothing local to look at: every file comes from the host
  env.allowRemoteModels = true;
  env.remoteHost = host;
  env.remotePathTemplate = "{model}/resolve/{revision}/";
  env.useFSCache = true;
  env.cacheDir = tmp;
  const progress = (p: { status: string; file?: string }) => {
    if (p.status === "done" && p.file) log(`downloaded ${p.file}`);
  };
  try {
    await AutoTokenizer.from_pretrained(config.model, { progress_callback: progress });
    await AutoModel.from_pretrained(config.model, { quantized: config.quantized, progress_callback: progress });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new ConfigError(`could not download ${config.model} from ${host}: ${why}. Nothing was installed.`, { cause: err });
  }
  const missing = modelFiles(config.quantized).filter((f) => !existsSync(join(modelDir(tmp, config.model), f)));
  if (missing.length) throw new ConfigError(`downloading ${config.model} from ${host} did not give ${missing.join(", ")}. Nothing was installed.`);
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
