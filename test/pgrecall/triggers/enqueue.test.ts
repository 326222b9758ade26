import { describe, expect, it } from "vitest";
import { flipBits, jobsOf, randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();

async function insert(dep: string, phash: bigint | null, at = "2026-01-01T10:00:00Z"): Promise<string> {
  const [r] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, phash, image_ref)
                           values (${dep}, ${at}, ${phash}, 'x.png') returning id`;
  return r!.id;
}

describe("_900_enqueue_inserted", () => {
  it("queues ocr and vision for a new frame with a phash", async () => {
    const id = await insert("enq-a", randomPhash());
    expect(await jobsOf(db.sql, id)).toEqual(["ocr"]);
  });

  it("queues hash (only) for a frame without a phash", async () => {
    const id = await insert("enq-b", null);
    expect(await jobsOf(db.sql, id)).toEqual(["hash"]);
  });

  it("queues nothing for a near-duplicate", async () => {
    const p = randomPhash();
    await insert("enq-c", p);
    const dup = await insert("enq-c", flipBits(p, 4), "2026-01-01T10:00:01Z");
    expect(await jobsOf(db.sql, dup)).toEqual([]);
  });

  it("keys jobs per frame and stage, with the payload and max_attempts from settings", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, job_max_attempts) values ('enq-d', 9)`;
    const id = await insert("enq-d", randomPhash());
    const jobs = await db.sql`select key, payload, max_attempts from graphile_worker._private_jobs
                              where key like ${"%" + id} order by key`;
    expect(jobs).toEqual([{ key: `pgrecall:ocr:${id}`, payload: { frame_id: id }, max_attempts: 9 }]);
  });

  it("a multi-row insert queues one job per stage per frame, and sees earlier rows of the same statement", async () => {
    const p = randomPhash();
    const rows = await db.sql<{ id: string; duplicate_of: string | null }[]>`
      insert into pgrecall.frames (deployment_id, captured_at, phash)
      values ('enq-e', '2026-01-01T10:00:00Z', ${p}),
             ('enq-e', '2026-01-01T10:00:01Z', ${flipBits(p, 2)}),
             ('enq-e', '2026-01-01T10:00:02Z', ${randomPhash()})
      returning id, duplicate_of`;
    expect(rows[1]!.duplicate_of).toBe(rows[0]!.id);
    expect(await jobsOf(db.sql, rows[0]!.id)).toEqual(["ocr"]);
    expect(await jobsOf(db.sql, rows[1]!.id)).toEqual([]);
    expect(await jobsOf(db.sql, rows[2]!.id)).toEqual(["ocr"]);
  });

  it("COPY goes through the same triggers", async () => {
    const p = randomPhash();
    const stream = await db.sql`copy pgrecall.frames (deployment_id, captured_at, phash) from stdin`.writable();
    stream.write(`enq-f\t2026-01-01T10:00:00Z\t${p}\n`);
    stream.write(`enq-f\t2026-01-01T10:00:01Z\t${flipBits(p, 9)}\n`);
    stream.write(`enq-f\t2026-01-01T10:00:02Z\t\\N\n`);
    await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
    const rows = await db.sql<{ id: string; duplicate_of: string | null }[]>`
      select id, duplicate_of from pgrecall.frames where deployment_id = 'enq-f' order by captured_at`;
    expect(rows.map((r) => r.duplicate_of)).toEqual([null, rows[0]!.id, null]);
    expect(await jobsOf(db.sql, rows[0]!.id)).toEqual(["ocr"]);
    expect(await jobsOf(db.sql, rows[1]!.id)).toEqual([]);
    expect(await jobsOf(db.sql, rows[2]!.id)).toEqual(["hash"]);
  });
});

describe("_900_enqueue_updated", () => {
  it("queues ocr and vision when the hash arrives, and embed when OCR is done", async () => {
    const id = await insert("enq-g", null);
    await db.sql`delete from graphile_worker._private_jobs`; // the hash job ran
    await db.sql`select pgrecall.frame_hash_done(${id}, ${randomPhash()})`;
    expect(await jobsOf(db.sql, id)).toEqual(["ocr"]);
    await db.sql`select pgrecall.frame_ocr_done(${id}, 'hello')`;
    expect(await jobsOf(db.sql, id)).toEqual(["embed", "ocr", "vision"]);
  });

  it("updates that change no stage queue nothing", async () => {
    const id = await insert("enq-h", randomPhash());
    await db.sql`delete from graphile_worker._private_jobs`;
    await db.sql`update pgrecall.frames set app_name = 'Code', window_title = 'x' where id = ${id}`;
    expect(await jobsOf(db.sql, id)).toEqual([]);
  });
});

describe("enqueueing twice does the work once", () => {
  it("enqueue_pending skips stages whose job waits, and re-adds only missing or exhausted ones", async () => {
    const id = await insert("enq-i", randomPhash());
    expect(await db.sql`select pgrecall.enqueue_pending('enq-i') as n`).toEqual([{ n: 0 }]);
    expect(await jobsOf(db.sql, id)).toEqual(["ocr"]);

    await db.sql`select pgrecall.frame_ocr_done(${id}, 'text')`; // embed and vision are wanted now
    await db.sql`delete from graphile_worker._private_jobs where key = ${"pgrecall:embed:" + id}`;
    await db.sql`update graphile_worker._private_jobs set attempts = max_attempts where key = ${"pgrecall:vision:" + id}`;
    expect(await db.sql`select pgrecall.enqueue_pending('enq-i') as n`).toEqual([{ n: 2 }]);
    expect(await db.sql`select pgrecall.enqueue_pending('enq-i') as n`).toEqual([{ n: 0 }]);
    const jobs = await db.sql`select task_identifier, attempts from graphile_worker.jobs where key like ${"%" + id} order by 1`;
    expect(jobs).toEqual([
      { task_identifier: "embed", attempts: 0 },
      { task_identifier: "ocr", attempts: 0 },
      { task_identifier: "vision", attempts: 0 },
    ]);
  });

  it("adding the same keyed jobs twice leaves one job per stage", async () => {
    const id = await insert("enq-j", randomPhash());
    await db.sql`select pgrecall._add_jobs(array['ocr','vision'], array[${id}, ${id}]::uuid[], array['enq-j','enq-j'])`;
    await db.sql`select pgrecall._add_jobs(array['ocr','vision'], array[${id}, ${id}]::uuid[], array['enq-j','enq-j'])`;
    expect(await jobsOf(db.sql, id)).toEqual(["ocr", "vision"]);
  });

  it("a requeued stage gets its job back", async () => {
    const id = await insert("enq-k", randomPhash());
    await db.sql`delete from graphile_worker._private_jobs`;
    await db.sql`select pgrecall.frame_ocr_failed(${id}, 'tesseract crashed')`;
    await db.sql`select pgrecall.requeue(${id}, 'ocr')`;
    expect(await jobsOf(db.sql, id)).toEqual(["ocr"]);
  });
});
