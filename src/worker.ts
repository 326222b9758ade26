// `pgrecall worker`: graphile-worker running pgrecall's tasks (tasks/index.ts) with one shared
// runtime. It outlives database restarts and stops cleanly on SIGINT/SIGTERM/SIGHUP.
//
// graphile-worker 0.17 alone does neither: a job completed or failed while the connection is
// down becomes an unhandled rejection (the process exits 1), a job fetched just before it
// stays locked by a pool that never learnt of it, and after a signal it re-raises the signal
// once its pool is down (exit 143, before this module could clean up). So pgrecall handles
// the signals itself and runs graphile-worker pools one after another: a pool that lost the
// database ends, what it still held is released once the database answers again, and a
// fresh pool takes over. (Its batched complete/fail mode, which would await those calls,
// miscounts after a failure and then never finishes shutting down, so it is not used.)
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { run, runOnce, type Runner, type RunnerOptions, type TaskList, type WorkerEvents, type WorkerPool } from "graphile-worker";
import { isTaskIdentifier, NON_STAGE_TASKS, TASK_IDENTIFIERS, taskList, type TaskIdentifier } from "../tasks/index.js";
import { RETENTION_CRONTAB } from "../tasks/retention.js";
import { SUMMARIZE_CRONTAB } from "../tasks/summarize.js";
import type { EmbeddingConfig, VisionConfig } from "./config.js";
import { connect } from "./db.js";
import { Embedder } from "./engines/embedder.js";
import { OcrEngine, type OcrLimit } from "./engines/ocr.js";
import { Redactor } from "./engines/redactor.js";
import { loadSecretKey } from "./secret-key.js";
import { VisionProvider } from "./engines/vision.js";
import { quietWorkerLogger as log } from "./logging.js";
import type { Engines, Runtime } from "./runtime.js";
import { Interrupted, stagesByTask } from "./stage.js";
import { BlobStore } from "./store.js";

export interface WorkerOptions {
  databaseUrl: string;
  dataDir: string;
  /** PGRECALL_SECRET_KEY (Config.secretKey); unset: <data dir>/secret.key, made on first use. */
  secretKey?: string;
  /** Folders besides the data dir an image_ref path may point into (Config.imageRoots). */
  imageRoots?: readonly string[];
  concurrency: number;
  /** Process until nothing runnable is left, then return. */
  once: boolean;
  /** This worker silent this long counts as dead and its jobs are released (default 60 s). */
  deadAfterSeconds?: number;
  /** Run only these task identifiers (e.g. a machine dedicated to OCR). */
  only?: string[];
  /** The embedding model (Config.embedding). */
  embedding: EmbeddingConfig;
  /** The vision provider (Config.vision); null: none, the stage is skipped with that reason. */
  vision: VisionConfig | null;
  /** OCR time limit per frame; default 30 s + 5 s per megapixel (DEFAULT_OCR_LIMIT). */
  ocrLimit?: OcrLimit;
  /** Aborting it stops the worker as a signal does (for callers that run it in-process). */
  signal?: AbortSignal;
}

/** After a stop, running jobs get this long to finish; then they are interrupted and run again later. */
export const STOP_GRACE_MS = 5_000;

/** Signals that stop the worker gracefully; the same signal a second time stops it at once. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Every stage task this worker has must run a stage of the registry (pgrecall.stages), and every stage should have a task. */
async function checkRegistry(rt: Runtime): Promise<void> {
  const stages = await stagesByTask(rt.sql);
  const unregistered = TASK_IDENTIFIERS.filter((t) => !stages.has(t) && !NON_STAGE_TASKS.has(t));
  if (unregistered.length) throw new Error(`task(s) ${unregistered.join(", ")} have no stage in pgrecall.stages: run \`pgrecall migrate\``);
  const missing = [...stages.keys()].filter((t) => !isTaskIdentifier(t));
  if (missing.length) log.warn(`stage task(s) ${missing.join(", ")} of pgrecall.stages are not in this worker (tasks/index.ts): their jobs wait`);
}

