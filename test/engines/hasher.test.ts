import { describe, expect, it } from "vitest";
import { bitsToSigned, hashImage, TILE_GRID } from "../../src/engines/hasher.js";
import { renderScreen } from "../../fixtures/render.js";

describe("hashImage", () => {
  it("gives a signed 64-bit phash and an 8x8 grid of tile hashes", async () => {
    const h = await hashImage(await renderScreen({ width: 960, height: 540 }));
    expect(typeof h.phash).toBe("bigint");
    expect(h.phash).toBe(BigInt.asIntN(64, h.phash));
    expect(h.tileHashes).toHaveLength(TILE_GRID * TILE_GRID);
    expect([h.width, h.height]).toEqual([960, 540]);
  });

  it("is deterministic and identical for the same pixels in another format", async () => {
    const spec = { width: 800, height: 600 };
    const a = await hashImage(await renderScreen(spec, "png"));
    const b = await hashImage(await renderScreen(spec, "webp"));
    expect(b).toEqual(a);
  });

  it("rejects what is not an image, with sharp's reason", async () => {
    await expect(hashImage(Buffer.from("hello, not an image"))).rejects.toThrow(/unsupported image format/);
    await expect(hashImage(Buffer.alloc(0))).rejects.toThrow();
  });

  it("bitsToSigned maps the top bit to the sign", () => {
    expect(bitsToSigned("1" + "0".repeat(63))).toBe(-(2n ** 63n));
    expect(bitsToSigned("0".repeat(63) + "1")).toBe(1n);
    expect(() => bitsToSigned("01")).toThrow(/expected 64 bits/);
  });
});
