// Many writers at once: nothing locks, no frame and no job is lost.
import { describe, expect, it } from "vitest";
import { connect } from "../../src/db.js";
import { flipBits, randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const CONNECTIONS = 8;
const PER_CONNECTION = 2000;
const BATCH = 50;

describe("concurrent capture", () => {
  it(`${CONNECTIONS} connections inserting ${PER_CONNECTION} frames each: every non-duplicate has exactly one job per stage`, async () => {
    const writers = Array.from({ length: CONNECTIONS }, (_, w) => async () => {
      const sql = connect(db.url, { max: 1 });
      try {
        // Each writer is a deployment whose capture repeats itself now and then, and one
        // shared deployment that all writers hit at once.
        let prev = randomPhash();
        for (let i = 0; i < PER_CONNECTION; i += BATCH) {
          const rows = Array.from({ length: BATCH }, (_, k) => {
            const n = i + k;
            const phash = n % 5 === 4 ? flipBits(prev, 1) : (prev = randomPhash());
            return {
              deployment_id: n % 4 === 0 ? "shared" : `writer-${w}`,
              captured_at: new Date(Date.UTC(2026, 0, 1, 9, 0, 0) + n * 1000),
              phash: n % 10 === 3 ? null : phash.toString(),
            };
          });
          await sql`insert into pgrecall.frames ${sql(rows, "deployment_id", "captured_at", "phash")}`;
        }
      } finally {
        await sql.end();
      }
    });
    await Promise.all(writers.map((w) => w()));

    const [count] = await db.sql`select count(*)::int as n from pgrecall.frames`;
    expect(count!.n).toBe(CONNECTIONS * PER_CONNECTION);

    const [check] = await db.sql`
      with expected as (
        select f.id, w.stage
        from pgrecall.frames f
        cross join lateral unnest(pgrecall.stages_wanted(f)) w(stage)
      ),
      actual as (
        select split_part(key, ':', 3)::uuid as id, split_part(key, ':', 2) as stage, count(*) as n
        from graphile_worker._private_jobs
        where key not like 'pgrecall:summarize:%' -- the days' summaries (one job per deployment and day)
        group by 1, 2
      )
      select
        (select count(*) from expected)::int as expected,
        (select count(*) from actual)::int as actual,
        (select count(*) from expected e left join actual a using (id, stage) where a.n is distinct from 1)::int as missing_or_doubled,
        (select count(*) from actual a left join expected e using (id, stage) where e.id is null)::int as unexpected,
        (select count(*) from pgrecall.frames where duplicate_of is not null)::int as duplicates,
        (select count(*) from pgrecall.frames where phash is null)::int as unhashed`;
    expect(check).toMatchObject({ missing_or_doubled: 0, unexpected: 0 });
    expect(check!.expected).toBe(check!.actual);
    expect(check!.duplicates).toBeGreaterThan(500);
    expect(check!.unhashed).toBe(CONNECTIONS * PER_CONNECTION / 10);
  });
});
