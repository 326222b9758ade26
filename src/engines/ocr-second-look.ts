// A second look at the lines tesseract read badly and at text it missed (PGRECALL_OCR_SECOND_LOOK,
// on by default with tessdata_fast). Screen text is small for tesseract (an x-height of 6-8 px
// where it is trained on 20 or more) and sometimes light on a coloured background inside a
// light frame (chat bubbles, calendar events, buttons), which the frame's inversion does not
// cover; and its page layout drops whole runs of text (a right-aligned column of numbers, line
// numbers, small grey timestamps). Enlarging the whole frame reads better but costs 2-3× the
// time; here the lines read with a low confidence (in pieces at their wide gaps) and the ink no
// word covers are cut out, each enlarged, its contrast stretched and (light text on a dark patch)
// inverted on its own, stacked into one small image that tesseract reads in one call, and for
// each word the reading with the higher confidence is kept. Word boxes come back in frame
// pixels, as the first reading's.
import type { PlacedWord } from "./reading-order.js";

export interface SecondLookOptions {
  /** a line whose mean word confidence (or, by "worst", whose least confident word's) is under this is read again */
  minConfidence: number;
  by: "mean" | "worst";
  /** how much each line's crop is enlarged */
  scale: number;
  /** at most this many lines per frame are read again (the worst first) */
  maxLines: number;
  /**
   * also look for text the first reading did not find at all (ink outside every word box, in
   * glyph-sized marks lined up: line numbers, timestamps, status bars, text on coloured
   * patches), and keep what is read there with at least this confidence; 0: do not look
   */
  missedConfidence: number;
  /** grey levels apart from its tile's background for a pixel to count as ink in that search (default INK_CONTRAST) */
  inkContrast?: number;
}

/**
 * Lines under 80 % at 1.5×, and text the first reading missed kept from 60 %: the second look
 * as it runs by default with tessdata_fast (PGRECALL_OCR_SECOND_LOOK=auto). bench/ocr, 48
 * screens, word recall tuning / held-out and CPU against the native CLI's in the same run:
 * tessdata_fast alone 0.827 / 0.778 at 1.00×; with the low-confidence lines read again 0.838 /
 * 0.804 at 1.09-1.18×; with the missed text too 0.914 / 0.876 at 1.36-1.46× (the CLI: 0.830 /
 * 0.766). The bundled model with it reads 0.899 / 0.851 at 1.9-2.0×: off there by default.
 * Reading the missed text at 1.25×, or only it, or fewer lines, saves little (1.31-1.42×): most of
 * the cost is tesseract reading the stacked lines. (Since, with the crops enlarged in JS, lines
 * read in pieces, misread patches searched and the merge across lines of one band, lines under
 * 70 %: 0.952 / 0.928 at 1.2-1.5× (the CLI 0.853 / 0.784; tessdata_fast alone 0.850 / 0.793 at
 * 0.96-1.13×); under 80 % (since the default): 0.956 / 0.937 for 0-13 % more CPU, under 85 %
 * 0.958 / 0.940 and under 90 % 0.961 / 0.945 for 7-16 % and 13-22 % more, README "Benchmarks".)
 */
export const DEFAULT_SECOND_LOOK: SecondLookOptions = { minConfidence: 80, by: "mean", scale: 1.5, maxLines: 400, missedConfidence: 60 };

/** Grey pixels as OCR saw them: `scale` times the size of the word boxes' frame. */
export interface GreyImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  scale: number;
}

/** One line's crop inside the stacked image. */
export interface Strip {
  /** the line's key (PlacedWord.line) */
  line: number | string;
  /** the crop in the grey image's pixels */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** where the enlarged crop sits in the stacked image */
  top: number;
  height: number;
  left: number;
  inverted: boolean;
}

export interface Stack {
  /** binary PGM of the stacked crops */
  pgm: Buffer;
  width: number;
  height: number;
  strips: Strip[];
}

export interface Line {
  key: number | string;
  /** which piece of its line this is (splitAtGaps), 0 or absent: the first */
  piece?: number;
  words: PlacedWord[];
  /** mean word confidence */
  confidence: number;
  /** the least confident word's */
  worst: number;
}

