// The capture client's disk buffer: entries in order, bounded, and with a blob key nothing of
// a buffered screen — image, time, app, title — on disk in clear.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { BlobKey } from "../../src/blob-crypto.js";
import { Spool } from "../../src/capture/spool.js";

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const files = (dir: string) => readdirSync(dir).map((n) => readFileSync(join(dir, n)));

describe("capture's disk buffer", () => {
  it("with a blob key, seals the images and their metadata, and gives them back in order", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pgrecall-spool-")), "buf");
    const key = new BlobKey(Buffer.alloc(32, 9));
    const spool = new Spool(dir, 10, key);
    const shots = [await renderScreen({ width: 320, height: 200, title: "invoice INV-77" }), await renderScreen({ width: 320, height: 200, title: "second" })];
    for (const [i, png] of shots.entries()) {
      expect(await spool.push([{ capturedAt: `2026-12-02T10:00:0${i}.000Z`, monitor: 0, app: "Secret-App", title: `budget ${i}.xlsx` }], [png])).toBe(true);
    }
    const onDisk = files(dir);
    expect(onDisk).toHaveLength(4);
    for (const f of onDisk) {
      expect(f.subarray(0, 8).toString("latin1")).toBe("PGRBLOB\x1a");
      expect(f.includes(PNG_MAGIC)).toBe(false);
      expect(f.includes("Secret-App")).toBe(false);
      expect(f.includes("budget")).toBe(false);
      expect(f.includes("2026-12-02")).toBe(false);
    }
    // A fresh Spool (capture restarted) counts and reads what is there, oldest first.
    const again = new Spool(dir, 10, key);
    expect(await again.size()).toBe(2);
    for (const [i, png] of shots.entries()) {
      const e = (await again.first())!;
      expect(e.frames).toMatchObject([{ capturedAt: `2026-12-02T10:00:0${i}.000Z`, app: "Secret-App", title: `budget ${i}.xlsx` }]);
      expect(e.images[0]!.equals(png)).toBe(true);
      await again.done(e);
    }
    expect(await again.first()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reads entries written in clear before a key was set; refuses sealed ones without the key, or with another", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pgrecall-spool-")), "buf");
    const png = await renderScreen({ width: 200, height: 120 });
    await new Spool(dir, 10).push([{ capturedAt: "2026-12-02T10:00:00.000Z", monitor: 0, app: "a", title: "clear" }], [png]);
    const key = new BlobKey(Buffer.alloc(32, 1));
    const keyed = new Spool(dir, 10, key);
    await keyed.push([{ capturedAt: "2026-12-02T10:00:02.000Z", monitor: 0, app: "a", title: "sealed" }], [png]);
    const e = (await keyed.first())!;
    expect(e.frames[0]!.title).toBe("clear");
    await keyed.done(e);
    await expect(new Spool(dir, 10).size()).rejects.toThrow(/capture buffer file .* is encrypted at rest .* no PGRECALL_BLOB_KEY is set/);
    await expect(new Spool(dir, 10, new BlobKey(Buffer.alloc(32, 2))).first()).rejects.toThrow(/encrypted with another key/);
    expect((await keyed.first())!.frames[0]!.title).toBe("sealed");
  });

  it("is bounded: a tick past the bound is dropped and counted", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pgrecall-spool-")), "buf");
    const spool = new Spool(dir, 2, new BlobKey(Buffer.alloc(32, 3)));
    const f = (s: number) => ({ capturedAt: `2026-12-02T10:00:0${s}.000Z`, monitor: 0, app: null, title: null });
    const img = Buffer.from("\x89PNG not really");
    expect(await spool.push([f(0), f(1)], [img, img])).toBe(true);
    expect(await spool.push([f(2)], [img])).toBe(false);
    expect([await spool.size(), spool.dropped]).toEqual([2, 1]);
  });
});