export async function startWorker(o: WorkerOptions): Promise<void> {
  const only = o.only?.filter((t): t is TaskIdentifier => isTaskIdentifier(t));
  const unknown = (o.only ?? []).filter((t) => !isTaskIdentifier(t));
  if (unknown.length) throw new Error(`unknown task(s) ${unknown.join(", ")}: this worker runs ${TASK_IDENTIFIERS.join(", ")}`);
  const rt: Runtime = { sql: connect(o.databaseUrl, { max: o.concurrency + 2 }), store: new BlobStore(o.dataDir, o.imageRoots) };
  const engines: Engines = {
    ocr: new OcrEngine(Math.min(2, o.concurrency), undefined, o.ocrLimit),
    redactor: new Redactor(() => loadSecretKey(o.dataDir, o.secretKey, { create: true })),
    embedder: new Embedder(o.embedding),
    vision: o.vision && new VisionProvider(o.vision),
  };
  const stop = new StopRequest(o.signal);
  const losses = new ConnectionLosses();
  const heartbeat = new Heartbeat(rt, o.deadAfterSeconds ?? 60);
  try {
    // Jobs a killed worker left locked run again now, not in graphile-worker's 4 hours. A
    // database that does not answer at start is a configuration error, not a restart.
    await heartbeat.releaseDead({ throwOnError: true });
    await checkRegistry(rt);
    heartbeat.start();
    const tasks = taskList(rt, engines, only);
    for (;;) {
      const lost = await runPool(o, tasks, rt, heartbeat, stop, losses);
      if (!lost || stop.requested) break;
      log.warn(`running again after losing the database (${describe(lost)})`);
    }
  } finally {
    stop.dispose();
    losses.dispose();
    await engines.ocr.stop();
    await heartbeat.stop();
    await rt.sql.end({ timeout: 5 });
  }
}

/**
 * One graphile-worker pool, from start to end. Returns the connection loss that ended it (the
 * caller starts another), or null when it ended because it was told to or ran out of work.
 * Either way nothing of it is left behind (pgrecall.worker_stopped): its workers are
 * unregistered, the jobs it still holds are unlocked, those whose task succeeded are completed,
 * and those it interrupted get their attempt back.
 */
async function runPool(
  o: WorkerOptions,
  tasks: TaskList,
  rt: Runtime,
  heartbeat: Heartbeat,
  stop: StopRequest,
  losses: ConnectionLosses,
): Promise<unknown> {
  const events = new EventEmitter() as WorkerEvents;
  const ids: string[] = [];
  const interrupted: string[] = [];
  // The last jobs that succeeded: graphile-worker does not wait for their completion to be
  // recorded, so the stop (or a lost connection) may leave one of them locked.
  const completed: string[] = [];
  let pool: WorkerPool | undefined;
  let runner: Runner | undefined;
  let lost: unknown = null;
  const noteLoss = ({ error }: { error: unknown }) => {
    if (!lost && isConnectionLoss(error)) lost = error;
  };
  const endOnLoss = (e: { error: unknown }) => {
    noteLoss(e);
    if (lost) onStop();
  };
  // Jobs are locked by the worker's id, or by the pool's id when the pool fetched them.
  events.on("pool:create", ({ workerPool }) => {
    pool = workerPool;
    ids.push(workerPool.id);
    heartbeat.add(workerPool.id);
  });
  events.on("worker:create", ({ worker }) => {
    ids.push(worker.workerId);
    heartbeat.add(worker.workerId);
  });
  events.on("job:error", ({ job, error }) => {
    if (error instanceof Interrupted) interrupted.push(job.id);
  });
  events.on("job:success", ({ job }) => {
    completed.push(job.id);
    if (completed.length > 4 * o.concurrency + 16) completed.shift();
  });
  // A pool that lost the database is ended, and what it holds is released (settle, below): a
  // complete/fail call lost with the connection (an unhandled rejection, see ConnectionLosses),
  // a job fetch whose answer was lost after it had locked a job (in --once mode the worker then
  // just ends, and the pool would report success), a lock that a crash restart brought back
  // when the completion was not yet durable. The LISTEN connection is the one that sees a
  // restart even when no job was running.
  losses.watch((error) => endOnLoss({ error }));
  events.on("worker:fatalError", endOnLoss);
  events.on("worker:getJob:error", endOnLoss);
  events.on("pool:listen:error", endOnLoss);

  let shuttingDown = false;
  const shutDown = () => {
    if (shuttingDown || !(runner || pool)) return;
    shuttingDown = true;
    if (runner) runner.stop().catch(() => undefined);
    else Promise.resolve(pool!.gracefulShutdown("pgrecall worker stopping")).catch(() => undefined);
  };
  const onStop = () => setImmediate(shutDown); // never inside graphile-worker's own event emission
  stop.signal.addEventListener("abort", onStop);
  if (o.once) events.on("pool:create", () => stop.requested && onStop());

  const options: RunnerOptions = {
    connectionString: o.databaseUrl,
    concurrency: o.concurrency,
    maxPoolSize: Math.max(10, o.concurrency + 2),
    taskList: tasks,
    // Retention every 10 minutes and the hourly summaries, when this worker runs those tasks
    // (tasks/retention.ts, tasks/summarize.ts; runOnce runs no cron).
    crontab: [
      "retention" in tasks ? RETENTION_CRONTAB : "",
      "summarize_due" in tasks ? SUMMARIZE_CRONTAB : "",
    ].filter(Boolean).join("\n"),
    logger: log,
    events,
    noHandleSignals: true,
    gracefulShutdownAbortTimeout: STOP_GRACE_MS,
    // Asked before every fetch: no job is fetched before the heartbeat naming its fetcher has
    // been written, so a worker killed right after its first fetch holds nothing unregistered.
    forbiddenFlags: () => heartbeat.flushed().then(() => null),
  };
  try {
    if (o.once) {
      await runOnce(options);
    } else {
      runner = await run(options);
      if (stop.requested) onStop();
      await runner.promise;
    }
  } catch (err) {
    if (isConnectionLoss(err)) lost ??= err;
    else if (!lost && !stop.requested) throw err; // not the database going away: a bug, a bad schema
    else log.error(`worker pool ended with: ${describe(err)}`);
  } finally {
    stop.signal.removeEventListener("abort", onStop);
    losses.watch(null);
    heartbeat.forget(ids);
  }
  await heartbeat.flushed();
  await settle(rt, { ids, completed, interrupted }, lost !== null && !stop.requested ? stop.signal : null);
  return lost;
}