/** Words grouped by their line, with each line's mean confidence. */
export function linesOf(words: PlacedWord[]): Line[] {
  const m = new Map<number | string, PlacedWord[]>();
  for (const w of words) {
    const l = m.get(w.line);
    if (l) l.push(w);
    else m.set(w.line, [w]);
  }
  return [...m].map(([key, ws]) => lineOf(key, ws));
}

/** A line of these words, with their mean and least confidence. */
function lineOf(key: number | string, words: PlacedWord[], piece?: number): Line {
  return { key, ...(piece === undefined ? {} : { piece }), words, confidence: words.reduce((s, w) => s + w.confidence, 0) / words.length, worst: Math.min(...words.map((w) => w.confidence)) };
}

/** The words' box height at quantile q (0.5: the median), `scale` times as tall; 0 for no words. */
function heightAt(words: PlacedWord[], q: number, scale = 1): number {
  const hs = words.map((w) => (w.box.y1 - w.box.y0) * scale).sort((a, b) => a - b);
  return hs.length ? hs[Math.floor(hs.length * q)]! : 0;
}

/**
 * Words that are no reading of a line of text: taller than 2.5 text heights and under 50 %
 * sure. Tesseract reads a coloured block with text in it (a calendar's event, a button) as one
 * such word ("Eco", 118 px tall where the text is 18). The second look crops lines without them,
 * searches the ink under them for the text they hide, and drops them where it read words inside.
 */
export function misreadPatches(words: PlacedWord[]): Set<PlacedWord> {
  const th = heightAt(words, 0.5);
  return new Set(words.filter((w) => w.confidence < PATCH_CONFIDENCE && w.box.y1 - w.box.y0 > PATCH_HEIGHT * th));
}
const PATCH_CONFIDENCE = 50, PATCH_HEIGHT = 2.5;

/** The lines worth a second look, in pieces (splitAtGaps), each piece by its own confidence, worst first. */
export function pickLines(words: PlacedWord[], o: SecondLookOptions): Line[] {
  const c = (l: Line) => (o.by === "worst" ? l.worst : l.confidence);
  return linesOf(words)
    .flatMap(splitAtGaps)
    .filter((l) => c(l) < o.minConfidence)
    .sort((a, b) => c(a) - c(b))
    .slice(0, o.maxLines);
}

/**
 * Each line's box (padded, in the grey image's pixels) enlarged by `scale`, contrast stretched,
 * inverted when its background is darker than its text, stacked top to bottom on white with
 * room between (tesseract reads each as a line of its own).
 */
