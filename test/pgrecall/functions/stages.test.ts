// The stage registry: adding a stage is its columns, its row in pgrecall.stages, a task file
// and its SQL function. Everything else (enqueueing, transitions, views) follows from sql/.
import { describe, expect, it } from "vitest";
import { applySql } from "../../../src/migrate.js";
import { jobsOf, randomPhash, useTestDatabase } from "../../helpers/db.js";
import { pipeline } from "../../../src/status.js";

const db = useTestDatabase();

describe("pgrecall.stages", () => {
  it("lists the stages in order with their tasks and what each waits for", async () => {
    const rows = await db.sql`select stage, task, waits_for from pgrecall.stages order by position`;
    expect(rows).toEqual([
      { stage: "hash", task: "hash", waits_for: [] },
      { stage: "ocr", task: "ocr", waits_for: ["hash"] },
      { stage: "vision", task: "vision", waits_for: ["hash", "ocr"] },
      { stage: "embedding", task: "embed", waits_for: ["hash", "ocr"] },
    ]);
  });

  it("names a stage by itself or by its task, and refuses others with the list", async () => {
    expect(await db.sql`select pgrecall._stage('embed') as s, pgrecall._stage('embedding') as t`).toEqual([{ s: "embedding", t: "embedding" }]);
    await expect(db.sql`select pgrecall._stage('colour')`).rejects.toThrow(/unknown stage "colour"/);
  });

  it("a new stage added as data gets its jobs, views, pipeline row and failure functions when sql/ is re-applied", async () => {
    await db.sql.unsafe(`
      alter table pgrecall.frames add column colour_status smallint not null default 0,
        add column colour_message text, add column colour_at timestamptz, add column colour_name text;
      insert into pgrecall.stages (stage, task, position, waits_for, results, description)
      values ('colour', 'colour', 5, '{hash,ocr}', '{colour_name}', 'the dominant colour of the screen')`);
    await applySql(db.url, { force: true });

    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('st', ${randomPhash()}) returning id`;
    expect(await jobsOf(db.sql, f!.id)).toEqual(["ocr"]);
    await db.sql`select pgrecall.frame_ocr_done(${f!.id}, 'hello')`;
    expect(await jobsOf(db.sql, f!.id)).toEqual(["colour", "embed", "ocr", "vision"]);
    expect(await db.sql`select count(*)::int as n from pgrecall.pending_colour where id = ${f!.id}`).toEqual([{ n: 1 }]);
    expect((await pipeline(db.sql)).map((r) => r.stage)).toEqual(["hash", "ocr", "vision", "embedding", "colour"]);
    await db.sql`select pgrecall.frame_colour_failed(${f!.id}, 'no colour')`;
    expect(await db.sql`select pgrecall.requeue_failed('colour') as n`).toEqual([{ n: 1 }]);
    // its result column belongs to the pipeline: a client may not send it
    await expect(db.sql`insert into pgrecall.frames (deployment_id, colour_name) values ('st', 'red')`).rejects.toThrow(/belong to the pipeline/);
    // a near-duplicate skips it, like the other stages
    const [{ phash }] = (await db.sql`select phash from pgrecall.frames where id = ${f!.id}`) as unknown as [{ phash: bigint }];
    const [d] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('st', ${phash}) returning colour_status`;
    expect(d!.colour_status).toBe(3);
  });
});
