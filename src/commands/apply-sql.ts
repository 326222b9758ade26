// `pgrecall apply-sql`: re-apply the sql/ API (the .gmrc hooks call this).
import { Command } from "commander";
import { readConfig } from "../config.js";
import { applySql } from "../migrate.js";

export default new Command("apply-sql")
  .description("Re-apply the sql/ files (functions, triggers, views) in one transaction. Used by .gmrc hooks; GM_DBURL wins over DATABASE_URL.")
  .option("--force", "apply even if the files have not changed since the last apply")
  .option("--lenient", "on failure warn and exit 0 (the afterAllMigrations hook: sql/ may need DDL that is still in current.sql, and afterCurrent applies it then)")
  .action(async (opts: { force?: boolean; lenient?: boolean }) => {
    try {
      const applied = await applySql(readConfig().migrateUrl, { force: !!opts.force });
      console.log(applied ? "pgrecall: sql/ applied" : "pgrecall: sql/ unchanged");
    } catch (err) {
      if (!opts.lenient) throw err;
      console.log(`pgrecall: sql/ not applied yet (${(err as Error).message}); it will be after current.sql`);
    }
  });
