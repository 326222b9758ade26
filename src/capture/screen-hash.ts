// The phash and tile hashes of one monitor's part of the screen, kept current tick by tick
// without redoing the whole screen: the new raw frame is compared with the last one row by row,
// and only the tiles whose pixels changed are converted to grey and hashed again. The values are
// those src/engines/hasher.ts computes from the whole image (the worker's; test/capture/
// screen-hash.test.ts checks they are equal): the same grey (sharp's, learnt per colour: see
// GreyLevels), the same cells, backgrounds and threshold
// per tile, and sharp-phash's 32x32 resize and DCT, of which only the 8x8 coefficients the hash
// reads are computed.
import sharp from "sharp";
import { bitsToSigned, INK_THRESHOLD, TILE_CELLS, TILE_GRID, type FrameHashes } from "../engines/hasher.js";
import type { Grab } from "./backend.js";

/** Where a monitor is in the grabbed frame (clipped to it). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ScreenHashUpdate {
  /** False when no pixel of the region changed since the last update: the hashes are the last ones. */
  changed: boolean;
  /** Tiles hashed again (all of them the first time). */
  tilesRedone: number;
  hashes: FrameHashes;
}

const CELLS = TILE_GRID * TILE_CELLS;
const PHASH_SIZE = 32;
const PHASH_LOW = 8;

/** A half-open pixel range [from, to). */
interface Span {
  from: number;
  to: number;
}

/** Along one axis of `size` pixels: each cell's pixels, each tile's background range, and each tile's whole dependency (their union). */
function axis(size: number) {
  const cells: Span[] = Array.from({ length: CELLS }, () => ({ from: size, to: 0 }));
  for (let p = 0; p < size; p++) {
    const c = cells[Math.min(CELLS - 1, Math.floor((p * CELLS) / size))]!;
    c.from = Math.min(c.from, p);
    c.to = Math.max(c.to, p + 1);
  }
  const modes: Span[] = [];
  const deps: Span[] = [];
  for (let t = 0; t < TILE_GRID; t++) {
    const mode = { from: Math.floor((t * size) / TILE_GRID), to: Math.floor(((t + 1) * size) / TILE_GRID) };
    const dep = { ...mode };
    for (let k = t * TILE_CELLS; k < (t + 1) * TILE_CELLS; k++) {
      if (cells[k]!.from >= cells[k]!.to) continue; // an empty cell (an image narrower than the grid)
      dep.from = Math.min(dep.from, cells[k]!.from);
      dep.to = Math.max(dep.to, cells[k]!.to);
    }
    modes.push(mode);
    deps.push(dep);
  }
  return { cells, modes, deps };
}

export class ScreenHasher {
  /** The region's pixels as last hashed: a copy (the grabber reuses its buffers), rows kept current as they change. */
  private prev: Buffer | null = null;
  private grey: Buffer;
  private readonly tiles: bigint[] = new Array<bigint>(TILE_GRID * TILE_GRID).fill(0n);
  private phash = 0n;
  private readonly xs: ReturnType<typeof axis>;
  private readonly ys: ReturnType<typeof axis>;

  constructor(readonly frameWidth: number, readonly frameHeight: number, readonly channels: 3 | 4, readonly region: Region) {
    if (region.x < 0 || region.y < 0 || region.width <= 0 || region.height <= 0 || region.x + region.width > frameWidth || region.y + region.height > frameHeight) {
      throw new RangeError(`region ${region.width}x${region.height}+${region.x}+${region.y} is not inside the ${frameWidth}x${frameHeight} frame`);
    }
    this.grey = Buffer.alloc(region.width * region.height);
    this.xs = axis(region.width);
    this.ys = axis(region.height);
  }

  /** Whether this hasher is for frames of that shape. */
  fits(g: Grab): boolean {
    return g.width === this.frameWidth && g.height === this.frameHeight && g.channels === this.channels;
  }

  /** The hashes of the region of `g`: only what changed since the last call is done again. */
  async update(g: Grab): Promise<ScreenHashUpdate> {
    if (!this.fits(g)) throw new RangeError(`a ${g.width}x${g.height}x${g.channels} frame given to the hasher of ${this.frameWidth}x${this.frameHeight}x${this.channels} frames`);
    const dirty = this.prev ? this.dirtyTiles(g.data, this.prev) : null;
    if (!this.prev) this.prev = this.copyRegion(g.data);
    const redo = dirty ?? new Array<boolean>(TILE_GRID * TILE_GRID).fill(true);
    const count = redo.filter(Boolean).length;
    if (count > 0) {
      await this.greyOf(g.data, redo);
      for (let i = 0; i < redo.length; i++) if (redo[i]) this.tiles[i] = this.tileHash(i % TILE_GRID, Math.floor(i / TILE_GRID));
      this.phash = await this.phashOfGrey();
    }
    return {
      changed: count > 0,
      tilesRedone: count,
      hashes: { phash: this.phash, tileHashes: [...this.tiles], width: this.region.width, height: this.region.height },
    };
  }