/**
 * pgrecall.worker_stopped for a pool that ended. After a connection loss (untilStopped given)
 * it waits for the database to answer again; after a clean stop it tries once, and a row it
 * cannot remove is released by the other workers after --dead-after.
 */
async function settle(
  rt: Runtime,
  pool: { ids: string[]; completed: string[]; interrupted: string[] },
  untilStopped: AbortSignal | null,
): Promise<void> {
  let waiting = false;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      const [r] = await rt.sql`select pgrecall.worker_stopped(${pool.ids}::text[], ${pool.completed}::bigint[], ${pool.interrupted}::bigint[]) as n`;
      if (waiting) log.warn("the database answers again");
      if (r!.n) log.warn(`${r!.n} job(s) this worker had left unfinished run again`);
      return;
    } catch (err) {
      if (!untilStopped || untilStopped.aborted || !isConnectionLoss(err)) {
        log.error(`could not unregister the stopped workers (${describe(err)}); other workers release their jobs after their --dead-after`);
        return;
      }
      if (!waiting) log.warn(`waiting for the database (${describe(err)})`);
      waiting = true;
      await sleep(delay, untilStopped);
    }
  }
}

/** SQLSTATEs and error codes that mean the database went away, not that a query was wrong. */
const CONNECTION_CODES = new Set([
  "57P01", "57P02", "57P03", // admin/crash shutdown, cannot connect now (starting up or shutting down)
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN",
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", // postgres.js
]);
const CONNECTION_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|terminating connection/i;

export function isConnectionLoss(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || /^08/.test(e.code))) return true;
  if (typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionLoss(x, depth + 1))) return true;
  return isConnectionLoss(e.cause, depth + 1);
}

