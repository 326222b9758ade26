import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../../helpers/db.js";
import { pipeline } from "../../../src/status.js";

const db = useTestDatabase();

describe("pgrecall.pipeline", () => {
  it("has a row per stage even with no frames", async () => {
    const rows = await pipeline(db.sql);
    expect(rows.map((r) => r.stage)).toEqual(["hash", "ocr", "vision", "embedding"]);
    expect(rows.every((r) => r.pending === 0 && r.done === 0 && r.oldest_pending_seconds === null)).toBe(true);
  });

  it("counts per stage and status, blocked work, work behind a failure, the oldest pending age and the recent error rate", async () => {
    const p = randomPhash();
    const [a] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('pl', ${p}) returning id`;
    await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('pl', ${p})`; // duplicate
    const [c] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('pl', ${randomPhash()}) returning id`;
    await db.sql`insert into pgrecall.frames (deployment_id) values ('pl')`; // waits for hash
    await db.sql`update pgrecall.frames set inserted_at = now() - interval '10 minutes' where id = ${a!.id}`;
    await db.sql`select pgrecall.frame_ocr_done(${a!.id}, 'x'), pgrecall.frame_ocr_failed(${c!.id}, 'bad')`;

    const by = Object.fromEntries((await pipeline(db.sql)).map((r) => [r.stage, r]));
    expect(by.hash).toMatchObject({ pending: 1, done: 3, failed: 0 });
    expect(by.ocr).toMatchObject({ pending: 0, blocked: 1, done: 1, failed: 1, skipped: 1, failed_last_hour: 1, finished_last_hour: 3 });
    expect(by.ocr!.failure_rate_last_hour).toBeCloseTo(1 / 3, 4);
    // vision waits for OCR (it is sent the redacted image): a is ready, c is behind its failed OCR
    expect(by.vision).toMatchObject({ pending: 1, blocked: 1, upstream_failed: 1, skipped: 1 });
    expect(by.vision!.oldest_pending_seconds).toBeGreaterThanOrEqual(600);
    // c's OCR failed: its embedding is not "blocked" (waiting) but behind a failure.
    expect(by.embedding).toMatchObject({ pending: 1, blocked: 1, upstream_failed: 1, skipped: 1 });
  });

  it("counts the later stages of a frame whose hash failed as behind a failure, not as blocked forever", async () => {
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, image_ref) values ('hf', '/nowhere.png') returning id`;
    const before = Object.fromEntries((await pipeline(db.sql)).map((r) => [r.stage, r]));
    await db.sql`select pgrecall.frame_hash_failed(${f!.id}, 'image file /nowhere.png cannot be read')`;
    const after = Object.fromEntries((await pipeline(db.sql)).map((r) => [r.stage, r]));
    for (const stage of ["ocr", "vision", "embedding"]) {
      expect(after[stage]!.blocked).toBe(before[stage]!.blocked - 1);
      expect(after[stage]!.upstream_failed).toBe(before[stage]!.upstream_failed + 1);
    }
  });
});
