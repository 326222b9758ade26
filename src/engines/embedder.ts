// Text embeddings: the model's own tokenizer (tokenizer.json, run by @huggingface/tokenizers)
// and its ONNX graph (onnxruntime-node, CPU) are loaded once from a local models directory
// (downloaded from the hub only when configured), texts are batched into one model call, and
// mean pooling + L2 normalisation are done here on the raw last_hidden_state
// (sentence-transformers' recipe for all-MiniLM-L6-v2). Neither package runs an install script
// or fetches anything at install time, so a global npm install needs only the npm registry.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { EmbeddingConfig } from "../config.js";

/** The size of pgrecall.frames.embedding (vector(384), seed 000): all-MiniLM-L6-v2's output. */
export const EMBEDDING_DIMENSIONS = 384;

/** The model cannot be loaded: nothing a retry would fix until a user installs it. */
export class ModelUnavailable extends Error {}

/** What pgrecall uses of @huggingface/tokenizers' Tokenizer (its bundled types do not resolve under NodeNext). */
export interface TextTokenizer {
  encode(text: string): { ids: number[] };
  token_to_id(token: string): number | undefined;
}

interface Loaded {
  tokenizer: TextTokenizer;
  /** tokenizer_config.json's model_max_length, when it sets one. */
  maxLength: number;
  session: InferenceSession;
  Tensor: typeof Tensor;
}

interface Waiting {
  text: string;
  resolve: (v: Float32Array) => void;
  reject: (e: unknown) => void;
}

export class Embedder {
  private loaded: Promise<Loaded> | undefined;
  private queue: Waiting[] = [];
  private running = false;

  constructor(readonly config: EmbeddingConfig) {}

  /** What is recorded with each vector: the model id, and the variant when it is not the default one. */
  get modelName(): string {
    return this.config.model + (this.config.quantized ? " (quantized)" : "");
  }

  /** Loads the tokenizer and model once; a failure is not cached, so installing the model fixes a running worker. */
  load(): Promise<Loaded> {
    this.loaded ??= this.loadOnce().catch((err) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  private async loadOnce(): Promise<Loaded> {
    const { modelsDir, model, allowRemote, quantized } = this.config;
    const dir = join(modelsDir, ...model.split("/"));
    const file = join(dir, "onnx", quantized ? "model_quantized.onnx" : "model.onnx");
    if (!existsSync(file)) {
      if (!allowRemote) {
        throw new ModelUnavailable(
          `embedding model ${model} is not installed: ${file} does not exist and remote downloads are off ` +
            `(run \`pgrecall model install\` to download it once, or install it into PGRECALL_MODELS_DIR by hand as the README shows)`,
        );
      }
      // Remote downloads on: the model is installed the way `pgrecall model install` does it.
      const { DEFAULT_MODEL_HOST, checkHost, installModel } = await import("../model-install.js");
      try {
        await installModel(this.config, checkHost(this.config.remoteHost ?? DEFAULT_MODEL_HOST));
      } catch (err) {
        throw new ModelUnavailable(`embedding model ${model} is not installed and could not be downloaded: ${(err as Error).message}`, { cause: err });
      }
    }
    // Imported here, not at start: a worker that runs only OCR never loads onnxruntime.
    const [{ Tokenizer }, ort] = await Promise.all([import("@huggingface/tokenizers"), import("onnxruntime-node")]);
    const { InferenceSession, Tensor } = ort.default ?? ort;
    try {
      const [tokenizerJson, tokenizerConfig, graph] = await Promise.all([
        readFile(join(dir, "tokenizer.json"), "utf8").then(JSON.parse),
        readFile(join(dir, "tokenizer_config.json"), "utf8").then(JSON.parse),
        readFile(file),
      ]);
      const tokenizer: TextTokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
      const session = await InferenceSession.create(graph, { executionProviders: ["cpu"] });
      if (!session.outputNames.includes("last_hidden_state")) throw new Error(`the ONNX graph has no last_hidden_state output (it has ${session.outputNames.join(", ")})`);
      const maxLength = Number(tokenizerConfig.model_max_length) || Infinity;
      return { tokenizer, maxLength, session, Tensor };
    } catch (err) {
      throw new ModelUnavailable(`embedding model ${model} could not be loaded from ${modelsDir}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * One text's embedding. Calls made while a batch runs wait and go together in the next model
   * call (up to batchSize), so concurrent jobs share model calls without waiting on a timer.
   */
  embed(text: string): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.config.batchSize);
        try {
          const vectors = await this.embedBatch(batch.map((w) => w.text));
          batch.forEach((w, i) => w.resolve(vectors[i]!));
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Embeddings of several texts in one model call: unit vectors, mean-pooled over real tokens. */
  async embedBatch(texts: string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const { tokenizer, maxLength, session, Tensor } = await this.load();
    const maxTokens = Math.min(this.config.maxTokens, maxLength);
    // Tokenize each text (truncated), then pad to the longest in the batch, not to maxTokens.
    const ids = texts.map((t) => {
      const seq = tokenizer.encode(t.slice(0, maxTokens * 16)).ids;
      if (seq.length > maxTokens) {
        seq.length = maxTokens;
        seq[maxTokens - 1] = sepId(tokenizer); // keep [CLS] … [SEP]
      }
      return seq;
    });
    const width = Math.max(...ids.map((s) => s.length));
    const inputIds = new BigInt64Array(texts.length * width);
    const mask = new BigInt64Array(texts.length * width);
    ids.forEach((seq, b) =>
      seq.forEach((id, j) => {
        inputIds[b * width + j] = BigInt(id);
        mask[b * width + j] = 1n;
      }),
    );
    const dims = [texts.length, width];
    const inputs: Record<string, Tensor> = {
      input_ids: new Tensor("int64", inputIds, dims),
      attention_mask: new Tensor("int64", mask, dims),
      token_type_ids: new Tensor("int64", new BigInt64Array(texts.length * width), dims),
    };
    // Only the inputs the graph declares (some exports have no token_type_ids).
    const feeds: Record<string, Tensor> = {};
    for (const name of session.inputNames) {
      if (!inputs[name]) throw new Error(`embedding model ${this.config.model} wants an input pgrecall does not make: ${name}`);
      feeds[name] = inputs[name];
    }
    const out = await session.run(feeds, ["last_hidden_state"]);
    return meanPool(out.last_hidden_state!, ids.map((s) => s.length));
  }
}

function sepId(tokenizer: TextTokenizer): number {
  return tokenizer.token_to_id("[SEP]") ?? 102;
}

/** Mean over each row's first lengths[b] positions of a [batch, seq, dim] tensor, then L2-normalised. */
export function meanPool(hidden: Pick<Tensor, "dims" | "data">, lengths: number[]): Float32Array[] {
  const [batch, seq, dim] = hidden.dims as [number, number, number];
  const data = hidden.data as Float32Array;
  const vectors: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    const n = lengths[b]!;
    for (let j = 0; j < n; j++) {
      const base = (b * seq + j) * dim;
      for (let d = 0; d < dim; d++) v[d]! += data[base + d]!;
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += v[d]! * v[d]!;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) v[d]! /= norm;
    vectors.push(v);
  }
  return vectors;
}
