// OCR is bounded: each frame has a time limit scaled to its pixels, past which its tesseract
// thread is terminated and the frame fails with the reason; a stop interrupts a recognition at
// once. Either way the next frame gets a fresh thread. (Limits here are far from the work's
// duration either way: a 3840×2160 frame of text takes several seconds on any machine.)
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { readConfig } from "../../src/config.js";
import { DEFAULT_OCR_LIMIT, OcrEngine, OcrTimeLimit } from "../../src/engines/ocr.js";
import { startWorker } from "../../src/worker.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-ocr-limits-"));
const { embedding, vision } = readConfig();

/** 2×2 editor screens: 3840×2160 of dense text, several seconds of OCR on any machine. */
async function fourScreens(): Promise<Buffer> {
  const tiles = await Promise.all([renderScreen({}), renderScreen({ scroll: 6 }), renderScreen({ scroll: 12 }), renderScreen({ scroll: 3 })]);
  return sharp({ create: { width: 3840, height: 2160, channels: 3, background: "#ffffff" } })
    .composite(tiles.map((input, i) => ({ input, left: (i % 2) * 1920, top: Math.floor(i / 2) * 1080 })))
    .png({ compressionLevel: 1 })
    .toBuffer();
}

describe("the OCR time limit", () => {
  it("is 30 s plus 5 s per megapixel by default: 40 s for a 1080p screen, 340 s at 62 Mpx", () => {
    const engine = new OcrEngine(1);
    expect(DEFAULT_OCR_LIMIT).toEqual({ baseMs: 30_000, msPerMpx: 5_000 });
    expect(engine.timeLimitMs(1920, 1080)).toBe(40_368);
    expect(engine.timeLimitMs(10_500, 5_900)).toBe(339_750);
  });

  it("fails a frame that exceeds it, recording the limit and the frame's size on the frame", async () => {
    const big = join(dataDir, "four-screens.png");
    writeFileSync(big, await fourScreens());
    const [b] = await db.sql`insert into pgrecall.frames (deployment_id, phash, image_ref)
                             values ('limit-big', ${randomPhash()}, ${big}) returning id`;
    await startWorker({
      databaseUrl: db.url, dataDir, embedding, vision, concurrency: 1, once: true, only: ["ocr"],
      ocrLimit: { baseMs: 1_000, msPerMpx: 0 },
    });
    expect((await db.sql`select ocr_status, ocr_message from pgrecall.frames where id = ${b!.id}`)[0]).toEqual({
      ocr_status: 2,
      ocr_message: "OCR stopped after 1.0 s, the limit for a 3840×2160 frame (8.3 Mpx: 1 s + 0 s per megapixel)",
    });
    expect(await db.sql`select id from graphile_worker.jobs where task_identifier = 'ocr'`).toEqual([]); // failed for good, not retried
  }, 120_000);
});

describe("OcrEngine", () => {
  it("gives up a recognition as soon as its signal aborts, terminating the thread, and reads the next frame", async () => {
    const engine = new OcrEngine(1);
    try {
      const prepared = await engine.prepare(await fourScreens());
      const stop = new AbortController();
      const reason = new Error("stopping");
      const running = engine.recognize(prepared, { signal: stop.signal });
      await new Promise((r) => setTimeout(r, 1500));
      expect(engine.threads).toBe(1);
      stop.abort(reason);
      await expect(running).rejects.toBe(reason);
      expect(engine.threads).toBe(0);

      const r = await engine.recognize(await engine.prepare(await renderScreen({ width: 640, height: 240 })));
      expect(r.text).toMatch(/invoice/i);
      await expect(engine.recognize(prepared, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    } finally {
      await engine.stop();
    }
  }, 60_000);

  it("past its time limit rejects with OcrTimeLimit, terminating the thread, and reads the next frame", async () => {
    const limit = { baseMs: 500, msPerMpx: 0 };
    const engine = new OcrEngine(1, undefined, limit);
    try {
      await expect(engine.recognize(await engine.prepare(await fourScreens()))).rejects.toBeInstanceOf(OcrTimeLimit);
      expect(engine.threads).toBe(0);
      limit.baseMs = 120_000; // the engine reads its limit per frame: the next one has all the time it needs
      expect((await engine.recognize(await engine.prepare(await renderScreen({ width: 640, height: 240 })))).text).toMatch(/invoice/i);
    } finally {
      await engine.stop();
    }
  }, 60_000);
});