export async function stackLines(img: GreyImage, lines: Line[], scale: number, others: PlacedWord[] = []): Promise<Stack> {
  const s = img.scale;
  const crops = lines.map((l) => {
    const own = new Set(l.words);
    const bx0 = Math.min(...l.words.map((w) => w.box.x0)) * s, bx1 = Math.max(...l.words.map((w) => w.box.x1)) * s;
    const by0 = Math.min(...l.words.map((w) => w.box.y0)) * s, by1 = Math.max(...l.words.map((w) => w.box.y1)) * s;
    const h = by1 - by0;
    const padY = Math.max(2, Math.round(0.3 * h)), padX = Math.max(3, Math.round(0.5 * h));
    const x0 = Math.max(0, Math.floor(bx0 - padX)), x1 = Math.min(img.width, Math.ceil(bx1 + padX));
    const y0 = Math.max(0, Math.floor(by0 - padY)), y1 = Math.min(img.height, Math.ceil(by1 + padY));
    const w = x1 - x0, ht = y1 - y0;
    const raw = Buffer.allocUnsafe(w * ht);
    for (let y = 0; y < ht; y++) raw.set(img.pixels.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x1), y * w);
    const { inverted, lo, hi } = tone(raw, w, ht);
    const range = Math.max(1, hi - lo);
    for (let i = 0; i < raw.length; i++) {
      const v = Math.max(0, Math.min(255, Math.round(((raw[i]! - lo) * 255) / range)));
      raw[i] = inverted ? 255 - v : v;
    }
    // the words of other lines the padding took in (the line above's descenders, the one
    // below's capitals) become paper: read, they came back as garbage words in this line
    // and pushed its own words out (a secret's key and value parted, the value not caught)
    for (const o of others) {
      if (o.line === l.key || own.has(o)) continue;
      const ox0 = Math.max(x0, Math.floor(o.box.x0 * s) - 1), ox1 = Math.min(x1, Math.ceil(o.box.x1 * s) + 1);
      const oy0 = Math.max(y0, Math.floor(o.box.y0 * s) - 1), oy1 = Math.min(y1, Math.ceil(o.box.y1 * s) + 1);
      if (ox1 <= ox0 || oy1 <= oy0) continue;
      // only what lies outside this line's own band (a word of another pane on the same row too)
      for (let y = oy0; y < oy1; y++) if (y < by0 || y >= by1 || o.box.x0 * s >= bx1 || o.box.x1 * s <= bx0) raw.fill(255, (y - y0) * w + (ox0 - x0), (y - y0) * w + (ox1 - x0));
    }
    const W = Math.round(w * scale), H = Math.round(ht * scale);
    return { line: l.key, x0, y0, x1, y1, w: W, h: H, big: enlarge(raw, w, ht, W, H), inverted };
  });
  const margin = 16;
  const width = Math.max(1, ...crops.map((c) => c.w)) + 2 * margin;
  let y = margin;
  const strips: Strip[] = [];
  for (const c of crops) {
    strips.push({ line: c.line, x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1, top: y, height: c.h, left: margin, inverted: c.inverted });
    y += c.h + Math.max(margin, Math.round(0.6 * c.h));
  }
  const height = y + margin;
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, "latin1");
  const pgm = Buffer.alloc(header.length + width * height, 255);
  header.copy(pgm);
  const px = pgm.subarray(header.length);
  crops.forEach((c, i) => {
    const st = strips[i]!;
    for (let r = 0; r < c.h; r++) px.set(c.big.subarray(r * c.w, (r + 1) * c.w), (st.top + r) * width + st.left);
  });
  return { pgm, width, height, strips };
}

/**
 * A grey crop enlarged to W×H with Catmull-Rom cubic interpolation, in two passes, placed as
 * sharp's "cubic" resize places it (output pixel o samples o·n/N − 0.5: within 3 grey levels of
 * sharp's, test/engines/ocr-second-look.test.ts): sharp took 1-2 ms a crop, most of the stack's
 * time on frames with many lines. (Centred sampling, half a pixel off, read worse: a URL's
 * "default:KKg3…" came back as "default KKg3…", and the secret rule no longer saw it.)
 */
