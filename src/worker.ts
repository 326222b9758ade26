// `pgrecall worker`: graphile-worker running pgrecall's tasks with one shared runtime.
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { run, runOnce, type TaskList, type WorkerEvents } from "graphile-worker";
import embed from "../tasks/embed.js";
import hash from "../tasks/hash.js";
import ocr from "../tasks/ocr.js";
import vision from "../tasks/vision.js";
import { embeddingConfig, visionConfig, type EmbeddingConfig, type VisionConfig } from "./config.js";
import { Embedder } from "./engines/embedder.js";
import { OcrEngine } from "./engines/ocr.js";
import { VisionProvider } from "./engines/vision.js";
import { connect } from "./db.js";
import { quietWorkerLogger } from "./logging.js";
import type { Runtime } from "./runtime.js";
import { BlobStore } from "./store.js";

export interface WorkerOptions {
  databaseUrl: string;
  dataDir: string;
  concurrency: number;
  /** Process until nothing runnable is left, then return. */
  once: boolean;
  /** A worker silent this long is dead: its jobs are released (default 60 s). */
  deadAfterSeconds?: number;
  /** Run only these task identifiers (e.g. a machine dedicated to OCR). */
  only?: string[];
  /** Default: from the environment (PGRECALL_MODELS_DIR, PGRECALL_EMBED_MODEL, …). */
  embedding?: EmbeddingConfig;
  /** Default: from the environment (PGRECALL_VISION_URL, …); null means no provider. */
  vision?: VisionConfig | null;
}

interface Engines {
  ocr: OcrEngine;
  embedder: Embedder;
  vision: VisionProvider | null;
}

/** Task identifiers this worker runs; with --only, jobs for the others wait for a worker that has them. */
export function taskList(rt: Runtime, engines: Engines): TaskList {
  return { hash: hash(rt), ocr: ocr(rt, engines.ocr), vision: vision(rt, engines.vision), embed: embed(rt, engines.embedder) };
}

export const TASKS = ["hash", "ocr", "vision", "embed"];

function pick(tasks: TaskList, only: string[] | undefined): TaskList {
  return only ? Object.fromEntries(Object.entries(tasks).filter(([name]) => only.includes(name))) : tasks;
}

export async function startWorker(o: WorkerOptions): Promise<void> {
  const unknown = (o.only ?? []).filter((t) => !TASKS.includes(t));
  if (unknown.length) throw new Error(`unknown task(s) ${unknown.join(", ")}: this worker runs ${TASKS.join(", ")}`);
  const rt: Runtime = { sql: connect(o.databaseUrl, { max: o.concurrency + 2 }), store: new BlobStore(o.dataDir) };
  const heartbeat = new Heartbeat(rt, o.deadAfterSeconds ?? 60);
  // Engines start on first use (tesseract, the embedding model) and serve every job after.
  const visionCfg = o.vision === undefined ? visionConfig(process.env) : o.vision;
  const engines: Engines = {
    ocr: new OcrEngine(Math.min(2, o.concurrency)),
    embedder: new Embedder(o.embedding ?? embeddingConfig(process.env, o.dataDir)),
    vision: visionCfg && new VisionProvider(visionCfg),
  };
  const options = {
    connectionString: o.databaseUrl,
    concurrency: o.concurrency,
    taskList: pick(taskList(rt, engines), o.only),
    logger: quietWorkerLogger,
    events: heartbeat.events,
  };
  // Jobs a killed worker left locked run again now, not in graphile-worker's 4 hours.
  await heartbeat.releaseDead();
  heartbeat.start();
  try {
    if (o.once) {
      await runOnce(options);
    } else {
      // graphile-worker stops gracefully on SIGINT/SIGTERM: running jobs finish, none is lost.
      const runner = await run(options);
      await runner.promise;
    }
  } finally {
    await engines.ocr.stop();
    await heartbeat.stop();
    await rt.sql.end({ timeout: 5 });
  }
}

/**
 * Keeps this process's graphile-worker pool and workers registered in pgrecall.workers, and releases
 * the jobs of workers whose heartbeat stopped (kill -9, a lost machine). The rule is SQL's
 * (pgrecall.release_dead_workers); this only keeps time.
 */
class Heartbeat {
  readonly events: WorkerEvents = new EventEmitter() as WorkerEvents;
  private readonly ids = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private beating = Promise.resolve();

  constructor(private readonly rt: Runtime, private readonly deadAfterSeconds: number) {
    // Jobs are locked by the worker's id, or by the pool's id when the pool fetched them.
    this.events.on("pool:create", ({ workerPool }) => {
      this.ids.add(workerPool.id);
      this.beat();
    });
    this.events.on("worker:create", ({ worker }) => {
      this.ids.add(worker.workerId);
      this.beat();
    });
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
    const ids = [...this.ids];
    if (!ids.length) return;
    this.beating = this.beating.then(async () => {
      try {
        await this.rt.sql`select pgrecall.worker_heartbeat(${ids}, ${hostname()}, ${process.pid})`;
      } catch (err) {
        quietWorkerLogger.error(`heartbeat failed: ${(err as Error).message}`);
      }
    });
  }

  async releaseDead(): Promise<number> {
    try {
      const [r] = await this.rt.sql`select pgrecall.release_dead_workers(${this.deadAfterSeconds + " seconds"}::interval) as n`;
      const n = r!.n as number;
      if (n) quietWorkerLogger.warn(`released ${n} job(s) locked by dead workers`);
      return n;
    } catch (err) {
      quietWorkerLogger.error(`releasing dead workers failed: ${(err as Error).message}`);
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    if (this.ids.size) await this.rt.sql`select pgrecall.worker_stopped(${[...this.ids]})`.catch(() => undefined);
  }
}
