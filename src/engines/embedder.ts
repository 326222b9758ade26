// Text embeddings with @xenova/transformers: the tokenizer and the ONNX model are loaded once
// from a local models directory (remote download only when configured), texts are batched
// into one model call, and mean pooling + L2 normalisation are done here on the raw
// last_hidden_state (sentence-transformers' recipe for all-MiniLM-L6-v2), which costs a
// fraction of the pipeline's own pooling.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from "@xenova/transformers";
import type { EmbeddingConfig } from "../config.js";

/** The size of pgrecall.frames.embedding (vector(384), seed 000): all-MiniLM-L6-v2's output. */
export const EMBEDDING_DIMENSIONS = 384;

/** The model cannot be loaded: nothing a retry would fix until a user installs it. */
export class ModelUnavailable extends Error {}

interface Loaded {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
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
    const file = join(modelsDir, ...model.split("/"), "onnx", quantized ? "model_quantized.onnx" : "model.onnx");
    if (!allowRemote && !existsSync(file)) {
      throw new ModelUnavailable(
        `embedding model ${model} is not installed: ${file} does not exist and remote downloads are off ` +
          `(run \`pgrecall model install\` to download it once, or install it into PGRECALL_MODELS_DIR by hand as the README shows)`,
      );
    }
    // Imported here, not at start: a worker that runs only OCR never loads onnxruntime.
    const { AutoModel, AutoTokenizer, Tensor, env } = await import("@xenova/transformers");
    // transformers.js reads these globals at load time; one model per process is what pgrecall uses.
    env.localModelPath = modelsDir;
    env.allowLocalModels = true;
    env.allowRemoteModels = allowRemote;
    env.cacheDir = modelsDir;
    env.useFSCache = allowRemote;
    if (this.config.remoteHost) env.remoteHost = this.config.remoteHost;
    try {
      const [tokenizer, m] = await Promise.all([
        AutoTokenizer.from_pretrained(model),
        AutoModel.from_pretrained(model, { quantized }),
      ]);
      return { tokenizer, model: m, Tensor };
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
    const { tokenizer, model, Tensor } = await this.load();
    const maxTokens = Math.min(this.config.maxTokens, tokenizer.model_max_length ?? Infinity);
    // Tokenize each text (truncated), then pad to the longest in the batch, not to maxTokens.
    const ids = texts.map((t) => {
      const seq = tokenizer.encode(t.slice(0, maxTokens * 16));
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
    const out = await model({
      input_ids: new Tensor("int64", inputIds, dims),
      attention_mask: new Tensor("int64", mask, dims),
      token_type_ids: new Tensor("int64", new BigInt64Array(texts.length * width), dims),
    });
    return meanPool(out.last_hidden_state as Tensor, ids.map((s) => s.length));
  }
}

function sepId(tokenizer: PreTrainedTokenizer): number {
  return tokenizer.model.tokens_to_ids.get("[SEP]") ?? 102;
}

/** Mean over each row's first lengths[b] positions of a [batch, seq, dim] tensor, then L2-normalised. */
export function meanPool(hidden: Tensor, lengths: number[]): Float32Array[] {
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
