// Image redaction end to end with the real engines: tesseract.js OCR of rendered screens with
// fake secrets, detection, sharp blacking out the findings' boxes, and OCR of the result, in
// which no 10-character piece of any secret may remain, while text that is no secret (and
// control screens) stay readable.
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { CONTROL_SCREENS, SECRET_SCREENS, type SecretScreen } from "../../fixtures/secret-screens.js";
import { OcrEngine } from "../../src/engines/ocr.js";
import { REDACT_PADDING, padBoxes, redactImage } from "../../src/engines/redact-image.js";
import { SecretDetector } from "../../src/engines/secrets.js";

const ocr = new OcrEngine(2);
const detector = new SecretDetector({ key: "redact-image-test-key-0123456789" });
afterAll(() => ocr.stop());

const recognize = async (png: Buffer) => ocr.recognize(await ocr.prepare(png));

/** Every 10-character piece of the secret (PEM armour lines are public text, not the secret). */
function pieces(secret: string): string[] {
  const out: string[] = [];
  for (const line of secret.split("\n").filter((l) => !/^\s*-----(BEGIN|END)[^\n]*-----\s*$/.test(l)))
    for (const part of line.split(/\s+/)) for (let i = 0; i + 10 <= part.length; i++) out.push(part.slice(i, i + 10));
  return out;
}

const pick = (names: string[], from: SecretScreen[]) => names.map((n) => from.find((s) => s.name === n)!);
const SCREENS = pick(["aws-credentials-terminal", "github-token-browser", "ssh-key-terminal", "dotenv-editor-light", "checkout-browser-light"], SECRET_SCREENS);
const CONTROLS = pick(["git-log-terminal", "hashes-terminal"], CONTROL_SCREENS);

describe("redactImage", () => {
  it("fills the padded boxes solid and leaves every other pixel as it was", async () => {
    const input = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#ffffff" } }).png().toBuffer();
    const out = await redactImage(input, [[10, 10, 50, 30], [190, 90, 400, 400]]);
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 200, 100]);
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
    const p = REDACT_PADDING;
    for (const [x, y, v] of [[10 - p, 10 - p, 0], [50 + p - 1, 30 + p - 1, 0], [30, 20, 0], [10 - p - 1, 20, 255], [50 + p, 20, 255], [199, 99, 0], [100, 50, 255]] as const) {
      expect(at(x, y), `${x},${y}`).toBe(v);
    }
    expect(padBoxes([[190, 90, 400, 400]], 200, 100)).toEqual([[187, 87, 200, 100]]); // clipped to the image
    expect(padBoxes([[300, 300, 400, 400]], 200, 100)).toEqual([]);
  });

  it("works in the orientation OCR saw (EXIF applied), with alpha and a chosen colour", async () => {
    const rotated = await sharp({ create: { width: 60, height: 40, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0.5 } } })
      .png().withMetadata({ orientation: 6 }).toBuffer();
    const out = await redactImage(rotated, [[0, 0, 10, 10]], { color: "#ff0000", padding: 0 });
    const { data, info } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([40, 60, 4]);
    expect([...data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect(() => padBoxes([[0, 0, Number.NaN, 1]], 10, 10)).toThrow(/finite/);
  });
});

describe("OCR → detect → black out → OCR again", () => {
  it.each(SCREENS.map((s) => [s.name, s] as const))(
    "%s: no 10-character piece of a secret is readable afterwards; the rest is",
    async (_name, screen) => {
      const image = await screen.render();
      const before = await recognize(image);
      const found = detector.detect(before.text, before.words);
      expect(found.findings.length).toBeGreaterThan(0);
      const boxes = found.findings.flatMap((f) => f.boxes);
      const redacted = await redactImage(image, boxes);
      const after = await recognize(redacted);
      const readable = [after.text, ...after.words.map((w) => w.t)].join("\n");
      for (const s of screen.secrets) {
        const left = pieces(s.value).filter((p) => readable.includes(p));
        expect(left, `${s.kind} readable after redaction`).toEqual([]);
      }
      // OCR may space a line differently once a box sits next to it, and read a line it reads
      // again (the second look) with l for 1: compared without whitespace, those glyphs folded
      const squeeze = (t: string) => t.replace(/\s+/g, "").replace(/[1I|]/g, "l").replace(/0/g, "O");
      for (const k of screen.keep) if (squeeze(before.text).includes(squeeze(k))) expect(squeeze(after.text), "text that is no secret").toContain(squeeze(k));
      // what was stored as text has no piece either
      const stored = [found.text, ...found.words.map((w) => w.t)].join("\n");
      for (const s of screen.secrets) expect(pieces(s.value).filter((p) => stored.includes(p)), `${s.kind} in redacted text`).toEqual([]);
    },
    240_000,
  );

  it.each(CONTROLS.map((s) => [s.name, s] as const))(
    "control %s: no findings, and its text reads the same after the pipeline",
    async (_name, screen) => {
      const image = await screen.render();
      const before = await recognize(image);
      const found = detector.detect(before.text, before.words);
      expect(found.findings.map((f) => [f.rule, before.text.slice(f.start, f.end)])).toEqual([]);
      expect(found.text).toBe(before.text);
      const after = await recognize(await redactImage(image, found.findings.flatMap((f) => f.boxes)));
      expect(after.text).toBe(before.text);
      for (const k of screen.keep) expect(after.text).toContain(k);
    },
    240_000,
  );
});