  private copyRegion(frame: Buffer): Buffer {
    const { x, y, width, height } = this.region;
    const ch = this.channels, stride = this.frameWidth * ch, line = width * ch;
    const out = Buffer.allocUnsafe(line * height);
    for (let row = 0; row < height; row++) frame.copy(out, row * line, (y + row) * stride + x * ch, (y + row) * stride + x * ch + line);
    return out;
  }

  /**
   * The tiles (row-major) any pixel of which, or of their background range, differs from the last
   * frame hashed; the rows that changed are copied into it.
   */
  private dirtyTiles(cur: Buffer, prev: Buffer): boolean[] {
    const { x, y, width, height } = this.region;
    const ch = this.channels, stride = this.frameWidth * ch, line = width * ch;
    const dirty = new Array<boolean>(TILE_GRID * TILE_GRID).fill(false);
    for (let row = 0; row < height; row++) {
      const start = (y + row) * stride + x * ch, own = row * line;
      if (prev.compare(cur, start, start + line, own, own + line) === 0) continue;
      for (let ty = 0; ty < TILE_GRID; ty++) {
        const dy = this.ys.deps[ty]!;
        if (row < dy.from || row >= dy.to) continue;
        for (let tx = 0; tx < TILE_GRID; tx++) {
          if (dirty[ty * TILE_GRID + tx]) continue;
          const dx = this.xs.deps[tx]!;
          if (prev.compare(cur, start + dx.from * ch, start + dx.to * ch, own + dx.from * ch, own + dx.to * ch) !== 0) dirty[ty * TILE_GRID + tx] = true;
        }
      }
      cur.copy(prev, own, start, start + line);
    }
    return dirty;
  }

  /** Converts to grey the pixels the redone tiles depend on: per row of tiles, from the first to the last redone tile. */
  private async greyOf(frame: Buffer, redo: boolean[]): Promise<void> {
    const { width, height } = this.region;
    if (redo.every(Boolean)) return GREY.convert(frame, this.frameWidth, this.channels, this.region, { from: 0, to: width }, { from: 0, to: height }, this.grey);
    for (let ty = 0; ty < TILE_GRID; ty++) {
      const txs = [...Array(TILE_GRID).keys()].filter((tx) => redo[ty * TILE_GRID + tx]);
      if (!txs.length) continue;
      const xs = { from: this.xs.deps[txs[0]!]!.from, to: this.xs.deps[txs.at(-1)!]!.to };
      await GREY.convert(frame, this.frameWidth, this.channels, this.region, xs, this.ys.deps[ty]!, this.grey);
    }
  }

  /** One tile's ink map, as hasher.tileHashes computes it: each cell's mean against the tile's most common grey level. */
  private tileHash(tx: number, ty: number): bigint {
    const grey = this.grey, w = this.region.width;
    const mx = this.xs.modes[tx]!, my = this.ys.modes[ty]!;
    const hist = new Uint32Array(256);
    for (let y = my.from; y < my.to; y++) for (let p = y * w + mx.from, end = y * w + mx.to; p < end; p++) hist[grey[p]!]!++;
    let bg = 0;
    for (let v = 1; v < 256; v++) if (hist[v]! > hist[bg]!) bg = v;
    let hi = 0, lo = 0;
    for (let cy = 0; cy < TILE_CELLS; cy++) {
      const ry = this.ys.cells[ty * TILE_CELLS + cy]!;
      for (let cx = 0; cx < TILE_CELLS; cx++) {
        const rx = this.xs.cells[tx * TILE_CELLS + cx]!;
        let mean = 0;
        if (ry.from < ry.to && rx.from < rx.to) {
          let sum = 0;
          for (let y = ry.from; y < ry.to; y++) for (let p = y * w + rx.from, end = y * w + rx.to; p < end; p++) sum += grey[p]!;
          mean = sum / ((ry.to - ry.from) * (rx.to - rx.from));
        }
        const bit = Math.abs(mean - bg) > INK_THRESHOLD ? 1 : 0;
        const k = cy * TILE_CELLS + cx; // bit 63 - k of the word, the first cell the most significant
        if (k < 32) hi |= bit << (31 - k);
        else lo |= bit << (63 - k);
      }
    }
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }

