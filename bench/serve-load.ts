// Capture under search load. A fresh database holds ~30,000 frames of OCR-like text (~300
// Zipf-distributed words each, an invoice id and a name); a capture client inserts one frame
// at a time through pgrecall.insert_frame (triggers, dedup and queueing as in production) and
// times each insert: with the server idle, then while 200 clients search over HTTP without
// pause, against the server as it was ("before": one 8-connection pool, no bound on the wait
// for a connection) and as it is ("after": the defaults of serve()). Also measured: search
// latency and status counts (503 = refused after the wait), and /health latency under load.
//
// The server and the 200 clients run in child processes of their own, so neither one's event
// loop delays the capture client's timings. Idle phases alternate with the loaded ones, and
// each loaded phase is compared with the idle phases on either side of it: on a shared
// machine the idle latency itself drifts during a run.
//
//   npm run bench:serve-load [-- --frames 30000 --clients 200 --inserts 400 --rounds 2 --keep --skip-load
//                              --search-pool N --search-wait-ms MS   ("after" with other settings)
//                              --before-module /path/to/an/older/dist/src/serve.js]
//
// --before-module runs "before" with that build's serve() instead of emulating it (its /health
// then shares the search pool and counts the whole pipeline view on every call, as it did).
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { readConfig } from "../src/config.js";
import { connect, type Sql } from "../src/db.js";
import { dbUrl, dropDatabase, freshDatabase, percentile, randomPhash, rng, wordFunctions } from "./lib.js";

const { values: args } = parseArgs({
  options: {
    role: { type: "string", default: "main" },
    frames: { type: "string", default: "30000" },
    clients: { type: "string", default: "200" },
    inserts: { type: "string", default: "400" },
    rounds: { type: "string", default: "2" },
    "interval-ms": { type: "string", default: "20" },
    "warm-ms": { type: "string", default: "3000" },
    "before-module": { type: "string" },
    "search-pool": { type: "string" },
    "search-wait-ms": { type: "string" },
    keep: { type: "boolean", default: false },
    "skip-load": { type: "boolean", default: false },
  },
});
const DB = "pgrecall_bench_serve";
const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------- data
const COMMON = [
  "file", "edit", "view", "help", "window", "save", "search", "settings", "invoice", "project", "meeting", "report", "send",
  "message", "today", "function", "const", "return", "import", "export", "error", "build", "test", "user", "page", "data",
  "table", "value", "name", "date", "time", "total", "amount", "status", "update", "delete", "create", "list", "item", "review",
  "budget", "draft", "customer", "payment", "order", "account", "team", "plan", "week", "month", "year", "email", "note", "task",
  "issue", "branch", "commit", "merge", "server", "client", "request", "response", "config", "deploy", "chart", "sales",
];
const VOCAB = 50_000;
/** Word number k (1 = most frequent): real words first, then made-up ones of three syllables. */
const WORD_FN = wordFunctions(COMMON, VOCAB);

