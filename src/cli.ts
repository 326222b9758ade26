#!/usr/bin/env node
// The pgrecall command line. Each command reads the configuration once and reports
// failures as one readable line (set PGRECALL_LOG=debug for the stack).
import { Command } from "commander";
import cliProgress from "cli-progress";
import { ConfigError, loadDotEnv, readConfig } from "./config.js";
import { connect } from "./db.js";
import { lintPlpgsql } from "./lint.js";
import { dev } from "./dev.js";
import { applySql, migrateAll } from "./migrate.js";
import { collectFiles, ingestFile, type IngestResult } from "./ingest.js";
import { BadSearch, parseSearch, searchConnection, Searcher, type SearchHit } from "./search.js";
import { serve } from "./serve.js";
import { printPipeline } from "./status.js";
import { BlobStore } from "./store.js";
import { startWorker } from "./worker.js";

const program = new Command()
  .name("pgrecall")
  .description("A screen-memory backend that lives in PostgreSQL.")
  .showHelpAfterError();

program
  .command("migrate")
  .description("Create the database if needed and apply graphile-worker's schema, the committed migrations and the sql/ API (idempotent).")
  .action(async () => {
    const { databaseUrl } = readConfig();
    const r = await migrateAll(databaseUrl);
    console.log(
      `pgrecall: database ${r.createdDatabase ? "created and " : ""}migrated` +
        (r.appliedSql ? " (sql/ API applied)" : " (sql/ API already current)"),
    );
  });

program
  .command("status")
  .description("Show the pipeline: frames pending, done, failed and skipped per stage.")
  .option("--json", "print the pipeline view as JSON")
  .action(async (opts: { json?: boolean }) => {
    const sql = connect(readConfig().databaseUrl);
    try {
      await printPipeline(sql, { json: !!opts.json });
    } finally {
      await sql.end();
    }
  });

program
  .command("ingest")
  .description("Store images (files, or directories searched recursively) and insert a frame for each, deduplicated at insert.")
  .argument("<paths...>", "image files or directories")
  .requiredOption("--deployment <id>", "the deployment (machine or user) the frames belong to")
  .option("--app <name>", "app_name for every frame")
  .option("--window <title>", "window_title for every frame")
  .option("--captured-at <time>", "ISO time for every frame (default: each file's modification time)")
  .option("--json", "print one JSON object per file: path, frame_id, duplicate_of (and error)")
  .action(async (paths: string[], opts: { deployment: string; app?: string; window?: string; capturedAt?: string; json?: boolean }) => {
    const { databaseUrl, dataDir } = readConfig();
    let capturedAt: Date | undefined;
    if (opts.capturedAt !== undefined) {
      capturedAt = new Date(opts.capturedAt);
      if (Number.isNaN(capturedAt.getTime())) throw new ConfigError(`--captured-at "${opts.capturedAt}" is not a time; use ISO 8601, e.g. 2026-11-21T10:41:02Z.`);
    }
    const { files, errors } = await collectFiles(paths);
    const sql = connect(databaseUrl);
    const store = new BlobStore(dataDir);
    const bar =
      !opts.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: "ingest [{bar}] {value}/{total} {percentage}% · eta {eta_formatted}", stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
        : null;
    const report = (r: IngestResult) => {
      if (opts.json) console.log(JSON.stringify(r));
      else if (r.error) {
        if (bar) process.stderr.write("\n");
        console.error(`skipped ${r.path}: ${r.error}`);
      }
    };
    let failed = errors.length;
    let dups = 0;
    let existing = 0;
    errors.forEach(report);
    bar?.start(files.length, 0);
    try {
      for (const f of files) {
        const r = await ingestFile(sql, store, f, { deployment: opts.deployment, app: opts.app, window: opts.window, capturedAt });
        if (r.error) failed++;
        if (r.existing) existing++;
        else if (r.duplicate_of) dups++;
        report(r);
        bar?.increment();
      }
    } finally {
      bar?.stop();
      await sql.end();
    }
    const inserted = files.length - (failed - errors.length) - existing;
    if (!opts.json) console.log(`pgrecall: ${inserted} frames inserted (${dups} near-duplicates), ${existing} already present, ${failed} skipped`);
    if (failed) process.exitCode = 1;
  });

