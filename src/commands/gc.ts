// `pgrecall gc`: purge tombstones past their grace, remove the image files no frame references.
import { Command } from "commander";
import { collectGarbage } from "../blob-gc.js";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";
import { BlobStore } from "../store.js";

export default new Command("gc")
  .description(
    "Purge frames tombstoned longer than tombstone_grace, then remove image files no frame references: those a forget or retention released at once, files never referenced (an interrupted capture) after --orphan-grace. Safe while capture runs.",
  )
  .option("--dry-run", "only count what would be removed")
  .option("--orphan-grace <interval>", "how old an unreferenced, never-used file must be to go", "1 hour")
  .option("--json", "print the counts as JSON")
  .action(async (opts: { dryRun?: boolean; orphanGrace: string; json?: boolean }) => {
    const config = readConfig();
    await withSql(config.databaseUrl, async (sql) => {
      const r = await collectGarbage(sql, new BlobStore(config.dataDir, config.imageRoots), { dryRun: !!opts.dryRun, orphanGrace: opts.orphanGrace })
        .catch((err: { code?: string }) => {
          throw ["22007", "22P02", "22015"].includes(err.code ?? "") ? new ConfigError(`--orphan-grace must be an interval such as 1 hour or 30m (got "${opts.orphanGrace}")`) : err;
        });
      const [{ id }] = (await sql`select pgrecall.log_event(${opts.dryRun ? "gc.dry_run" : "gc"}, p_counts => ${sql.json(r as never)}) ::text as id`) as unknown as [{ id: string }];
      if (opts.json) return console.log(JSON.stringify({ ...r, dry_run: !!opts.dryRun, event_id: id }, null, 2));
      const mb = (r.bytes / 1048576).toFixed(1);
      console.log(
        `pgrecall: ${opts.dryRun ? "would purge" : "purged"} ${r.purged} tombstoned frame(s); ${opts.dryRun ? "would remove" : "removed"} ` +
          `${r.released + r.orphans} image file(s) (${r.released} released, ${r.orphans} orphaned; ${mb} MB) and ${r.temporary} leftover temporary file(s); ` +
          `looked at ${r.scanned}, kept ${r.kept} unreferenced for now (claimed or young)`,
      );
    }, { max: 3 });
  });
