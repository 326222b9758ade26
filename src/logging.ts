// Loggers for graphile-worker and graphile-migrate that keep warnings and errors only,
// unless PGRECALL_LOG=debug. A job interrupted by a stop is not an error: graphile-worker
// logs it as a failed task, this logger says "interrupted" in one line instead.
import { Logger } from "graphile-worker";
import { readConfig } from "./config.js";

const verbose = () => readConfig().debug;

export const quietWorkerLogger = new Logger(() => (level, message, meta) => {
  const error = (meta as { error?: unknown } | undefined)?.error;
  const job = (meta as { job?: { id?: string; task_identifier?: string } } | undefined)?.job;
  if ((error as Error | undefined)?.name === "Interrupted" && job) {
    process.stderr.write(`[warning] job ${job.id} (${job.task_identifier}) interrupted by the stop; it runs again\n`);
    return;
  }
  if (level === "error" || level === "warning" || verbose()) {
    process.stderr.write(`[${level}] ${message}\n`);
  }
});
