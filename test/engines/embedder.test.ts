// The Embedder on a tiny BERT-shaped model built by the test: its real tokenizer.json run by
// @huggingface/tokenizers, real onnxruntime inference; pooling and batching are ours.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { Embedder, ModelUnavailable } from "../../src/engines/embedder.js";
import { TINY_SHAPE, writeBertModel } from "../../fixtures/bert-model.js";
import { TINY_MODEL, tinyModelConfig } from "../helpers/model.js";

const config = tinyModelConfig();
const embedder = new Embedder(config);

const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
const maxDiff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));

describe("Embedder", () => {
  it("loads the model from the models directory and returns unit 384-dimension vectors", async () => {
    const [v] = await embedder.embedBatch(["invoices.js — Code\nconst total = sum(lines)"]);
    expect(v).toHaveLength(384);
    expect(norm(v!)).toBeCloseTo(1, 5);
    expect(embedder.modelName).toBe(TINY_MODEL);
  });

  it("gives each text the same vector in a batch as alone (padding is masked and not pooled)", async () => {
    const texts = ["a", "const raw = await db.query(sql, [id])", "loadInvoice sendReminder total lines ".repeat(5)];
    const together = await embedder.embedBatch(texts);
    for (const [i, t] of texts.entries()) {
      const [alone] = await embedder.embedBatch([t]);
      expect(maxDiff(together[i]!, alone!)).toBeLessThan(1e-4);
    }
    expect(maxDiff(together[0]!, together[1]!)).toBeGreaterThan(1e-3);
  });

  it("truncates a long text to maxTokens: what lies beyond the limit does not change the vector", async () => {
    const small = new Embedder({ ...config, maxTokens: 16 });
    const head = "const total = lines . reduce ( sum , 0 ) ; return total ; } export function";
    const [a, b] = await small.embedBatch([head + " alpha ".repeat(2000), head + " omega ".repeat(10)]);
    expect(maxDiff(a!, b!)).toBeLessThan(1e-5);
    const [huge] = await embedder.embedBatch(["word ".repeat(100_000)]);
    expect(norm(huge!)).toBeCloseTo(1, 5);
  });

  it("puts concurrent embed() calls into shared model calls", async () => {
    const e = new Embedder(config);
    await e.load();
    const spy = vi.spyOn(e, "embedBatch");
    const texts = Array.from({ length: 20 }, (_, i) => `frame ${i} total ${i * 7}`);
    const vectors = await Promise.all(texts.map((t) => e.embed(t)));
    expect(vectors).toHaveLength(20);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(3); // 1 + the rest in batches of ≤ 16
    const [alone] = await e.embedBatch([texts[5]!]);
    expect(maxDiff(vectors[5]!, alone!)).toBeLessThan(1e-4);
  });

  it("says plainly when the model is not installed, and loads it once it is", async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), "pgrecall-nomodel-"));
    const missing = new Embedder({ ...config, modelsDir });
    const err = await missing.embed("x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelUnavailable);
    expect((err as Error).message).toMatch(/is not installed: .*test\/tiny-minilm\/onnx\/model\.onnx does not exist and remote downloads are off/);
    writeBertModel(modelsDir, TINY_MODEL, TINY_SHAPE);
    expect(await missing.embed("x")).toHaveLength(384);
  });

  it("reports a corrupt model file as unavailable, not as a crash", async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), "pgrecall-badmodel-"));
    const root = writeBertModel(modelsDir, "test/broken", TINY_SHAPE);
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(root, "onnx", "model.onnx"), "not a model");
    const err = await new Embedder({ ...config, modelsDir, model: "test/broken" }).embed("x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelUnavailable);
    expect((err as Error).message).toMatch(/could not be loaded/);
  });
});
