// `pgrecall retention`: apply the retention settings now (the worker's cron task does it every 10 minutes).
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { toJson } from "../lifecycle.js";
import { runRetention } from "../retention.js";
import { BlobStore } from "../store.js";

const WHAT: Record<string, string> = {
  frames: "frames purged (keep_frames_for)",
  text: "frames' text removed (keep_text_for)",
  images: "frames' images removed (keep_images_for)",
  storage: "frames' images removed (max_storage)",
};

export default new Command("retention")
  .description(
    "Apply each deployment's retention settings (pgrecall.settings: keep_images_for, keep_text_for, keep_frames_for, max_storage) now, in small batches, and print what was removed.",
  )
  .option("--deployment <id>", "only this deployment")
  .option("--dry-run", "only count what is due")
  .option("--json", "print the totals as JSON")
  .action(async (opts: { deployment?: string; dryRun?: boolean; json?: boolean }) => {
    const config = readConfig();
    await withSql(config.databaseUrl, async (sql) => {
      const r = await runRetention(sql, new BlobStore(config.dataDir, config.imageRoots), { dryRun: !!opts.dryRun, deployment: opts.deployment });
      if (opts.json) return console.log(toJson({ ...r, dry_run: !!opts.dryRun }));
      if (!r.rows.length) return console.log("pgrecall: retention: nothing is due");
      for (const x of r.rows) {
        const more = opts.dryRun && x.more ? "+" : "";
        const extra = [x.findings && `${x.findings} finding(s)`, x.words && `${x.words} vocabulary word(s)`, x.bytes && `${(x.bytes / 1048576).toFixed(1)} MB`]
          .filter(Boolean).join(", ");
        console.log(`${x.deployment_id}: ${x.frames}${more} ${WHAT[x.kind] ?? x.kind}${extra ? ` (${extra})` : ""}`);
      }
      console.log(opts.dryRun ? "pgrecall: dry run, nothing removed" : `pgrecall: retention done, ${r.files} image file(s) removed (event ${r.eventId})`);
    }, { max: 3 });
  });
