// The part every stage task shares: find the frame in the stage's pending view, run the
// work, and on bad input (or the last attempt) record the failure on the frame through
// the stage's SQL function. Retries and backoff are graphile-worker's; the rules about
// statuses are SQL's. Nothing here decides a status.
import type { JobHelpers } from "graphile-worker";
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

export type Stage = "hash" | "ocr" | "vision" | "embedding";

const pendingView: Record<Stage, string> = {
  hash: "pgrecall.pending_hash",
  ocr: "pgrecall.pending_ocr",
  vision: "pgrecall.pending_vision",
  embedding: "pgrecall.pending_embedding",
};

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

export function frameIdOf(payload: unknown): string | null {
  const id = (payload as { frame_id?: unknown } | null)?.frame_id;
  return typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

export async function runStage(
  rt: Runtime,
  stage: Stage,
  payload: unknown,
  helpers: JobHelpers,
  work: (frame: PendingFrame, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const frameId = frameIdOf(payload);
  if (!frameId) {
    helpers.logger.error(`${stage}: payload has no frame_id (${JSON.stringify(payload).slice(0, 200)}); dropping the job`);
    return;
  }
  const [frame] = await rt.sql.unsafe<PendingFrame[]>(
    `select * from ${pendingView[stage]} where id = $1`,
    [frameId],
  );
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
