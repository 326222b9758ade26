// `pgrecall unforget`: bring back frames forgotten with --soft (until gc purges them).
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { describeRange, selectionError, selectionOptions, selectionParams, toJson, type SelectionOptions } from "../lifecycle.js";

export default selectionOptions(
  new Command("unforget").description("Restore frames hidden by pgrecall forget --soft that gc has not purged yet; their pending work is queued again."),
  "restore",
)
  .option("--dry-run", "only count what would be restored")
  .option("--json", "print the result as JSON")
  .action(async (opts: SelectionOptions & { dryRun?: boolean; json?: boolean }) => {
    await withSql(readConfig().databaseUrl, async (sql) => {
      const p = await selectionParams(sql, opts);
      const [r] = await sql<{ frames: number; range_from: Date | null; range_to: Date | null; deployments: string[]; event_id: string | null }[]>`
        select * from pgrecall.unforget(
          p_deployment_id => ${p.deployment}, p_since => ${p.since}, p_until => ${p.until}, p_app => ${p.app},
          p_window => ${p.window}, p_frame_ids => ${p.frames}::uuid[], p_dry_run => ${!!opts.dryRun})`.catch((err: unknown) => Promise.reject(selectionError(err)));
      if (opts.json) return console.log(toJson(r));
      if (!r!.frames) return console.log("pgrecall: nothing to restore (no hidden frame matches; purged frames cannot come back)");
      console.log(`pgrecall: ${opts.dryRun ? "would restore" : "restored"} ${r!.frames} frame(s)${describeRange(r!.range_from, r!.range_to)}`);
    }, { max: 1 });
  });
