// OCR with tesseract.js, fully offline: English data from the @tesseract.js-data/eng
// package, no download, no cache file written anywhere. One scheduler of N tesseract
// workers (worker threads: the event loop stays free) is created once per process and
// reused by every job.
import { createRequire } from "node:module";
import sharp from "sharp";
import { createScheduler, createWorker, OEM, PSM, type Block, type RecognizeResult, type Scheduler } from "tesseract.js";
import { MAX_INPUT_PIXELS } from "./hasher.js";
import { readingOrder, type PlacedWord } from "./reading-order.js";

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

/** Mean grey (0-255) below which a frame is a dark theme and is inverted before OCR. */
export const DARK_MEAN = 110;

const engData = createRequire(import.meta.url)("@tesseract.js-data/eng") as { langPath: string; gzip: boolean };

export class OcrEngine {
  private scheduler: Promise<Scheduler> | undefined;

  /** psm: tesseract's page segmentation mode; AUTO (3) measured best on screens (bench/ocr). */
  constructor(readonly workers = 2, readonly psm: PSM = PSM.AUTO) {}

  private start(): Promise<Scheduler> {
    this.scheduler ??= (async () => {
      const scheduler = createScheduler();
      for (let i = 0; i < this.workers; i++) {
        const w = await createWorker("eng", OEM.LSTM_ONLY, {
          langPath: engData.langPath,
          gzip: engData.gzip,
          cacheMethod: "none",
        });
        // Page segmentation pinned (bench/ocr compares the modes); reading order is ours (layout).
        await w.setParameters({ tessedit_pageseg_mode: this.psm, preserve_interword_spaces: "1" });
        scheduler.addWorker(w);
      }
      return scheduler;
    })();
    return this.scheduler;
  }

  /** Greyscale, inverted when dark (dark themes read worse and slower), never downscaled. */
  async prepare(image: Buffer): Promise<Buffer> {
    const grey = sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" }).rotate().greyscale();
    const { channels } = await grey.clone().stats();
    const mean = channels[0]?.mean ?? 255;
    return (mean < DARK_MEAN ? grey.negate({ alpha: false }) : grey).png({ compressionLevel: 1 }).toBuffer();
  }

  /** OCR of an image made by prepare(), in screen reading order. */
  async recognize(prepared: Buffer): Promise<OcrResult> {
    return layout(await this.blocks(prepared));
  }

  /** Tesseract's own result: blocks, paragraphs, lines and words in its order. */
  async blocks(prepared: Buffer): Promise<Block[]> {
    const scheduler = await this.start();
    const r = (await scheduler.addJob("recognize", prepared, {}, { blocks: true, text: false })) as RecognizeResult;
    return r.data.blocks ?? [];
  }

  async stop(): Promise<void> {
    if (this.scheduler) await (await this.scheduler).terminate();
    this.scheduler = undefined;
  }
}

/**
 * Text in reading order: tesseract's words regrouped into screen regions (readingOrder), a
 * blank line between regions, one line per text line; word offsets into the text are exact.
 */
export function layout(blocks: Block[]): OcrResult {
  const placed: PlacedWord[] = [];
  let line = 0;
  for (const block of blocks) {
    for (const para of block.paragraphs) {
      for (const l of para.lines) {
        for (const w of l.words) {
          const text = w.text.replace(/\0/g, "").trim();
          if (text) placed.push({ text, confidence: w.confidence, box: w.bbox, line });
        }
        line++;
      }
    }
  }
  let text = "";
  const words: OcrWord[] = [];
  let sum = 0;
  for (const region of readingOrder(placed)) {
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
