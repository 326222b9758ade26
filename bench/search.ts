// Search benchmark: N frames (default 1,000,000) of OCR-like text with Zipf word frequencies
// (~300 words each, plus an invoice id and a name), 384-dimension embeddings clustered like
// screens are (2,000 topics), in 50 deployments over a year. Measures, through
// pgrecall.search_frames as users call it: full text (rare and common words apart), vector,
// hybrid, hybrid with a deployment + 30-day filter; recall@10 of the vector index against an
// exact scan; index build times and sizes for GIN, HNSW and ivfflat; and, when the rum
// extension is installed, RUM against GIN for common words.
//
//   npm run bench:search [-- --frames 1000000 --queries 200 --keep --skip-load --queries-only --rum]
import { parseArgs } from "node:util";
import type { Sql } from "../src/db.js";
import { connect } from "../src/db.js";
import { dbUrl, freshDatabase, percentile, rng, timed, wordFunctions } from "./lib.js";

const { values: args } = parseArgs({
  options: {
    frames: { type: "string", default: "1000000" },
    queries: { type: "string", default: "200" },
    keep: { type: "boolean", default: false },
    "skip-load": { type: "boolean", default: false },
    "queries-only": { type: "boolean", default: false },
    rum: { type: "boolean", default: false },
  },
});
const N = Number(args.frames);
const Q = Number(args.queries);
const DB = "pgrecall_bench_search";
const VOCAB = 50_000;
const TOPICS = 2000;
const BATCH = 25_000;
const r = rng(42);

const COMMON = [
  "the", "file", "open", "edit", "view", "help", "window", "save", "new", "search", "settings", "invoice", "project", "meeting",
  "report", "send", "message", "today", "function", "const", "return", "import", "export", "error", "build", "test", "user", "page",
  "data", "table", "value", "name", "date", "time", "total", "amount", "status", "update", "delete", "create", "list", "item",
  "review", "budget", "draft", "customer", "payment", "order", "account", "team", "plan", "week", "month", "year", "email", "call",
  "note", "task", "done", "todo", "issue", "branch", "commit", "merge", "server", "client", "request", "response", "config", "deploy",
  "chart", "sales", "revenue", "cost", "price", "market", "product", "design", "image", "video", "music", "photo", "share", "link",
  "comment", "reply", "forward", "archive", "inbox", "draft", "calendar", "event", "remind", "schedule", "agenda", "minutes", "notes", "summary",
];
/** Word number k (1 = most frequent): real words first, then made-up ones of 3 syllables. */
const WORD_FN = wordFunctions(COMMON, VOCAB);

