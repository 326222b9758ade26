// `pgrecall worker`: run the pipeline's tasks.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { startWorker } from "../worker.js";

interface WorkerOpts {
  once?: boolean;
  concurrency: string;
  deadAfter: string;
  only?: string;
}

export default new Command("worker")
  .description(
    "Run the pipeline tasks (hash, ocr, vision, embed) until stopped with SIGINT/SIGTERM; --once stops when nothing runnable is left. " +
      "Embedding model and vision provider come from the environment (PGRECALL_MODELS_DIR, PGRECALL_VISION_URL, …; see the README).",
  )
  .option("--once", "process until no runnable job is left, then exit 0")
  .option("--concurrency <n>", "jobs run at once (embed jobs running together share model calls)", "4")
  .option("--dead-after <seconds>", "this worker counts as dead (its jobs released to others) after this long without a heartbeat", "60")
  .option("--only <tasks>", "run only these tasks, comma-separated (hash, ocr, vision, embed)")
  .action(async (opts: WorkerOpts) => {
    const config = readConfig();
    const concurrency = Number(opts.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      throw new ConfigError(`--concurrency must be a whole number from 1 to 64 (got "${opts.concurrency}").`);
    }
    const deadAfterSeconds = Number(opts.deadAfter);
    if (!(deadAfterSeconds >= 1 && deadAfterSeconds <= 86400)) {
      throw new ConfigError(`--dead-after must be a number of seconds from 1 to 86400 (got "${opts.deadAfter}").`);
    }
    await startWorker({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      imageRoots: config.imageRoots,
      secretKey: config.secretKey,
      embedding: config.embedding,
      vision: config.vision,
      concurrency,
      once: !!opts.once,
      deadAfterSeconds,
      only: opts.only?.split(",").map((t) => t.trim()).filter(Boolean),
    });
  });
