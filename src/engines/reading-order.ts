// Reading order for screens. Tesseract's layout analysis joins words that share a baseline
// across panes ("EXPLORER 4 const raw = …"): sidebar, gutter and code end up on one line,
// which breaks phrase search. Screens are columns and bands separated by whitespace, so we
// cut the page recursively (XY-cut) on the word boxes tesseract found: at each step the
// widest gap, vertical or horizontal, measured in text heights, splits the words in two,
// until no gap is wide enough. Each resulting region is one column of text, read top to
// bottom; regions follow each other left-to-right / top-to-bottom as the cuts say.
//
// Tables are the exception: a gap between the columns of a grid is no pane boundary. A
// vertical gap whose two sides have their text rows on the same baselines (most rows of the
// side with fewer rows have a partner across the gap) is not cut, unless one side is running
// text (wide, full lines, no wide gaps inside a line: a column of a paper, a page's body next
// to its table of contents), so a table's row is read as one line with its cells in order. A sidebar next to an editor
// keeps its cut: its rows are fewer than a third of the editor's, or do not line up with them,
// or (when the frame's pixels are given) the gap runs along a change of background, the edge
// of a panel, which a table's gaps do not (thin grid lines have the same paper on both sides).

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
  line: number | string;
}

/** A gap splits a region when it is at least this many text heights wide (vertical) … */
export const MIN_COLUMN_GAP = 1.5;
/** … or this many text heights tall (horizontal). */
export const MIN_BAND_GAP = 1.0;
/** Two text rows line up when their centres are this many text heights apart at most. */
export const ROW_ALIGN = 0.4;

/** The frame's grey pixels (as OCR saw them, `scale` times the word boxes' size). */
export interface Backdrop {
  pixels: Uint8Array;
  width: number;
  height: number;
  scale: number;
}

/** A gap whose two ends differ by more than this in mean grey (0-255) runs along a panel's edge. */
export const PANEL_STEP = 6;

/** Words grouped into regions in reading order; each region is a list of lines, each a list of words. */
export function readingOrder(words: PlacedWord[], backdrop?: Backdrop): PlacedWord[][][] {
  if (!words.length) return [];
  const heights = words.map((w) => w.box.y1 - w.box.y0).sort((a, b) => a - b);
  const textHeight = Math.max(1, heights[Math.floor(heights.length / 2)]!);
  const regions: PlacedWord[][] = [];
  cut(words, textHeight, regions, 0, backdrop);
  return regions.map(linesOf);
}

