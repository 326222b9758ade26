// Scale benchmark (issue 11.6): a long synthetic history — N frames (default 10,000,000) over
// 400 days in 5 deployments, 80% of them near-duplicates of the frame before, every frame with
// deployment, time, phash, 64 tile hashes, app, title and image; full text (~300 Zipf words, as
// bench/search) and a 384-d vector on T of the canonical frames (default 300,000), spread
// evenly over the history. Built with generate_series and triggers off, as bench/search builds
// its million; the large indexes are rebuilt after the load.
//
// Measured on pgrecall's own schema, against a baseline taken in the same run: a retention pass
// (the oldest few days' frames purged, the next days' text, the days after's images) and a
// large forget (a month of one deployment, one statement) — their cost, and capture inserts
// (pgrecall.insert_frame) and searches (pgrecall.search_frames) during them; dedup lookups
// (find_near_duplicate), search and the HNSW index's recall before and after; the health
// queries. Then the alternative: a copy of frames range-partitioned by month (bench-only schema
// scale_part: same columns and indexes, no triggers, search and dedup functions cloned from
// pgrecall's with the table renamed), retention by detaching and dropping the oldest partition,
// the same measurements side by side.
//
//   npm run bench:scale [-- --frames 10000000 --text 300000 --due-days 3 --db NAME --keep --skip-load --no-partitioned]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { connect, type Sql } from "../src/db.js";
import { collectGarbage } from "../src/blob-gc.js";
import { BlobStore } from "../src/store.js";
import { dbUrl, dropDatabase, during, freshDatabase, percentile, randomPhash, rng, timed, wordFunctions } from "./lib.js";

const { values: args } = parseArgs({
  options: {
    frames: { type: "string", default: "10000000" },
    text: { type: "string", default: "300000" },
    days: { type: "string", default: "400" },
    batch: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
    "due-days": { type: "string", default: "3" },
    db: { type: "string", default: "pgrecall_bench_scale" },
    keep: { type: "boolean", default: false },
    "skip-load": { type: "boolean", default: false },
    "no-partitioned": { type: "boolean", default: false },
  },
});
const N = Number(args.frames);
const T = Math.min(Number(args.text), Math.floor(N / 5));
const DAYS = Number(args.days);
const DEPS = 5;
const DB = args.db!;
const SECONDS = Number(args.seconds);
const r = rng(11);
const START = new Date(Date.now() - (DAYS * 86400 + 3600) * 1000); // the history ends an hour ago
const day = (d: number) => new Date(START.getTime() + d * 86400_000).toISOString();
const STRIDE = Math.max(1, Math.floor(N / 5 / Math.max(T, 1))); // every STRIDE-th canonical frame has text

const COMMON = ["the", "file", "open", "edit", "view", "help", "window", "save", "new", "search", "settings", "invoice", "project", "meeting",
  "report", "send", "message", "today", "function", "const", "return", "import", "export", "error", "build", "test", "user", "page",
  "data", "table", "value", "name", "date", "time", "total", "amount", "status", "update", "delete", "create", "list", "item",
  "review", "budget", "draft", "customer", "payment", "order", "account", "team", "plan", "week", "month", "year", "email", "call"];
