// What every task shares in one worker process: one database pool, the image store and the
// engines, created once at start and reused by every job.
import type { Sql } from "./db.js";
import type { Embedder } from "./engines/embedder.js";
import type { OcrEngine } from "./engines/ocr.js";
import type { Redactor } from "./engines/redactor.js";
import type { VisionProvider } from "./engines/vision.js";
import type { BlobStore } from "./store.js";

export interface Runtime {
  sql: Sql;
  store: BlobStore;
}

/** Engines start on first use (tesseract, the embedding model) and serve every job after. */
export interface Engines {
  ocr: OcrEngine;
  /** Secret detection and image redaction, between OCR and recording the text. */
  redactor: Redactor;
  embedder: Embedder;
  /** null: no vision provider configured, the stage is skipped with that reason. */
  vision: VisionProvider | null;
}
