// OCR benchmark on the realistic corpus (fixtures/screens-ocr.ts): pgrecall's OCR against the
// plain native `tesseract` CLI (Debian's tesseract-ocr and its eng.traineddata, default
// settings, one thread per process, two processes at once) on the same images, per kind of
// screen, the tuning set and the held-out set apart, with the ratios measured in this run.
//
//   npm run bench:ocr [-- --per-kind 2 --set both --compare --look 70x1.5 --factors --cache /tmp/ocr-corpus]  (--help)
//
// The readers of the main comparison (and --compare's, --look's) run interleaved, four frames
// each in turn, so that all see the same load on a shared machine; speed is CPU time per set
// (this process's threads and its ended children), not wall time.
//
// Measures (fixtures/ocr-score.ts): word recall (order ignored, each word as often as it is
// on screen), line CER (each true line against the closest line read), table rows read as one
// line with their cells in order, lines that mix two panes, numbers with their punctuation.
// --factors also runs each factor alone on the tuning set: preprocessing (none, greyscale,
// dark inversion, 2× scaling), page segmentation mode, trained data, the tesseract.js build
// against the native one on the same input and data, and the reading-order step.
import { mkdirSync, existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import type { Block, PSM } from "tesseract.js";
import { OcrEngine, layout, type OcrOptions, type PreparedImage } from "../src/engines/ocr.js";
import { arrange } from "../src/engines/ocr.js";
import { DEFAULT_SECOND_LOOK } from "../src/engines/ocr-second-look.js";
import { bestIntTrainedData, configuredTrainedData, defaultTrainedData, fastTrainedData } from "../src/engines/tessdata.js";
import { readConfig } from "../src/config.js";
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
    /**
     * also read the corpus, interleaved with the three above (same load), with each trained data
     * (@tesseract.js-data/eng's 4.0.0 and 4.0.0_best_int, tessdata_fast) with and without the
     * second look: per kind and in the configuration tables
     */
    compare: { type: "boolean", default: false },
    /** also read with the default data and this second look: "85x2" = lines under 85 % read again at 2× (repeatable) */
    look: { type: "string", multiple: true },
    /** also read with these OcrOptions (JSON; "data": "bundled" or "fast"; repeatable), e.g. '{"data":"fast","invert":false}' */
    options: { type: "string", multiple: true },
    help: { type: "boolean", short: "h", default: false },
  },
});

interface Run {
  name: string;
  /** the words read, with tesseract's line of each, before any reading order */
  words?: PlacedWord[][];
  /** seconds of wall time for the whole set, two at a time on two cores */
  seconds: number;
  /** seconds of CPU per set (tune, held-out): this process's threads (tesseract.js's workers, sharp) and its children (the CLI) */
  cpu: Record<string, number>;
  readings: Reading[];
}

/** CPU seconds used so far by this process (all its threads) and by its children that have ended. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  // /proc/self/stat: fields 16 and 17 (cutime, cstime) in clock ticks (100 a second on Linux)
  const f = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return (u.user + u.system) / 1e6 + (Number(f[13]) + Number(f[14])) / 100;
}

/**
 * fn over the images two at a time, one set after the other: the results, the wall time and
 * each set's CPU time.
 */
