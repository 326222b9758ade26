// Ingest cost of the SQL pipeline, and the dedup lookup at a million frames.
//
//   npm run bench:ingest [-- --frames 20000 --lookup-frames 1000000]
//
// Part 1 inserts the same synthetic frames (runs of near-duplicates: ~80% repeat the
// previous frame within 0-3 bits) four ways and prints frames/s and the ratio to (a):
//   (a) COPY into an identical table (same columns, constraints, indexes) without triggers
//   (b) the full trigger path, one INSERT per frame
//   (c) the full trigger path, multi-row INSERTs of 500
//   (d) the full trigger path, COPY
// Random phashes are built from two 32-bit halves: random() has a 52-bit mantissa, and
// scaling it to 64 bits leaves the low bits constant, which would crowd one band.
// Part 2 loads 1M frames over 50 deployments and measures find_near_duplicate: p50/p95
// latency, and near-duplicates missed compared with a brute-force scan.
import { parseArgs } from "node:util";
import type { Sql } from "../src/db.js";
import { dropDatabase, flipRandomBits, freshDatabase, percentile, randomPhash, rng, timed } from "./lib.js";

const { values: args } = parseArgs({
  options: {
    frames: { type: "string", default: "20000" },
    "lookup-frames": { type: "string", default: "1000000" },
    probes: { type: "string", default: "2000" },
    keep: { type: "boolean", default: false },
    window: { type: "string" },
    history: { type: "string" },
    "skip-ingest": { type: "boolean", default: false },
  },
});
const FRAMES = Number(args.frames);
const LOOKUP_FRAMES = Number(args["lookup-frames"]);
const PROBES = Number(args.probes);
const DB = "pgrecall_bench";

interface Frame {
  deployment_id: string;
  captured_at: Date;
  phash: bigint;
}

function syntheticFrames(n: number, deployments = 10): Frame[] {
  const r = rng(42);
  const prev = new Map<string, bigint>();
  const start = Date.UTC(2026, 0, 1, 8);
  return Array.from({ length: n }, (_, i) => {
    const dep = `dep-${i % deployments}`;
    const last = prev.get(dep);
    const phash = last !== undefined && r() < 0.8 ? flipRandomBits(last, Math.floor(r() * 4), r) : randomPhash(r);
    prev.set(dep, phash);
    return { deployment_id: dep, captured_at: new Date(start + Math.floor(i / deployments) * 2000), phash };
  });
}

const copyLine = (f: Frame) => `${f.deployment_id}\t${f.captured_at.toISOString()}\t${f.phash}\n`;

