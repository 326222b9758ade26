// The embed task through a real graphile-worker run: a frame inserted with plain SQL and an
// image path goes hash → dedup → OCR → embedding, with the model recorded per vector.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { startWorker } from "../../src/worker.js";
import { NOTHING_TO_EMBED } from "../../tasks/embed.js";
import { NO_PROVIDER } from "../../tasks/vision.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";
import { TINY_MODEL, tinyModelConfig } from "../helpers/model.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-embed-"));
const embedding = tinyModelConfig();
const run = (over: Partial<Parameters<typeof startWorker>[0]> = {}) =>
  startWorker({ databaseUrl: db.url, dataDir, concurrency: 4, once: true, embedding, vision: null, ...over });

describe("task embed", () => {
  it("a frame inserted with plain SQL reaches its embedding with no other client involved", async () => {
    const path = join(dataDir, "screen.png");
    writeFileSync(path, await renderScreen({}));
    const [f] = await db.sql`
      insert into pgrecall.frames (deployment_id, image_ref, app_name, window_title)
      values ('psql-only', ${path}, 'Code', 'invoices.js') returning id`;
    await run();
    const [r] = await db.sql`
      select hash_status, ocr_status, embedding_status, embedding_model, vector_dims(embedding) as dims,
             vector_norm(embedding) as norm, vision_status, vision_message
      from pgrecall.frames where id = ${f!.id}`;
    expect(r).toMatchObject({ hash_status: 1, ocr_status: 1, embedding_status: 1, embedding_model: TINY_MODEL, dims: 384, vision_status: 3, vision_message: NO_PROVIDER });
    expect(r!.norm).toBeCloseTo(1, 4);
  });

  it("embeds what SQL says to embed: title, app and OCR text", async () => {
    const [r] = await db.sql`select pgrecall.embedding_input(' invoices.js ', 'Code', 'const total = 1') as t, pgrecall.embedding_input(null, '', null) as empty`;
    expect(r).toEqual({ t: "invoices.js\nCode\nconst total = 1", empty: "" });
  });

  it("skips a frame with nothing to embed (blank screen, no title, no app) and says why", async () => {
    const path = join(dataDir, "blank.png");
    await sharp({ create: { width: 800, height: 600, channels: 3, background: "#ffffff" } }).png().toFile(path);
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, image_ref) values ('blank', ${path}) returning id`;
    await run();
    const [r] = await db.sql`select ocr_status, ocr_text, embedding_status, embedding_message from pgrecall.frames where id = ${f!.id}`;
    expect(r).toEqual({ ocr_status: 1, ocr_text: "", embedding_status: 3, embedding_message: NOTHING_TO_EMBED });
  });

  it("with no model installed each frame fails with the reason, and a requeue after installing embeds it", async () => {
    const empty = { ...embedding, modelsDir: mkdtempSync(join(tmpdir(), "pgrecall-nomodel-")) };
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash, window_title) values ('nomodel', 42, 'Inbox') returning id`;
    await db.sql`select pgrecall.frame_ocr_done(${f!.id}, 'Meeting at noon')`;
    await run({ embedding: empty });
    const [r] = await db.sql`select embedding_status, embedding_message from pgrecall.frames where id = ${f!.id}`;
    expect(r!.embedding_status).toBe(2);
    expect(r!.embedding_message).toMatch(/embedding model test\/tiny-minilm is not installed: .* does not exist/);

    await db.sql`select pgrecall.requeue_failed('embedding')`;
    await run();
    const [after] = await db.sql`select embedding_status, embedding_model from pgrecall.frames where id = ${f!.id}`;
    expect(after).toEqual({ embedding_status: 1, embedding_model: TINY_MODEL });
  });

  it("many frames at once share model calls and all get their vector", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash, window_title) values ('many', ${randomPhash()}, ${"doc " + i}) returning id`;
      await db.sql`select pgrecall.frame_ocr_done(${f!.id}, ${"invoice number " + i})`;
      ids.push(f!.id);
    }
    await run({ concurrency: 8, only: ["embed"] });
    const [r] = await db.sql`select count(*)::int as n, count(distinct embedding::text)::int as distinct_vectors from pgrecall.frames where id = any(${ids}::uuid[]) and embedding_status = 1`;
    expect(r).toEqual({ n: 30, distinct_vectors: 30 });
  });
});
