// OCR with tesseract.js, fully offline: English data from the @tesseract.js-data/eng package
// (tessdata.ts), no download, no cache file written anywhere. A pool of N tesseract workers
// (worker threads: the event loop stays free) is created on first use and reused by every
// job. tesseract cannot cancel a recognition, so a job that runs past its time limit or is
// interrupted (the worker is stopping) has its thread terminated; a fresh one replaces it.
// Or, when configured (PGRECALL_OCR_ENGINE=native, or auto and installed), the native
// `tesseract` CLI (ocr-native.ts), one process per frame, killed at its limit; both give the
// same words, boxes, confidences and offsets, in pgrecall's reading order (reading-order.ts).
import { createRequire } from "node:module";
import sharp from "sharp";
import { createWorker, OEM, PSM, type Block, type RecognizeResult, type Worker } from "tesseract.js";
import { readConfig } from "../config.js";
import { MAX_INPUT_PIXELS } from "./hasher.js";
import { nativeVersion, tesseractWords } from "./ocr-native.js";
import { DEFAULT_SECOND_LOOK, attachMissed, keepBetter, linesOf, missedLines, misreadPatches, pickLines, stackLines, wordsByStrip, type SecondLookOptions } from "./ocr-second-look.js";
import { readingOrder, type Backdrop, type PlacedWord } from "./reading-order.js";
import { configuredTrainedData, fastTrainedData, type TrainedData } from "./tessdata.js";

const TESSERACT_JS_VERSION = (createRequire(import.meta.url)("tesseract.js/package.json") as { version: string }).version;

export interface OcrWord {
  /** text */
  t: string;
  /** confidence 0-100 */
  c: number;
  /** box [x0, y0, x1, y1] in image pixels */
  b: [number, number, number, number];
  /** offset of the word in the text */
  o: number;
}

export interface OcrResult {
  text: string;
  confidence: number | null;
  words: OcrWord[];
}

/** A frame made ready for OCR by prepare(): 8-bit grey, dark themes inverted. */
export interface PreparedImage {
  /** Binary PGM (P5): tesseract reads it as is, where it spent 16 s inflating a 62 Mpx PNG. */
  pgm: Buffer;
  /** The pixels, row by row (a view into pgm). */
  pixels: Buffer;
  width: number;
  height: number;
  inverted: boolean;
  /** How much the frame was enlarged for OCR (1: not at all); boxes are given back in frame pixels. */
  scale: number;
}

/** Which tesseract reads: tesseract.js (WebAssembly, bundled data) or the native CLI (Debian's tesseract-ocr). */
export type OcrEngineKind = "tesseract.js" | "native";

/** A folder tesseract.js reads eng.traineddata from; `model` names it when known (tessdata.ts). */
export type ModelFiles = Pick<TrainedData, "langPath" | "gzip"> & Partial<Pick<TrainedData, "model">>;

/** Where tesseract's trained data comes from and how a frame is prepared (bench/ocr measures each). */
export interface OcrOptions {
  /** default: Config's ocrEngine (PGRECALL_OCR_ENGINE; "auto": native when installed) */
  engine?: OcrEngineKind | "auto";
  /** trained data: a folder with eng.traineddata(.gz); default PGRECALL_OCR_DATA's (tessdata.ts) */
  data?: ModelFiles;
  /** invert dark frames (default true) */
  invert?: boolean;
  /** enlarge frames by this factor before OCR (default 1) */
  upscale?: number;
  /** tesseract variables for both engines, over LAYOUT_PARAMETERS (bench/ocr measures them) */
  parameters?: Record<string, string>;
  /** lines read with a low confidence, and text the first reading skipped, read again enlarged (ocr-second-look.ts); false: never; default: as configured */
  secondLook?: SecondLookOptions | false;
}

/**
 * How long one frame may take: tesseract's time grows with the text on a frame, and the text
 * a frame can hold with its pixels. Measured alone on one core of this machine: 1.5 s for a
 * 1920×1080 editor screen, 24 s for 16.6 Mpx and 182 s for 62 Mpx of such screens tiled
 * (about 3 s per Mpx at the top of the range); noise and photos end sooner, tesseract finds
 * no lines in them.
 */
export interface OcrLimit {
  baseMs: number;
  msPerMpx: number;
}