program
  .command("worker")
  .description(
    "Run the pipeline tasks (hash, ocr, vision, embed) until stopped with SIGINT/SIGTERM; --once stops when nothing runnable is left. " +
      "Embedding model and vision provider come from the environment (PGRECALL_MODELS_DIR, PGRECALL_VISION_URL, …; see the README).",
  )
  .option("--once", "process until no runnable job is left, then exit 0")
  .option("--concurrency <n>", "jobs run at once (embed jobs running together share model calls)", "4")
  .option("--dead-after <seconds>", "a worker without a heartbeat this long is dead and its jobs are released", "60")
  .option("--only <tasks>", "run only these tasks, comma-separated (hash, ocr, vision, embed)")
  .action(async (opts: { once?: boolean; concurrency: string; deadAfter: string; only?: string }) => {
    const { databaseUrl, dataDir } = readConfig();
    const concurrency = Number(opts.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new ConfigError(`--concurrency must be a whole number from 1 to 64 (got "${opts.concurrency}").`);
    }
    const deadAfterSeconds = Number(opts.deadAfter);
    if (!(deadAfterSeconds >= 1 && deadAfterSeconds <= 86400)) {
      throw new ConfigError(`--dead-after must be a number of seconds from 1 to 86400 (got "${opts.deadAfter}").`);
    }
    const only = opts.only?.split(",").map((t) => t.trim()).filter(Boolean);
    await startWorker({ databaseUrl, dataDir, concurrency, once: !!opts.once, deadAfterSeconds, only });
  });

program
  .command("search")
  .description("Find frames by what they showed: full-text (websearch syntax: \"a phrase\", -not, or; one typo forgiven), vector or hybrid.")
  .argument("[query...]", "what to look for (empty: the newest frames the filters select)")
  .option("--json", "print a JSON array: frame_id, captured_at, app_name, window_title, image_ref, score, snippet, matched, duplicate_of, next_cursor")
  .option("--deployment <id>", "only this deployment")
  .option("--app <name>", "only this app (any case)")
  .option("--window <text>", "only windows whose title contains this")
  .option("--since <time>", "captured at or after this ISO time")
  .option("--until <time>", "captured before this ISO time")
  .option("--limit <n>", "results per page (1-200)", "20")
  .option("--mode <mode>", "fts, vector or hybrid", "hybrid")
  .option("--sort <sort>", "relevance, or time (newest first, through every match)", "relevance")
  .option("--include-duplicates", "also list the near-duplicate captures of each frame found")
  .option("--cursor <cursor>", "the next page: the cursor printed after the previous one")
  .action(async (words: string[], opts: Record<string, string | boolean | undefined>) => {
    const { databaseUrl, embedding, searchTimeoutMs } = readConfig();
    const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);
    let params;
    try {
      params = parseSearch({
        q: words.join(" "), mode: str(opts.mode), sort: str(opts.sort), deployment: str(opts.deployment), app: str(opts.app),
        window: str(opts.window), since: str(opts.since), until: str(opts.until), limit: str(opts.limit), cursor: str(opts.cursor),
        includeDuplicates: opts.includeDuplicates ? "true" : undefined,
      });
    } catch (err) {
      throw err instanceof BadSearch ? new ConfigError(err.message) : err;
    }
    const sql = searchConnection(databaseUrl, searchTimeoutMs, 1);
    try {
      const out = await new Searcher(sql, embedding).search(params).catch((err: unknown) => {
        throw err instanceof BadSearch ? new ConfigError(err.message) : err;
      });
      if (out.notice) console.error(`pgrecall: ${out.notice}`);
      if (opts.json) {
        console.log(JSON.stringify(out.results, null, 2));
        return;
      }
      printHits(out.results, process.stdout.isTTY);
      if (!out.results.length) console.log("no frames found");
      else if (out.next_cursor) console.log(`\nmore: pgrecall search … --cursor ${out.next_cursor}`);
    } finally {
      await sql.end();
    }
  });

function printHits(hits: SearchHit[], tty: boolean): void {
  const bold = (s: string) => (tty ? s.replace(/«/g, "\x1b[1;33m").replace(/»/g, "\x1b[0m") : s);
  const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
  for (const h of hits) {
    const when = h.captured_at.toISOString().replace("T", " ").slice(0, 19);
    console.log(`${when}  ${[h.app_name, h.window_title].filter(Boolean).join(" · ")}  ${dim(`${h.score.toFixed(4)} ${h.matched}`)}`);
    const snippet = h.snippet.replace(/\s+/g, " ").trim();
    if (snippet) console.log(`  ${bold(snippet)}`);
    console.log(dim(`  ${h.frame_id}${h.duplicate_of ? ` (near-duplicate of ${h.duplicate_of})` : ""}  ${h.image_ref ?? ""}`));
  }
}