async function copyInto(sql: Sql, table: string, frames: Frame[]): Promise<void> {
  const stream = await sql.unsafe(`copy ${table} (deployment_id, captured_at, phash) from stdin`).writable();
  for (let i = 0; i < frames.length; i += 1000) stream.write(frames.slice(i, i + 1000).map(copyLine).join(""));
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/**
 * Steady state: the table already holds a day of history (50,000 frames for the same
 * deployments, loaded without triggers) and has statistics, as a live system's does.
 */
async function reset(sql: Sql): Promise<void> {
  await sql`truncate pgrecall.frames, pgrecall.secrets, bench_plain`;
  await sql`delete from graphile_worker._private_jobs`;
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into pgrecall.frames (deployment_id, captured_at, phash, hash_status, ocr_status, vision_status, embedding_status)
      select 'dep-' || (i % 10), timestamptz '2025-12-31 08:00' + (i / 10) * interval '2 s',
             ((floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint), 1, 1, 1, 1
      from generate_series(0, 49999) i`;
    await tx`update pgrecall.frames set phash_prefix = (phash >> 48)::smallint`;
    // Every stored column but the generated ones (fts), which PostgreSQL computes itself.
    const [row] = await tx<{ cols: string }[]>`
      select string_agg(quote_ident(column_name), ', ' order by ordinal_position) as cols
      from information_schema.columns
      where table_schema = 'pgrecall' and table_name = 'frames' and is_generated = 'NEVER'`;
    const cols = row!.cols;
    await tx.unsafe(`insert into bench_plain (${cols}) select ${cols} from pgrecall.frames`);
  });
  await sql`vacuum analyze pgrecall.frames, bench_plain, graphile_worker._private_jobs`;
}

const REPEAT = 3;

async function withoutTrigger<T>(sql: Sql, name: string, fn: () => Promise<T>): Promise<T> {
  await sql.unsafe(`alter table pgrecall.frames disable trigger ${name}`);
  try {
    return await fn();
  } finally {
    await sql.unsafe(`alter table pgrecall.frames enable trigger ${name}`);
  }
}

async function ingest(sql: Sql): Promise<void> {
  const frames = syntheticFrames(FRAMES);
  await sql`create table bench_plain (like pgrecall.frames including all)`;
  const single = frames.slice(0, Math.min(frames.length, 5000));
  const runs: [string, number, () => Promise<unknown>][] = [
    ["(a) COPY, no triggers (baseline)", frames.length, () => copyInto(sql, "bench_plain", frames)],
    ["(b) full path, single-row INSERT", single.length, async () => {
      for (const f of single) await sql`insert into pgrecall.frames (deployment_id, captured_at, phash) values (${f.deployment_id}, ${f.captured_at}, ${f.phash})`;
    }],
    ["(c) full path, INSERT x500 rows", frames.length, async () => {
      for (let i = 0; i < frames.length; i += 500) {
        const rows = frames.slice(i, i + 500).map((f) => ({ ...f, phash: f.phash.toString() }));
        await sql`insert into pgrecall.frames ${sql(rows, "deployment_id", "captured_at", "phash")}`;
      }
    }],
    ["(d) full path, COPY", frames.length, () => copyInto(sql, "pgrecall.frames", frames)],
    // Attribution: where (d)'s time goes.
    ["(d) without queueing jobs", frames.length, () => withoutTrigger(sql, "_900_enqueue_inserted", () => copyInto(sql, "pgrecall.frames", frames))],
    ["(d) without dedup or queueing", frames.length, () =>
      withoutTrigger(sql, "_200_dedup_insert", () => withoutTrigger(sql, "_900_enqueue_inserted", () => copyInto(sql, "pgrecall.frames", frames)))],
  ];
  let baseline = 0;
  console.log(`\nIngest: ${FRAMES} synthetic frames, 10 deployments, ~80% near-duplicates of the previous frame`);
  console.log(`(single-row run: first ${single.length}); into a table holding 50,000 frames of history; best of ${REPEAT}`);
  console.log("method".padEnd(36), "frames/s".padStart(10), "ratio to (a)".padStart(14));
  for (const [name, n, run] of runs) {
    let best = Infinity;
    for (let r = 0; r < REPEAT; r++) {
      await reset(sql);
      best = Math.min(best, (await timed(run))[1]);
    }
    const rate = n / best;
    if (!baseline) baseline = rate;
    console.log(name.padEnd(36), rate.toFixed(0).padStart(10), (rate / baseline).toFixed(2).padStart(14));
  }
  await reset(sql);
  await copyInto(sql, "pgrecall.frames", frames);
  const [stats] = await sql`select count(*) filter (where duplicate_of is not null)::int as dups,
                                   count(*) filter (where captured_at >= '2026-01-01')::int as n,
                                   (select count(*) from graphile_worker._private_jobs)::int as jobs from pgrecall.frames`;
  console.log(`after (d): ${stats!.n} frames, ${stats!.dups} near-duplicates, ${stats!.jobs} jobs queued`);
}

async function lookup(sql: Sql): Promise<void> {
  console.log(`\nDedup lookup: ${LOOKUP_FRAMES} frames over 50 deployments (20% canonical, one every 10 s per deployment)`);
  await reset(sql);
  const canonical = Math.floor(LOOKUP_FRAMES / 5);
  const [, loadSecs] = await timed(async () => {
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`; // bulk load without triggers
      await tx`
        insert into pgrecall.frames (deployment_id, captured_at, phash, hash_status, ocr_status, vision_status, embedding_status)
        select 'dep-' || (i % 50), timestamptz '2026-01-01' + (i / 50) * interval '10 s',
               ((floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint), 1, 1, 1, 1
        from generate_series(0, ${canonical - 1}) i`;
      await tx`
        insert into pgrecall.frames (deployment_id, captured_at, phash, duplicate_of, duplicate_distance, hash_status, ocr_status, vision_status, embedding_status)
        select f.deployment_id, f.captured_at + k * interval '2 s', f.phash # (1::bigint << (random() * 62)::int), f.id, 1, 1, 3, 3, 3
        from pgrecall.frames f cross join generate_series(1, 4) k`;
      await tx`update pgrecall.frames set phash_prefix = (phash >> 48)::smallint`;
    });
    await sql`vacuum analyze pgrecall.frames`;
  });
  console.log(`loaded in ${loadSecs.toFixed(1)} s`);

  // Probes: half return to a screen seen hours ago (1-3 bits from it: the history path),
  // half are new screens; all captured an hour after the last frame, so the window is empty.
  const r = rng(7);
  const end = await sql`select max(captured_at) + interval '1 hour' as t from pgrecall.frames`;
  const at = end[0]!.t as Date;
  const targets = await sql<{ deployment_id: string; phash: bigint }[]>`
    select deployment_id, phash from pgrecall.frames where duplicate_of is null order by random() limit ${PROBES / 2}`;
  const probes = [
    ...targets.map((t) => ({ dep: t.deployment_id, phash: flipRandomBits(t.phash, 1 + Math.floor(r() * 3), r) })),
    ...Array.from({ length: PROBES / 2 }, (_, i) => ({ dep: `dep-${i % 50}`, phash: randomPhash(r) })),
  ];
  // Timed lookups first, brute force afterwards: its scans would evict the indexes from
  // shared_buffers between lookups and time the cache, not the lookup.
  const lat: number[] = [];
  const hits: boolean[] = [];
  for (const p of probes) {
    const [res, secs] = await timed(() => sql`select frame_id from pgrecall.find_near_duplicate(${p.dep}, ${at}, ${p.phash})`);
    lat.push(secs * 1000);
    hits.push(res[0]?.frame_id != null);
  }
  let found = 0, missed = 0, brute = 0;
  for (const [i, p] of probes.entries()) {
    if (hits[i]) found++;
    const [b] = await sql`select count(*)::int as n from pgrecall.frames f
                         where f.deployment_id = ${p.dep} and f.duplicate_of is null and f.phash is not null
                           and f.captured_at < ${at}::timestamptz - interval '15 minutes'
                           and pgrecall.hamming(f.phash, ${p.phash}) <= 3`;
    if (b!.n > 0) brute++;
    if (b!.n > 0 && !hits[i]) missed++;
  }
  lat.sort((x, y) => x - y);
  console.log(`probes: ${probes.length}; near-duplicates by brute force: ${brute}; found: ${found}; missed: ${missed}`);
  console.log(`find_near_duplicate latency (client round trip): p50 ${percentile(lat, 50).toFixed(3)} ms, p95 ${percentile(lat, 95).toFixed(3)} ms, max ${lat[lat.length - 1]!.toFixed(3)} ms`);

  // The recent-window path: probes inside the captured range (about 90 canonical frames in the window).
  const mid = await sql<{ deployment_id: string; captured_at: Date; phash: bigint }[]>`
    select deployment_id, captured_at + interval '1 s' as captured_at, phash from pgrecall.frames
    where duplicate_of is null order by random() limit ${PROBES / 2}`;
  const wlat: number[] = [];
  let wmissed = 0;
  for (const m of mid) {
    const probe = flipRandomBits(m.phash, 1 + Math.floor(r() * 5), r);
    const [res, secs] = await timed(() => sql`select frame_id from pgrecall.find_near_duplicate(${m.deployment_id}, ${m.captured_at}, ${probe})`);
    wlat.push(secs * 1000);
    if (res[0]?.frame_id == null) wmissed++;
  }
  wlat.sort((x, y) => x - y);
  console.log(`window path: ${mid.length} probes 1-5 bits from a frame 1 s earlier; missed ${wmissed}; p50 ${percentile(wlat, 50).toFixed(3)} ms, p95 ${percentile(wlat, 95).toFixed(3)} ms`);
}

const { sql } = await freshDatabase(DB);
if (args.window) await sql`update pgrecall.settings set recent_window = ${args.window}::interval`;
if (args.history) await sql`update pgrecall.settings set history_threshold = ${Number(args.history)}`;
try {
  if (!args["skip-ingest"]) await ingest(sql);
  else await sql`create table bench_plain (like pgrecall.frames including all)`;
  if (LOOKUP_FRAMES > 0) await lookup(sql);
} finally {
  await sql.end();
  if (!args.keep) await dropDatabase(DB);
}
