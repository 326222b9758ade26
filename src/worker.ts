// `pgrecall worker`: graphile-worker running pgrecall's tasks with one shared runtime.
import { run, runOnce, type TaskList } from "graphile-worker";
import hash from "../tasks/hash.js";
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
}

/** Task identifiers this worker runs; jobs for others (ocr, vision, embed) wait for a worker that has them. */
export function taskList(rt: Runtime): TaskList {
  return { hash: hash(rt) };
}

export async function startWorker(o: WorkerOptions): Promise<void> {
  const rt: Runtime = { sql: connect(o.databaseUrl, { max: o.concurrency + 1 }), store: new BlobStore(o.dataDir) };
  const options = {
    connectionString: o.databaseUrl,
    concurrency: o.concurrency,
    taskList: taskList(rt),
    logger: quietWorkerLogger,
    noPreparedStatements: false,
  };
  try {
    if (o.once) {
      await runOnce(options);
    } else {
      // graphile-worker stops gracefully on SIGINT/SIGTERM: running jobs finish, none is lost.
      const runner = await run(options);
      await runner.promise;
    }
  } finally {
    await rt.sql.end({ timeout: 5 });
  }
}
