// The redaction step between OCR and recording the text: the detector with the user's rules
// (pgrecall.secret_rules, re-read when they change), and the image with the findings blacked
// out. One per worker process.
import { createHash } from "node:crypto";
import type { Sql } from "../db.js";
import { quietWorkerLogger as log } from "../logging.js";
import type { OcrResult } from "./ocr.js";
import { redactImage } from "./redact-image.js";
import { SecretDetector, type Detection, type RuleInput } from "./secrets.js";

export class Redactor {
  private detector: { digest: string; detector: SecretDetector } | null = null;

  constructor(private readonly key: () => Buffer) {}

  /** The OCR result with every finding masked, and the findings (none on most screens). */
  async detect(sql: Sql, ocr: OcrResult): Promise<Detection> {
    const detector = await this.current(sql);
    return detector.detect(ocr.text, ocr.words);
  }

  /** The image with the findings' boxes filled solid, as PNG. */
  blackOut(image: Buffer, d: Detection): Promise<Buffer> {
    return redactImage(image, d.findings.flatMap((f) => f.boxes));
  }

  private async current(sql: Sql): Promise<SecretDetector> {
    const rows = await sql<{ rule: RuleInput }[]>`select rule from pgrecall.secret_rules order by name`;
    const digest = createHash("sha256").update(JSON.stringify(rows.map((r) => r.rule))).digest("hex");
    if (this.detector?.digest !== digest) {
      const detector = new SecretDetector({ key: this.key(), rules: rows.map((r) => r.rule) });
      // The reason never quotes the pattern (it may hold a literal secret).
      for (const r of detector.refused) log.warn(`secret rule ${r.name} is not applied: ${r.reason}`);
      this.detector = { digest, detector };
    }
    return this.detector.detector;
  }
}