/** Finished frames (hashed, OCR done, later stages skipped), loaded without triggers, then the vocabulary and statistics. */
async function load(sql: Sql, n: number): Promise<void> {
  const t = Date.now();
  await sql.unsafe(WORD_FN);
  await sql.unsafe(`create table bench_sentences as
    select s as id, (select string_agg(pg_temp.word(pg_temp.zipf()), ' ') from generate_series(1, 30) g where s >= 0) as txt
    from generate_series(0, 4999) s`);
  await sql.unsafe(`alter table bench_sentences add primary key (id)`);
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local session_replication_role = replica`);
    await tx.unsafe(`
      insert into pgrecall.frames (deployment_id, captured_at, phash, phash_prefix, hash_status, app_name, window_title,
                                   ocr_status, ocr_text, vision_status, embedding_status, hash_at, ocr_at, inserted_at)
      select 'desk-' || (i % 10), now() - interval '30 days' + (i::float8 / ${n}) * interval '30 days', p, (p >> 48)::smallint, 1,
             (array['Code','Mail','Slack','Browser','Terminal','Docs'])[i % 6 + 1], pg_temp.word(pg_temp.zipf()) || ' — ' || pg_temp.word(pg_temp.zipf()),
             1,
             (select string_agg(b.txt, ' ') from (select floor(random() * 5000)::int as r from generate_series(1, 10) where i >= 0) k
                join bench_sentences b on b.id = k.r)
               || ' INV-' || lpad(((i::bigint * 7919) % 1000000)::text, 6, '0') || ' ' || initcap(pg_temp.word(${COMMON.length} + 1 + (i * 31) % 20000)),
             3, 3, now(), now(), now() - interval '1 day'
      from generate_series(0, ${n - 1}) i
      cross join lateral (select (floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint + 0 * i as p) x`);
  });
  await sql.unsafe(`insert into pgrecall.search_words select distinct unnest(tsvector_to_array(fts)) from pgrecall.frames on conflict do nothing`);
  await sql.unsafe(`vacuum analyze pgrecall.frames`);
  await sql.unsafe(`analyze pgrecall.search_words`);
  console.log(`loaded ${n.toLocaleString()} frames in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

/** What the clients search for: common words (thousands of matches to rank), a name (tens), an invoice id (one). */
function queries(n: number): string[] {
  const r = rng(7);
  return Array.from({ length: 500 }, (_, i) => {
    const k = Math.floor(r() * n);
    if (i % 3 === 0) return COMMON[Math.floor(r() * 30)]!;
    if (i % 3 === 1) return `${COMMON[Math.floor(r() * 30)]} ${COMMON[30 + Math.floor(r() * 30)]}`;
    return `INV-${String((k * 7919) % 1000000).padStart(6, "0")}`;
  });
}

// ------------------------------------------------------------------------------------- children
interface ServerConfig {
  url: string;
  module?: string;
  searchPool?: number;
  /** "unbounded" for no bound (JSON has no Infinity). */
  searchWaitMs?: number | "unbounded";
}

async function serverChild(c: ServerConfig): Promise<void> {
  const { serve } = (await import(c.module ? pathToFileURL(c.module).href : "../src/serve.js")) as typeof import("../src/serve.js");
  const config = readConfig({ DATABASE_URL: c.url, PGRECALL_DATA_DIR: mkdtempSync(join(tmpdir(), "pgrecall-bench-serve-")) });
  const s = await serve({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, embedding: config.embedding, searchTimeoutMs: config.searchTimeoutMs,
    host: "127.0.0.1", port: 0,
    ...(c.searchPool ? { searchPool: c.searchPool } : {}),
    ...(c.searchWaitMs !== undefined ? { searchWaitMs: c.searchWaitMs === "unbounded" ? Infinity : c.searchWaitMs } : {}),
  });
  process.send!({ port: s.port });
  process.on("message", () => void s.close().then(() => process.exit(0)));
}

interface LoadResult {
  statuses: Record<string, number>;
  ok: number[];
  refused: number[];
  seconds: number;
}

/** `clients` loops, each searching again as soon as it has an answer, until told to stop. */
async function loadChild(c: { base: string; clients: number; queries: string[] }): Promise<void> {
  let stop = false;
  const statuses: Record<string, number> = {};
  const ok: number[] = [];
  const refused: number[] = [];
  let measuring = false;
  let from = 0;
  process.on("message", (m: string) => {
    if (m === "measure") {
      measuring = true;
      from = performance.now();
    } else stop = true;
  });
  let i = 0;
  const loop = async () => {
    while (!stop) {
      const q = c.queries[i++ % c.queries.length]!;
      const t = performance.now();
      let status: string;
      try {
        const res = await fetch(`${c.base}/search?q=${encodeURIComponent(q)}&mode=fts&limit=20`, { signal: AbortSignal.timeout(60_000) });
        await res.arrayBuffer();
        status = String(res.status);
      } catch (err) {
        status = `error (${(err as Error).name})`;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!measuring) continue;
      const ms = performance.now() - t;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === "200") ok.push(ms);
      if (status === "503") refused.push(ms);
    }
  };
  await Promise.all(Array.from({ length: c.clients }, loop));
  const result: LoadResult = { statuses, ok, refused, seconds: (performance.now() - from) / 1000 };
  process.send!(result, () => process.exit(0));
}

/** This file again, in the given role; its configuration is its first message. */
function child(role: string, config: object): ChildProcess {
  const c = fork(SELF, ["--role", role], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  c.send(config);
  return c;
}

const firstMessage = <T>(c: ChildProcess) =>
  new Promise<T>((resolve, reject) => {
    c.once("message", (m) => resolve(m as T));
    c.once("exit", (code) => reject(new Error(`child exited (${code}) before it answered`)));
  });

async function startServer(c: ServerConfig): Promise<{ base: string; stop: () => Promise<void> }> {
  const p = child("server", c);
  const { port } = await firstMessage<{ port: number }>(p);
  const base = `http://127.0.0.1:${port}`;
  await (await fetch(`${base}/health`)).arrayBuffer(); // its first pipeline count, before anything is timed
  return {
    base,
    stop: async () => {
      const exited = new Promise((r) => p.once("exit", r));
      p.send("stop");
      await exited;
    },
  };
}

// ----------------------------------------------------------------------------------- measuring
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stats {
  p50: number;
  p95: number;
  max: number;
  n: number;
}
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1) ?? NaN, n: s.length };
}