/** 30 s + 5 s per megapixel: 40 s for a 1080p screen, 340 s at the 64 Mpx input limit. */
export const DEFAULT_OCR_LIMIT: OcrLimit = { baseMs: 30_000, msPerMpx: 5_000 };

/**
 * Parts of tesseract's page layout pgrecall does not use, switched off in both engines: its
 * search for vertical text (bench/ocr: not one word changed on the 48 screens; CPU a few percent
 * less, within the runs' noise). Its table finder stays on: off, it saved CPU in every run
 * (1.25× / 1.31× the CLI's against 1.45× / 1.34× in one, 8-17 % in others) for the same recall overall
 * (0.953 / 0.926 against 0.952 / 0.928), but the held-out terminal fell from 0.892 to 0.873
 * (an ls listing's "-rw-r--r--" read "orW-r--r--" once its rows were no longer cut into cells)
 * and a dark IDE's code lost its "=" signs (test/engines/ocr-corpus.test.ts).
 */
export const LAYOUT_PARAMETERS: Readonly<Record<string, string>> = { textord_tabfind_vertical_text: "0" };

/** Mean grey (0-255) below which a frame is a dark theme and is inverted before OCR. */
export const DARK_MEAN = 110;

/**
 * A tesseract worker's WebAssembly memory only grows (1.3 GB after a 62 Mpx frame, 0.3 GB
 * after a 1080p one); after a frame larger than this its thread is replaced, which gives
 * that memory back.
 */
export const RECYCLE_AFTER_PIXELS = 16_000_000;

/** The frame took longer than its limit; the message says how long and why that limit. */
export class OcrTimeLimit extends Error {}

/**
 * A frame's time (all its readings together): `ms` from when its first reading got a thread,
 * `at` then set; the error it fails with past it.
 */
interface FrameLimit {
  ms: number;
  at?: number;
  error: () => OcrTimeLimit;
}

export class OcrEngine {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private starting = 0;
  private waiting: (() => void)[] = [];
  private generation = 0;
  private kind: Promise<OcrEngineKind> | undefined;
  private look: Promise<SecondLookOptions | false> | undefined;
  private data: ModelFiles | undefined;
  private description: Promise<string> | undefined;
  /** each thread's page segmentation mode as last set */
  private psmOf = new WeakMap<Worker, PSM>();
  /** native runs in progress: stop() aborts them */
  private native = new AbortController();
  private nativeRunning = 0;

  /** psm: tesseract's page segmentation mode; AUTO (3) measured best on screens (bench/ocr). */
  constructor(
    readonly workers = 2,
    readonly psm: PSM = PSM.AUTO,
    readonly limit: OcrLimit = DEFAULT_OCR_LIMIT,
    readonly options: OcrOptions = {},
  ) {}

  /** The time limit of a frame of this size, in milliseconds. */
  timeLimitMs(width: number, height: number): number {
    return Math.round(this.limit.baseMs + (this.limit.msPerMpx * width * height) / 1e6);
  }

