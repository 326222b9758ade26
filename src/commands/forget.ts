// `pgrecall forget`: take frames back — purged at once (text, words, vectors, findings, near-
// duplicates, vocabulary, images), or tombstoned with --soft. pgrecall.forget does the work.
import { Command } from "commander";
import { collectGarbage } from "../blob-gc.js";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { confirm, describeRange, selectionError, selectionOptions, selectionParams, toJson, type SelectionOptions } from "../lifecycle.js";
import { BlobStore } from "../store.js";

interface Forgotten {
  frames: number;
  near_duplicates: number;
  findings: number;
  words: number;
  images: number;
  range_from: Date | null;
  range_to: Date | null;
  deployments: string[];
  event_id: string | null;
}

const forget = selectionOptions(
  new Command("forget").description(
    "Forget frames for good: their text, word boxes, vectors, findings, vision descriptions, near-duplicates, the words only they contained and the images no other frame shows. Every filter given must match. With --soft they are only hidden (restore with pgrecall unforget) until gc purges them after tombstone_grace (7 days by default).",
  ),
  "forget",
)
  .option("--soft", "tombstone instead: hidden from search and the API at once, restorable with pgrecall unforget")
  .option("--dry-run", "only count what would be forgotten")
  .option("--yes", "do not ask")
  .option("--json", "print the result as JSON")
  .action(async (opts: SelectionOptions & { soft?: boolean; dryRun?: boolean; yes?: boolean; json?: boolean }) => {
    const config = readConfig();
    await withSql(config.databaseUrl, async (sql) => {
      const p = await selectionParams(sql, opts);
      const call = (dryRun: boolean) =>
        sql<Forgotten[]>`select * from pgrecall.forget(
          p_deployment_id => ${p.deployment}, p_since => ${p.since}, p_until => ${p.until}, p_app => ${p.app},
          p_window => ${p.window}, p_frame_ids => ${p.frames}::uuid[], p_soft => ${!!opts.soft}, p_dry_run => ${dryRun})`
          .then((rows) => rows[0]!)
          .catch((err: unknown) => Promise.reject(selectionError(err)));
      const verb = opts.soft ? "hide" : "forget";
      const preview = await call(true);
      const what = `${preview.frames} frame(s)${preview.near_duplicates ? ` (${preview.near_duplicates} of them near-duplicates)` : ""}` +
        `${describeRange(preview.range_from, preview.range_to)}${preview.deployments.length ? ` of ${preview.deployments.join(", ")}` : ""}` +
        `${preview.findings ? `, with ${preview.findings} secret finding(s)` : ""}`;
      if (opts.dryRun || preview.frames === 0) {
        if (opts.json) return console.log(toJson({ ...preview, dry_run: true }));
        return console.log(preview.frames === 0 ? "pgrecall: nothing to forget" : `pgrecall: would ${verb} ${what}`);
      }
      if (!opts.yes && !(await confirm(`pgrecall: ${verb} ${what}?`))) return console.log("pgrecall: nothing forgotten");
      const done = await call(false);
      // The images no frame shows any more go now, after the forget committed.
      const gc = !opts.soft && done.images > 0 ? await collectGarbage(sql, new BlobStore(config.dataDir, config.imageRoots), { releasedOnly: true }) : null;
      if (opts.json) return console.log(toJson({ ...done, images_removed: gc?.released ?? 0 }));
      console.log(
        opts.soft
          ? `pgrecall: hid ${done.frames} frame(s); restore with pgrecall unforget, purged after tombstone_grace (event ${done.event_id})`
          : `pgrecall: forgot ${done.frames} frame(s) (${done.near_duplicates} near-duplicates), ${done.findings} finding(s), ` +
              `${done.words} vocabulary word(s), ${gc?.released ?? 0} image file(s) (event ${done.event_id})` +
              (gc?.deferred ? `; a backup is copying the store: the ${done.images} image(s) go at the next pgrecall gc` : ""),
      );
    }, { max: 2 });
  });

export default forget;
