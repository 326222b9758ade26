// Builds a BERT encoder with random weights as a Hugging Face-style model folder
// (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) that
// @xenova/transformers loads exactly like Xenova/all-MiniLM-L6-v2. No weights can be
// downloaded on this machine, so tests (a tiny one) and benchmarks (MiniLM-L6's full shape:
// 6 layers, 384 hidden, 12 heads, 1536 intermediate, 30522 tokens) make their own.
// The numbers it produces mean nothing; the shapes, the loading path and the cost are real.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import { rng } from "./random.js";

const { onnx } = onnxProto;


export interface BertShape {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
}

export const MINILM_L6_SHAPE: BertShape = { vocabSize: 30522, hidden: 384, layers: 6, heads: 12, intermediate: 1536, maxPositions: 512 };
export const TINY_SHAPE: BertShape = { vocabSize: 512, hidden: 384, layers: 1, heads: 4, intermediate: 64, maxPositions: 512 };

const SPECIAL = { "[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103 } as const;

/** Writes the model folder `<dir>/<name>/` and returns its path. */
export function writeBertModel(dir: string, name: string, shape: BertShape, words: string[] = [], seed = 1): string {
  const root = join(dir, ...name.split("/"));
  mkdirSync(join(root, "onnx"), { recursive: true });
  const vocab = buildVocab(shape.vocabSize, words);
  writeFileSync(join(root, "tokenizer.json"), JSON.stringify(tokenizerJson(vocab)));
  writeFileSync(
    join(root, "tokenizer_config.json"),
    JSON.stringify({ tokenizer_class: "BertTokenizer", do_lower_case: true, model_max_length: shape.maxPositions, cls_token: "[CLS]", sep_token: "[SEP]", pad_token: "[PAD]", unk_token: "[UNK]", mask_token: "[MASK]" }),
  );
  writeFileSync(
    join(root, "config.json"),
    JSON.stringify({
      model_type: "bert",
      architectures: ["BertModel"],
      vocab_size: shape.vocabSize,
      hidden_size: shape.hidden,
      num_hidden_layers: shape.layers,
      num_attention_heads: shape.heads,
      intermediate_size: shape.intermediate,
      max_position_embeddings: shape.maxPositions,
      type_vocab_size: 2,
    }),
  );
  writeFileSync(join(root, "onnx", "model.onnx"), bertOnnx(shape, seed));
  return root;
}

/** Special tokens at BERT's ids, then characters and their ## continuations, then the given words, then filler. */
function buildVocab(size: number, words: string[]): string[] {
  const vocab: string[] = Array.from({ length: 104 }, (_, i) => `[unused${i}]`);
  for (const [token, id] of Object.entries(SPECIAL)) vocab[id] = token;
  const seen = new Set(vocab);
  const add = (t: string) => {
    if (vocab.length < size && !seen.has(t)) {
      seen.add(t);
      vocab.push(t);
    }
  };
  const chars = "abcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  for (const c of chars) add(c);
  for (const c of chars) add("##" + c);
  for (const w of words) add(w.toLowerCase());
  for (let i = 0; vocab.length < size; i++) add(`[filler${i}]`);
  return vocab;
}

function tokenizerJson(vocab: string[]) {
  const special = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: Object.entries(SPECIAL).map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [special("[CLS]"), { Sequence: { id: "A", type_id: 0 } }, special("[SEP]")],
      pair: [special("[CLS]"), { Sequence: { id: "A", type_id: 0 } }, special("[SEP]"), { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } }],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [SPECIAL["[CLS]"]], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [SPECIAL["[SEP]"]], tokens: ["[SEP]"] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) },
  };
}

