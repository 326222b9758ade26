// Blacks out regions of a screen image: a solid fill (blur can be undone), over boxes in the
// pixel coordinates OCR gave (the image as displayed: EXIF orientation applied, as
// OcrEngine.prepare does), each grown by a small padding so anti-aliased glyph edges go too.
// Returns a new PNG; the caller stores it as a new blob and drops the original.
import sharp from "sharp";
import { MAX_INPUT_PIXELS } from "./hasher.js";
import type { Box } from "./secrets.js";

/** Pixels added on every side of a box: tesseract's boxes are tight around the ink. */
export const REDACT_PADDING = 3;

export interface RedactImageOptions {
  padding?: number;
  /** fill colour, any CSS colour sharp reads (default opaque black) */
  color?: string;
  /** zlib level of the PNG, 0–9 (default 3: as fast as 1 on 1080p screens and as small as 6, bench/secrets) */
  compressionLevel?: number;
}

/** The boxes grown by the padding and clipped to the image; empty ones dropped. */
export function padBoxes(boxes: readonly Box[], width: number, height: number, padding = REDACT_PADDING): Box[] {
  const out: Box[] = [];
  for (const b of boxes) {
    if (b.length !== 4 || !b.every(Number.isFinite)) throw new Error("a box is four finite numbers [x0, y0, x1, y1]");
    const x0 = Math.max(0, Math.floor(Math.min(b[0], b[2]) - padding)), y0 = Math.max(0, Math.floor(Math.min(b[1], b[3]) - padding));
    const x1 = Math.min(width, Math.ceil(Math.max(b[0], b[2]) + padding)), y1 = Math.min(height, Math.ceil(Math.max(b[1], b[3]) + padding));
    if (x1 > x0 && y1 > y0) out.push([x0, y0, x1, y1]);
  }
  return out;
}

/** A copy of `image` (PNG) with each box filled solid. */
export async function redactImage(image: Buffer, boxes: readonly Box[], o: RedactImageOptions = {}): Promise<Buffer> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
    .rotate()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  const { r, g, b, alpha } = await fillColour(o.color ?? "#000000");
  const px = channels === 1 || channels === 2 ? [Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b)] : [r, g, b];
  const pixel = Buffer.from(channels === 2 || channels === 4 ? [...px, alpha] : px);
  for (const [x0, y0, x1, y1] of padBoxes(boxes, width, height, o.padding ?? REDACT_PADDING)) {
    const row = Buffer.alloc((x1 - x0) * channels);
    for (let i = 0; i < row.length; i += channels) pixel.copy(row, i);
    for (let y = y0; y < y1; y++) row.copy(data, (y * width + x0) * channels);
  }
  return sharp(data, { raw: { width, height, channels }, limitInputPixels: MAX_INPUT_PIXELS })
    .png({ compressionLevel: o.compressionLevel ?? 3 })
    .toBuffer();
}

async function fillColour(color: string): Promise<{ r: number; g: number; b: number; alpha: number }> {
  const { data } = await sharp({ create: { width: 1, height: 1, channels: 4, background: color } }).raw().toBuffer({ resolveWithObject: true });
  return { r: data[0]!, g: data[1]!, b: data[2]!, alpha: data[3]! };
}