  /**
   * Greyscale, inverted when dark (dark themes read worse and slower), never downscaled: one
   * decode (3.6 s for 62 Mpx; the PNG round trip this replaced took 15 s before tesseract began).
   */
  async prepare(image: Buffer): Promise<PreparedImage> {
    const scale = this.options.upscale ?? 1;
    let img = sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .rotate()
      .flatten({ background: "#ffffff" }) // transparency reads as paper, as a viewer shows it
      .greyscale();
    if (scale !== 1) {
      const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
      const w = meta.autoOrient?.width ?? meta.width!;
      img = img.resize({ width: Math.round(w * scale), kernel: "cubic" });
    }
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected one grey channel, got ${info.channels}`);
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += data[i]!;
    const inverted = (this.options.invert ?? true) && data.length > 0 && sum / data.length < DARK_MEAN;
    const header = Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, "latin1");
    const pgm = Buffer.allocUnsafe(header.length + data.length);
    header.copy(pgm);
    const pixels = pgm.subarray(header.length);
    if (inverted) for (let i = 0; i < data.length; i++) pixels[i] = 255 - data[i]!;
    else data.copy(pixels);
    return { pgm, pixels, width: info.width, height: info.height, inverted, scale };
  }

  /** Which engine reads: the option, else Config's ocrEngine; "auto" asks whether the CLI runs (once). */
  engineKind(): Promise<OcrEngineKind> {
    this.kind ??= (async () => {
      const want = this.options.engine ?? readConfig().ocrEngine;
      if (want !== "auto") return want;
      return (await nativeVersion()) ? "native" : "tesseract.js";
    })();
    return this.kind;
  }

  /**
   * OCR of an image made by prepare(), in screen reading order: tesseract's words, the lines it
   * read badly read again enlarged (secondLook), all within the frame's one time limit.
   */
  async recognize(prepared: PreparedImage, o: { signal?: AbortSignal } = {}): Promise<OcrResult> {
    const native = (await this.engineKind()) === "native";
    const limit: FrameLimit = { ms: this.timeLimitMs(prepared.width, prepared.height), error: () => this.timeLimit(prepared) };
    const read = (img: PreparedImage, psm?: PSM): Promise<PlacedWord[]> =>
      native ? this.nativeWords(img, { signal: o.signal, limit, psm }) : this.blocks(img, { signal: o.signal, limit, psm }).then((b) => placedWords(b, img.scale));
    const first = await read(prepared);
    const look = this.options.secondLook ?? (await this.configuredLook());
    if (!look) return arrange(first, prepared);
    // lines are cropped, and missed ink searched, without the coloured blocks read as one word
    const patches = misreadPatches(first);
    const readable = patches.size ? first.filter((w) => !patches.has(w)) : first;
    let lines = pickLines(readable, look);
    if (look.missedConfidence > 0) lines = attachMissed(lines, linesOf(readable), missedLines(prepared, readable, look.maxLines, look.inkContrast));
    if (!lines.length) return arrange(first, prepared);
    const stack = await stackLines(prepared, lines, look.scale, readable);
    const again = await read({ pgm: stack.pgm, pixels: stack.pgm.subarray(stack.pgm.length - stack.width * stack.height), width: stack.width, height: stack.height, inverted: false, scale: 1 }, PSM.SINGLE_BLOCK);
    const crops = new Map<number | string, { x0: number; x1: number }[]>();
    for (const st of stack.strips) crops.set(st.line, [...(crops.get(st.line) ?? []), { x0: st.x0 / prepared.scale, x1: st.x1 / prepared.scale }]);
    return arrange(keepBetter(first, wordsByStrip(again, stack, look.scale, prepared.scale), look.missedConfidence || 101, crops), prepared);
  }

  /**
   * The second look as configured (PGRECALL_OCR_SECOND_LOOK, _SCALE, PGRECALL_OCR_MISSED), or
   * false: off. "auto": on when reading with tessdata_fast (the native CLI reads with it too).
   */
  private configuredLook(): Promise<SecondLookOptions | false> {
    this.look ??= (async () => {
      const config = readConfig();
      const c = config.ocrSecondLook;
      if (c !== "auto") return c ? { ...DEFAULT_SECOND_LOOK, ...c } : false;
      const fast = (await this.engineKind()) === "native" ? !this.options.data && fastTrainedData() !== null : this.trainedData().model === "tessdata_fast";
      return fast ? { ...DEFAULT_SECOND_LOOK, missedConfidence: config.ocrMissedConfidence } : false;
    })();
    return this.look;
  }

  /**
   * Which engine, model and second look read the frames, as frames.ocr_engine records it
   * ("pgrecall: tesseract.js 7.0.0, tessdata_fast, second look 80/60"): found once.
   */
  describe(): Promise<string> {
    this.description ??= (async () => {
      const native = (await this.engineKind()) === "native";
      const engine = native ? `tesseract ${(await nativeVersion()) ?? "?"} (native)` : `tesseract.js ${TESSERACT_JS_VERSION}`;
      // The native CLI reads its own tessdata directory unless given a folder.
      const model = native ? (this.options.data?.model ?? (this.options.data ? "given data" : fastTrainedData() ? "tessdata_fast" : "system data")) : (this.trainedData().model ?? "given data");
      const look = this.options.secondLook ?? (await this.configuredLook());
      return `pgrecall: ${engine}, ${model}${look ? `, second look ${look.minConfidence}/${look.missedConfidence}` : ""}`;
    })();
    return this.description;
  }

  /** The model tesseract.js reads with: the option, else PGRECALL_OCR_DATA's (found once). */
  trainedData(): ModelFiles {
    return (this.data ??= this.options.data ?? configuredTrainedData(readConfig().ocrData));
  }

  /** The native CLI on a prepared image: at most `workers` processes at once, killed at the limit. */
  private async nativeWords(prepared: PreparedImage, o: { signal?: AbortSignal; limit: FrameLimit; psm?: PSM }): Promise<PlacedWord[]> {
    const { signal } = o;
    while (this.nativeRunning >= this.workers) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener("abort", wake);
          resolve();
        };
        this.waiting.push(wake);
        signal?.addEventListener("abort", wake, { once: true });
      });
      signal?.throwIfAborted();
    }
    this.nativeRunning++;
    const run = new AbortController();
    const onAbort = () => run.abort(signal!.reason);
    const onStop = () => run.abort(new Error("the OCR engine was stopped"));
    signal?.addEventListener("abort", onAbort, { once: true });
    this.native.signal.addEventListener("abort", onStop, { once: true });
    o.limit.at ??= Date.now() + o.limit.ms;
    const timer = setTimeout(() => run.abort(o.limit.error()), Math.max(0, o.limit.at - Date.now()));
    try {
      signal?.throwIfAborted();
      run.signal.throwIfAborted();
      const words = await tesseractWords(prepared.pgm, {
        psm: Number(o.psm ?? this.psm), signal: run.signal, tessdataDir: this.options.data && !this.options.data.gzip ? this.options.data.langPath : undefined,
        variables: { ...LAYOUT_PARAMETERS, ...this.options.parameters },
      });
      const s = prepared.scale;
      return words.map((w) => ({
        text: w.text,
        confidence: w.confidence,
        line: w.line,
        box: s === 1 ? w.box : { x0: Math.floor(w.box.x0 / s), y0: Math.floor(w.box.y0 / s), x1: Math.ceil(w.box.x1 / s), y1: Math.ceil(w.box.y1 / s) },
      }));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      this.native.signal.removeEventListener("abort", onStop);
      this.nativeRunning--;
      this.waiting.shift()?.();
    }
  }

  private timeLimit(prepared: PreparedImage): OcrTimeLimit {
    const limitMs = this.timeLimitMs(prepared.width, prepared.height);
    const mpx = (prepared.width * prepared.height) / 1e6;
    return new OcrTimeLimit(
      `OCR stopped after ${limitMs < 10_000 ? (limitMs / 1000).toFixed(1) : Math.round(limitMs / 1000)} s, the limit for a ${prepared.width}×${prepared.height} frame ` +
        `(${mpx.toFixed(1)} Mpx: ${this.limit.baseMs / 1000} s + ${this.limit.msPerMpx / 1000} s per megapixel)`,
    );
  }

  /**
   * Tesseract's own result: blocks, paragraphs, lines and words in its order. Rejects with
   * OcrTimeLimit past the frame's limit (o.limit: a deadline shared by a frame's readings), and
   * with the signal's reason as soon as it aborts. psm: this reading's page segmentation mode.
   */
  async blocks(prepared: PreparedImage, o: { signal?: AbortSignal; limit?: FrameLimit; psm?: PSM } = {}): Promise<Block[]> {
    const { signal } = o;
    const limit = o.limit ?? { ms: this.timeLimitMs(prepared.width, prepared.height), error: () => this.timeLimit(prepared) };
    const worker = await this.acquire(signal);
    limit.at ??= Date.now() + limit.ms;
    let keep = prepared.width * prepared.height <= RECYCLE_AFTER_PIXELS;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const cutShort = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(limit.error()), Math.max(0, limit.at! - Date.now()));
        onAbort = () => reject(signal!.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      cutShort.catch(() => undefined);
      const psm = o.psm ?? this.psm;
      if (this.psmOf.get(worker) !== psm) {
        await Promise.race([worker.setParameters({ tessedit_pageseg_mode: psm }), cutShort]);
        this.psmOf.set(worker, psm);
      }
      const recognition = worker.recognize(prepared.pgm, {}, { blocks: true, text: false }) as Promise<RecognizeResult>;
      recognition.catch(() => undefined); // a terminated worker's job may reject after we have given up on it
      const r = await Promise.race([recognition, cutShort]);
      return r.data.blocks ?? [];
    } catch (err) {
      keep = false; // cut short, or in a state we do not know: this thread is not reused
      throw err;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      this.release(worker, keep);
    }
  }

  /** Terminates every tesseract thread, busy or idle; their jobs are abandoned. */
  async stop(): Promise<void> {
    this.generation++;
    this.native.abort();
    this.native = new AbortController();
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    this.busy.clear();
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.all(all.map((w) => w.terminate().catch(() => undefined)));
  }

  /** How many tesseract threads are alive (started, idle or busy). */
  get threads(): number {
    return this.idle.length + this.busy.size + this.starting + this.nativeRunning;
  }

  private async acquire(signal?: AbortSignal): Promise<Worker> {
    for (;;) {
      signal?.throwIfAborted();
      const idle = this.idle.pop();
      if (idle) {
        this.busy.add(idle);
        return idle;
      }
      if (this.threads < this.workers) {
        const generation = this.generation;
        this.starting++;
        let w: Worker;
        try {
          w = await this.create();
        } finally {
          this.starting--;
        }
        if (generation !== this.generation || signal?.aborted) {
          // stop() ran meanwhile, or the job was interrupted while its thread started
          await w.terminate().catch(() => undefined);
          this.waiting.shift()?.();
          signal?.throwIfAborted();
          continue;
        }
        this.busy.add(w);
        return w;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener("abort", wake);
          this.waiting = this.waiting.filter((x) => x !== wake);
          resolve();
        };
        this.waiting.push(wake);
        signal?.addEventListener("abort", wake, { once: true });
      });
    }
  }

  private release(w: Worker, keep: boolean): void {
    if (!this.busy.delete(w)) return; // stop() has taken it
    if (keep) this.idle.push(w);
    else void w.terminate().catch(() => undefined);
    this.waiting.shift()?.();
  }

  private async create(): Promise<Worker> {
    const data = this.trainedData();
    const w = await createWorker("eng", OEM.LSTM_ONLY, {
      langPath: data.langPath,
      gzip: data.gzip,
      cacheMethod: "none",
    });
    // Page segmentation pinned (bench/ocr compares the modes); reading order is ours (layout).
    await w.setParameters({ tessedit_pageseg_mode: this.psm, preserve_interword_spaces: "1", ...LAYOUT_PARAMETERS, ...this.options.parameters });
    this.psmOf.set(w, this.psm);
    return w;
  }
}

/**
 * Text in reading order: tesseract's words regrouped into screen regions (readingOrder), a
 * blank line between regions, one line per text line; word offsets into the text are exact.
 */
export function layout(blocks: Block[], scale = 1, backdrop?: Backdrop): OcrResult {
  return arrange(placedWords(blocks, scale), backdrop);
}

/** Tesseract's words with their boxes in frame pixels (÷ scale), each with its tesseract line. */
export function placedWords(blocks: Block[], scale = 1): PlacedWord[] {
  const placed: PlacedWord[] = [];
  let line = 0;
  for (const block of blocks) {
    for (const para of block.paragraphs) {
      for (const l of para.lines) {
        for (const w of l.words) {
          const text = w.text.replace(/\0/g, "").trim();
          const b = w.bbox;
          const box = scale === 1 ? b : { x0: Math.floor(b.x0 / scale), y0: Math.floor(b.y0 / scale), x1: Math.ceil(b.x1 / scale), y1: Math.ceil(b.y1 / scale) };
          if (text) placed.push({ text, confidence: w.confidence, box, line });
        }
        line++;
      }
    }
  }
  return placed;
}

/** Words (any engine's) in reading order as text with exact word offsets. */
export function arrange(placed: PlacedWord[], backdrop?: Backdrop): OcrResult {
  let text = "";
  const words: OcrWord[] = [];
  let sum = 0;
  for (const region of readingOrder(placed, backdrop)) {
    if (text) text += "\n\n";
    region.forEach((l, i) => {
      if (i > 0) text += "\n";
      l.forEach((w, j) => {
        if (j > 0) text += " ";
        words.push({ t: w.text, c: Math.round(w.confidence * 10) / 10, b: [w.box.x0, w.box.y0, w.box.x1, w.box.y1], o: text.length });
        sum += w.confidence;
        text += w.text;
      });
    });
  }
  return { text, confidence: words.length ? Math.round((sum / words.length) * 10) / 10 : null, words };
}
