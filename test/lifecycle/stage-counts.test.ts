// pgrecall.stage_counts: the pipeline's counts from partial indexes and statistics, cheap at any
// size — exact like the pipeline view while the table is small, capped and estimated beyond.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();

interface Count {
  stage: string;
  pending: number;
  blocked: number;
  upstream_failed: number;
  failed: number;
  done: number;
  skipped: number;
  capped: boolean;
  estimated: boolean;
}
/** Finished frames as a bulk load writes them: the pipeline's columns set directly, triggers off. */
const load = (insert: string) =>
  db.sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx.unsafe(insert);
  });
const counts = async (cap = 100000) =>
  Object.fromEntries((await db.sql<Count[]>`
    select stage, pending::int, blocked::int, upstream_failed::int, failed::int, done::int, skipped::int, capped, estimated
    from pgrecall.stage_counts(${cap})`).map((c) => [c.stage, c]));

describe("stage_counts", () => {
  it("equals the pipeline view on a small table, tombstoned frames left out", async () => {
    // 12 frames: hashed and OCRed, 3 of them failed OCR, 2 waiting for their hash, 1 tombstoned.
    await load(`
      insert into pgrecall.frames (deployment_id, phash, hash_status, ocr_status, vision_status, embedding_status)
      select 'c', ${randomPhash()} + g, case when g <= 2 then 0 else 1 end, case when g <= 2 then 0 when g <= 5 then 2 else 1 end, 3,
             case when g <= 5 then 0 else 1 end
      from generate_series(1, 12) g`);
    await db.sql`update pgrecall.frames set tombstoned_at = now() where id = (select id from pgrecall.frames where ocr_status = 1 limit 1)`;
    const view = await db.sql<Count[]>`select stage, pending::int, blocked::int, upstream_failed::int, failed::int, done::int, skipped::int from pgrecall.pipeline`;
    const c = await counts();
    for (const v of view) expect(c[v.stage]).toEqual({ ...v, capped: false, estimated: false });
    expect(c.ocr).toMatchObject({ pending: 0, blocked: 2, failed: 3, done: 6 });
    expect(c.embedding).toMatchObject({ pending: 0, blocked: 2, upstream_failed: 3, done: 6 });
  });

  it("stops counting at the cap and says so; beyond it, done and skipped are the planner's estimates", async () => {
    await load(`
      insert into pgrecall.frames (deployment_id, phash, hash_status, ocr_status, vision_status, embedding_status)
      select 'big', ${randomPhash()} + g, 1, 1, 3, case when g % 10 = 0 then 0 else 1 end from generate_series(1, 2000) g`);
    await db.sql`analyze pgrecall.frames`;
    const c = await counts(50);
    // 205 frames wait for embedding (200 runnable, 5 behind OCR): counted together, 51 of them read.
    expect(c.embedding).toMatchObject({ capped: true, estimated: true });
    expect(c.embedding!.pending + c.embedding!.blocked + c.embedding!.upstream_failed).toBe(51);
    expect(c.hash).toMatchObject({ pending: 2, capped: false, estimated: true }); // the first test's two
    // The statistics of a 2,012-row table are exact enough to be within a few per cent.
    expect(Math.abs(c.vision!.skipped - 2012)).toBeLessThan(100);
    expect(Math.abs(c.embedding!.done - 1806)).toBeLessThan(100);
  });

  it("refuses a cap out of range, and is for readers and workers, not capture", async () => {
    await expect(db.sql`select * from pgrecall.stage_counts(0)`).rejects.toThrow(/p_cap must be between 1 and 10000000, not 0/);
    const grants = await db.sql<{ role: string; can: boolean }[]>`
      select r as role, has_function_privilege(r, 'pgrecall.stage_counts(integer)', 'execute') as can
      from unnest(array['pgrecall_reader', 'pgrecall_worker', 'pgrecall_capture']) r`;
    expect(Object.fromEntries(grants.map((g) => [g.role, g.can]))).toEqual({ pgrecall_reader: true, pgrecall_worker: true, pgrecall_capture: false });
  });
});

describe("pgrecall status on a large history", () => {
  it("prints the cheap counts past 100,000 frames, says which are estimates, and counts every frame with --exact", async () => {
    await load(`
      insert into pgrecall.frames (deployment_id, phash, hash_status, ocr_status, vision_status, embedding_status)
      select 'huge', g, 1, 1, 3, 1 from generate_series(1, 100000) g`);
    await db.sql`analyze pgrecall.frames`;
    const status = (args: string[]) =>
      promisify(execFile)("node", ["bin/pgrecall.js", "status", ...args], { env: { ...process.env, DATABASE_URL: db.url } })
        .then((r) => r.stdout, (e: { stdout: string }) => e.stdout); // exits 1: frames pending and no worker
    const cheap = await status([]);
    expect(cheap).toMatch(/^vision +\d+\+? +\d+\+? +\d+\+? +~\d+ +\d+\+? +~1\d{5} /m);
    expect(cheap).toMatch(/~ done and skipped are the planner's estimates/);
    expect(cheap).not.toMatch(/excluded/);
    const exact = await status(["--exact"]);
    expect(exact).toMatch(/excluded/);
    expect(exact).toMatch(/^vision +0 +0 +\d+ +0 +0 +102011 /m); // 12 + 2,000 + 100,000 frames, less the tombstoned one
  });
});
