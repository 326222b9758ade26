// Loggers for graphile-worker and graphile-migrate that keep warnings and errors only,
// unless PGRECALL_LOG=debug.
import { Logger } from "graphile-worker";

const verbose = () => process.env.PGRECALL_LOG === "debug";

export const quietWorkerLogger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning" || verbose()) {
    process.stderr.write(`[${level}] ${message}\n`);
  }
});
