// The part every stage task shares: find the frame in the stage's pending view, run the
// work, and on bad input (or the last attempt) record the failure on the frame through
// the stage's SQL function. Retries and backoff are graphile-worker's; the rules about
// statuses are SQL's. Nothing here decides a status.
import type { JobHelpers } from "graphile-worker";
import { quoteIdent } from "./db.js";
import type { Runtime } from "./runtime.js";
import { BadImageRef } from "./store.js";

/** Input that will not get better by retrying (missing file, corrupt image, …). */
export class BadInput extends Error {
  /** The same cause fails every frame (a missing model): the log says it once, each frame still records it. */
  everyFrame = false;
}

/**
 * The job was cut short because the worker is stopping (a signal, or its database connection
 * lost): not a failure of the frame. Nothing is recorded on it; the job runs again.
 */
export class Interrupted extends Error {
  override name = "Interrupted";
}

/** `work`, or Interrupted as soon as the signal aborts (the work itself is left to finish or be dropped). */
export function interruptible<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Interrupted("interrupted: the worker is stopping"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Interrupted("interrupted: the worker is stopping"));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** A failure that every frame will meet until an operator acts: logged once per process. */
export function failsEveryFrame(message: string, cause: unknown): BadInput {
  const err = new BadInput(message, { cause });
  err.everyFrame = true;
  return err;
}

const loggedOnce = new Set<string>();

/**
 * The stage a task runs, from the registry (pgrecall.stages), read once per process: the task's
 * frames are in the stage's generated pending view, pgrecall.pending_<stage>.
 */
const stageOfTask = new WeakMap<Runtime["sql"], Promise<Map<string, string>>>();

export function stagesByTask(sql: Runtime["sql"]): Promise<Map<string, string>> {
  let stages = stageOfTask.get(sql);
  if (!stages) {
    stages = sql<{ task: string; stage: string }[]>`select task, stage from pgrecall.stages`.then((rows) => new Map(rows.map((r) => [r.task, r.stage])));
    stages.catch(() => stageOfTask.delete(sql)); // a lost database: ask again next time
    stageOfTask.set(sql, stages);
  }
  return stages;
}

/** A row of the stage's pending view (pgrecall.pending_<stage>): which columns depends on the stage. */
export interface PendingFrame {
  id: string;
  deployment_id: string;
  image_ref: string | null;
  app_name: string | null;
  window_title: string | null;
  /** pending_embedding only: the text to embed (pgrecall.embedding_input). */
  input?: string | null;
}

/** The payload's frame id, as given; PostgreSQL's uuid type is the judge of its form. */
export function frameIdOf(payload: unknown): string | null {
  const id = (payload as { frame_id?: unknown } | null)?.frame_id;
  return typeof id === "string" ? id : null;
}

export async function runStage(
  rt: Runtime,
  payload: unknown,
  helpers: JobHelpers,
  work: (frame: PendingFrame, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const task = helpers.job.task_identifier;
  const stage = (await stagesByTask(rt.sql)).get(task);
  if (!stage) throw new Error(`task ${task} has no stage in pgrecall.stages: run \`pgrecall migrate\``);
  const frameId = frameIdOf(payload);
  const dropped = () => helpers.logger.error(`${stage}: payload has no frame id (${JSON.stringify(payload).slice(0, 200)}); dropping the job`);
  if (frameId === null) return dropped();
  let frame: PendingFrame | undefined;
  try {
    [frame] = await rt.sql.unsafe<PendingFrame[]>(`select * from pgrecall.${quoteIdent("pending_" + stage)} where id = $1::uuid`, [frameId]);
  } catch (err) {
    if ((err as { code?: string }).code === "22P02") return dropped(); // not a uuid
    throw err;
  }
  if (!frame) return; // settled already (done, skipped, deleted): nothing to do
  try {
    await work(frame, helpers.abortSignal);
  } catch (err) {
    // A stop cut the work short: the frame did nothing wrong, even on its last attempt.
    if (err instanceof Interrupted) throw err;
    if (helpers.abortSignal.aborted && !(err instanceof BadInput)) throw new Interrupted(`interrupted: ${(err as Error).message}`, { cause: err });
    const lastAttempt = helpers.job.attempts >= helpers.job.max_attempts;
    if (!(err instanceof BadInput) && !lastAttempt) throw err; // transient: graphile-worker retries with backoff
    // The frame's message says what went wrong; the log line also says which frame.
    const attempts = helpers.job.attempts;
    const message = `${lastAttempt && !(err instanceof BadInput) ? `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ` : ""}${(err as Error).message}`;
    if (!(err instanceof BadInput && err.everyFrame)) helpers.logger.warn(`${stage} failed for frame ${frameId}: ${message}`);
    else if (!loggedOnce.has(message)) {
      loggedOnce.add(message);
      helpers.logger.warn(`${stage} fails for every frame until fixed (each frame records it; logged once): ${message}`);
    }
    try {
      await rt.sql`select pgrecall.frame_stage_failed(${frameId}, ${stage}, ${message})`;
    } catch (recordErr) {
      // 55000: another worker settled the stage meanwhile; nothing is lost.
      if ((recordErr as { code?: string }).code !== "55000") throw recordErr;
    }
  }
}

/** The frame's image bytes; a missing, empty or unsupported reference is bad input. */
export async function readFrameImage(rt: Runtime, frame: PendingFrame): Promise<Buffer> {
  try {
    return await rt.store.read(frame.image_ref);
  } catch (err) {
    throw err instanceof BadImageRef ? new BadInput(err.message, { cause: err }) : err;
  }
}
