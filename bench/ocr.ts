// OCR benchmark on the realistic corpus (fixtures/screens-ocr.ts): pgrecall's OCR against the
// plain native `tesseract` CLI (Debian's tesseract-ocr and its eng.traineddata, default
// settings, one thread per process, two processes at once) on the same images, per kind of
// screen, the tuning set and the held-out set apart, with the ratios measured in this run.
//
//   npm run bench:ocr [-- --per-kind 2 --set both --factors --cache /tmp/ocr-corpus]
//
// Measures (fixtures/ocr-score.ts): word recall (order ignored, each word as often as it is
// on screen), line CER (each true line against the closest line read), table rows read as one
// line with their cells in order, lines that mix two panes, numbers with their punctuation.
// --factors also runs each factor alone on the tuning set: preprocessing (none, greyscale,
// dark inversion, 2× scaling), page segmentation mode, trained data, the tesseract.js build
// against the native one on the same input and data, and the reading-order step.
import { mkdirSync, existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import type { Block, PSM } from "tesseract.js";
import { OcrEngine, layout, type OcrOptions, type PreparedImage } from "../src/engines/ocr.js";
import { arrange } from "../src/engines/ocr.js";
import { tesseractWords, nativeVersion, type TsvWord } from "../src/engines/ocr-native.js";
import { ocrCorpus, OCR_KINDS, type OcrScreen } from "../fixtures/screens-ocr.js";
import { EMPTY_SCORE, addScores, readingOfResult, scoreReading, type Reading, type Score } from "../fixtures/ocr-score.js";
import type { PlacedWord } from "../src/engines/reading-order.js";
import { timed } from "./lib.js";

const { values: args } = parseArgs({
  options: {
    "per-kind": { type: "string", default: "2" },
    set: { type: "string", default: "both" },
    factors: { type: "boolean", default: false },
    cache: { type: "string" },
    only: { type: "string" },
    /** write what each engine read (words, boxes, lines) as JSON here, to study the reading order offline */
    dump: { type: "string" },
  },
});

const DEBIAN_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata";

interface Run {
  name: string;
  /** the words read, with tesseract's line of each, before any reading order */
  words?: PlacedWord[][];
  /** seconds of wall time for the whole set, two at a time on two cores */
  seconds: number;
  readings: Reading[];
}

async function pool<T, R>(items: T[], width: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** Tesseract's own order: its lines as it returned them, words with their boxes. */
function tesseractOrder(blocks: Block[], scale: number): Reading {
  return blocks.flatMap((b) =>
    b.paragraphs.flatMap((p) =>
      p.lines.map((l) => l.words.filter((w) => w.text.trim()).map((w) => ({ t: w.text.trim(), b: [w.bbox.x0 / scale, w.bbox.y0 / scale, w.bbox.x1 / scale, w.bbox.y1 / scale] as [number, number, number, number] }))),
    ),
  );
}

function placedOf(blocks: Block[], scale: number): PlacedWord[] {
  let line = 0;
  return blocks.flatMap((b) =>
    b.paragraphs.flatMap((p) =>
      p.lines.flatMap((l) => {
        line++;
        return l.words
          .filter((w) => w.text.trim())
          .map((w) => ({ text: w.text.trim(), confidence: w.confidence, line, box: { x0: w.bbox.x0 / scale, y0: w.bbox.y0 / scale, x1: w.bbox.x1 / scale, y1: w.bbox.y1 / scale } }));
      }),
    ),
  );
}

function tsvOrder(words: TsvWord[]): Reading {
  const lines = new Map<string, Reading[number]>();
  for (const w of words) {
    const l = lines.get(w.line) ?? [];
    l.push({ t: w.text, b: [w.box.x0, w.box.y0, w.box.x1, w.box.y1] });
    lines.set(w.line, l);
  }
  return [...lines.values()];
}

interface JsConfig {
  name: string;
  psm?: number;
  options?: OcrOptions;
  /** feed the image file as it is (no greyscale, no inversion) */
  raw?: boolean;
}

/** tesseract.js over the set: the readings in pgrecall's reading order and in tesseract's. */
async function runJs(images: Buffer[], c: JsConfig): Promise<[Run, Run]> {
  const engine = new OcrEngine(2, String(c.psm ?? 3) as PSM, { baseMs: 900_000, msPerMpx: 0 }, c.options);
  const prep = async (img: Buffer): Promise<PreparedImage> => {
    const p = await engine.prepare(img);
    return c.raw ? { ...p, pgm: img, inverted: false } : p;
  };
  await engine.blocks(await prep(images[0]!)); // both threads started, the model loaded
  await engine.blocks(await prep(images[0]!));
  const [out, seconds] = await timed(() =>
    pool(images, 2, async (img) => {
      const p = await prep(img);
      return { blocks: await engine.blocks(p), scale: p.scale };
    }),
  );
  await engine.stop();
  return [
    { name: c.name, seconds, readings: out.map((o) => readingOfResult(layout(o.blocks, o.scale))), words: out.map((o) => placedOf(o.blocks, o.scale)) },
    { name: `${c.name}, tesseract's order`, seconds, readings: out.map((o) => tesseractOrder(o.blocks, o.scale)) },
  ];
}

/** pgrecall's OcrEngine end to end (prepare, recognize, reading order), whichever engine it runs. */
async function runEngine(images: Buffer[], c: { name: string; options: OcrOptions }): Promise<Run> {
  const engine = new OcrEngine(2, "3" as PSM, { baseMs: 900_000, msPerMpx: 0 }, c.options);
  await engine.recognize(await engine.prepare(images[0]!));
  const [out, seconds] = await timed(() => pool(images, 2, async (img) => engine.recognize(await engine.prepare(img))));
  await engine.stop();
  return { name: c.name, seconds, readings: out.map(readingOfResult) };
}

interface NativeConfig {
  name: string;
  psm?: number;
  tessdataDir?: string;
  /** pgrecall's preprocessing first (greyscale, dark frames inverted) */
  prepared?: boolean;
}

/** The CLI over the set: readings in tesseract's order and in pgrecall's reading order. */
async function runNative(images: Buffer[], c: NativeConfig): Promise<[Run, Run]> {
  const prepper = new OcrEngine(1);
  const inputs = c.prepared ? await Promise.all(images.map(async (i) => (await prepper.prepare(i)).pgm)) : images;
  const [words, seconds] = await timed(() => pool(inputs, 2, (img) => tesseractWords(img, { psm: c.psm, tessdataDir: c.tessdataDir })));
  return [
    { name: c.name, seconds, readings: words.map(tsvOrder), words },
    { name: `${c.name} + pgrecall's reading order`, seconds, readings: words.map((ws) => readingOfResult(arrange(ws.map((w) => ({ ...w, line: w.line }))))) },
  ];
}

const pct = (a: number, b: number) => (b ? (a / b).toFixed(3) : "–");
const cer = (s: Score) => (s.chars ? ((100 * s.charErrors) / s.chars).toFixed(2) + " %" : "–");

function total(run: Run, screens: OcrScreen[], pickIdx: (s: OcrScreen) => boolean): Score {
  return screens.reduce((acc, s, i) => (pickIdx(s) ? addScores(acc, scoreReading(s, run.readings[i]!)) : acc), EMPTY_SCORE);
}

/** Per kind of screen: pgrecall with tesseract.js, pgrecall with the native engine, the plain CLI. */
function sideBySide(title: string, screens: OcrScreen[], idx: number[], runs: Run[]): void {
  const score = (run: Run, f: (s: OcrScreen) => boolean) => idx.reduce((acc, i) => (f(screens[i]!) ? addScores(acc, scoreReading(screens[i]!, run.readings[i]!)) : acc), EMPTY_SCORE);
  console.log(`\n### ${title} (${idx.length} screens)\n`);
  console.log(`each cell: ${runs.map((r) => r.name).join(" / ")}\n`);
  console.log("| kind | word recall | line CER | table rows as one line | lines mixing panes | numbers kept |");
  console.log("|---|---|---|---|---|---|");
  const kinds = OCR_KINDS.filter((k) => idx.some((i) => screens[i]!.kind === k));
  for (const k of [...kinds, "all"] as const) {
    const f = (s: OcrScreen) => k === "all" || s.kind === k;
    const sc = runs.map((r) => score(r, f));
    const cell = (g: (s: Score) => string) => sc.map(g).join(" / ");
    const b = (x: string) => (k === "all" ? `**${x}**` : x);
    console.log(
      `| ${b(k)} | ${b(cell((s) => pct(s.wordsFound, s.words)))} | ${cell(cer)} | ${sc[0]!.rows ? cell((s) => pct(s.rowsFound, s.rows)) : "–"} | ${cell((s) => `${s.mixedLines}`)} | ${sc[0]!.numbers ? cell((s) => pct(s.numbersFound, s.numbers)) : "–"} |`,
    );
  }
}

async function main() {
  const version = await nativeVersion();
  if (!version) throw new Error("the native tesseract CLI is not installed (apt-get install tesseract-ocr): this benchmark compares against it");
  const set = args.set as "tune" | "held-out" | "both";
  const screens = ocrCorpus({ set, perKind: Number(args["per-kind"]), kinds: args.only ? (args.only.split(",") as never) : undefined });
  const cache = args.cache;
  if (cache) mkdirSync(cache, { recursive: true });
  const [images, renderSeconds] = await timed(() =>
    pool(screens, 2, async (s) => {
      const f = cache && join(cache, s.name.replace(/\//g, "_") + ".png");
      if (f && existsSync(f)) return readFileSync(f);
      const b = await s.render();
      if (f) writeFileSync(f, b);
      return b;
    }),
  );
  console.log(`rendered ${screens.length} screens in ${renderSeconds.toFixed(1)} s; native tesseract ${version}`);

  const [ours, oursTessOrder] = await runJs(images, { name: "pgrecall" });
  const [native, nativeOrdered] = await runNative(images, { name: "native tesseract CLI" });
  const oursNative = await runEngine(images, { name: "pgrecall, native engine", options: { engine: "native" } });
  if (args.dump) {
    mkdirSync(args.dump, { recursive: true });
    screens.forEach((s, i) =>
      writeFileSync(join(args.dump!, s.name.replace(/\//g, "_") + ".json"), JSON.stringify({ js: ours.words![i], native: native.words![i] })),
    );
  }
  const idxOf = (f: (s: OcrScreen) => boolean) => screens.map((s, i) => (f(s) ? i : -1)).filter((i) => i >= 0);
  console.log(`\n## pgrecall (tesseract.js ${createRequire(import.meta.url)("tesseract.js/package.json").version}) against native tesseract ${version}, default settings`);
  for (const part of ["tune", "held-out"] as const) {
    const idx = idxOf((s) => s.set === part);
    if (idx.length) sideBySide(part === "tune" ? "tuning set (seed 1; DejaVu, Liberation, Noto)" : "held-out set (seed 2; Roboto, Open Sans, Lato, Cantarell, JetBrains Mono, Fira Code, Hack; not tuned on)", screens, idx, [ours, oursNative, native]);
  }
  const n = screens.length;
  const perCore = (r: Run) => `${r.name} ${((r.seconds * 2) / n).toFixed(2)} s per frame per core (${(r.seconds / native.seconds).toFixed(2)}× native)`;
  console.log(`\nspeed, two frames at a time on two cores, decoding and preprocessing included: ${[ours, oursNative, native].map(perCore).join("; ")}`);

  const runs: Run[] = [ours, oursTessOrder, oursNative, native, nativeOrdered];
  if (args.factors) {
    const tmp = mkdtempSync(join(tmpdir(), "pgrecall-bench-ocr-"));
    const eng = createRequire(import.meta.url)("@tesseract.js-data/eng") as { langPath: string };
    for (const v of ["4.0.0", "4.0.0_best_int"]) {
      mkdirSync(join(tmp, v));
      writeFileSync(join(tmp, v, "eng.traineddata"), gunzipSync(readFileSync(join(eng.langPath, "..", v, "eng.traineddata.gz"))));
    }
    const js: JsConfig[] = [
      { name: "tesseract.js, the PNG as it is", raw: true },
      { name: "tesseract.js, greyscale, no inversion", options: { invert: false } },
      { name: "tesseract.js, greyscale, 2× cubic", options: { upscale: 2 } },
      { name: "tesseract.js, PSM 4", psm: 4 },
      { name: "tesseract.js, PSM 6", psm: 6 },
      { name: "tesseract.js, PSM 11", psm: 11 },
      { name: "tesseract.js, data 4.0.0_best_int", options: { data: { langPath: join(eng.langPath, "..", "4.0.0_best_int"), gzip: true } } },
      { name: "tesseract.js, Debian's eng.traineddata", options: { data: { langPath: DEBIAN_TESSDATA, gzip: false } } },
      { name: "tesseract.js, Debian's data, PNG as it is", raw: true, options: { data: { langPath: DEBIAN_TESSDATA, gzip: false } } },
    ];
    const nat: NativeConfig[] = [
      { name: "native, pgrecall's greyscale+inversion", prepared: true },
      { name: "native, data 4.0.0 (tesseract.js's)", tessdataDir: join(tmp, "4.0.0") },
      { name: "native, data 4.0.0_best_int", tessdataDir: join(tmp, "4.0.0_best_int") },
    ];
    const all = [...js.map((c) => () => runJs(images, c)), ...nat.map((c) => () => runNative(images, c))];
    for (const measure of all) {
      const rs = await measure();
      for (const r of rs) {
        const sc = total(r, screens, () => true);
        console.error(`measured: ${r.name}: recall ${pct(sc.wordsFound, sc.words)}, line CER ${cer(sc)}, ${(r.seconds / native.seconds).toFixed(2)}× native`);
      }
      runs.push(...rs);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const part of ["tune", "held-out"] as const) {
    if (!screens.some((s) => s.set === part)) continue;
    console.log(`\n### every configuration measured, ${part} set (time: wall seconds for the set, two at a time, against native default)\n`);
    console.log("| configuration | recall | line CER | table rows | lines mixing panes | numbers kept | time vs native |");
    console.log("|---|---|---|---|---|---|---|");
    for (const r of runs) {
      const s = total(r, screens, (x) => x.set === part);
      console.log(`| ${r.name} | ${pct(s.wordsFound, s.words)} | ${cer(s)} | ${s.rowsFound}/${s.rows} | ${s.mixedLines}/${s.lines} | ${s.numbersFound}/${s.numbers} | ${(r.seconds / native.seconds).toFixed(2)}× |`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