function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  return `${typeof e?.message === "string" ? e.message : String(err)}${typeof e?.code === "string" ? ` [${e.code}]` : ""}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * graphile-worker 0.17 does not await the call that completes or fails a job: when it fails
 * with the connection, the rejection is unhandled, and Node ends the process for it. While
 * the worker runs, such a rejection ends the current pool instead (the job is released when
 * the pool settles, and runs again). Any other unhandled rejection still ends the process.
 */
class ConnectionLosses {
  private current: ((error: unknown) => void) | null = null;

  constructor() {
    process.on("unhandledRejection", this.onRejection);
  }

  watch(onLoss: ((error: unknown) => void) | null): void {
    this.current = onLoss;
  }

  private readonly onRejection = (reason: unknown) => {
    // A call of a pool already ended (retried past its end): settle released its job.
    if ((reason as Error | undefined)?.message === "Cannot use a pool after calling end on the pool") return;
    if (!isConnectionLoss(reason)) throw reason; // a bug: fail as Node would without this listener
    if (this.current) this.current(reason);
    else log.warn(`a database call failed with the connection (${describe(reason)})`);
  };

  dispose(): void {
    process.off("unhandledRejection", this.onRejection);
  }
}

/**
 * The first SIGINT/SIGTERM/SIGHUP (or the caller's AbortSignal) asks for a graceful stop: no
 * new jobs, running ones get STOP_GRACE_MS, then they are interrupted and run again later.
 * The same signal a second time ends the process at once (its jobs are then released by the
 * other workers after --dead-after, as after kill -9).
 */
class StopRequest {
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private readonly external: AbortSignal | undefined;

  constructor(external?: AbortSignal) {
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
    this.external = external;
    if (external?.aborted) this.request();
    else external?.addEventListener("abort", this.request, { once: true });
  }

  get requested(): boolean {
    return this.signal.aborted;
  }

  private readonly onSignal = (sig: NodeJS.Signals) => {
    if (!this.requested) {
      log.warn(`${sig}: stopping; running jobs get ${STOP_GRACE_MS / 1000} s, then run again later (${sig} again: stop at once)`);
      this.request();
      return;
    }
    this.dispose();
    process.kill(process.pid, sig);
  };

  private readonly request = () => {
    if (!this.requested) this.controller.abort(new Interrupted("interrupted: the worker is stopping"));
  };

  dispose(): void {
    for (const s of STOP_SIGNALS) process.off(s, this.onSignal);
    this.external?.removeEventListener("abort", this.request);
  }
}

/**
 * Keeps this process's graphile-worker pools and workers registered in pgrecall.workers with
 * the interval they may stay silent (--dead-after), beating every min(10 s, dead-after / 4),
 * and releases the jobs of workers whose heartbeat stopped (kill -9, a lost machine). The
 * rules are SQL's (pgrecall.release_dead_workers); this only keeps time.
 */
class Heartbeat {
  private readonly ids = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private beating = Promise.resolve();
  private readonly failing = new Set<string>();

  constructor(private readonly rt: Runtime, private readonly deadAfterSeconds: number) {}

  add(id: string): void {
    this.ids.add(id);
    this.beat();
  }

  /** Stops beating for these ids (their pool has ended). */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.ids.delete(id);
  }

  /** Resolves once no heartbeat is being written (so a forgotten id is not written back). */
  flushed(): Promise<void> {
    return this.beating;
  }

  start(): void {
    const every = Math.max(200, Math.min(10_000, (this.deadAfterSeconds * 1000) / 4));
    this.timer = setInterval(() => {
      this.beat();
      this.beating = this.beating.then(() => this.releaseDead().then(() => undefined));
    }, every);
    this.timer.unref();
  }

  beat(): void {
    this.beating = this.beating.then(async () => {
      const ids = [...this.ids];
      if (!ids.length) return;
      await this.logged("heartbeat", () =>
        this.rt.sql`select pgrecall.worker_heartbeat(${ids}, ${hostname()}, ${process.pid}, ${this.deadAfterSeconds + " seconds"}::interval)`,
      );
    });
  }

  async releaseDead({ throwOnError = false } = {}): Promise<void> {
    const release = () => this.rt.sql<{ n: number }[]>`select pgrecall.release_dead_workers() as n`;
    const rows = throwOnError ? await release() : await this.logged("releasing dead workers", release);
    const n = rows?.[0]?.n;
    if (n) log.warn(`released ${n} job(s) locked by dead workers`);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
  }

  /** Runs a query; a failure is logged once until the same query succeeds again (a database restart is not a flood). */
  private async logged<T>(what: string, query: () => Promise<T>): Promise<T | undefined> {
    try {
      const r = await query();
      this.failing.delete(what);
      return r;
    } catch (err) {
      if (!this.failing.has(what)) log.error(`${what} failed: ${describe(err)}`);
      this.failing.add(what);
      return undefined;
    }
  }
}
