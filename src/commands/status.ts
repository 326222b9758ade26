// `pgrecall status`: the pipeline view, then the health checks (pgrecall.health); exits 1 when one is unhealthy.
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { EXACT_STATUS_LIMIT, printPipeline } from "../status.js";
import { printHealth } from "./health.js";

export default new Command("status")
  .description("Show the pipeline (frames pending, blocked, behind a failure, done, failed and skipped per stage), then the health checks of `pgrecall health`; exits 1 when one is unhealthy.")
  .option("--json", "print the pipeline view as JSON, counted exactly (the health checks: `pgrecall health --json`)")
  .option("--exact", `count every frame (the pipeline view) also past ${EXACT_STATUS_LIMIT} frames, where the counts come from indexes and statistics`)
  .action(async (opts: { json?: boolean; exact?: boolean }) => {
    await withSql(readConfig().databaseUrl, async (sql) => {
      await printPipeline(sql, { json: !!opts.json, exact: !!opts.exact });
      if (opts.json) return;
      console.log("");
      if (!(await printHealth(sql))) process.exitCode = 1;
    }, { max: 1 });
  });
