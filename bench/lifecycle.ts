// Lifecycle benchmark: N frames (default 100,000) of OCR-like text with vectors (HNSW index), in
// 10 deployments over a year. Measures, against a baseline taken in the same run: capture insert
// latency (pgrecall.insert_frame, as clients call it) and search latency (full text, one
// deployment) while a retention pass runs (keep_text_for 180 days, keep_frames_for 300 days, in
// batches of 500) and while one large forget (a whole deployment, one statement) runs; the cost
// of each; and dedup lookups (find_near_duplicate) before and after.
//
//   npm run bench:lifecycle [-- --frames 100000 --keep]
import { parseArgs } from "node:util";
import { connect, type Sql } from "../src/db.js";
import { runRetention } from "../src/retention.js";
import { BlobStore } from "../src/store.js";
import { dropDatabase, during, freshDatabase, percentile, randomPhash, rng, timed } from "./lib.js";

const { values: args } = parseArgs({ options: { frames: { type: "string", default: "100000" }, keep: { type: "boolean", default: false } } });
const N = Number(args.frames);
const DB = "pgrecall_bench_lifecycle";
const r = rng(7);

async function load(sql: Sql, url: string): Promise<void> {
  await sql.unsafe(`create table bench_sentences as
    select s as id, (select string_agg(md5((s * 31 + g)::text)::text, ' ') from generate_series(1, 12) g) || ' invoice meeting report' as txt
    from generate_series(0, 4999) s`);
  await sql.unsafe(`drop index if exists pgrecall.idx_frames_embedding`);
  const w = connect(url, { max: 1 });
  await w.unsafe(`set session_replication_role = replica`); // a bulk load of finished frames: triggers off
  const t = Date.now();
  for (let from = 0; from < N; from += 20_000) {
    const to = Math.min(N, from + 20_000);
    await w.unsafe(`
      insert into pgrecall.frames (deployment_id, captured_at, phash, hash_status, app_name, window_title, image_ref,
                                   ocr_status, ocr_text, vision_status, embedding_status, embedding, embedding_model, ocr_at, embedding_at, inserted_at)
      select 'dep' || (i % 10), now() - interval '365 days' + (i::float8 / ${N}) * interval '364 days', (i * 2654435761)::bigint, 1,
             'Code', 'window ' || (i % 500), 'blob:sha256:' || md5(i::text) || md5((i + 1)::text),
             1, (select b.txt from bench_sentences b where b.id = i % 5000) || ' ' || (select b.txt from bench_sentences b where b.id = (i * 7) % 5000),
             3, 1, (select array_agg(sin(i * 0.37 + k)::float4) from generate_series(1, 384) k)::vector, 'bench', now(), now(), now()
      from generate_series(${from}, ${to - 1}) i`);
    process.stdout.write(`\rloaded ${to.toLocaleString()} / ${N.toLocaleString()} (${((Date.now() - t) / 1000).toFixed(0)} s)`);
  }
  await w.end();
  await sql.unsafe(`insert into pgrecall.search_words select distinct unnest(tsvector_to_array(fts)) from pgrecall.frames on conflict do nothing`);
  await sql.unsafe(`insert into pgrecall.blob_sizes (ref, bytes) select distinct image_ref, 150000 from pgrecall.frames`);
  const [, s] = await timed(() => sql.unsafe(`set maintenance_work_mem = '2GB'; create index idx_frames_embedding on pgrecall.frames using hnsw (embedding vector_cosine_ops) with (m = 24, ef_construction = 128) where duplicate_of is null`));
  await sql.unsafe(`vacuum analyze pgrecall.frames`);
  console.log(`\nloaded in ${((Date.now() - t) / 1000).toFixed(0)} s (HNSW ${s.toFixed(0)} s)`);
}

const p = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms`;
const ratio = (a: number[], b: number[]) => (percentile(a, 95) / percentile(b, 95)).toFixed(2);

async function main() {
  const { sql, url } = await freshDatabase(DB);
  try {
    await load(sql, url);
    const capture = connect(url, { max: 1 });
    const searcher = connect(url, { max: 1 });
    let k = 0;
    const insert = () => capture`select pgrecall.insert_frame('dep3', now(), ${"blob:sha256:" + "b".repeat(56) + String(k++).padStart(8, "0")}, null, 'Code', 'live', ${randomPhash(r)})`;
    const search = (i: number) => searcher`select frame_id from pgrecall.search_frames(${["invoice", "meeting report", "window"][i % 3]!}, p_mode => 'fts', p_deployment_id => 'dep3', p_limit => 10)`;
    const dedup = () => capture`select * from pgrecall.find_near_duplicate('dep3', now(), ${randomPhash(r)})`;
    const idle = new Promise((res) => setTimeout(res, 8000));
    const [baseInsert, baseSearch, baseDedup] = [await during(insert, idle), await during(search, new Promise((res) => setTimeout(res, 8000))), await during(dedup, Promise.resolve(), 200)];
    console.log(`baseline: insert ${p(baseInsert)}; search ${p(baseSearch)}; dedup lookup ${p(baseDedup)}`);

    await sql`update pgrecall.settings set keep_text_for = '180 days', keep_frames_for = '300 days' where deployment_id = '*'`;
    const store = new BlobStore("/tmp/pgrecall-bench-lifecycle", [], null);
    const pass = timed(() => runRetention(sql, store, { batch: 500 }));
    const [insRet, seaRet] = await Promise.all([during(insert, pass), during(search, pass)]);
    const [res, secs] = await pass;
    const purged = res.rows.filter((x) => x.kind === "frames").reduce((n, x) => n + x.frames, 0);
    const emptied = res.rows.filter((x) => x.kind === "text").reduce((n, x) => n + x.frames, 0);
    console.log(`retention pass: ${purged.toLocaleString()} frames purged, ${emptied.toLocaleString()} emptied of text, ${res.batches} batches, ${secs.toFixed(1)} s ` +
      `(${((purged + emptied) / secs).toFixed(0)} frames/s)`);
    console.log(`  during it: insert ${p(insRet)} (p95 x${ratio(insRet, baseInsert)} of baseline); search ${p(seaRet)} (x${ratio(seaRet, baseSearch)})`);

    const [{ n }] = (await sql`select count(*)::int as n from pgrecall.frames where deployment_id = 'dep1'`) as unknown as [{ n: number }];
    const forget = timed(() => sql`select * from pgrecall.forget(p_deployment_id => 'dep1')`);
    const [insF, seaF] = await Promise.all([during(insert, forget), during(search, forget)]);
    const [, fs] = await forget;
    console.log(`forget of a whole deployment (${n.toLocaleString()} frames, one statement): ${fs.toFixed(1)} s`);
    console.log(`  during it: insert ${p(insF)} (p95 x${ratio(insF, baseInsert)}); search ${p(seaF)} (x${ratio(seaF, baseSearch)})`);
    const afterDedup = await during(dedup, Promise.resolve(), 200);
    console.log(`dedup lookup after: ${p(afterDedup)} (p95 x${ratio(afterDedup, baseDedup)})`);
    await Promise.all([capture.end(), searcher.end()]);
  } finally {
    await sql.end();
    if (!args.keep) await dropDatabase(DB);
  }
}

await main();