async function load(sql: Sql, url: string): Promise<void> {
  // Pools to draw from (drawing 300 words per frame in SQL would take half an hour): 20,000
  // sentences of 30 Zipf-distributed words, 2,000 topic directions and 5,000 noise vectors.
  await sql.unsafe(WORD_FN);
  await sql.unsafe(`create table bench_sentences as
    select s as id, (select string_agg(pg_temp.word(pg_temp.zipf()), ' ') from generate_series(1, 30) g where s >= 0) as txt
    from generate_series(0, 19999) s`);
  await sql.unsafe(`alter table bench_sentences add primary key (id)`);
  await sql.unsafe(`create table bench_topics as
    select t as id, (select array_agg((random() - 0.5)::float4) from generate_series(1, 384) where t >= 0)::vector as v from generate_series(0, ${TOPICS - 1}) t`);
  await sql.unsafe(`alter table bench_topics add primary key (id)`);
  await sql.unsafe(`create table bench_noise as
    select n as id, (select array_agg(((random() - 0.5) * 0.6)::float4) from generate_series(1, 384) where n >= 0)::vector as v from generate_series(0, 4999) n`);
  await sql.unsafe(`alter table bench_noise add primary key (id)`);
  // The search indexes are built after the load (and timed); triggers are off: this is a bulk load of finished frames.
  await sql.unsafe(`drop index if exists pgrecall.idx_frames_fts`);
  await sql.unsafe(`drop index if exists pgrecall.idx_frames_embedding`);
  const workers = [connect(url, { max: 1 }), connect(url, { max: 1 })];
  let next = 0;
  const t = Date.now();
  await Promise.all(
    workers.map(async (w) => {
      await w.unsafe(WORD_FN);
      await w.unsafe(`set session_replication_role = replica`);
      while (next < N) {
        const from = next;
        next += BATCH;
        const to = Math.min(N, from + BATCH);
        await w.unsafe(`
          insert into pgrecall.frames (deployment_id, captured_at, phash, hash_status, app_name, window_title,
                                       ocr_status, ocr_text, vision_status, embedding_status, embedding, embedding_model, ocr_at, embedding_at, inserted_at)
          select 'dep' || (i % 50), timestamptz '2025-11-21' + (i::float8 / ${N}) * interval '365 days', (i * 2654435761)::bigint, 1,
                 (array['Code','Mail','Slack','Browser','Terminal','Docs'])[i % 6 + 1], pg_temp.word(pg_temp.zipf()) || ' — ' || pg_temp.word(pg_temp.zipf()),
                 1,
                 (select string_agg(b.txt, ' ') from (select floor(random() * 20000)::int as r from generate_series(1, 10) where i >= 0) k
                    join bench_sentences b on b.id = k.r)
                   || ' INV-' || lpad(((i::bigint * 7919) % 1000000)::text, 6, '0') || ' ' || initcap(pg_temp.word(${COMMON.length} + 1 + (i * 31) % 20000)),
                 3, 1,
                 l2_normalize((select v from bench_topics where id = ((i::bigint * 104729) % ${TOPICS})::int) + (select v from bench_noise where id = x.noise)),
                 'bench', now(), now(), now() - interval '1 day'
          from generate_series(${from}, ${to - 1}) i
          cross join lateral (select floor(random() * 5000)::int + 0 * i as noise) x`);
        process.stdout.write(`\rloaded ${Math.min(next, N).toLocaleString()} / ${N.toLocaleString()} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
      }
    }),
  );
  await Promise.all(workers.map((w) => w.end()));
  console.log(`\nloaded ${N.toLocaleString()} frames in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  const [, vocabSeconds] = await timed(() => sql.unsafe(`insert into pgrecall.search_words select distinct unnest(tsvector_to_array(fts)) from pgrecall.frames on conflict do nothing`));
  console.log(`vocabulary: ${vocabSeconds.toFixed(0)} s`);
  await sql.unsafe(`vacuum analyze pgrecall.frames`);
  await sql.unsafe(`analyze pgrecall.search_words`);
}

async function buildIndex(sql: Sql, name: string, ddl: string): Promise<{ name: string; seconds: number; mb: number }> {
  await sql.unsafe(`drop index if exists pgrecall.${name}`);
  const [, seconds] = await timed(() => sql.unsafe(`set maintenance_work_mem = '6GB'; set max_parallel_maintenance_workers = 1; ${ddl}`));
  const [s] = await sql.unsafe(`select pg_relation_size('pgrecall.${name}')::float8 / 1048576 as mb`);
  console.log(`index ${name}: ${seconds.toFixed(0)} s, ${(s!.mb as number).toFixed(0)} MB`);
  return { name, seconds, mb: s!.mb as number };
}

async function latencies(label: string, run: (i: number) => Promise<unknown>): Promise<{ label: string; p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await run(i); // warm
  const times: number[] = [];
  for (let i = 0; i < Q; i++) times.push((await timed(() => run(i)))[1] * 1000);
  times.sort((a, b) => a - b);
  const row = { label, p50: percentile(times, 50), p95: percentile(times, 95) };
  console.log(`${label}: p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms`);
  return row;
}

async function main() {
  const url = dbUrl(DB);
  const sql = args["skip-load"] ? connect(url, { max: 2 }) : (await freshDatabase(DB)).sql;
  if (!args["skip-load"]) await load(sql, url);

  const only = args["queries-only"]; // reuse the indexes a --keep run left
  const builds = only
    ? []
    : [
        await buildIndex(sql, "idx_frames_fts", `create index idx_frames_fts on pgrecall.frames using gin (fts) where duplicate_of is null`),
        await buildIndex(sql, "idx_frames_embedding_ivf", `create index idx_frames_embedding_ivf on pgrecall.frames using ivfflat (embedding vector_cosine_ops) with (lists = ${Math.max(10, Math.round(Math.sqrt(N)))}) where duplicate_of is null`),
      ];

  // Queries: common words (top 20 content words), rare ones (invoice ids: 1-2 frames), mid (a name: ~50 frames).
  const [{ rare }] = (await sql`select array_agg(x) as rare from (select 'INV-' || lpad(((i::bigint * 7919) % 1000000)::text, 6, '0') as x from generate_series(0, ${N - 1}, ${Math.max(1, Math.floor(N / Q))}) i) s`) as unknown as [{ rare: string[] }];
  const common = COMMON.filter((w) => !["the", "new", "done", "call", "open"].includes(w)).slice(0, 20);
  const vectors = (await sql.unsafe(`
    select (select l2_normalize(array_agg(x + (random() - 0.5) * 0.05)::vector) from unnest(embedding::float4[]) x)::text as v
    from pgrecall.frames tablesample system (1) limit ${Q + 5}`)).map((x) => x.v as string);
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  const search = (q: string | null, v: string | null, mode: string, extra = "") =>
    sql.unsafe(`select frame_id from pgrecall.search_frames(p_query => $1, p_query_embedding => $2::vector, p_mode => $3, p_embedding_model => 'bench', p_limit => 10 ${extra})`, [q, v, mode]);

  const rows = [];
  const runAll = async (tag: string) => {
    rows.push(await latencies(`fts rare (invoice id) ${tag}`, (i) => search(pick(rare, i), null, "fts")));
    rows.push(await latencies(`fts common word ${tag}`, (i) => search(pick(common, i), null, "fts")));
    rows.push(await latencies(`fts two common words ${tag}`, (i) => search(`${pick(common, i)} ${pick(common, i + 7)}`, null, "fts")));
    rows.push(await latencies(`fts common word, sort time ${tag}`, (i) => search(pick(common, i), null, "fts", ", p_sort => 'time'")));
    rows.push(await latencies(`vector ${tag}`, (i) => search(null, pick(vectors, i), "vector")));
    rows.push(await latencies(`hybrid, common word ${tag}`, (i) => search(pick(common, i), pick(vectors, i), "hybrid")));
    rows.push(await latencies(`hybrid, rare word ${tag}`, (i) => search(pick(rare, i), pick(vectors, i), "hybrid")));
    rows.push(
      await latencies(`hybrid + deployment + 30 days ${tag}`, (i) =>
        search(pick(common, i), pick(vectors, i), "hybrid", `, p_deployment_id => 'dep${i % 50}', p_since => timestamptz '2026-08-01', p_until => timestamptz '2026-08-31'`),
      ),
    );
  };

  const recall = async (tag: string) => {
    let hit = 0;
    const n = Math.min(Q, 100);
    for (let i = 0; i < n; i++) {
      const v = pick(vectors, i);
      const got = new Set((await search(null, v, "vector")).map((x) => x.frame_id as string));
      const exact = await sql.begin(async (tx) => {
        await tx.unsafe(`set local enable_indexscan = off; set local enable_bitmapscan = off`);
        return tx.unsafe(`select id from pgrecall.frames where duplicate_of is null and embedding is not null order by embedding <=> $1::vector, id limit 10`, [v]);
      });
      hit += exact.filter((x) => got.has(x.id as string)).length;
    }
    const value = hit / (n * 10);
    console.log(`recall@10 ${tag}: ${value.toFixed(3)}`);
    return value;
  };

  // ivfflat first (HNSW not built yet), then HNSW.
  let ivfRecall: number | null = null;
  if (!only) {
    await sql.unsafe(`alter database ${DB} set ivfflat.probes = 10`);
    ivfRecall = await recall("ivfflat (lists = sqrt(N), probes = 10)");
    rows.push(await latencies("vector [ivfflat]", (i) => search(null, pick(vectors, i), "vector")));
    await sql.unsafe(`drop index pgrecall.idx_frames_embedding_ivf`);
    builds.push(await buildIndex(sql, "idx_frames_embedding", `create index idx_frames_embedding on pgrecall.frames using hnsw (embedding vector_cosine_ops) with (m = 24, ef_construction = 128) where duplicate_of is null`));
  }
  const hnswRecall = await recall("HNSW (m 24, ef_construction 128, ef_search 200)");
  await runAll("[GIN + HNSW]");

  const [rum] = await sql`select count(*)::int as n from pg_available_extensions where name = 'rum'`;
  let rumRows: unknown[] = [];
  if (rum!.n && args.rum) {
    await sql.unsafe(`create extension if not exists rum`);
    builds.push(await buildIndex(sql, "idx_frames_fts_rum", `create index idx_frames_fts_rum on pgrecall.frames using rum (fts rum_tsvector_addon_ops, captured_at) with (attach = 'captured_at', to = 'fts') where duplicate_of is null`));
    const rumQuery = (w: string, order: string) =>
      sql.unsafe(`select id from pgrecall.frames where duplicate_of is null and fts @@ websearch_to_tsquery('english', $1) order by ${order} limit 10`, [w]);
    rumRows = [
      await latencies("RUM: common word, newest first (captured_at <=> now())", (i) => rumQuery(pick(common, i), "captured_at <=> now()")),
      await latencies("RUM: common word, by rank in the index (fts <=> query)", (i) => rumQuery(pick(common, i), "fts <=> websearch_to_tsquery('english', $1)")),
      await latencies("RUM: rare word, by rank", (i) => rumQuery(pick(rare, i), "fts <=> websearch_to_tsquery('english', $1)")),
    ];
    await sql.unsafe(`drop index pgrecall.idx_frames_fts_rum`);
  }

  const [size] = await sql`select pg_total_relation_size('pgrecall.frames')::float8 / 1073741824 as gb, (select count(*) from pgrecall.search_words)::int as words`;
  console.log(`\n${N.toLocaleString()} frames, table with indexes ${(size!.gb as number).toFixed(1)} GB, vocabulary ${size!.words.toLocaleString()} words`);
  console.log(JSON.stringify({ rows, rumRows, builds, ivfRecall, hnswRecall }, null, 1));
  await sql.end();
  if (!args.keep) {
    const { dropDatabase } = await import("./lib.js");
    await dropDatabase(DB);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