function cut(words: PlacedWord[], h: number, out: PlacedWord[][], depth: number, bd?: Backdrop): void {
  // A vertical gap separates columns only if text stands on both sides of it on the same rows;
  // otherwise it is just the space beside a short line (a title above a code line, say).
  const v = gaps(words, "x").find((g) => g.width >= MIN_COLUMN_GAP * h && overlapY(g.before, g.after) >= h && !tableColumns(g, h, bd));
  const hz = gaps(words, "y").find((g) => g.width >= MIN_BAND_GAP * h);
  if (depth > 64 || (!v && !hz)) {
    out.push(words);
    return;
  }
  const g = !hz || (v && v.width / MIN_COLUMN_GAP >= hz.width / MIN_BAND_GAP) ? v! : hz;
  cut(g.before, h, out, depth + 1, bd);
  cut(g.after, h, out, depth + 1, bd);
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

/** Centres of the text rows of some words (words whose centres are close form a row). */
function rowCentres(words: PlacedWord[], h: number): number[] {
  const cs = words.map((w) => (w.box.y0 + w.box.y1) / 2).sort((a, b) => a - b);
  const rows: number[][] = [];
  for (const c of cs) {
    const last = rows[rows.length - 1];
    if (last && c - last[last.length - 1]! <= 0.5 * h) last.push(c);
    else rows.push([c]);
  }
  return rows.map((r) => r[Math.floor(r.length / 2)]!);
}

/** Whether a gap runs between the columns of one table (see the header), not between panes. */
function tableColumns(g: Gap, h: number, bd?: Backdrop): boolean {
  const a = rowCentres(g.before, h), b = rowCentres(g.after, h);
  const [few, many] = a.length <= b.length ? [a, b] : [b, a];
  let j = 0, matched = 0;
  for (const c of few) {
    while (j < many.length && many[j]! < c - ROW_ALIGN * h) j++;
    if (j < many.length && Math.abs(many[j]! - c) <= ROW_ALIGN * h) matched++;
  }
  if (matched < 0.8 * few.length || matched < 0.34 * many.length) return false;
  const prose = Number(runningText(g.before, h)) + Number(runningText(g.after, h));
  if (!(prose === 0 || (prose === 1 && matched >= 0.95 * few.length))) return false;
  return !(bd && panelEdge(g, bd));
}

/** Whether the background left of the gap differs from the background right of it. */
function panelEdge(g: Gap, bd: Backdrop): boolean {
  const s = bd.scale;
  const gx0 = Math.max(...g.before.map((w) => w.box.x1)), gx1 = Math.min(...g.after.map((w) => w.box.x0));
  const y0 = Math.max(Math.min(...g.before.map((w) => w.box.y0)), Math.min(...g.after.map((w) => w.box.y0)));
  const y1 = Math.min(Math.max(...g.before.map((w) => w.box.y1)), Math.max(...g.after.map((w) => w.box.y1)));
  const X0 = Math.max(0, Math.round(gx0 * s) + 2), X1 = Math.min(bd.width - 1, Math.round(gx1 * s) - 2);
  const Y0 = Math.max(0, Math.round(y0 * s)), Y1 = Math.min(bd.height - 1, Math.round(y1 * s));
  if (X1 - X0 < 6 || Y1 <= Y0) return false;
  const step = Math.max(1, Math.floor((Y1 - Y0) / 200));
  const profile: number[] = [];
  for (let x = X0; x <= X1; x++) {
    let sum = 0, n = 0;
    for (let y = Y0; y <= Y1; y += step) {
      sum += bd.pixels[y * bd.width + x]!;
      n++;
    }
    profile.push(sum / n);
  }
  const third = Math.max(1, Math.floor(profile.length / 3));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Math.abs(median(profile.slice(0, third)) - median(profile.slice(-third))) > PANEL_STEP;
}

/** Running text: a wide side whose lines fill it, with no gap of a column's width inside a line. */
function runningText(words: PlacedWord[], h: number): boolean {
  const x0 = Math.min(...words.map((w) => w.box.x0)), x1 = Math.max(...words.map((w) => w.box.x1));
  if (x1 - x0 < 15 * h) return false;
  const rows = new Map<number | string, PlacedWord[]>();
  for (const w of words) rows.set(w.line, [...(rows.get(w.line) ?? []), w]);
  let full = 0, wide = 0;
  for (const r of rows.values()) {
    r.sort((p, q) => p.box.x0 - q.box.x0);
    if (r[r.length - 1]!.box.x1 - r[0]!.box.x0 >= 0.6 * (x1 - x0)) full++;
    for (let i = 1; i < r.length; i++) if (r[i]!.box.x0 - r[i - 1]!.box.x1 >= MIN_COLUMN_GAP * h) { wide++; break; }
  }
  return full >= 0.5 * rows.size && wide <= 0.2 * rows.size;
}

function overlapY(a: PlacedWord[], b: PlacedWord[]): number {
  const top = (ws: PlacedWord[]) => Math.min(...ws.map((w) => w.box.y0));
  const bottom = (ws: PlacedWord[]) => Math.max(...ws.map((w) => w.box.y1));
  return Math.min(bottom(a), bottom(b)) - Math.max(top(a), top(b));
}

/**
 * A region's words as lines: tesseract's lines, top to bottom, words left to right; lines
 * on one row whose words do not overlap are joined into one: the cells of a table row, which
 * tesseract often puts in blocks of their own, and a code line it read as two interleaved lines
 * ("const TAX_RATE" and "4 … 0.19;" with its table finder off).
 */
function linesOf(words: PlacedWord[]): PlacedWord[][] {
  const byLine = new Map<number | string, PlacedWord[]>();
  for (const w of words) {
    const l = byLine.get(w.line);
    if (l) l.push(w);
    else byLine.set(w.line, [w]);
  }
  const top = (l: PlacedWord[]) => Math.min(...l.map((w) => w.box.y0));
  const bottom = (l: PlacedWord[]) => Math.max(...l.map((w) => w.box.y1));
  const sorted = [...byLine.values()].sort((a, b) => top(a) - top(b));
  const rows: PlacedWord[][] = [];
  for (const l of sorted) {
    const t = top(l), b = bottom(l);
    const x0 = Math.min(...l.map((w) => w.box.x0)), x1 = Math.max(...l.map((w) => w.box.x1));
    const row = rows.find((r) => {
      const overlap = Math.min(b, bottom(r)) - Math.max(t, top(r));
      if (r.every((w) => w.box.x1 <= x0 || w.box.x0 >= x1)) return overlap >= 0.5 * Math.min(b - t, bottom(r) - top(r));
      // interleaved: only on the very same band (a line with a tall misread word spans two rows)
      const interleaved = r.every((w) => l.every((v) => w.box.x1 <= v.box.x0 || w.box.x0 >= v.box.x1));
      return interleaved && overlap >= 0.7 * Math.max(b - t, bottom(r) - top(r));
    });
    if (row) row.push(...l);
    else rows.push([...l]);
  }
  for (const r of rows) r.sort((a, b) => a.box.x0 - b.box.x0);
  return rows.sort((a, b) => top(a) - top(b) || a[0]!.box.x0 - b[0]!.box.x0);
}
