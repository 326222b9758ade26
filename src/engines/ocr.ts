// OCR with tesseract.js, fully offline: English data from the @tesseract.js-data/eng
// package, no download, no cache file written anywhere. One scheduler of N tesseract
// workers (worker threads: the event loop stays free) is created once per process and
// reused by every job.
import { createRequire } from "node:module";
import sharp from "sharp";
import { createScheduler, createWorker, OEM, PSM, type Block, type RecognizeResult, type Scheduler } from "tesseract.js";
import { MAX_INPUT_PIXELS } from "./hasher.js";

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

  constructor(readonly workers = 2) {}

  private start(): Promise<Scheduler> {
    this.scheduler ??= (async () => {
      const scheduler = createScheduler();
      for (let i = 0; i < this.workers; i++) {
        const w = await createWorker("eng", OEM.LSTM_ONLY, {
          langPath: engData.langPath,
          gzip: engData.gzip,
          cacheMethod: "none",
        });
        // Page segmentation pinned: automatic layout analysis keeps panes apart better than
        // a single block on multi-pane screens.
        await w.setParameters({ tessedit_pageseg_mode: PSM.AUTO, preserve_interword_spaces: "1" });
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

  /** OCR of an image made by prepare(). */
  async recognize(prepared: Buffer): Promise<OcrResult> {
    const scheduler = await this.start();
    const r = (await scheduler.addJob("recognize", prepared, {}, { blocks: true, text: false })) as RecognizeResult;
    return layout(r.data.blocks ?? []);
  }

  async stop(): Promise<void> {
    if (this.scheduler) await (await this.scheduler).terminate();
    this.scheduler = undefined;
  }
}

/** Text in tesseract's block order: a region's lines stay together; offsets are exact. */
export function layout(blocks: Block[]): OcrResult {
  let text = "";
  const words: OcrWord[] = [];
  let sum = 0;
  for (const block of blocks) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        const parts = line.words.filter((w) => w.text.trim() !== "");
        parts.forEach((w, i) => {
          if (i > 0) text += " ";
          const t = w.text.replace(/\0/g, "");
          words.push({ t, c: Math.round(w.confidence * 10) / 10, b: [w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1], o: text.length });
          sum += w.confidence;
          text += t;
        });
        if (parts.length) text += "\n";
      }
      if (!text.endsWith("\n\n") && text.length) text += "\n";
    }
  }
  return { text: text.trim(), confidence: words.length ? Math.round((sum / words.length) * 10) / 10 : null, words };
}
