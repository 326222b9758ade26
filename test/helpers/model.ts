// A tiny BERT-shaped embedding model (384-dimension output, one layer, a few hundred tokens)
// written to a temp models directory: the real loading code runs on it, offline.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmbeddingConfig } from "../../src/config.js";
import { SAMPLE_CODE } from "../../fixtures/render.js";
import { TINY_SHAPE, writeBertModel } from "../../fixtures/bert-model.js";

export const TINY_MODEL = "test/tiny-minilm";

/** Words the tiny tokenizer knows whole; anything else splits into characters. */
const WORDS = [...new Set(SAMPLE_CODE.join(" ").toLowerCase().match(/[a-z]+/g) ?? [])];

export function tinyModelConfig(overrides: Partial<EmbeddingConfig> = {}): EmbeddingConfig {
  const modelsDir = mkdtempSync(join(tmpdir(), "pgrecall-models-"));
  writeBertModel(modelsDir, TINY_MODEL, TINY_SHAPE, WORDS);
  return { modelsDir, model: TINY_MODEL, allowRemote: false, quantized: false, maxTokens: 256, batchSize: 16, ...overrides };
}