program
  .command("serve")
  .description("HTTP API: GET /search, /frames/:id, /frames/:id/image, /health (JSON). Binds 127.0.0.1 unless told otherwise.")
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("--port <port>", "port", "3030")
  .option("--token <token>", "require Authorization: Bearer <token> (default: PGRECALL_API_TOKEN; /health stays open)")
  .action(async (opts: { host: string; port: string; token?: string }) => {
    const config = readConfig();
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be 0-65535 (got "${opts.port}")`);
    const server = await serve({ ...config, host: opts.host, port, token: opts.token ?? process.env.PGRECALL_API_TOKEN ?? undefined });
    console.log(`pgrecall: serving on http://${server.host}:${server.port}${server.tokenRequired ? " (bearer token required)" : ""}`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  });

program
  .command("requeue")
  .description("Set failed stages back to pending so the worker runs them again (after fixing what failed: a missing model, a provider, a file).")
  .option("--stage <stage>", "only this stage: hash, ocr, vision or embedding")
  .option("--deployment <id>", "only this deployment")
  .option("--skipped", "requeue a stage that was skipped (e.g. vision before a provider was configured) instead of failed; needs --stage")
  .action(async (opts: { stage?: string; deployment?: string; skipped?: boolean }) => {
    if (opts.skipped && !opts.stage) throw new ConfigError("--skipped needs --stage (skips are per stage; near-duplicates stay skipped).");
    const sql = connect(readConfig().databaseUrl, { max: 1 });
    try {
      const [r] = opts.skipped
        ? await sql`select pgrecall.requeue_skipped(${opts.stage!}, ${opts.deployment ?? null}) as n`
        : await sql`select pgrecall.requeue_failed(${opts.stage ?? null}, ${opts.deployment ?? null}) as n`;
      console.log(`pgrecall: ${r!.n} stage(s) requeued`);
    } finally {
      await sql.end();
    }
  });

program
  .command("model")
  .description("Check the embedding model: where it is looked for, whether it loads, and a test embedding.")
  .action(async () => {
    const { embedding } = readConfig();
    const { Embedder } = await import("./engines/embedder.js");
    const embedder = new Embedder(embedding);
    console.log(`model:      ${embedding.model}${embedding.quantized ? " (quantized)" : ""}`);
    console.log(`models dir: ${embedding.modelsDir}${embedding.allowRemote ? " (remote download allowed)" : " (offline)"}`);
    const t = Date.now();
    const v = await embedder.embed("pgrecall model check: invoice INV-2026-0042");
    if (v.length !== 384) throw new ConfigError(`${embedding.model} makes ${v.length}-dimension vectors; pgrecall.frames.embedding holds 384 (all-MiniLM-L6-v2's size).`);
    console.log(`ok:         ${v.length} dimensions, loaded and embedded in ${Date.now() - t} ms`);
  });

program
  .command("apply-sql")
  .description("Re-apply the sql/ files (functions, triggers, views) in one transaction. Used by .gmrc hooks; GM_DBURL wins over DATABASE_URL.")
  .option("--force", "apply even if the files have not changed since the last apply")
  .option("--lenient", "on failure warn and exit 0 (the afterAllMigrations hook: sql/ may need DDL that is still in current.sql, and afterCurrent applies it then)")
  .action(async (opts: { force?: boolean; lenient?: boolean }) => {
    const url = process.env.GM_DBURL || readConfig().databaseUrl;
    try {
      const applied = await applySql(url, { force: !!opts.force });
      console.log(applied ? "pgrecall: sql/ applied" : "pgrecall: sql/ unchanged");
    } catch (err) {
      if (!opts.lenient) throw err;
      console.log(`pgrecall: sql/ not applied yet (${(err as Error).message}); it will be after current.sql`);
    }
  });

program
  .command("dev")
  .description("For developers: migrate, then run graphile-migrate watch on migrations/current.sql and re-apply sql/ whenever a file in it changes.")
  .action(async () => {
    const { databaseUrl } = readConfig();
    await migrateAll(databaseUrl);
    await dev(databaseUrl);
  });

program
  .command("lint-sql")
  .description("Check every PL/pgSQL function with plpgsql_check; exits 1 on any finding.")
  .action(async () => {
    const sql = connect(readConfig().databaseUrl, { max: 1 });
    try {
      const issues = await lintPlpgsql(sql);
      for (const i of issues) console.log(`${i.function}:${i.line ?? "-"}: ${i.level}: ${i.message}${i.query ? `\n    ${i.query}` : ""}`);
      console.log(issues.length ? `${issues.length} finding(s)` : "plpgsql_check: no findings");
      if (issues.length) process.exitCode = 1;
    } finally {
      await sql.end();
    }
  });

export async function main(argv = process.argv): Promise<void> {
  loadDotEnv();
  // `pgrecall ingest --json | head` closes the pipe early: that is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as Error;
    if (process.env.PGRECALL_LOG === "debug" || !(e instanceof ConfigError)) {
      console.error(`pgrecall: ${e.message}`);
      if (process.env.PGRECALL_LOG === "debug") console.error(e);
    } else {
      console.error(`pgrecall: ${e.message}`);
    }
    process.exitCode = 1;
  }
}