export function enlarge(src: Uint8Array, w: number, h: number, W: number, H: number): Uint8Array {
  if (W === w && H === h) return src;
  const taps = (n: number, N: number) => {
    const at = new Int32Array(N * 4), wt = new Float32Array(N * 4);
    for (let o = 0; o < N; o++) {
      const x = (o * n) / N - 0.5, i = Math.floor(x), t = x - i, t2 = t * t, t3 = t2 * t;
      const ws = [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
      for (let k = 0; k < 4; k++) {
        at[o * 4 + k] = Math.min(n - 1, Math.max(0, i - 1 + k));
        wt[o * 4 + k] = ws[k]!;
      }
    }
    return { at, wt };
  };
  const xs = taps(w, W), ys = taps(h, H);
  const mid = new Float32Array(W * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let o = 0; o < W; o++) {
      const k = o * 4;
      mid[y * W + o] = src[row + xs.at[k]!]! * xs.wt[k]! + src[row + xs.at[k + 1]!]! * xs.wt[k + 1]! + src[row + xs.at[k + 2]!]! * xs.wt[k + 2]! + src[row + xs.at[k + 3]!]! * xs.wt[k + 3]!;
    }
  }
  const out = new Uint8Array(W * H);
  for (let o = 0; o < H; o++) {
    const k = o * 4;
    const [r0, r1, r2, r3] = [ys.at[k]! * W, ys.at[k + 1]! * W, ys.at[k + 2]! * W, ys.at[k + 3]! * W];
    const [w0, w1, w2, w3] = [ys.wt[k]!, ys.wt[k + 1]!, ys.wt[k + 2]!, ys.wt[k + 3]!];
    for (let x = 0; x < W; x++) {
      const v = mid[r0 + x]! * w0 + mid[r1 + x]! * w1 + mid[r2 + x]! * w2 + mid[r3 + x]! * w3;
      out[o * W + x] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  return out;
}

/**
 * A crop's background and text grey: the background is the grey most of its border has; text
 * lighter than it (light on a dark patch) is inverted. lo/hi: the range to stretch to 0-255.
 */
function tone(px: Uint8Array, w: number, h: number): { inverted: boolean; lo: number; hi: number } {
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(px[x]!, px[(h - 1) * w + x]!);
  for (let y = 0; y < h; y++) border.push(px[y * w]!, px[y * w + w - 1]!);
  border.sort((a, b) => a - b);
  const bg = border[Math.floor(border.length / 2)]!;
  let min = 255, max = 0;
  for (const v of px) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // the text is whichever extreme lies farther from the background
  const inverted = max - bg > bg - min;
  return inverted ? { inverted, lo: min, hi: max } : { inverted, lo: min, hi: Math.max(bg, min + 1) };
}

/** The words read in the stack, each given back to its strip's line with its box in frame pixels. */
export function wordsByStrip(words: PlacedWord[], stack: Stack, scale: number, frameScale: number): Map<number | string, PlacedWord[]> {
  const out = new Map<number | string, PlacedWord[]>();
  for (const w of words) {
    const cy = (w.box.y0 + w.box.y1) / 2;
    const st = stack.strips.find((s) => cy >= s.top && cy < s.top + s.height);
    if (!st) continue;
    // stack pixels → the grey image's (crop origin, enlargement) → the frame's
    const gx = (x: number) => (st.x0 + (x - st.left) / scale) / frameScale;
    const gy = (y: number) => (st.y0 + (y - st.top) / scale) / frameScale;
    const box = {
      x0: Math.max(Math.floor(st.x0 / frameScale), Math.floor(gx(w.box.x0))),
      y0: Math.max(Math.floor(st.y0 / frameScale), Math.floor(gy(w.box.y0))),
      x1: Math.min(Math.ceil(st.x1 / frameScale), Math.ceil(gx(w.box.x1))),
      y1: Math.min(Math.ceil(st.y1 / frameScale), Math.ceil(gy(w.box.y1))),
    };
    const l = out.get(st.line) ?? [];
    l.push({ text: w.text, confidence: w.confidence, box, line: st.line });
    out.set(st.line, l);
  }
  return out;
}

/**
 * A line in pieces at its wide gaps (over SPLIT_GAP text heights): tesseract makes one line of
 * words far apart on one row (a calendar's hour label and the events across the week, a table's
 * cells), and one crop of it all is wide, mostly blank, and mixes backgrounds its contrast
 * stretch cannot serve at once. Each piece is cropped on its own; all keep the line's key (the
 * second reading of the pieces is merged as the line's).
 */
export function splitAtGaps(l: Line): Line[] {
  const ws = [...l.words].sort((a, b) => a.box.x0 - b.box.x0);
  const h = Math.max(1, heightAt(ws, 0.5));
  const pieces: PlacedWord[][] = [];
  let right = -Infinity;
  for (const w of ws) {
    if (!pieces.length || w.box.x0 - right > SPLIT_GAP * h) pieces.push([]);
    pieces[pieces.length - 1]!.push(w);
    right = Math.max(right, w.box.x1);
  }
  if (pieces.length === 1) return [l];
  return pieces.map((p, i) => lineOf(l.key, p, i));
}
export const SPLIT_GAP = 2;

/**
 * Marks the first reading missed next to a word of one of its lines (the end of a line it read
 * only in part) join that line's piece (splitAtGaps) in the second look: its crop grows to cover
 * them. The other missed lines are read on their own. `picked` are pieces already.
 */
export function attachMissed(picked: Line[], all: Line[], missed: Line[]): Line[] {
  const box = (l: Line) => ({
    x0: Math.min(...l.words.map((w) => w.box.x0)), x1: Math.max(...l.words.map((w) => w.box.x1)),
    y0: Math.min(...l.words.map((w) => w.box.y0)), y1: Math.max(...l.words.map((w) => w.box.y1)),
  });
  const id = (l: Line) => `${l.key}#${l.piece ?? 0}`;
  const out = new Map(picked.map((l) => [id(l), { ...l, words: [...l.words] }]));
  const pieces = all.flatMap(splitAtGaps);
  const alone: Line[] = [];
  for (const m of missed) {
    const mb = box(m), h = mb.y1 - mb.y0;
    const near = pieces.find((p) =>
      p.words.some((w) => {
        const wh = w.box.y1 - w.box.y0;
        const overlap = Math.min(w.box.y1, mb.y1) - Math.max(w.box.y0, mb.y0);
        const gap = Math.max(w.box.x0 - mb.x1, mb.x0 - w.box.x1);
        return overlap >= 0.5 * Math.min(h, wh) && gap <= 1.2 * Math.max(h, wh);
      }),
    );
    if (!near) {
      alone.push(m);
      continue;
    }
    const l = out.get(id(near)) ?? { ...near, words: [...near.words] };
    l.words.push({ ...m.words[0]!, line: near.key });
    out.set(id(near), l);
  }
  return [...out.values(), ...alone];
}

/**
 * The first reading with each re-read line merged in: where words of the two readings overlap,
 * the more confident side (mean confidence) is kept; words only the second reading has (text
 * the first missed) are added when at least `missedConfidence` sure and holding a letter or
 * digit, or punctuation between two kept words; words only the first has stay.
 *
 * A line's crop can take in words tesseract put on another line of the same band (it read
 * "5 const MAX_ROWS" and "10_000;" as two lines): those compete with the re-read words as the
 * line's own do, and are not kept twice; but only when the crop held all of such a word
 * (`crops`: each line's crops across, in frame pixels): "2:49" cut at the crop's edge came back
 * "2:", and that piece is dropped. A misread patch (misreadPatches) with words read inside it
 * is dropped.
 */
export function keepBetter(first: PlacedWord[], second: Map<number | string, PlacedWord[]>, missedConfidence = 101, crops?: Map<number | string, { x0: number; x1: number }[]>): PlacedWord[] {
  const centres = [...second.values()].flat().map((n) => [(n.box.x0 + n.box.x1) / 2, (n.box.y0 + n.box.y1) / 2] as const);
  const covers = (p: PlacedWord) => centres.some(([x, y]) => x >= p.box.x0 && x <= p.box.x1 && y >= p.box.y0 && y <= p.box.y1);
  const patches = misreadPatches(first);
  let current = first.filter((w) => !patches.has(w) || !covers(w));
  const firsts = new Set(first);
  for (const [key, news] of second) {
    const crop = crops?.get(key);
    // a word another crop read again competes wherever it lies: both are second readings
    const inside = (w: PlacedWord) => !crop || !firsts.has(w) || crop.some((c) => w.box.x0 >= c.x0 && w.box.x1 <= c.x1);
    const olds: PlacedWord[] = [], rest: PlacedWord[] = [], cut: PlacedWord[] = [];
    for (const w of current) {
      const band = w.line !== key && news.some((n) => sameRowOverlap(w, n));
      (w.line === key || (band && inside(w)) ? olds : rest).push(w);
      if (band && !inside(w)) cut.push(w);
    }
    // what the crop saw of a word it cut is a piece of it: the word stays as first read
    const seen = news.filter((n) => !cut.some((w) => sameRowOverlap(w, n)));
    current = [...rest, ...mergeLine(olds, seen, missedConfidence, key)];
  }
  return current;
}

/** Two words on one band (sharing 60 % of the taller's height) that overlap across (30 % of the narrower's width). */
function sameRowOverlap(a: PlacedWord, b: PlacedWord): boolean {
  const dy = Math.min(a.box.y1, b.box.y1) - Math.max(a.box.y0, b.box.y0);
  return dy >= 0.6 * Math.max(a.box.y1 - a.box.y0, b.box.y1 - b.box.y0) && overlapsAcross(a, b);
}

function overlapsAcross(a: PlacedWord, b: PlacedWord): boolean {
  return Math.min(a.box.x1, b.box.x1) - Math.max(a.box.x0, b.box.x0) >= 0.3 * Math.min(a.box.x1 - a.box.x0, b.box.x1 - b.box.x0);
}

function mergeLine(olds: PlacedWord[], news: PlacedWord[], missedConfidence: number, key: number | string): PlacedWord[] {
  // clusters of words that overlap across the readings (union-find over both lists)
  const all = [...olds, ...news];
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  olds.forEach((o, i) => news.forEach((n, j) => overlapsAcross(o, n) && (parent[find(i)] = find(olds.length + j))));
  const clusters = new Map<number, { olds: PlacedWord[]; news: PlacedWord[] }>();
  all.forEach((w, i) => {
    const c = clusters.get(find(i)) ?? { olds: [], news: [] };
    (i < olds.length ? c.olds : c.news).push(w);
    clusters.set(find(i), c);
  });
  const mean = (ws: PlacedWord[]) => ws.reduce((s, w) => s + w.confidence, 0) / ws.length;
  const out: PlacedWord[] = [], marks: PlacedWord[] = [];
  for (const c of clusters.values()) {
    if (!c.news.length) out.push(...c.olds);
    else if (!c.olds.length) {
      for (const w of c.news) if (w.confidence >= missedConfidence) (/[\p{L}\p{N}]/u.test(w.text) ? out : marks).push(w);
    }
    else out.push(...(mean(c.news) > mean(c.olds) ? c.news : c.olds));
  }
  // punctuation the first reading missed ("8:00 - 9:00", "x = 1") only between two words kept,
  // close on both sides: alone at a crop's end it is mostly an edge read as "~" or "|"
  const near = (m: PlacedWord, side: 1 | -1) => out.some((w) => {
    const gap = side > 0 ? w.box.x0 - m.box.x1 : m.box.x0 - w.box.x1;
    return gap >= -1 && gap <= 1.5 * (w.box.y1 - w.box.y0) && Math.min(w.box.y1, m.box.y1) > Math.max(w.box.y0, m.box.y0);
  });
  out.push(...marks.filter((m) => near(m, 1) && near(m, -1)));
  // words kept from the first reading stay on their own lines (another line's, of the same band)
  const old = new Set(olds);
  return out.map((w) => (old.has(w) ? w : { ...w, line: key }));
}

/** Grey levels apart from its tile's background for a pixel to count as ink. */
export const INK_CONTRAST = 48;
const TILE = 24;

/**
 * Lines of marks the first reading left alone: pixels that stand out from their tile's
 * background, outside every word box, grouped into glyph-sized marks (a text height tall at
 * most, not a rule or a panel's edge), the marks on one row close together joined into a line.
 * Boxes in frame pixels, as placed words would have; each line is one pseudo-word ("").
 */
export function missedLines(img: GreyImage, words: PlacedWord[], maxLines: number, contrast = INK_CONTRAST): Line[] {
  const { width: W, height: H, pixels: px, scale: s } = img;
  if (W < TILE || H < TILE) return [];
  // each tile's background: its most common grey (in steps of 8)
  const tw = Math.ceil(W / TILE), tht = Math.ceil(H / TILE);
  const bg = new Uint8Array(tw * tht);
  // with no word read, only tiles with a flat background (its grey on 40 % of the tile at least:
  // a coloured block, a page) are searched; a photo's texture has none and read as junk
  const flat = new Uint8Array(tw * tht);
  const hist = new Uint32Array(32);
  for (let ty = 0; ty < tht; ty++)
    for (let tx = 0; tx < tw; tx++) {
      hist.fill(0);
      let n = 0;
      for (let y = ty * TILE; y < Math.min(H, ty * TILE + TILE); y += 2) for (let x = tx * TILE; x < Math.min(W, tx * TILE + TILE); x += 2, n++) hist[px[y * W + x]! >> 3]!++;
      let best = 0;
      for (let b = 1; b < 32; b++) if (hist[b]! > hist[best]!) best = b;
      bg[ty * tw + tx] = best * 8 + 4;
      flat[ty * tw + tx] = Number(words.length > 0 || hist[best]! >= 0.4 * n);
    }
  const ink = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    const row = Math.floor(y / TILE) * tw;
    for (let tx = 0; tx < tw; tx++) {
      const b = bg[row + tx]!;
      if (!flat[row + tx]) continue;
      for (let p = y * W + tx * TILE, end = y * W + Math.min(W, tx * TILE + TILE); p < end; p++) if (Math.abs(px[p]! - b) > contrast) ink[p] = 1;
    }
  }
  for (const w of words) {
    const x0 = Math.max(0, Math.floor(w.box.x0 * s) - 2), x1 = Math.min(W, Math.ceil(w.box.x1 * s) + 2);
    const y0 = Math.max(0, Math.floor(w.box.y0 * s) - 2), y1 = Math.min(H, Math.ceil(w.box.y1 * s) + 2);
    for (let y = y0; y < y1; y++) ink.fill(0, y * W + x0, y * W + x1);
  }
  // connected marks (8-neighbours)
  const comps: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const stack = new Int32Array(W * H);
  for (let start = 0; start < W * H; start++) {
    if (ink[start] !== 1) continue;
    let n = 0, x0 = W, y0 = H, x1 = 0, y1 = 0, count = 0;
    stack[n++] = start;
    ink[start] = 2;
    while (n) {
      const p = stack[--n]!;
      const x = p % W, y = (p - x) / W;
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= W) continue;
          const q = yy * W + xx;
          if (ink[q] === 1) {
            ink[q] = 2;
            stack[n++] = q;
          }
        }
      }
    }
    if (count >= 6) comps.push({ x0, y0, x1: x1 + 1, y1: y1 + 1 });
  }
  // the text height (median) bounds marks from above; the least height is the lower quartile's:
  // tesseract gives the words of a line it merged with the small grey line under it both rows'
  // height (28 px for 12 px text on a settings page), and the median that tall took a sidebar's
  // lines for too small to be text. With no word read at all (white text on coloured blocks only,
  // which a greyscale frame's thresholding turns to blocks of one colour), the marks' own heights.
  const heights = (words.length ? words.map((w) => (w.box.y1 - w.box.y0) * s) : comps.map((c) => c.y1 - c.y0).filter((h) => h >= 4 && h <= H / 8)).sort((a, b) => a - b);
  if (!heights.length) return [];
  const th = Math.max(4, heights[Math.floor(heights.length / 2)]!);
  const low = Math.max(4, heights[Math.floor(heights.length / 4)]!);
  // kept when glyph-sized
  const marks = comps.filter((c) => {
    const h = c.y1 - c.y0, w = c.x1 - c.x0;
    return h >= 0.3 * low && h <= 1.6 * th && w <= 3 * th;
  });
  // marks on one row, close together: one line
  marks.sort((a, b) => a.x0 - b.x0);
  const lines: { x0: number; y0: number; x1: number; y1: number; n: number }[] = [];
  for (const m of marks) {
    const l = lines.find((l) => m.x0 - l.x1 <= 1.5 * th && Math.min(l.y1, m.y1) - Math.max(l.y0, m.y0) >= 0.4 * Math.min(l.y1 - l.y0, m.y1 - m.y0));
    if (l) {
      l.x1 = Math.max(l.x1, m.x1);
      l.y0 = Math.min(l.y0, m.y0);
      l.y1 = Math.max(l.y1, m.y1);
      l.n++;
    } else lines.push({ ...m, n: 1 });
  }
  return lines
    // (with no word to say how tall text is here, a line is three marks at least)
    .filter((l) => l.y1 - l.y0 >= 0.45 * low && l.y1 - l.y0 <= 1.8 * th && (words.length > 0 || l.n >= 3))
    .slice(0, maxLines)
    .map((l, i) => ({ key: `missed:${i}`, words: [{ text: "", confidence: 0, line: `missed:${i}`, box: { x0: l.x0 / s, y0: l.y0 / s, x1: l.x1 / s, y1: l.y1 / s } }], confidence: 0, worst: 0 }));
}