async function measured<R>(images: Buffer[], fn: (img: Buffer, i: number) => Promise<R>): Promise<{ out: R[]; seconds: number; cpu: Record<string, number> }> {
  const out: R[] = new Array(images.length);
  const cpu: Record<string, number> = {};
  const t = process.hrtime.bigint();
  for (const set of ["tune", "held-out"]) {
    const idx = corpus.map((s, i) => (s.set === set ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    const c0 = cpuSeconds();
    const got = await pool(idx, 2, (i) => fn(images[i]!, i));
    cpu[set] = cpuSeconds() - c0;
    idx.forEach((i, j) => (out[i] = got[j]!));
  }
  return { out, seconds: Number(process.hrtime.bigint() - t) / 1e9, cpu };
}

/** One way of reading a frame, for interleaved(). */
interface Reader {
  name: string;
  read: (img: Buffer) => Promise<Reading>;
  stop?: () => Promise<void>;
}

/**
 * Several readers over the same images, interleaved: four frames (two at a time) by the first,
 * the same four by the next, … so that each sees the same load on a shared machine; the CPU time
 * of each chunk is counted to its reader and set.
 */
async function interleaved(images: Buffer[], readers: Reader[]): Promise<Run[]> {
  const runs: Run[] = readers.map((r) => ({ name: r.name, seconds: 0, cpu: {}, readings: new Array(images.length) }));
  for (const set of ["tune", "held-out"]) {
    const idx = corpus.map((s, i) => (s.set === set ? i : -1)).filter((i) => i >= 0);
    for (let at = 0; at < idx.length; at += 4) {
      const chunk = idx.slice(at, at + 4);
      for (const [k, reader] of readers.entries()) {
        const run = runs[k]!;
        const c0 = cpuSeconds(), t0 = process.hrtime.bigint();
        const got = await pool(chunk, 2, (i) => reader.read(images[i]!));
        run.cpu[set] = (run.cpu[set] ?? 0) + cpuSeconds() - c0;
        run.seconds += Number(process.hrtime.bigint() - t0) / 1e9;
        chunk.forEach((i, j) => (run.readings[i] = got[j]!));
      }
    }
  }
  for (const r of readers) await r.stop?.();
  return runs;
}

/** pgrecall's OcrEngine end to end (prepare, recognize: both readings, reading order), threads started. */
async function engineReader(name: string, options: OcrOptions, warm: Buffer): Promise<Reader> {
  const engine = new OcrEngine(2, "3" as PSM, { baseMs: 900_000, msPerMpx: 0 }, options);
  await Promise.all([0, 1].map(async () => engine.recognize(await engine.prepare(warm))));
  return { name, read: async (img) => readingOfResult(await engine.recognize(await engine.prepare(img))), stop: () => engine.stop() };
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
  await Promise.all([0, 1].map(async () => engine.blocks(await prep(images[0]!)))); // both threads started, the model loaded
  const { out, seconds, cpu } = await measured(images, async (img) => {
    const p = await prep(img);
    return { blocks: await engine.blocks(p), scale: p.scale };
  });
  await engine.stop();
  return [
    { name: c.name, seconds, cpu, readings: out.map((o) => readingOfResult(layout(o.blocks, o.scale))), words: out.map((o) => placedOf(o.blocks, o.scale)) },
    { name: `${c.name}, tesseract's order`, seconds, cpu, readings: out.map((o) => tesseractOrder(o.blocks, o.scale)) },
  ];
}

/** pgrecall's OcrEngine end to end (prepare, recognize, reading order), whichever engine it runs. */
async function runEngine(images: Buffer[], c: { name: string; options: OcrOptions }): Promise<Run> {
  const engine = new OcrEngine(2, "3" as PSM, { baseMs: 900_000, msPerMpx: 0 }, c.options);
  await Promise.all([0, 1].map(async () => engine.recognize(await engine.prepare(images[0]!))));
  const { out, seconds, cpu } = await measured(images, async (img) => engine.recognize(await engine.prepare(img)));
  await engine.stop();
  return { name: c.name, seconds, cpu, readings: out.map(readingOfResult) };
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
  const { out: words, seconds, cpu } = await measured(inputs, (img) => tesseractWords(img, { psm: c.psm, tessdataDir: c.tessdataDir }));
  return [
    { name: c.name, seconds, cpu, readings: words.map(tsvOrder), words },
    { name: `${c.name} + pgrecall's reading order`, seconds, cpu, readings: words.map((ws) => readingOfResult(arrange(ws.map((w) => ({ ...w, line: w.line }))))) },
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

/** The screens measured (main sets them): measured() splits the runs' CPU time by set. */
let corpus: OcrScreen[] = [];

const HELP = `npm run bench:ocr -- [options]
  --per-kind N     screens per kind and set (default 2: 48 screens)
  --set S          tune, held-out or both (default both)
  --only K,K       these kinds only (${OCR_KINDS.join(", ")})
  --look 85x2[,N]  also the default data with this second look (lines under 85 % at 2×, at most N lines; repeatable)
  --options JSON   also pgrecall with these OcrOptions ("data": "bundled" or "fast"; repeatable), e.g. '{"data":"fast","invert":false}'
  --compare        also each trained data with and without the second look, interleaved with the rest
  --factors        each factor alone (preprocessing, page segmentation, data, build, reading order)
  --cache DIR      keep the rendered PNGs here
  --dump DIR       write what each engine read as JSON here`;

async function main() {
  if (args.help) return console.log(HELP);
  const version = await nativeVersion();
  if (!version) throw new Error("the native tesseract CLI is not installed (apt-get install tesseract-ocr): this benchmark compares against it");
  const set = args.set as "tune" | "held-out" | "both";
  const unknown = (args.only?.split(",") ?? []).filter((k) => !(OCR_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`--only: no kind ${unknown.join(", ")} (kinds: ${OCR_KINDS.join(", ")})`);
  const screens = (corpus = ocrCorpus({ set, perKind: Number(args["per-kind"]), kinds: args.only ? (args.only.split(",") as never) : undefined }));
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
  const data = configuredTrainedData(readConfig().ocrData);
  console.log(`rendered ${screens.length} screens in ${renderSeconds.toFixed(1)} s; native tesseract ${version}; pgrecall's trained data: ${data.source}; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores`);

  const variants: Reader[] = [];
  if (args.compare) {
    const fast = fastTrainedData();
    const datas: [string, OcrOptions["data"]][] = [
      ["@tesseract.js-data/eng 4.0.0", defaultTrainedData()],
      ["@tesseract.js-data/eng 4.0.0_best_int", bestIntTrainedData()],
      ...(fast ? [["tessdata_fast", fast] as [string, OcrOptions["data"]]] : []),
    ];
    for (const [label, d] of datas) {
      variants.push(await engineReader(`tesseract.js, ${label}, one reading`, { data: d, secondLook: false }, images[0]!));
      variants.push(await engineReader(`tesseract.js, ${label}, second look`, { data: d, secondLook: DEFAULT_SECOND_LOOK }, images[0]!));
    }
  }
  for (const l of args.look ?? []) {
    const m = /^(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(?:,(\d+))?$/.exec(l);
    if (!m) throw new Error(`--look takes MINCONFIDENCExSCALE[,MAXLINES], e.g. 85x2, not ${l}`);
    const look = { ...DEFAULT_SECOND_LOOK, minConfidence: Number(m[1]), scale: Number(m[2]), ...(m[3] ? { maxLines: Number(m[3]) } : {}) };
    variants.push(await engineReader(`tesseract.js, second look under ${look.minConfidence} at ${look.scale}×, at most ${look.maxLines} lines`, { secondLook: look }, images[0]!));
  }
  for (const o of args.options ?? []) {
    let parsed: Omit<OcrOptions, "data"> & { data?: unknown };
    try {
      parsed = JSON.parse(o) as typeof parsed;
    } catch (err) {
      throw new Error(`--options takes OcrOptions as JSON, e.g. '{"data":"fast","invert":false}': ${(err as Error).message}`);
    }
    const { data: named, ...rest } = parsed;
    const options: OcrOptions = named === "bundled" || named === "fast" ? { ...rest, data: configuredTrainedData(named) } : (parsed as OcrOptions);
    variants.push(await engineReader(`pgrecall with ${o}`, options, images[0]!));
  }
  const [ours, oursNative, native, ...compared] = (await interleaved(images, [
    await engineReader("pgrecall", {}, images[0]!),
    await engineReader("pgrecall, native engine", { engine: "native" }, images[0]!),
    { name: "native tesseract CLI", read: async (img) => tsvOrder(await tesseractWords(img)) },
    ...variants,
  ])) as [Run, Run, Run, ...Run[]];
  const idxOf = (f: (s: OcrScreen) => boolean) => screens.map((s, i) => (f(s) ? i : -1)).filter((i) => i >= 0);
  console.log(`\n## pgrecall (tesseract.js ${createRequire(import.meta.url)("tesseract.js/package.json").version}) against native tesseract ${version}, default settings`);
  for (const part of ["tune", "held-out"] as const) {
    const idx = idxOf((s) => s.set === part);
    if (idx.length) sideBySide(part === "tune" ? "tuning set (seed 1; DejaVu, Liberation, Noto)" : "held-out set (seed 2; Roboto, Open Sans, Lato, Cantarell, JetBrains Mono, Fira Code, Hack; not tuned on)", screens, idx, [ours, oursNative, native]);
  }
  console.log(`\nCPU time per frame (decoding, preprocessing, both readings and the reading order included; two frames at a time; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}):\n`);
  console.log("| | " + [ours, oursNative, native].map((r) => r.name).join(" | ") + " |");
  console.log("|---|" + [ours, oursNative, native].map(() => "---").join("|") + "|");
  for (const part of ["tune", "held-out"] as const) {
    const n = idxOf((s) => s.set === part).length;
    if (!n) continue;
    console.log(`| ${part} | ${[ours, oursNative, native].map((r) => `${(r.cpu[part]! / n).toFixed(2)} s (${(r.cpu[part]! / native.cpu[part]!).toFixed(2)}× native)`).join(" | ")} |`);
  }

  const runs: Run[] = [ours, oursNative, native, ...compared];
  if (compared.length) {
    for (const part of ["tune", "held-out"] as const) {
      const idx = idxOf((s) => s.set === part);
      if (!idx.length) continue;
      console.log(`\n### word recall per kind, every reading compared, ${part} set\n`);
      console.log("| kind | " + runs.map((r) => r.name).join(" | ") + " |");
      console.log("|---|" + runs.map(() => "---").join("|") + "|");
      for (const k of [...OCR_KINDS.filter((k) => idx.some((i) => screens[i]!.kind === k)), "all"] as const) {
        const sc = runs.map((r) => total(r, screens, (s) => s.set === part && (k === "all" || s.kind === k)));
        console.log(`| ${k} | ${sc.map((s) => pct(s.wordsFound, s.words)).join(" | ")} |`);
      }
    }
  }
  if (args.factors || args.dump) {
    const [cli, nativeOrdered] = await runNative(images, { name: "native tesseract CLI, alone" });
    runs.push(nativeOrdered!);
    const [plain, plainTessOrder] = await runJs(images, { name: "tesseract.js, one reading (no second look)" });
    runs.push(plain, plainTessOrder);
    if (args.dump) {
      mkdirSync(args.dump, { recursive: true });
      screens.forEach((s, i) =>
        writeFileSync(join(args.dump!, s.name.replace(/\//g, "_") + ".json"), JSON.stringify({ js: plain.words![i], native: cli.words![i] })),
      );
    }
  }
  if (args.factors) {
    const tmp = mkdtempSync(join(tmpdir(), "pgrecall-bench-ocr-"));
    const eng = createRequire(import.meta.url)("@tesseract.js-data/eng") as { langPath: string };
    for (const v of ["4.0.0", "4.0.0_best_int"]) {
      mkdirSync(join(tmp, v));
      writeFileSync(join(tmp, v, "eng.traineddata"), gunzipSync(readFileSync(join(eng.langPath, "..", v, "eng.traineddata.gz"))));
    }
    const fast = fastTrainedData();
    const engines: { name: string; options: OcrOptions }[] = [
      { name: `pgrecall, second look (under ${DEFAULT_SECOND_LOOK.minConfidence} % at ${DEFAULT_SECOND_LOOK.scale}×)`, options: { secondLook: DEFAULT_SECOND_LOOK } },
      { name: `pgrecall, second look by the worst word under ${DEFAULT_SECOND_LOOK.minConfidence}`, options: { secondLook: { ...DEFAULT_SECOND_LOOK, by: "worst" } } },
      { name: "pgrecall, second look at 3×", options: { secondLook: { ...DEFAULT_SECOND_LOOK, scale: 3 } } },
      ...(fast ? [{ name: "pgrecall with tessdata_fast (the system's), one reading", options: { data: fast, secondLook: false as const } }] : []),
      { name: "pgrecall, whole frame at 2×, one reading", options: { upscale: 2, secondLook: false } },
    ];
    const js: JsConfig[] = [
      { name: "tesseract.js, the PNG as it is", raw: true },
      { name: "tesseract.js, greyscale, no inversion", options: { invert: false } },
      { name: "tesseract.js, PSM 4", psm: 4 },
      { name: "tesseract.js, PSM 6", psm: 6 },
      { name: "tesseract.js, PSM 11", psm: 11 },
      { name: "tesseract.js, data 4.0.0_best_int", options: { data: { langPath: join(eng.langPath, "..", "4.0.0_best_int"), gzip: true } } },
    ];
    const nat: NativeConfig[] = [
      { name: "native, pgrecall's greyscale+inversion", prepared: true },
      { name: "native, data 4.0.0 (tesseract.js's)", tessdataDir: join(tmp, "4.0.0") },
      { name: "native, data 4.0.0_best_int", tessdataDir: join(tmp, "4.0.0_best_int") },
    ];
    const all = [...engines.map((c) => async () => [await runEngine(images, c)]), ...js.map((c) => () => runJs(images, c)), ...nat.map((c) => () => runNative(images, c))];
    for (const measure of all) {
      const rs = await measure();
      for (const r of rs) {
        const sc = total(r, screens, () => true);
        console.error(`measured: ${r.name}: recall ${pct(sc.wordsFound, sc.words)}, line CER ${cer(sc)}, CPU ${(sumCpu(r) / sumCpu(native)).toFixed(2)}× native`);
      }
      runs.push(...rs);
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const part of ["tune", "held-out"] as const) {
    if (!screens.some((s) => s.set === part)) continue;
    console.log(`\n### every configuration measured, ${part} set (CPU time against the native CLI's on the same set)\n`);
    console.log("| configuration | recall | line CER | table rows | lines mixing panes | numbers kept | CPU per frame, vs native |");
    console.log("|---|---|---|---|---|---|---|");
    for (const r of runs) {
      const s = total(r, screens, (x) => x.set === part);
      const n = screens.filter((x) => x.set === part).length;
      console.log(`| ${r.name} | ${pct(s.wordsFound, s.words)} | ${cer(s)} | ${s.rowsFound}/${s.rows} | ${s.mixedLines}/${s.lines} | ${s.numbersFound}/${s.numbers} | ${(r.cpu[part]! / n).toFixed(2)} s, ${(r.cpu[part]! / native.cpu[part]!).toFixed(2)}× |`);
    }
  }
}

const sumCpu = (r: Run) => Object.values(r.cpu).reduce((a, b) => a + b, 0);

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