const FNS = wordFunctions(COMMON, 50_000) + `
  create or replace function pg_temp.fid(i bigint) returns uuid language sql immutable as $$
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid $$;
  create or replace function pg_temp.ph(i bigint) returns bigint language sql immutable as $$
    select ('x' || substr(md5(i::text), 1, 16))::bit(64)::bigint $$;`;

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)} load ${loadavg()[0]!.toFixed(1)}] ${s}`);
const gb = async (sql: Sql, rel: string) => Number((await sql.unsafe(`select pg_total_relation_size('${rel}')::float8 / 1073741824 as g`))[0]!.g);

/** The frames indexes rebuilt after the load (the partial ones over pending, failed or tombstoned rows stay: nothing matches them). */
async function bigIndexes(sql: Sql): Promise<{ name: string; def: string }[]> {
  return (await sql.unsafe(`
    select indexname as name, indexdef as def from pg_indexes
    where schemaname = 'pgrecall' and tablename = 'frames' and indexname <> 'frames_pkey'
      and indexname !~ '(_pending|_tombstoned|_failed|_capture_key)$'
    order by indexname`)) as unknown as { name: string; def: string }[];
}

async function load(sql: Sql, url: string): Promise<void> {
  await sql.unsafe(FNS);
  await sql.unsafe(`create table bench_sentences as select s as id, (select string_agg(pg_temp.word(pg_temp.zipf()), ' ') from generate_series(1, 30) g where s >= 0) as txt from generate_series(0, 19999) s`);
  await sql.unsafe(`alter table bench_sentences add primary key (id)`);
  await sql.unsafe(`create table bench_topics as select t as id, (select array_agg((random() - 0.5)::float4) from generate_series(1, 384) where t >= 0)::vector as v from generate_series(0, 1999) t`);
  await sql.unsafe(`alter table bench_topics add primary key (id)`);
  await sql.unsafe(`create table bench_noise as select n as id, (select array_agg(((random() - 0.5) * 0.6)::float4) from generate_series(1, 384) where n >= 0)::vector as v from generate_series(0, 4999) n`);
  await sql.unsafe(`alter table bench_noise add primary key (id)`);
  await sql.unsafe(`create table bench_tiles as select t as id, (select array_agg(pg_temp.ph(t * 64 + k)) from generate_series(1, 64) k where t >= 0) as tiles from generate_series(0, 4999) t`);
  await sql.unsafe(`alter table bench_tiles add primary key (id)`);
  const indexes = await bigIndexes(sql);
  for (const ix of indexes) await sql.unsafe(`drop index pgrecall.${ix.name}`);
  const BATCH = 100_000;
  const workers = [connect(url, { max: 1 }), connect(url, { max: 1 })];
  let next = 0;
  const t = Date.now();
  await Promise.all(workers.map(async (w) => {
    await w.unsafe(FNS);
    await w.unsafe(`set session_replication_role = replica`); // a bulk load of finished frames: triggers (and FK checks) off
    while (next < N) {
      const from = next;
      next += BATCH;
      const to = Math.min(N, from + BATCH);
      await w.unsafe(`
        insert into pgrecall.frames (id, deployment_id, captured_at, phash, phash_prefix, tile_hashes, hash_status, hash_at, app_name, window_title, image_ref,
                                     ocr_status, ocr_text, ocr_at, vision_status, embedding_status, embedding, embedding_model, embedding_at,
                                     duplicate_of, duplicate_distance, inserted_at)
        select pg_temp.fid(i), 'dep' || ((i / 5) % ${DEPS}), c.at, c.phash, pgrecall.phash_prefix(c.phash),
               (select t.tiles from bench_tiles t where t.id = (i / 5) % 5000), 1, c.at,
               (array['Code','Mail','Slack','Browser','Terminal','Docs'])[(i / 5) % 6 + 1], pg_temp.word(pg_temp.zipf()) || ' — ' || pg_temp.word(pg_temp.zipf()),
               'blob:sha256:' || md5(i::text) || md5((i + 1)::text),
               case when c.canonical then 1 else 3 end,
               case when c.txt then (select string_agg(b.txt, ' ') from (select floor(random() * 20000)::int as r from generate_series(1, 10) where i >= 0) k
                                     join bench_sentences b on b.id = k.r)
                                    || ' INV-' || lpad(((i::bigint * 7919) % 1000000)::text, 6, '0') || ' ' || initcap(pg_temp.word((${COMMON.length} + 1 + (i * 31) % 20000)::int)) end,
               case when c.canonical then c.at end,
               3, case when c.txt then 1 else 3 end,
               case when c.txt then l2_normalize((select v from bench_topics where id = ((i::bigint * 104729) % 2000)::int)
                                                 + (select v from bench_noise where id = c.noise)) end,
               case when c.txt then 'bench' end, case when c.txt then c.at end,
               case when not c.canonical then pg_temp.fid(i - i % 5) end, case when not c.canonical then 1 end, c.at
        from generate_series(${from}::bigint, ${to - 1}) i
        cross join lateral (select timestamptz '${START.toISOString()}' + (i::float8 / ${N}) * interval '${DAYS} days' as at,
                                   i % 5 = 0 as canonical, floor(random() * 5000)::int + 0 * i as noise, i % 5 = 0 and (i / 5) % ${STRIDE} = 0 as txt,
                                   case when i % 5 = 0 then pg_temp.ph(i) else pg_temp.ph(i - i % 5) # (1::bigint << (i % 5)::int) end as phash) c`);
      process.stdout.write(`\rloaded ${Math.min(next, N).toLocaleString()} / ${N.toLocaleString()} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
    }
  }));
  await Promise.all(workers.map((w) => w.end()));
  console.log();
  log(`loaded ${N.toLocaleString()} frames (${T.toLocaleString()} with text and vectors) in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  for (const ix of indexes) {
    const big = /using (hnsw|gin)/i.test(ix.def);
    const [, s] = await timed(() => sql.unsafe(`set maintenance_work_mem = '${big ? "2GB" : "1GB"}'; set max_parallel_maintenance_workers = 1; ${ix.def}`));
    log(`index ${ix.name}: ${s.toFixed(0)} s, ${(await gb(sql, `pgrecall.${ix.name}`)).toFixed(2)} GB`);
  }
  const [, vs] = await timed(() => sql.unsafe(`insert into pgrecall.search_words select distinct unnest(tsvector_to_array(fts)) from pgrecall.frames where duplicate_of is null and ocr_text is not null on conflict do nothing`));
  await sql.unsafe(`insert into pgrecall.search_words select distinct unnest(tsvector_to_array(fts)) from pgrecall.frames where duplicate_of is null and ocr_text is null on conflict do nothing`);
  log(`vocabulary: ${vs.toFixed(0)} s`);
  const [, vac] = await timed(() => sql.unsafe(`vacuum analyze pgrecall.frames`));
  log(`vacuum analyze: ${vac.toFixed(0)} s`);
}

// ---------------------------------------------------------------------------------- partitioned copy
/** scale_part.frames: pgrecall.frames's columns (fts a plain column, copied), range-partitioned by month, the same indexes. */
async function buildPartitioned(sql: Sql, url: string): Promise<void> {
  await sql.unsafe(`drop schema if exists scale_part cascade; create schema scale_part`);
  await sql.unsafe(`create table scale_part.frames (like pgrecall.frames including defaults including constraints) partition by range (captured_at)`);
  const [{ lo, hi }] = (await sql.unsafe(`select date_trunc('month', min(captured_at)) as lo, max(captured_at) as hi from pgrecall.frames`)) as unknown as [{ lo: Date; hi: Date }];
  const months = (await sql.unsafe(`select m as from_at, m + interval '1 month' as to_at, to_char(m, 'YYYY_MM') as tag
    from generate_series($1::timestamptz, $2::timestamptz + interval '2 months', interval '1 month') m`, [lo, hi])) as unknown as { from_at: Date; to_at: Date; tag: string }[];
  for (const m of months) {
    await sql.unsafe(`create table scale_part.frames_${m.tag} partition of scale_part.frames for values from ('${m.from_at.toISOString()}') to ('${m.to_at.toISOString()}')`);
  }
  const cols = (await sql.unsafe(`select string_agg(quote_ident(attname), ', ' order by attnum) as c from pg_attribute where attrelid = 'pgrecall.frames'::regclass and attnum > 0 and not attisdropped`))[0]!.c as string;
  // Two connections, a month range each at a time.
  const ws = [connect(url, { max: 1 }), connect(url, { max: 1 })];
  let k = 0;
  const [, s] = await timed(() => Promise.all(ws.map(async (w) => {
    while (k < months.length) {
      const m = months[k++]!;
      await w.unsafe(`insert into scale_part.frames (${cols}) select ${cols} from pgrecall.frames where captured_at >= $1 and captured_at < $2`, [m.from_at, m.to_at]);
    }
  })));
  await Promise.all(ws.map((w) => w.end()));
  log(`partitioned copy: ${months.length} monthly partitions, ${s.toFixed(0)} s`);
  await sql.unsafe(`alter table scale_part.frames add primary key (id, captured_at)`);
  for (const ix of await bigIndexes(sql)) {
    if (/_retention_/.test(ix.name)) continue; // retention here drops partitions
    const def = ix.def.replace(" ON pgrecall.frames ", " ON scale_part.frames ").replace(/^CREATE (UNIQUE )?INDEX (\w+)/, "CREATE $1INDEX part_$2");
    const big = /using (hnsw|gin)/i.test(ix.def);
    const [, t] = await timed(() => sql.unsafe(`set maintenance_work_mem = '${big ? "2GB" : "1GB"}'; set max_parallel_maintenance_workers = 1; ${def}`));
    log(`partitioned index ${ix.name}: ${t.toFixed(0)} s`);
  }
  await sql.unsafe(`create table scale_part.search_words (word text primary key); insert into scale_part.search_words select word from pgrecall.search_words`);
  await sql.unsafe(`create table scale_part.blob_releases (ref text primary key, released_at timestamptz not null default now())`);
  // pgrecall's search, dedup and vocabulary functions, over the partitioned table.
  for (const fn of ["pgrecall._find_near_duplicate(text, timestamptz, bigint, bigint[], uuid)", "pgrecall.find_near_duplicate(text, timestamptz, bigint, bigint[], uuid)",
    "pgrecall.search_frames(text, vector, text, text, text, text, timestamptz, timestamptz, boolean, integer, text, text, text, integer, boolean)",
    "pgrecall._forget_words(text[])"]) {
    const [{ d }] = (await sql.unsafe(`select pg_get_functiondef($1::regprocedure) as d`, [fn])) as unknown as [{ d: string }];
    await sql.unsafe(d.replace(/FUNCTION pgrecall\./, "FUNCTION scale_part.").replaceAll("pgrecall.frames", "scale_part.frames")
      .replaceAll("pgrecall.search_words", "scale_part.search_words").replaceAll("pgrecall._find_near_duplicate(", "scale_part._find_near_duplicate("));
  }
  await sql.unsafe(`vacuum analyze scale_part.frames`);
  log(`partitioned copy ready: ${(await gb(sql, "scale_part.frames")).toFixed(1)} GB (sum of partitions: ${(Number((await sql.unsafe(`select sum(pg_total_relation_size(inhrelid))::float8 / 1073741824 as g from pg_inherits where inhparent = 'scale_part.frames'::regclass`))[0]!.g)).toFixed(1)} GB)`);
}

// ---------------------------------------------------------------------------------- measuring
const idle = () => new Promise((res) => setTimeout(res, SECONDS * 1000));
const p95 = (xs: number[]) => percentile(xs, 95);
const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} / p95 ${p95(xs).toFixed(1)} ms (n ${xs.length})`;
const x = (a: number[], b: number[]) => `×${(p95(a) / p95(b)).toFixed(2)}`;
const results: Record<string, unknown> = {};

/** CPU seconds a backend has used so far (the server runs on this machine). */
function backendCpu(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

interface Variant {
  name: string;
  schema: "pgrecall" | "scale_part";
  insert: () => Promise<unknown>;
  search: (i: number) => Promise<unknown>;
  fts: (i: number) => Promise<unknown>;
  vector: (i: number) => Promise<unknown>;
  dedup: () => Promise<unknown>;
}

async function main() {
  const url = dbUrl(DB);
  const sql = args["skip-load"] ? connect(url, { max: 4 }) : (await freshDatabase(DB)).sql;
  const t0 = Date.now();
  if (!args["skip-load"]) {
    log(`building ${N.toLocaleString()} frames, ${T.toLocaleString()} with text (every ${STRIDE}th canonical frame); disk: ${(await import("node:child_process")).execSync("df -h /work | tail -1").toString().trim()}`);
    await load(sql, url);
    if (!args["no-partitioned"]) await buildPartitioned(sql, url);
  }
  const [sz] = await sql.unsafe(`select (select count(*) from pgrecall.frames)::float8 as n, (select count(*) from pgrecall.frames where ocr_text is not null)::float8 as txt,
    pg_relation_size('pgrecall.frames')::float8 / 1073741824 as heap, pg_total_relation_size('pgrecall.frames')::float8 / 1073741824 as total,
    pg_indexes_size('pgrecall.frames')::float8 / 1073741824 as idx, pg_database_size(current_database())::float8 / 1073741824 as db,
    pg_relation_size('pgrecall.idx_frames_embedding')::float8 / 1073741824 as hnsw, pg_relation_size('pgrecall.idx_frames_fts')::float8 / 1073741824 as gin`);
  log(`history: ${Number(sz!.n).toLocaleString()} frames, ${Number(sz!.txt).toLocaleString()} with text; frames ${Number(sz!.total).toFixed(1)} GB (heap+toast ${(Number(sz!.total) - Number(sz!.idx)).toFixed(1)}, indexes ${Number(sz!.idx).toFixed(1)}: HNSW ${Number(sz!.hnsw).toFixed(2)}, GIN ${Number(sz!.gin).toFixed(2)}); database ${Number(sz!.db).toFixed(1)} GB; build ${((Date.now() - t0) / 60000).toFixed(1)} min`);
  results.size = sz;

  // Health queries at this size (the lead's /health).
  for (const [label, q] of [["select * from pgrecall.pipeline", "select * from pgrecall.pipeline"], ["select * from pgrecall.health()", "select * from pgrecall.health()"],
    ["select * from pgrecall.stage_counts()", "select * from pgrecall.stage_counts() where to_regprocedure('pgrecall.stage_counts(integer)') is not null"]] as const) {
    if (label.includes("stage_counts") && !(await sql`select to_regprocedure('pgrecall.stage_counts(integer)') is not null as ok`)[0]!.ok) continue;
    // the old pipeline view counts the whole table four times: once is enough to show it
    const runs = label.includes("pipeline") ? 1 : 5;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push((await timed(() => sql.unsafe(q)))[1] * 1000);
    times.sort((a, b) => a - b);
    log(`${label}: min ${times[0]!.toFixed(0)} ms, median ${times[Math.floor(runs / 2)]!.toFixed(0)} ms (${runs} run${runs > 1 ? "s" : ""})`);
    results[label] = times;
  }

  const capture = connect(url, { max: 1 });
  const searcher = connect(url, { max: 1 });
  const common = COMMON.filter((w) => !["the", "new", "call", "open"].includes(w));
  const vectors = (await sql.unsafe(`select (select l2_normalize(array_agg(x + (random() - 0.5) * 0.05)::vector) from unnest(embedding::float4[]) x)::text as v
    from pgrecall.frames where embedding is not null and captured_at > now() - interval '${Math.floor(DAYS * 0.7)} days' order by random() limit 60`)).map((v) => v.v as string);
  const tiles = ((await sql.unsafe(`select tiles::text as t from bench_tiles where id = 17`))[0]!.t) as string;
  let k = 0;
  const variant = (schema: "pgrecall" | "scale_part"): Variant => ({
    name: schema === "pgrecall" ? "unpartitioned (pgrecall.frames)" : "partitioned by month (scale_part.frames)",
    schema,
    insert: schema === "pgrecall"
      ? () => capture`select pgrecall.insert_frame('dep0', now(), ${"blob:sha256:" + "c".repeat(52) + String(k++).padStart(12, "0")}, null, 'Code', 'live', ${randomPhash(r)}, ${tiles}::bigint[])`
      // no triggers on the copy: the row, then the dedup lookup the trigger would make
      : async () => {
          const ph = randomPhash(r);
          await capture.begin(async (tx) => {
            const [d] = await tx`select frame_id from scale_part.find_near_duplicate('dep0', now(), ${ph}, ${tiles}::bigint[])`;
            await tx`insert into scale_part.frames (deployment_id, captured_at, phash, phash_prefix, tile_hashes, image_ref, app_name, window_title, duplicate_of)
                     values ('dep0', now(), ${ph}, pgrecall.phash_prefix(${ph}), ${tiles}::bigint[], ${"blob:sha256:" + "d".repeat(52) + String(k++).padStart(12, "0")}, 'Code', 'live', ${d?.frame_id ?? null})`;
          });
        },
    search: (i) => i % 3 === 0
      ? searcher.unsafe(`select frame_id from ${schema}.search_frames($1, p_mode => 'fts', p_limit => 10)`, [common[i % common.length]!])
      : i % 3 === 1
        ? searcher.unsafe(`select frame_id from ${schema}.search_frames(null, $1::vector, p_mode => 'vector', p_embedding_model => 'bench', p_limit => 10)`, [vectors[i % vectors.length]!])
        : searcher.unsafe(`select frame_id from ${schema}.search_frames($1, $2::vector, p_mode => 'hybrid', p_embedding_model => 'bench', p_deployment_id => 'dep2', p_limit => 10)`, [common[(i * 7) % common.length]!, vectors[i % vectors.length]!]),
    fts: (i) => searcher.unsafe(`select frame_id from ${schema}.search_frames($1, p_mode => 'fts', p_limit => 10)`, [common[i % common.length]!]),
    vector: (i) => searcher.unsafe(`select frame_id from ${schema}.search_frames(null, $1::vector, p_mode => 'vector', p_embedding_model => 'bench', p_limit => 10)`, [vectors[i % vectors.length]!]),
    // the whole-history path: a deployment with no recent frame
    dedup: () => capture.unsafe(`select * from ${schema}.find_near_duplicate('dep${1 + (k++ % 4)}', now(), $1)`, [randomPhash(r).toString()]),
  });

  const recall = async (v: Variant): Promise<number> => {
    let hit = 0;
    const n = 20;
    for (let i = 0; i < n; i++) {
      const got = new Set(((await v.vector(i)) as { frame_id: string }[]).map((row) => row.frame_id));
      const exact = await sql.begin(async (tx) => {
        await tx.unsafe(`set local enable_indexscan = off; set local enable_bitmapscan = off; set local max_parallel_workers_per_gather = 0`);
        return tx.unsafe(`select id from ${v.schema}.frames where duplicate_of is null and embedding is not null and tombstoned_at is null order by embedding <=> $1::vector, id limit 10`, [vectors[i % vectors.length]!]);
      });
      hit += exact.filter((e) => got.has(e.id as string)).length;
    }
    return hit / (n * 10);
  };

  const probe = async (v: Variant, tag: string) => {
    for (let i = 0; i < 5; i++) await v.search(i); // warm
    const [dd, fts, vec] = [await during(v.dedup, Promise.resolve(), 300), await during(v.fts, idle()), await during(v.vector, idle())];
    const rc = await recall(v);
    log(`${v.name} ${tag}: dedup lookup ${fmt(dd)}; fts common word ${fmt(fts)}; vector ${fmt(vec)}; HNSW recall@10 ${rc.toFixed(3)} (20 queries)`);
    return { dd, fts, vec, rc };
  };

  // ------------------------------------------------------------ unpartitioned: pgrecall's own schema
  const flat = variant("pgrecall");
  const before = await probe(flat, "before");
  const [{ has }] = (await sql`select to_regclass('scale_part.frames') is not null as has`) as unknown as [{ has: boolean }];
  const part = variant("scale_part");
  const pb = has ? await probe(part, "before") : null;
  if (pb) log(`  partitioned / unpartitioned p95, same data: dedup ${x(pb.dd, before.dd)}, fts ${x(pb.fts, before.fts)}, vector ${x(pb.vec, before.vec)}`);
  const [baseInsert, baseSearch] = [await during(flat.insert, idle()), await during(flat.search, idle())];
  log(`baseline: insert_frame ${fmt(baseInsert)}; search (fts / vector / hybrid+deployment mix) ${fmt(baseSearch)}`);

  // Due: the oldest `due-days` days of frames, the next as many of text, the next of images (a daily pass's work, a few times over).
  const DUE = Number(args["due-days"]);
  const keepFrames = DAYS - DUE, keepText = DAYS - 2 * DUE, keepImages = DAYS - 3 * DUE;
  const [due] = await sql.unsafe(`select count(*) filter (where captured_at < now() - interval '${keepFrames} days')::int as frames,
      count(*) filter (where captured_at >= now() - interval '${keepFrames} days' and captured_at < now() - interval '${keepText} days' and ocr_text is not null)::int as text,
      count(*) filter (where captured_at >= now() - interval '${keepFrames} days' and captured_at < now() - interval '${keepImages} days' and image_ref is not null)::int as images
    from pgrecall.frames where captured_at < now() - interval '${keepImages} days'`);
  await sql.unsafe(`update pgrecall.settings set keep_frames_for = '${keepFrames} days', keep_text_for = '${keepText} days', keep_images_for = '${keepImages} days' where deployment_id = '*'`);
  const retention = connect(url, { max: 1 });
  const [{ pid }] = (await retention`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
  const store = new BlobStore("/tmp/pgrecall-bench-scale", [], null);
  const perKind: Record<string, number> = {};
  const cpu0 = backendCpu(pid);
  const l0 = loadavg()[0]!;
  // runRetention's loop without its file gc (which goes blob by blob: measured apart, below).
  const pass = timed(async () => {
    const rows: { kind: string; frames: number }[] = [];
    let batches = 0;
    for (;;) {
      const [got, bs] = await timed(() => retention<{ kind: string; frames: number }[]>`select * from pgrecall.retention_batch(null, ${Number(args.batch)}, false)`);
      batches++;
      rows.push(...got);
      for (const g of got) perKind[g.kind] = (perKind[g.kind] ?? 0) + bs;
      if (!got.length) break;
    }
    return { rows, batches };
  });
  const [insRet, seaRet] = await Promise.all([during(flat.insert, pass), during(flat.search, pass)]);
  const [res, secs] = await pass;
  const cpu = backendCpu(pid) - cpu0;
  const got = (kind: string) => res.rows.filter((row) => row.kind === kind).reduce((n, row) => n + row.frames, 0);
  const touched = got("frames") + got("text") + got("images");
  log(`retention pass (frames older than ${keepFrames} days, text ${keepText}, images ${keepImages}; due ${due!.frames.toLocaleString()} / ${due!.text.toLocaleString()} / ${due!.images.toLocaleString()}): ` +
    `${got("frames").toLocaleString()} frames purged, ${got("text").toLocaleString()} emptied of text, ${got("images").toLocaleString()} lost their image; ${res.batches} batches of ${args.batch}, ` +
    `${secs.toFixed(0)} s (${(touched / secs).toFixed(0)} frames/s, ${((secs / res.batches) * 1000).toFixed(0)} ms a batch), backend CPU ${cpu.toFixed(0)} s, load ${l0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
  log(`  seconds by kind: ${Object.entries(perKind).map(([kk, v]) => `${kk} ${v.toFixed(0)} s (${(got(kk) / v).toFixed(0)} frames/s)`).join(", ")}`);
  log(`  during it: insert_frame ${fmt(insRet)} (${x(insRet, baseInsert)} of baseline); search ${fmt(seaRet)} (${x(seaRet, baseSearch)})`);
  // Blob gc of what the pass released: a sample, as runRetention would run it after the pass.
  const [{ released }] = (await sql`select count(*)::int as released from pgrecall.blob_releases`) as unknown as [{ released: number }];
  await sql.unsafe(`create table bench_held as select * from pgrecall.blob_releases order by released_at offset 2000`);
  await sql.unsafe(`delete from pgrecall.blob_releases where ref in (select ref from bench_held)`);
  const [gcr, gcs] = await timed(() => collectGarbage(sql, store, { releasedOnly: true }));
  await sql.unsafe(`insert into pgrecall.blob_releases select * from bench_held; drop table bench_held`);
  log(`  the pass released ${released.toLocaleString()} blobs; gc of 2,000 of them (blob by blob, no files here): ${gcs.toFixed(1)} s (${(gcr.released / gcs).toFixed(0)} blobs/s)`);
  results.retention = { secs, cpu, perKind, batches: res.batches, rows: res.rows, due, insert: [p95(baseInsert), p95(insRet)], search: [p95(baseSearch), p95(seaRet)] };
  await retention.end();

  // A large forget: a month of one deployment, one statement.
  const fFrom = day(120), fTo = day(150);
  const [{ n: fN }] = (await sql.unsafe(`select count(*)::int as n from pgrecall.frames where deployment_id = 'dep1' and captured_at >= $1 and captured_at < $2`, [fFrom, fTo])) as unknown as [{ n: number }];
  const forgetter = connect(url, { max: 1 });
  const [{ pid: fpid }] = (await forgetter`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
  const fc0 = backendCpu(fpid);
  const forget = timed(() => forgetter`select * from pgrecall.forget(p_deployment_id => 'dep1', p_since => ${fFrom}, p_until => ${fTo})`);
  const [insF, seaF] = await Promise.all([during(flat.insert, forget), during(flat.search, forget)]);
  const [[fr], fs] = await forget;
  log(`forget of a month of one deployment (${fN.toLocaleString()} frames selected; ${fr!.frames} purged, ${fr!.words} words, ${fr!.images} images): ${fs.toFixed(0)} s, backend CPU ${(backendCpu(fpid) - fc0).toFixed(0)} s`);
  log(`  during it: insert_frame ${fmt(insF)} (${x(insF, baseInsert)}); search ${fmt(seaF)} (${x(seaF, baseSearch)})`);
  results.forget = { frames: fN, secs: fs, insert: p95(insF), search: p95(seaF) };
  await forgetter.end();
  const after = await probe(flat, "after retention and forget");
  log(`  after/before p95: dedup ${x(after.dd, before.dd)}, fts ${x(after.fts, before.fts)}, vector ${x(after.vec, before.vec)}; recall ${before.rc.toFixed(3)} → ${after.rc.toFixed(3)}`);
  results.flat = { before: { dd: p95(before.dd), fts: p95(before.fts), vec: p95(before.vec), rc: before.rc }, after: { dd: p95(after.dd), fts: p95(after.fts), vec: p95(after.vec), rc: after.rc } };

  // ------------------------------------------------------------ partitioned by month
  if (pb) {
    const [pIns, pSea] = [await during(part.insert, idle()), await during(part.search, idle())];
    log(`partitioned baseline: insert (dedup lookup + row) ${fmt(pIns)}; search mix ${fmt(pSea)}`);
    // Retention = the oldest partition (the month the unpartitioned pass purged, by calendar): detach concurrently,
    // release its images and forget its words against what remains, point near-duplicates of its frames elsewhere, drop it.
    const [oldest] = (await sql.unsafe(`select c.relname as rel, (select count(*) from scale_part.frames f where f.tableoid = c.oid)::int as n from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'scale_part.frames'::regclass order by c.relname limit 1`)) as unknown as [{ rel: string; n: number }];
    const dropper = connect(url, { max: 1 });
    const [{ pid: dpid }] = (await dropper`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];
    const dc0 = backendCpu(dpid);
    const steps: Record<string, number> = {};
    const step = async (name: string, q: string) => { steps[name] = (await timed(() => dropper.unsafe(q)))[1]; };
    const dropPass = timed(async () => {
      await step("detach concurrently", `alter table scale_part.frames detach partition scale_part.${oldest!.rel} concurrently`);
      await dropper.begin(async (tx) => {
        const t = timed(async () => {
          await tx.unsafe(`update scale_part.frames f set duplicate_of = null where f.duplicate_of in (select o.id from scale_part.${oldest!.rel} o where o.duplicate_of is null)`);
          await tx.unsafe(`insert into scale_part.blob_releases (ref) select distinct o.image_ref from scale_part.${oldest!.rel} o
            where o.image_ref is not null and not exists (select 1 from scale_part.frames f where f.image_ref = o.image_ref) on conflict do nothing`);
          await tx.unsafe(`select scale_part._forget_words((select array_agg(distinct w) from scale_part.${oldest!.rel} o cross join lateral unnest(tsvector_to_array(o.fts)) w where o.duplicate_of is null))`);
          await tx.unsafe(`drop table scale_part.${oldest!.rel}`);
        });
        steps["near-duplicates, images, words, drop (one transaction)"] = (await t)[1];
      });
    });
    const [pInsR, pSeaR] = await Promise.all([during(part.insert, dropPass), during(part.search, dropPass)]);
    const [, ds] = await dropPass;
    log(`partition retention: ${oldest!.rel} (${oldest!.n.toLocaleString()} frames) in ${ds.toFixed(1)} s (${Object.entries(steps).map(([s, v]) => `${s} ${v.toFixed(1)} s`).join(", ")}), backend CPU ${(backendCpu(dpid) - dc0).toFixed(0)} s`);
    log(`  during it: insert ${fmt(pInsR)} (${x(pInsR, pIns)}); search ${fmt(pSeaR)} (${x(pSeaR, pSea)})`);
    await dropper.end();
    const pa = await probe(part, "after dropping a partition");
    results.part = { before: { dd: p95(pb.dd), fts: p95(pb.fts), vec: p95(pb.vec), rc: pb.rc }, after: { dd: p95(pa.dd), fts: p95(pa.fts), vec: p95(pa.vec), rc: pa.rc },
      drop: { rel: oldest!.rel, n: oldest!.n, secs: ds, steps }, insert: [p95(pIns), p95(pInsR)], search: [p95(pSea), p95(pSeaR)] };
  }
  await Promise.all([capture.end(), searcher.end()]);
  console.log(JSON.stringify(results, (_, v) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? Math.round(v * 1000) / 1000 : Array.isArray(v) && v.length > 20 ? undefined : v), 1));
  await sql.end();
  if (!args.keep) await dropDatabase(DB);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