let insertSeq = 0;
/** One insert at a time, `count` of them, `intervalMs` apart, as a capture client sends frames. */
async function captureInserts(capture: Sql, count: number, intervalMs: number): Promise<number[]> {
  const r = rng(1000 + insertSeq);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const n = insertSeq++;
    const t = performance.now();
    await capture`
      select * from pgrecall.insert_frame(
        p_deployment_id => ${"desk-" + (n % 10)}, p_captured_at => now(), p_image_ref => ${"blob:sha256:" + "0".repeat(63) + (n % 10)},
        p_capture_key => ${"bench-" + n}, p_app_name => 'Code', p_window_title => ${"editor " + n}, p_phash => ${randomPhash(r)})`;
    times.push(performance.now() - t);
    await sleep(intervalMs);
  }
  return times;
}

/** GET /health every 200 ms until `done` resolves. */
async function probeHealth(base: string, done: Promise<unknown>): Promise<{ times: number[]; statuses: Record<string, number> }> {
  let over = false;
  void done.then(() => (over = true));
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  while (!over) {
    const t = performance.now();
    let status: string;
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      status = String(res.status);
    } catch (err) {
      status = `error (${(err as Error).name})`;
    }
    times.push(performance.now() - t);
    statuses[status] = (statuses[status] ?? 0) + 1;
    await sleep(200);
  }
  return { times, statuses };
}

interface Phase {
  phase: string;
  insert: Stats;
  health: Stats & { statuses: Record<string, number> };
  search?: { ok: Stats; refused: Stats; statuses: Record<string, number>; per_second: number };
}

async function phase(label: string, capture: Sql, server: ServerConfig, clients: number, qs: string[]): Promise<Phase> {
  const s = await startServer(server);
  try {
    const inserts = Number(args.inserts);
    const interval = Number(args["interval-ms"]);
    let load: ChildProcess | undefined;
    if (clients > 0) {
      load = child("load", { base: s.base, clients, queries: qs });
      await sleep(Number(args["warm-ms"])); // the queue reaches its steady state
      load.send("measure");
    } else {
      await capture`select 1`;
    }
    const inserting = captureInserts(capture, inserts, interval);
    const health = await probeHealth(s.base, inserting);
    const insertTimes = await inserting;
    let search: Phase["search"];
    if (load) {
      const result = firstMessage<LoadResult>(load);
      load.send("stop");
      const r = await result;
      search = { ok: stats(r.ok), refused: stats(r.refused), statuses: r.statuses, per_second: r.ok.length / r.seconds };
    }
    const out: Phase = { phase: label, insert: stats(insertTimes), health: { ...stats(health.times), statuses: health.statuses }, search };
    report(out);
    return out;
  } finally {
    await s.stop();
  }
}

const f = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : "-");

function report(p: Phase): void {
  console.log(`\n${p.phase}`);
  console.log(`  capture insert: p50 ${f(p.insert.p50)} ms, p95 ${f(p.insert.p95)} ms, max ${f(p.insert.max)} ms (${p.insert.n} inserts)`);
  console.log(`  /health: p50 ${f(p.health.p50)} ms, p95 ${f(p.health.p95)} ms, max ${f(p.health.max)} ms; ${JSON.stringify(p.health.statuses)}`);
  if (p.search) {
    console.log(`  searches answered 200: ${f(p.search.per_second)}/s, p50 ${f(p.search.ok.p50)} ms, p95 ${f(p.search.ok.p95)} ms, max ${f(p.search.ok.max)} ms`);
    console.log(`  refused 503: ${p.search.refused.n} (after p50 ${f(p.search.refused.p50)} ms); statuses ${JSON.stringify(p.search.statuses)}`);
  }
}

