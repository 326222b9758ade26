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
  it("splits a line that runs across a sidebar and an editor into the two panes: the sidebar has its own background", () => {
    const words = [
      ...row(0, 10, [700, "invoices.js — Code"]),
      ...row(1, 50, [10, "EXPLORER"], [400, "const raw = 1"]),
      ...row(2, 74, [10, "src"], [400, "const invoice = 2"]),
      ...row(3, 98, [10, "test"], [400, "return invoice"]),
    ];
    // a 1000×200 frame whose first 300 columns are the sidebar's grey
    const pixels = new Uint8Array(1000 * 200).map((_, i) => (i % 1000 < 300 ? 243 : 255));
    const backdrop = { pixels, width: 1000, height: 200, scale: 1 };
    expect(textOf(readingOrder(words, backdrop))).toBe("EXPLORER\nsrc\ntest\n\ninvoices.js — Code\n\nconst raw = 1\nconst invoice = 2\nreturn invoice");
    // on one background, three short rows beside three rows on the same baselines are a table
    expect(textOf(readingOrder(words))).toContain("EXPLORER const raw = 1\nsrc const invoice = 2");
  });

  it("does not split a title from the line below it just because they do not overlap sideways", () => {
    const words = [...row(0, 10, [700, "Title here"]), ...row(1, 50, [10, "first line of text"]), ...row(2, 74, [10, "second line"])];
    expect(textOf(readingOrder(words))).toBe("Title here\n\nfirst line of text\nsecond line");
  });

  it("reads a table's row as one line, cells in order, even when tesseract puts each column in its own block", () => {
    // each cell its own tesseract line (as it does with grids): columns 140-400 px apart
    let line = 0;
    const words = [0, 1, 2, 3, 4].flatMap((r) =>
      [[20, ["Product", "Bracket C", "Hinge B", "Panel Pro", "Filter XL"][r]!], [300, ["Qty", "697", "446", "153", "3,734"][r]!], [520, ["Unit price", "8.80", "177.89", "32.73", "110.78"][r]!], [900, ["Status", "Paid", "Sent", "Draft", "Paid"][r]!]].flatMap(
        ([x, t]) => row(line++, 40 + r * 26, [x as number, t as string]),
      ),
    );
    expect(textOf(readingOrder(words)).split(/\n+/)).toEqual([
      "Product Qty Unit price Status",
      "Bracket C 697 8.80 Paid",
      "Hinge B 446 177.89 Sent",
      "Panel Pro 153 32.73 Draft",
      "Filter XL 3,734 110.78 Paid",
    ]);
  });

  it("joins a code row tesseract read as two interleaved lines, its words in order", () => {
    // line 4: "const TAX_RATE"; line 5: the gutter's "4" and "0.19;" on either side of it
    const w = (text: string, line: number, x0: number, x1: number): PlacedWord => ({ text, confidence: 90, line, box: { x0, y0: 140, x1, y1: 150 } });
    const words = [w("const", 4, 385, 420), w("TAX_RATE", 4, 428, 485), w("4", 5, 364, 369), w("=", 5, 495, 501), w("0.19;", 5, 509, 543), ...row(6, 158, [364, "5"])];
    expect(textOf(readingOrder(words)).split("\n")).toEqual(["4 const TAX_RATE = 0.19;", "5"]);
  });

  it("keeps the two columns of a paper apart though their lines share baselines", () => {
    const prose = "we measured fewer rows on many workers than the planner expected";
    const words = Array.from({ length: 12 }, (_, i) => row(i, 40 + i * 20, [20, prose], [900, prose])).flat();
    const regions = readingOrder(words);
    expect(regions).toHaveLength(2);
    expect(regions.every((r) => r.length === 12)).toBe(true);
  });

  it("keeps a sidebar apart from an editor on the same line pitch: it has far fewer rows", () => {
    const words = Array.from({ length: 30 }, (_, i) => row(i, 40 + i * 24, ...((i < 6 ? [[10, `entry${i}`]] : []) as [number, string][]), [400, `code line ${i}`])).flat();
    const regions = readingOrder(words);
    expect(regions).toHaveLength(2);
    expect(regions[0]!.flat().map((w) => w.text)).toEqual(["entry0", "entry1", "entry2", "entry3", "entry4", "entry5"]);
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