  /** sharp-phash of the grey region: its 32x32 resize by sharp, then the DCT-II coefficients (1..8, 1..8) against their mean. */
  private async phashOfGrey(): Promise<bigint> {
    const s = await sharp(this.grey, { raw: { width: this.region.width, height: this.region.height, channels: 1 } })
      .greyscale()
      .resize(PHASH_SIZE, PHASH_SIZE, { fit: "fill" })
      .rotate()
      .raw()
      .toBuffer();
    // The same floating-point operations, in the same order, as sharp-phash 2.x: the same bits.
    const coef = (u: number, v: number) => {
      let sum = 0;
      for (let i = 0; i < PHASH_SIZE; i++) for (let j = 0; j < PHASH_SIZE; j++) sum += COS[i]![u]! * COS[j]![v]! * s[PHASH_SIZE * j + i]!;
      return sum * ((SQRT[u]! * SQRT[v]!) / 4);
    };
    const dct: number[] = [];
    let total = 0;
    for (let x = 0; x < PHASH_LOW; x++) {
      for (let y = 0; y < PHASH_LOW; y++) {
        const c = coef(x + 1, y + 1);
        dct.push(c);
        total += c;
      }
    }
    const avg = total / (PHASH_LOW * PHASH_LOW);
    return bitsToSigned(dct.map((c) => (c > avg ? "1" : "0")).join(""));
  }
}

/**
 * sharp's grey level of each colour, learnt from sharp itself: the colours of a region not seen
 * before are converted by sharp in one small image, and remembered (16 MiB at most, touched
 * only where the screen's colours fall). sharp's conversion (sRGB to linear light, luminance,
 * back to sRGB) is per pixel, so a colour converted alone has the grey level it has in any image:
 * the same as the worker's decode of the whole PNG.
 */
class GreyLevels {
  private levels: Uint8Array | null = null;
  private known: Uint8Array | null = null;

  async convert(frame: Buffer, frameWidth: number, ch: number, r: Region, xs: Span, ys: Span, grey: Buffer): Promise<void> {
    const levels = (this.levels ??= new Uint8Array(1 << 24));
    const known = (this.known ??= new Uint8Array(1 << 21));
    const stride = frameWidth * ch;
    let missing: number[] | null = null;
    for (let pass = 0; pass < 2; pass++) {
      for (let y = ys.from; y < ys.to; y++) {
        let p = (r.y + y) * stride + (r.x + xs.from) * ch;
        let o = y * r.width + xs.from;
        // Screens are runs of one colour: the last colour's level is kept at hand (the table is 16 MiB, a miss each look-up).
        let last = -1, level = 0;
        for (let x = xs.from; x < xs.to; x++, p += ch, o++) {
          const c = (frame[p]! << 16) | (frame[p + 1]! << 8) | frame[p + 2]!;
          if (c === last) grey[o] = level;
          else if (known[c >>> 3]! & (1 << (c & 7))) grey[o] = level = levels[(last = c)]!;
          else (missing ??= []).push(c);
        }
      }
      if (!missing) return;
      if (pass === 1) throw new Error("grey levels not learnt");
      await this.learn(missing);
      missing = null;
    }
  }

  private async learn(colours: number[]): Promise<void> {
    const unique = [...new Set(colours)];
    // One row of colours per 4096 (images are at most 10 million pixels wide); the last row padded with black.
    const width = Math.min(unique.length, 4096), height = Math.ceil(unique.length / width);
    const rgb = Buffer.alloc(width * height * 3);
    unique.forEach((c, i) => {
      rgb[i * 3] = c >>> 16;
      rgb[i * 3 + 1] = (c >>> 8) & 0xff;
      rgb[i * 3 + 2] = c & 0xff;
    });
    const out = await sharp(rgb, { raw: { width, height, channels: 3 } }).greyscale().raw().toBuffer();
    if (out.length !== width * height) throw new Error(`grey conversion gave ${out.length} levels for ${width * height} colours`);
    unique.forEach((c, i) => {
      this.levels![c] = out[i]!;
      this.known![c >>> 3]! |= 1 << (c & 7);
    });
  }
}

const GREY = new GreyLevels();

const SQRT = Array.from({ length: PHASH_SIZE }, (_, i) => (i === 0 ? 1 / Math.sqrt(2.0) : 1));
const COS = Array.from({ length: PHASH_SIZE }, (_, k) => Array.from({ length: PHASH_SIZE }, (_, n) => Math.cos(((2 * k + 1) / (2.0 * PHASH_SIZE)) * n * Math.PI)));