/** The ONNX graph of a BERT encoder (opset 14, layer norm and GELU spelled out as exporters do). */
export function bertOnnx(shape: BertShape, seed = 1): Uint8Array {
  const { hidden: D, heads: H, intermediate: F } = shape;
  const rnd = rng(seed);
  const nodes: OnnxTypes.INodeProto[] = [];
  const inits: OnnxTypes.ITensorProto[] = [];
  let n = 0;
  const name = (p: string) => `${p}_${n++}`;

  const weight = (dims: number[], scale: number): string => {
    const size = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = (rnd() * 2 - 1) * scale;
    const w = name("w");
    inits.push({ name: w, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer) });
    return w;
  };
  const constant = (values: number[], dataType: "float" | "int64" = "float", dims = [values.length]): string => {
    const c = name("c");
    inits.push(
      dataType === "float"
        ? { name: c, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values }
        : { name: c, dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: values },
    );
    return c;
  };
  const op = (opType: string, inputs: string[], attribute: OnnxTypes.IAttributeProto[] = []): string => {
    const out = name(opType.toLowerCase());
    nodes.push({ opType, input: inputs, output: [out], attribute, name: out });
    return out;
  };
  const ints = (n: string, v: number[]): OnnxTypes.IAttributeProto => ({ name: n, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  const int = (n: string, v: number): OnnxTypes.IAttributeProto => ({ name: n, type: onnx.AttributeProto.AttributeType.INT, i: v });

  const linear = (x: string, inDim: number, outDim: number) =>
    op("Add", [op("MatMul", [x, weight([inDim, outDim], 1 / Math.sqrt(inDim))]), weight([outDim], 0.02)]);
  const layerNorm = (x: string) => {
    const mean = op("ReduceMean", [x], [ints("axes", [-1])]);
    const centred = op("Sub", [x, mean]);
    const variance = op("ReduceMean", [op("Pow", [centred, constant([2], "float", [])])], [ints("axes", [-1])]);
    const normed = op("Div", [centred, op("Sqrt", [op("Add", [variance, constant([1e-12], "float", [])])])]);
    return op("Add", [op("Mul", [normed, constant(Array(D).fill(1))]), constant(Array(D).fill(0))]);
  };
  const gelu = (x: string) =>
    op("Mul", [op("Mul", [x, constant([0.5], "float", [])]), op("Add", [op("Erf", [op("Div", [x, constant([Math.SQRT2], "float", [])])]), constant([1], "float", [])])]);

  // Embeddings: word + position + token type, then layer norm.
  const seqLen = op("Gather", [op("Shape", ["input_ids"]), constant([1], "int64", [])], [int("axis", 0)]);
  const positions = op("Range", [constant([0], "int64", []), seqLen, constant([1], "int64", [])]);
  let x = op("Add", [
    op("Add", [op("Gather", [weight([shape.vocabSize, D], 0.1), "input_ids"]), op("Gather", [weight([shape.maxPositions, D], 0.1), positions])]),
    op("Gather", [weight([2, D], 0.1), "token_type_ids"]),
  ]);
  x = layerNorm(x);

  // Attention mask → additive bias [batch, 1, 1, seq]: 0 where attended, -10000 on padding.
  const maskF = op("Cast", [op("Unsqueeze", ["attention_mask", constant([1, 2], "int64")])], [int("to", onnx.TensorProto.DataType.FLOAT)]);
  const bias = op("Mul", [op("Sub", [constant([1], "float", []), maskF]), constant([-10000], "float", [])]);

  const headShape = constant([0, 0, H, D / H], "int64");
  const mergedShape = constant([0, 0, D], "int64");
  for (let l = 0; l < shape.layers; l++) {
    const heads = (t: string, perm: number[]) => op("Transpose", [op("Reshape", [t, headShape])], [ints("perm", perm)]);
    const q = heads(linear(x, D, D), [0, 2, 1, 3]);
    const k = heads(linear(x, D, D), [0, 2, 3, 1]);
    const v = heads(linear(x, D, D), [0, 2, 1, 3]);
    const scores = op("Add", [op("Div", [op("MatMul", [q, k]), constant([Math.sqrt(D / H)], "float", [])]), bias]);
    const context = op("MatMul", [op("Softmax", [scores], [int("axis", -1)]), v]);
    const merged = op("Reshape", [op("Transpose", [context], [ints("perm", [0, 2, 1, 3])]), mergedShape]);
    x = layerNorm(op("Add", [x, linear(merged, D, D)]));
    x = layerNorm(op("Add", [x, linear(gelu(linear(x, D, F)), F, D)]));
  }
  nodes.push({ opType: "Identity", input: [x], output: ["last_hidden_state"], name: "output" });

  const intInput = (n: string): OnnxTypes.IValueInfoProto => ({
    name: n,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: "batch" }, { dimParam: "sequence" }] } } },
  });
  const model: OnnxTypes.IModelProto = {
    irVersion: 7,
    producerName: "pgrecall-testing",
    opsetImport: [{ domain: "", version: 14 }],
    graph: {
      name: "bert",
      node: nodes,
      initializer: inits,
      input: [intInput("input_ids"), intInput("attention_mask"), intInput("token_type_ids")],
      output: [
        {
          name: "last_hidden_state",
          type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: "batch" }, { dimParam: "sequence" }, { dimValue: D }] } } },
        },
      ],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
