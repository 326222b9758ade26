// The capture client's incremental hashes are the worker's: ScreenHasher, fed frame after frame
// (a changed tile here, a one-pixel change on a tile's edge there, a region of a wider frame),
// gives exactly hashImage() of the PNG the client stores.
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { rng } from "../../fixtures/random.js";
import { ScreenHasher, type Region } from "../../src/capture/screen-hash.js";
import type { Grab } from "../../src/capture/backend.js";
import { hashImage } from "../../src/engines/hasher.js";

async function rgbOf(png: Buffer): Promise<Grab> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** What the worker computes from the stored image of `region` of `g`. */
async function workerHashes(g: Grab, r: Region) {
  const png = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: g.channels } })
    .extract({ left: r.x, top: r.y, width: r.width, height: r.height })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const h = await hashImage(png);
  return { phash: h.phash, tileHashes: h.tileHashes, width: h.width, height: h.height };
}

/** A copy of `g` with a rectangle painted in a colour. */
function paint(g: Grab, x: number, y: number, w: number, h: number, rgb: [number, number, number]): Grab {
  const data = Buffer.from(g.data);
  for (let yy = y; yy < Math.min(g.height, y + h); yy++) {
    for (let xx = x; xx < Math.min(g.width, x + w); xx++) {
      const p = (yy * g.width + xx) * g.channels;
      [data[p], data[p + 1], data[p + 2]] = rgb;
    }
  }
  return { ...g, data };
}

function noise(width: number, height: number, seed: number): Grab {
  const r = rng(seed);
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 256);
  return { data, width, height, channels: 3 };
}

describe("ScreenHasher", () => {
  it("gives the worker's phash and tile hashes, on the first frame and after each change, only redoing changed tiles", async () => {
    const first = await rgbOf(await renderScreen({ width: 1366, height: 768, clock: "10:41", cursor: { line: 3, col: 5 } }));
    const whole = { x: 0, y: 0, width: first.width, height: first.height };
    const h = new ScreenHasher(first.width, first.height, 3, whole);
    let u = await h.update(first);
    expect(u).toMatchObject({ changed: true, tilesRedone: 64 });
    expect(u.hashes).toEqual(await workerHashes(first, whole));

    u = await h.update({ ...first, data: Buffer.from(first.data) });
    expect(u).toMatchObject({ changed: false, tilesRedone: 0 });

    // A one-pixel change on the edge between tiles (1366 / 8 = 170.75: cell and tile edges disagree here).
    let g = paint(first, 170, 95, 1, 1, [255, 0, 0]);
    u = await h.update(g);
    expect(u.changed).toBe(true);
    expect(u.tilesRedone).toBeLessThanOrEqual(4);
    expect(u.hashes).toEqual(await workerHashes(g, whole));

    // A typed word, a dialog, a full repaint.
    const r = rng(14);
    for (let i = 0; i < 6; i++) {
      const w = 1 + Math.floor(r() * 400), hh = 1 + Math.floor(r() * 200);
      g = paint(g, Math.floor(r() * first.width), Math.floor(r() * first.height), w, hh, [Math.floor(r() * 256), Math.floor(r() * 256), Math.floor(r() * 256)]);
      u = await h.update(g);
      expect(u.tilesRedone).toBeLessThan(64);
      expect(u.hashes).toEqual(await workerHashes(g, whole));
    }
    g = await rgbOf(await renderScreen({ width: 1366, height: 768, theme: "dark", dialog: { title: "Save?", lines: ["unsaved changes"] } }));
    u = await h.update(g);
    expect(u.hashes).toEqual(await workerHashes(g, whole));
  });

  it("hashes one monitor's region of a wider frame, unmoved by changes on the other monitor", async () => {
    const left = await rgbOf(await renderScreen({ width: 640, height: 400, title: "left" }));
    const right = await rgbOf(await renderScreen({ width: 640, height: 400, title: "right", theme: "dark" }));
    const both = await sharp({ create: { width: 1280, height: 400, channels: 3, background: "#000" } })
      .composite([{ input: left.data, raw: { width: 640, height: 400, channels: 3 }, left: 0, top: 0 }, { input: right.data, raw: { width: 640, height: 400, channels: 3 }, left: 640, top: 0 }])
      .raw()
      .toBuffer();
    const frame: Grab = { data: both, width: 1280, height: 400, channels: 3 };
    const m1 = { x: 640, y: 0, width: 640, height: 400 };
    const h = new ScreenHasher(1280, 400, 3, m1);
    expect((await h.update(frame)).hashes).toEqual(await workerHashes(frame, m1));
    expect((await h.update(paint(frame, 0, 0, 640, 400, [9, 9, 9]))).changed).toBe(false);
    const g = paint(frame, 630, 100, 20, 20, [200, 10, 10]);
    const u = await h.update(g);
    expect(u.changed).toBe(true);
    expect(u.hashes).toEqual(await workerHashes(g, m1));
  });

  it("agrees on noise and on images smaller than the grid", async () => {
    for (const [w, hh] of [[1920, 1080], [97, 61], [7, 5]] as const) {
      const g = noise(w, hh, w);
      const whole = { x: 0, y: 0, width: w, height: hh };
      const h = new ScreenHasher(w, hh, 3, whole);
      expect((await h.update(g)).hashes).toEqual(await workerHashes(g, whole));
      const g2 = paint(g, Math.floor(w / 3), Math.floor(hh / 3), Math.max(1, Math.floor(w / 5)), Math.max(1, Math.floor(hh / 7)), [0, 0, 0]);
      expect((await h.update(g2)).hashes).toEqual(await workerHashes(g2, whole));
    }
  });

  it("refuses a region outside the frame, and a frame of another shape", async () => {
    expect(() => new ScreenHasher(100, 100, 3, { x: 50, y: 0, width: 60, height: 10 })).toThrow(/not inside the 100x100 frame/);
    const h = new ScreenHasher(10, 10, 3, { x: 0, y: 0, width: 10, height: 10 });
    await expect(h.update(noise(11, 10, 1))).rejects.toThrow(/11x10x3 frame given to the hasher of 10x10x3 frames/);
  });
});
