// Summaries benchmark: days of 10,000 frames (a frame every 3 s from 08:00, a 45-minute lunch,
// an app switch every 2 minutes, a title change every 10, a Slack glance every 97 frames) for
// one deployment. Measures pgrecall.summarize_day against a plain scan of the same day's frames
// (the baseline, same run), with a short history and with a long one (a recompute costs one
// day, not the history), and what the summaries' enqueue trigger adds to capture.
//
//   npm run bench:summaries [-- --days 60 --runs 5 --keep]
import { parseArgs } from "node:util";
import type { Sql } from "../src/db.js";
import { dropDatabase, freshDatabase, timed } from "./lib.js";

const { values: args } = parseArgs({
  options: {
    days: { type: "string", default: "60" },
    runs: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
  },
});
const DAYS = Number(args.days);
const RUNS = Number(args.runs);
const PER_DAY = 10_000;
const DB = "pgrecall_bench_summaries";
const FIRST_DAY = "2026-01-05";

async function loadDays(sql: Sql, from: number, to: number): Promise<void> {
  // Triggers off for the load (session_replication_role): the history is the subject, not capture.
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into pgrecall.frames (deployment_id, captured_at, app_name, window_title, phash, hash_status, ocr_status, vision_status, embedding_status)
      select 'bench',
             ${FIRST_DAY}::timestamptz + d * interval '1 day' + interval '8 hours' + i * interval '3 s'
               + case when i >= 5000 then interval '45 minutes' else interval '0' end,
             case when i % 97 = 0 then 'Slack' else (array['Code', 'Firefox', 'Terminal', 'Figma', 'Mail', 'Zoom', 'Notes'])[1 + (i / 40) % 7] end,
             case when i % 97 = 0 then 'general' else 'document ' || ((i / 200) % 13) || case when i % 5 = 0 then ' ●' else '' end end,
             (d * ${PER_DAY} + i)::bigint, 3, 3, 3, 3
      from generate_series(${from}::int, ${to - 1}::int) d, generate_series(0, ${PER_DAY - 1}::int) i`;
  });
  await sql`analyze pgrecall.frames`;
}

async function best(fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) min = Math.min(min, (await timed(fn))[1]);
  return min;
}

async function measureDay(sql: Sql, day: string): Promise<{ scan: number; summarize: number; activities: number }> {
  const scan = await best(() => sql`
    select count(*), count(distinct app_name), min(captured_at), max(captured_at)
    from pgrecall.frames f, pgrecall.day_bounds('bench', ${day}::date) b
    where f.deployment_id = 'bench' and f.captured_at >= b.day_start and f.captured_at < b.day_end`);
  const summarize = await best(() => sql`select pgrecall.summarize_day('bench', ${day}::date)`);
  const [a] = await sql<{ n: number }[]>`select activity_count as n from pgrecall.day_summaries where deployment_id = 'bench' and day = ${day}::date`;
  return { scan, summarize, activities: a!.n };
}

async function captureCost(sql: Sql): Promise<{ without: number; with: number }> {
  // 10,000 frames in 20 statements of 500, summaries' triggers on and off (the other triggers on).
  const insert = (start: string) => async () => {
    for (let s = 0; s < 20; s++) {
      await sql`insert into pgrecall.frames (deployment_id, captured_at, app_name, window_title)
                select 'capture', ${start}::timestamptz + (${s * 500} + i) * interval '3 s', 'Code', 'x' from generate_series(0, 499) i`;
    }
    await sql`delete from pgrecall.frames where deployment_id = 'capture'`;
    await sql`delete from graphile_worker._private_jobs`;
  };
  const off = async () => {
    await sql`alter table pgrecall.frames disable trigger _910_summaries_inserted, disable trigger _910_summaries_deleted`;
    try {
      return await best(insert("2026-06-01"));
    } finally {
      await sql`alter table pgrecall.frames enable trigger _910_summaries_inserted, enable trigger _910_summaries_deleted`;
    }
  };
  const without = await off();
  const withTrigger = await best(insert("2026-06-01"));
  return { without, with: withTrigger };
}

async function main(): Promise<void> {
  const { sql } = await freshDatabase(DB);
  try {
    const day = new Date(Date.parse(FIRST_DAY) + 3 * 86_400_000).toISOString().slice(0, 10);
    console.log(`summaries: ${PER_DAY} frames a day, best of ${RUNS}`);
    await loadDays(sql, 0, 7);
    const short = await measureDay(sql, day);
    await loadDays(sql, 7, DAYS);
    const long = await measureDay(sql, day);
    const last = await measureDay(sql, new Date(Date.parse(FIRST_DAY) + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10));
    const row = (name: string, m: typeof short) =>
      `| ${name} | ${(m.scan * 1000).toFixed(1)} | ${(m.summarize * 1000).toFixed(0)} | ${(m.summarize / m.scan).toFixed(1)} | ${m.activities} |`;
    console.log("| history | plain scan of the day's frames, ms | summarize_day, ms | ratio | activities |");
    console.log("| --- | --- | --- | --- | --- |");
    console.log(row(`7 days (${7 * PER_DAY} frames), day 4`, short));
    console.log(row(`${DAYS} days (${DAYS * PER_DAY} frames), day 4`, long));
    console.log(row(`${DAYS} days, day ${DAYS}`, last));
    console.log(`recompute of one day with ${DAYS} days of history vs 7: ${(long.summarize / short.summarize).toFixed(2)}x`);
    const cap = await captureCost(sql);
    console.log(`capture of 10,000 frames (20 inserts of 500): ${(cap.without * 1000).toFixed(0)} ms without the summaries' trigger, ` +
      `${(cap.with * 1000).toFixed(0)} ms with it (${(cap.with / cap.without).toFixed(2)}x)`);
  } finally {
    await sql.end();
    if (!args.keep) await dropDatabase(DB);
  }
}

await main();
