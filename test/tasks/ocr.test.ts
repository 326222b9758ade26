// The ocr task: real tesseract.js, offline, through a real graphile-worker run.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OcrEngine } from "../../src/engines/ocr.js";
import { renderScreen } from "../../fixtures/render.js";
import { readConfig } from "../../src/config.js";
import { startWorker } from "../../src/worker.js";
import { jobsOf, randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-ocr-"));
const { embedding, vision } = readConfig();

describe("task ocr", () => {
  it("a frame inserted with only an image path goes hash → dedup → OCR, and its embedding is queued", async () => {
    const light = join(dataDir, "light.png");
    const dark = join(dataDir, "dark.png");
    writeFileSync(light, await renderScreen({}));
    writeFileSync(dark, await renderScreen({ theme: "dark", scroll: 8 }));
    const [a] = await db.sql`insert into pgrecall.frames (deployment_id, image_ref) values ('ocr', ${light}) returning id`;
    const [b] = await db.sql`insert into pgrecall.frames (deployment_id, image_ref) values ('ocr-dark', ${dark}) returning id`;
    await startWorker({ databaseUrl: db.url, dataDir, embedding, vision, concurrency: 2, once: true, only: ["hash", "ocr"] });

    for (const [id, expected] of [[a!.id, "loadInvoice"], [b!.id, "sendReminder"]] as const) {
      const [f] = await db.sql`select ocr_status, ocr_text, ocr_confidence, ocr_words, ocr_engine from pgrecall.frames where id = ${id}`;
      expect(f!.ocr_status).toBe(1);
      expect(f!.ocr_engine).toMatch(/^pgrecall: tesseract(\.js [\d.]+| [\d.]+ \(native\)), (tessdata_fast|4\.0\.0)/);
      expect(f!.ocr_text).toContain(expected);
      expect(f!.ocr_confidence).toBeGreaterThan(50);
      const words = f!.ocr_words as { t: string; b: number[]; o: number }[];
      const w = words.find((x) => x.t.includes(expected))!;
      expect(f!.ocr_text.slice(w.o, w.o + w.t.length)).toBe(w.t);
      expect(w.b[2]).toBeGreaterThan(w.b[0]!);
      expect(await jobsOf(db.sql, id)).toEqual(["embed", "vision"]);
    }
  });

  it("records a missing or undecodable image on the frame (status 2) and goes on", async () => {
    const bad = join(dataDir, "bad.png");
    writeFileSync(bad, "no pixels here");
    const [m] = await db.sql`insert into pgrecall.frames (deployment_id, phash, image_ref) values ('ocr-bad', ${randomPhash()}, ${join(dataDir, "nowhere.png")}) returning id`;
    const [c] = await db.sql`insert into pgrecall.frames (deployment_id, phash, image_ref) values ('ocr-bad2', ${randomPhash()}, ${bad}) returning id`;
    await startWorker({ databaseUrl: db.url, dataDir, embedding, vision, concurrency: 2, once: true });
    const rows = await db.sql`select id, ocr_status, ocr_message from pgrecall.frames where id in (${m!.id}, ${c!.id})`;
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by[m!.id]).toMatchObject({ ocr_status: 2, ocr_message: expect.stringMatching(/cannot be read: ENOENT/) });
    expect(by[c!.id]).toMatchObject({ ocr_status: 2, ocr_message: expect.stringMatching(/is not an image/) });
  });

  it("inverts dark frames before OCR", async () => {
    const engine = new OcrEngine(1);
    const prepared = await engine.prepare(await renderScreen({ theme: "dark", width: 400, height: 300 }));
    expect(prepared.inverted).toBe(true);
    expect(prepared.pixels.reduce((a, v) => a + v, 0) / prepared.pixels.length).toBeGreaterThan(128);
    expect((await engine.prepare(await renderScreen({ width: 400, height: 300 }))).inverted).toBe(false);
  });
});
