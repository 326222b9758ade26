// `pgrecall status`: the pipeline view.
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { printPipeline } from "../status.js";

export default new Command("status")
  .description("Show the pipeline: frames pending, blocked, behind a failure, done, failed and skipped per stage.")
  .option("--json", "print the pipeline view as JSON")
  .action(async (opts: { json?: boolean }) => {
    await withSql(readConfig().databaseUrl, (sql) => printPipeline(sql, { json: !!opts.json }), { max: 1 });
  });