async function main(): Promise<void> {
  const n = Number(args.frames);
  const clients = Number(args.clients);
  const rounds = Number(args.rounds);
  const url = dbUrl(DB);
  if (!args["skip-load"]) {
    const { sql } = await freshDatabase(DB);
    await load(sql, n);
    await sql.end();
  }
  const capture = connect(url, { max: 1, connection: { application_name: "bench capture" } });
  const qs = queries(n);
  const { defaultSearchPool, DEFAULT_SEARCH_WAIT_MS } = await import("../src/serve.js");
  const before: ServerConfig = args["before-module"] ? { url, module: args["before-module"] } : { url, searchPool: 8, searchWaitMs: "unbounded" };
  const after: ServerConfig = {
    url,
    ...(args["search-pool"] ? { searchPool: Number(args["search-pool"]) } : {}),
    ...(args["search-wait-ms"] ? { searchWaitMs: Number(args["search-wait-ms"]) } : {}),
  };
  const beforeLabel = args["before-module"] ? `before (${args["before-module"]})` : "before (8 connections, no bound on the wait)";
  const afterLabel = `after (${after.searchPool ?? defaultSearchPool()} search connection(s), wait at most ${after.searchWaitMs ?? DEFAULT_SEARCH_WAIT_MS} ms)`;
  // Idle phases between the loaded ones: each loaded phase is compared with the idle ones on
  // either side of it, so a machine that gets busier or quieter during the run skews no ratio.
  const phases: Phase[] = [await phase("idle", capture, after, 0, qs)];
  for (let r = 1; r <= rounds; r++) {
    phases.push(await phase(`${beforeLabel}, ${clients} search clients (round ${r})`, capture, before, clients, qs));
    phases.push(await phase("idle", capture, after, 0, qs));
    phases.push(await phase(`${afterLabel}, ${clients} search clients (round ${r})`, capture, after, clients, qs));
    phases.push(await phase("idle", capture, after, 0, qs));
  }
  const rows = phases.map((p, i) => {
    if (!p.search) return { ...p };
    const idle = [phases[i - 1]!, phases[i + 1]!];
    const mean = (k: "p50" | "p95") => (idle[0]!.insert[k] + idle[1]!.insert[k]) / 2;
    return { ...p, insert_vs_idle: { p50: p.insert.p50 / mean("p50"), p95: p.insert.p95 / mean("p95") } };
  });
  console.log(`\n${n.toLocaleString()} frames, ${clients} search clients (mode fts, limit 20), ${Number(args.inserts)} single-row inserts per phase, ${Number(args["interval-ms"])} ms apart`);
  console.log("| phase | insert p50 | insert p95 | p50 / p95 vs idle on either side | searches 200/s | search p50 | search p95 | 503s | /health p50 / p95 / max |");
  console.log("| --- | --: | --: | --: | --: | --: | --: | --: | --: |");
  for (const r of rows) {
    const vs = "insert_vs_idle" in r && r.insert_vs_idle ? `${r.insert_vs_idle.p50.toFixed(2)}x / ${r.insert_vs_idle.p95.toFixed(2)}x` : "";
    const s = r.search;
    console.log(
      `| ${r.phase} | ${f(r.insert.p50)} ms | ${f(r.insert.p95)} ms | ${vs} | ${s ? f(s.per_second) : ""} | ${s ? f(s.ok.p50) + " ms" : ""} | ${s ? f(s.ok.p95) + " ms" : ""} | ${s ? s.refused.n : ""} | ${f(r.health.p50)} / ${f(r.health.p95)} / ${f(r.health.max)} ms |`,
    );
  }
  console.log("\n" + JSON.stringify({ frames: n, clients, rows }, null, 1));
  await capture.end();
  if (!args.keep) await dropDatabase(DB);
}

const configured = () => new Promise<any>((resolve) => process.once("message", resolve));
const run = args.role === "server" ? configured().then(serverChild) : args.role === "load" ? configured().then(loadChild) : main();
run.catch((err) => {
  console.error(err);
  process.exit(1);
});
