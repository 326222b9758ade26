// Perceptual hash (sharp-phash) and a tile grid of ink maps, from one decode of the image.
//
// The whole-frame 64-bit pHash cannot tell a typed line from a blinking cursor: both move
// it 0-1 bits. The tile grid can: the frame is cut into 8x8 tiles, each tile into 8x8
// cells, and a cell's bit says whether it holds "ink" — its mean differs from its tile's
// background (the most common grey level in the tile) by more than INK_THRESHOLD. A cursor
// or a clock digit flips a cell or two; a typed word flips several in a row.
import { createRequire } from "node:module";
import sharp from "sharp";
type Phash = (image: Buffer | string, options?: sharp.SharpOptions) => Promise<string>;

// sharp-phash is CommonJS (module.exports = fn) but its typings declare a default export.
const phash = createRequire(import.meta.url)("sharp-phash") as Phash;

export const TILE_GRID = 8;
export const TILE_CELLS = 8;
/** Grey levels (0-255) a cell's mean must differ from its tile's background to count as ink. */
export const INK_THRESHOLD = 8;
/** Decoding refuses images above this many pixels (a 30000x30000 "pixel bomb" is 900M). */
export const MAX_INPUT_PIXELS = 64_000_000;

export interface FrameHashes {
  /** 64-bit pHash as a signed bigint, the way the frames.phash column stores it. */
  phash: bigint;
  /** TILE_GRID x TILE_GRID ink maps, row-major, each a signed 64-bit bigint. */
  tileHashes: bigint[];
  width: number;
  height: number;
}

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export async function decodeGrey(input: Buffer | string): Promise<GreyImage> {
  const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
    .rotate()
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export async function hashImage(input: Buffer | string): Promise<FrameHashes> {
  return hashGrey(await decodeGrey(input));
}

/** The same hashes from pixels already decoded to grey (a capture client's own screenshot). */
export async function hashGrey(grey: GreyImage): Promise<FrameHashes> {
  const bits = await phash(Buffer.from(grey.data.buffer, grey.data.byteOffset, grey.data.byteLength), {
    raw: { width: grey.width, height: grey.height, channels: 1 },
  });
  return {
    phash: bitsToSigned(bits),
    tileHashes: tileHashes(grey),
    width: grey.width,
    height: grey.height,
  };
}

/** "0101…" (64 chars, most significant first) to the signed bigint Postgres stores. */
export function bitsToSigned(bits: string): bigint {
  if (!/^[01]{64}$/.test(bits)) throw new Error(`expected 64 bits, got "${bits.slice(0, 80)}"`);
  return BigInt.asIntN(64, BigInt("0b" + bits));
}

export function tileHashes(img: GreyImage, threshold = INK_THRESHOLD): bigint[] {
  const n = TILE_GRID * TILE_CELLS;
  const { data, width, height } = img;
  const cellMean = cellMeans(img, n);
  const out: bigint[] = [];
  for (let ty = 0; ty < TILE_GRID; ty++) {
    for (let tx = 0; tx < TILE_GRID; tx++) {
      const x0 = Math.floor((tx * width) / TILE_GRID), x1 = Math.floor(((tx + 1) * width) / TILE_GRID);
      const y0 = Math.floor((ty * height) / TILE_GRID), y1 = Math.floor(((ty + 1) * height) / TILE_GRID);
      const bg = modeGrey(data, width, x0, x1, y0, y1);
      let word = 0n;
      for (let cy = 0; cy < TILE_CELLS; cy++) {
        for (let cx = 0; cx < TILE_CELLS; cx++) {
          const m = cellMean[(ty * TILE_CELLS + cy) * n + tx * TILE_CELLS + cx]!;
          word = (word << 1n) | (Math.abs(m - bg) > threshold ? 1n : 0n);
        }
      }
      out.push(BigInt.asIntN(64, word));
    }
  }
  return out;
}

/** Mean grey of each cell of an n x n grid over the image (box average, integer cell edges). */
function cellMeans({ data, width, height }: GreyImage, n: number): Float64Array {
  const sums = new Float64Array(n * n);
  const counts = new Float64Array(n * n);
  const colCell = new Int32Array(width);
  for (let x = 0; x < width; x++) colCell[x] = Math.min(n - 1, Math.floor((x * n) / width));
  for (let y = 0; y < height; y++) {
    const row = Math.min(n - 1, Math.floor((y * n) / height)) * n;
    const off = y * width;
    for (let x = 0; x < width; x++) {
      const c = row + colCell[x]!;
      sums[c]! += data[off + x]!;
      counts[c]! += 1;
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] = counts[i] ? sums[i]! / counts[i]! : 0;
  return sums;
}

function modeGrey(data: Uint8Array, width: number, x0: number, x1: number, y0: number, y1: number): number {
  const hist = new Uint32Array(256);
  for (let y = y0; y < y1; y++) {
    const off = y * width;
    for (let x = x0; x < x1; x++) hist[data[off + x]!]!++;
  }
  let best = 0;
  for (let v = 1; v < 256; v++) if (hist[v]! > hist[best]!) best = v;
  return best;
}
