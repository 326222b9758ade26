// Reading order on screens: XY-cut over tesseract's word boxes keeps each pane's text together.
import { describe, expect, it } from "vitest";
import { OcrEngine } from "../../src/engines/ocr.js";
import { readingOrder, type PlacedWord } from "../../src/engines/reading-order.js";
import { renderScreen, screenText } from "../../fixtures/render.js";

/** Words laid out like tesseract reports them: one tesseract line per row, across panes. */
function row(line: number, y: number, ...cells: [number, string][]): PlacedWord[] {
  return cells.flatMap(([x, text]) =>
    text.split(" ").map((t, i) => ({ text: t, confidence: 90, line, box: { x0: x + i * 60, y0: y, x1: x + i * 60 + 50, y1: y + 14 } })),
  );
}
const textOf = (regions: PlacedWord[][][]) => regions.map((r) => r.map((l) => l.map((w) => w.text).join(" ")).join("\n")).join("\n\n");

describe("readingOrder", () => {
  it("splits a line that runs across a sidebar and an editor into the two panes", () => {
    const words = [
      ...row(0, 10, [700, "invoices.js — Code"]),
      ...row(1, 50, [10, "EXPLORER"], [400, "const raw = 1"]),
      ...row(2, 74, [10, "src"], [400, "const invoice = 2"]),
      ...row(3, 98, [10, "test"], [400, "return invoice"]),
    ];
    expect(textOf(readingOrder(words))).toBe("EXPLORER\nsrc\ntest\n\ninvoices.js — Code\n\nconst raw = 1\nconst invoice = 2\nreturn invoice");
  });

  it("does not split a title from the line below it just because they do not overlap sideways", () => {
    const words = [...row(0, 10, [700, "Title here"]), ...row(1, 50, [10, "first line of text"]), ...row(2, 74, [10, "second line"])];
    expect(textOf(readingOrder(words))).toBe("Title here\n\nfirst line of text\nsecond line");
  });

  it("keeps a single column whole however long, and returns nothing for no words", () => {
    const words = Array.from({ length: 40 }, (_, i) => row(i, 20 + i * 24, [100, `line ${i} of prose`])).flat();
    const regions = readingOrder(words);
    expect(regions).toHaveLength(1);
    expect(regions[0]).toHaveLength(40);
    expect(readingOrder([])).toEqual([]);
  });
});

describe("OCR of a multi-pane screen", () => {
  it("never puts sidebar and editor text on one line, and keeps each pane's lines in order", async () => {
    const engine = new OcrEngine(1);
    try {
      const spec = { scroll: 2 };
      const r = await engine.recognize(await engine.prepare(await renderScreen(spec)));
      const [sidebar] = screenText(spec);
      const lines = r.text.split("\n").filter((l) => l.trim() !== "");
      for (const l of lines) {
        const hasSidebar = /EXPLORER|customers|reminders|README/.test(l);
        const hasCode = /const|return|export|function/.test(l);
        expect(hasSidebar && hasCode, l).toBe(false);
      }
      const at = (s: string) => lines.findIndex((l) => l.includes(s));
      expect(at("EXPLORER")).toBeGreaterThanOrEqual(0);
      // The sidebar is one block: nothing from the editor between its first and last entry.
      const block = lines.slice(at("EXPLORER"), at("README") + 1);
      expect(block.length).toBeGreaterThanOrEqual(2);
      expect(block.length).toBeLessThanOrEqual(sidebar!.length + 2);
      expect(block.join(" ")).not.toMatch(/const|return|export|function/);
      expect(at("const invoice = JSON.parse(raw)")).toBe(at("const raw = await readFile") + 1);
    } finally {
      await engine.stop();
    }
  });
});
