// `pgrecall requeue`: failed (or skipped) stages back to pending.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";

export default new Command("requeue")
  .description("Set failed stages back to pending so the worker runs them again (after fixing what failed: a missing model, a provider, a file).")
  .option("--stage <stage>", "only this stage: hash, ocr, vision or embedding")
  .option("--deployment <id>", "only this deployment")
  .option("--skipped", "requeue a stage that was skipped (e.g. vision before a provider was configured) instead of failed; needs --stage")
  .action(async (opts: { stage?: string; deployment?: string; skipped?: boolean }) => {
    if (opts.skipped && !opts.stage) throw new ConfigError("--skipped needs --stage (skips are per stage; near-duplicates stay skipped).");
    const [r] = await withSql(
      readConfig().databaseUrl,
      (sql) =>
        opts.skipped
          ? sql`select pgrecall.requeue_skipped(${opts.stage!}, ${opts.deployment ?? null}) as n`
          : sql`select pgrecall.requeue_failed(${opts.stage ?? null}, ${opts.deployment ?? null}) as n`,
      { max: 1 },
    );
    console.log(`pgrecall: ${r!.n} stage(s) requeued`);
  });
