// Reading order for screens. Tesseract's layout analysis joins words that share a baseline
// across panes ("EXPLORER 4 const raw = …"): sidebar, gutter and code end up on one line,
// which breaks phrase search. Screens are columns and bands separated by whitespace, so we
// cut the page recursively (XY-cut) on the word boxes tesseract found: at each step the
// widest gap, vertical or horizontal, measured in text heights, splits the words in two,
// until no gap is wide enough. Each resulting region is one column of text, read top to
// bottom; regions follow each other left-to-right / top-to-bottom as the cuts say.

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PlacedWord {
  text: string;
  confidence: number;
  box: Box;
  /** Which tesseract line the word came from: words of one line stay on one line inside a region. */
  line: number;
}

/** A gap splits a region when it is at least this many text heights wide (vertical) … */
export const MIN_COLUMN_GAP = 1.5;
/** … or this many text heights tall (horizontal). */
export const MIN_BAND_GAP = 1.0;

/** Words grouped into regions in reading order; each region is a list of lines, each a list of words. */
export function readingOrder(words: PlacedWord[]): PlacedWord[][][] {
  if (!words.length) return [];
  const heights = words.map((w) => w.box.y1 - w.box.y0).sort((a, b) => a - b);
  const textHeight = Math.max(1, heights[Math.floor(heights.length / 2)]!);
  const regions: PlacedWord[][] = [];
  cut(words, textHeight, regions, 0);
  return regions.map(linesOf);
}

function cut(words: PlacedWord[], h: number, out: PlacedWord[][], depth: number): void {
  // A vertical gap separates columns only if text stands on both sides of it on the same rows;
  // otherwise it is just the space beside a short line (a title above a code line, say).
  const v = gaps(words, "x").find((g) => g.width >= MIN_COLUMN_GAP * h && overlapY(g.before, g.after) >= h);
  const hz = gaps(words, "y").find((g) => g.width >= MIN_BAND_GAP * h);
  if (depth > 64 || (!v && !hz)) {
    out.push(words);
    return;
  }
  const g = !hz || (v && v.width / MIN_COLUMN_GAP >= hz.width / MIN_BAND_GAP) ? v! : hz;
  cut(g.before, h, out, depth + 1);
  cut(g.after, h, out, depth + 1);
}

interface Gap {
  width: number;
  before: PlacedWord[];
  after: PlacedWord[];
}

/** Every stretch along an axis that no word box covers, between covered stretches; widest first. */
function gaps(words: PlacedWord[], axis: "x" | "y"): Gap[] {
  const lo = (w: PlacedWord) => (axis === "x" ? w.box.x0 : w.box.y0);
  const hi = (w: PlacedWord) => (axis === "x" ? w.box.x1 : w.box.y1);
  const sorted = [...words].sort((a, b) => lo(a) - lo(b));
  const found: Gap[] = [];
  let end = hi(sorted[0]!);
  for (let i = 1; i < sorted.length; i++) {
    const w = sorted[i]!;
    if (lo(w) > end) found.push({ width: lo(w) - end, before: sorted.slice(0, i), after: sorted.slice(i) });
    end = Math.max(end, hi(w));
  }
  return found.sort((a, b) => b.width - a.width);
}

function overlapY(a: PlacedWord[], b: PlacedWord[]): number {
  const top = (ws: PlacedWord[]) => Math.min(...ws.map((w) => w.box.y0));
  const bottom = (ws: PlacedWord[]) => Math.max(...ws.map((w) => w.box.y1));
  return Math.min(bottom(a), bottom(b)) - Math.max(top(a), top(b));
}

/** A region's words as lines: tesseract's lines, top to bottom, words left to right. */
function linesOf(words: PlacedWord[]): PlacedWord[][] {
  const byLine = new Map<number, PlacedWord[]>();
  for (const w of words) {
    const l = byLine.get(w.line);
    if (l) l.push(w);
    else byLine.set(w.line, [w]);
  }
  const lines = [...byLine.values()].map((l) => l.sort((a, b) => a.box.x0 - b.box.x0));
  const top = (l: PlacedWord[]) => Math.min(...l.map((w) => w.box.y0));
  return lines.sort((a, b) => top(a) - top(b) || a[0]!.box.x0 - b[0]!.box.x0);
}
