// OCR of a few representative screens of the realistic corpus (fixtures/screens-ocr.ts): a
// spreadsheet's rows come out as one line each with their cells in order and their decimals
// and thousands separators; a dark calendar's events are read off their coloured blocks; a
// settings panel's label and value stay on one line; an editor's sidebar, gutter and code do
// not mix. The whole corpus is measured by bench/ocr.ts.
import { afterAll, describe, expect, it } from "vitest";
import { OcrEngine } from "../../src/engines/ocr.js";
import { nativeVersion } from "../../src/engines/ocr-native.js";
import { ocrCorpus, punctuatedNumbers, type OcrKind } from "../../fixtures/screens-ocr.js";
import { readingOfResult, scoreReading } from "../../fixtures/ocr-score.js";

// generous limits: the tests are about what is read, not how fast (the machine may be loaded)
const LIMIT = { baseMs: 300_000, msPerMpx: 0 };
const engine = new OcrEngine(2, undefined, LIMIT);
afterAll(() => engine.stop());

async function read(kind: OcrKind, set: "tune" | "held-out", i = 0) {
  const screen = ocrCorpus({ set, kinds: [kind], perKind: i + 1 })[i]!;
  const r = await engine.recognize(await engine.prepare(await screen.render()));
  return { screen, r, score: scoreReading(screen, readingOfResult(r)) };
}

describe("OCR on realistic screens", () => {
  it("reads a spreadsheet row by row: a row's total, city and status on one line, in order", async () => {
    const { screen, r } = await read("spreadsheet", "tune");
    const lines = r.text.split("\n");
    let seen = 0, inOrder = 0;
    for (const row of screen.rows.slice(1)) {
      const [total, city, status] = row.slice(-3) as [string, string, string];
      const line = lines.find((l) => l.split(" ").includes(total));
      if (!line) continue; // the total itself misread: recognition, measured by bench/ocr
      seen++;
      const at = (w: string) => line.split(" ").indexOf(w);
      if (at(city) > at(total) && at(status) > at(city)) inOrder++;
    }
    expect(seen).toBeGreaterThanOrEqual(15);
    expect(inOrder / seen).toBeGreaterThanOrEqual(0.9);
    // thousands separators and decimals as on screen
    expect(punctuatedNumbers(screen).some((n) => /^\d{1,3}(,\d{3})+\.\d\d$/.test(n) && r.text.includes(n))).toBe(true);
    // words keep their boxes and exact offsets (redaction and search depend on them)
    for (const w of r.words) expect(r.text.slice(w.o, w.o + w.t.length)).toBe(w.t);
  });

  it("reads the events on a dark 2× calendar's coloured blocks, each time range in one piece", async () => {
    // tesseract reads each event block as one tall unsure word; the second look reads what is inside
    const { screen, r, score } = await read("calendar-2x", "held-out");
    const ranges = screen.panes.flatMap((p) => p.lines).filter((l) => /^\d{1,2}:\d\d - \d{1,2}:\d\d$/.test(l));
    expect(ranges.length).toBeGreaterThanOrEqual(10);
    expect(ranges.filter((x) => r.text.includes(x)).length / ranges.length).toBeGreaterThanOrEqual(0.8);
    expect(score.wordsFound / score.words).toBeGreaterThanOrEqual(0.8);
  });

  it("keeps an editor's sidebar apart from its code, and a settings label with its value", async () => {
    const [ide, settings] = await Promise.all([read("ide-dark", "held-out"), read("settings-small", "tune")]);
    expect(ide.score.mixedLines).toBeLessThanOrEqual(1);
    expect(ide.r.text).toMatch(/const TAX_RATE = 0\.19;/);
    expect(settings.score.rowsFound / settings.score.rows).toBeGreaterThanOrEqual(0.75);
    expect(settings.score.mixedLines).toBeLessThanOrEqual(1);
  });
});

describe("the native tesseract engine behind the same interface", async () => {
  const installed = (await nativeVersion()) !== null;
  it.skipIf(!installed)("gives words with boxes, confidences and exact offsets, table rows as lines; an abort kills the run", async () => {
    const native = new OcrEngine(1, undefined, LIMIT, { engine: "native" });
    try {
      expect(await native.engineKind()).toBe("native");
      const screen = ocrCorpus({ set: "tune", kinds: ["settings-small"], perKind: 1 })[0]!;
      const prepared = await native.prepare(await screen.render());
      const r = await native.recognize(prepared);
      const score = scoreReading(screen, readingOfResult(r));
      expect(score.rowsFound / score.rows).toBeGreaterThanOrEqual(0.85);
      expect(score.mixedLines).toBeLessThanOrEqual(1);
      for (const w of r.words) {
        expect(r.text.slice(w.o, w.o + w.t.length)).toBe(w.t);
        expect(w.b[2]).toBeGreaterThan(w.b[0]);
        expect(w.c).toBeGreaterThanOrEqual(0);
      }
      const ac = new AbortController();
      const run = native.recognize(prepared, { signal: ac.signal });
      setTimeout(() => ac.abort(new Error("stopping")), 50);
      await expect(run).rejects.toThrow("stopping");
      expect(native.threads).toBe(0);
    } finally {
      await native.stop();
    }
  });
});
