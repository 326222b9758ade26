// `pgrecall ingest`: image files → the image store → frames, deduplicated at insert.
import { Command } from "commander";
import cliProgress from "cli-progress";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";
import { collectFiles, ingestFile, type IngestResult } from "../ingest.js";
import { watchCommand } from "../capture/watch.js";
import { BlobStore } from "../store.js";
import { printable } from "../terminal.js";

interface IngestOpts {
  deployment: string;
  app?: string;
  window?: string;
  capturedAt?: string;
  json?: boolean;
  watch?: boolean;
}

export default new Command("ingest")
  .description("Store images (files, or directories searched recursively) and insert a frame for each, deduplicated at insert. Safe to re-run: the same image at the same time is the same frame.")
  .argument("<paths...>", "image files or directories")
  .requiredOption("--deployment <id>", "the deployment (machine or user) the frames belong to")
  .option("--app <name>", "app_name for every frame")
  .option("--window <title>", "window_title for every frame")
  .option("--captured-at <time>", "ISO time for every frame (default: each file's modification time)")
  .option("--json", "print one JSON object per file: path, frame_id, duplicate_of, existing (and error)")
  .option("--watch", "keep running on one directory: each image file that appears in it is ingested once, when fully written, with its file time (Ctrl-C stops)")
  .action(async (paths: string[], opts: IngestOpts) => {
    if (opts.watch) return watchCommand(paths, opts);
    const config = readConfig();
    const capturedAt = opts.capturedAt === undefined ? undefined : parseTime(opts.capturedAt);
    const { files, errors } = await collectFiles(paths);
    const store = new BlobStore(config.dataDir, config.imageRoots);
    const bar =
      !opts.json && process.stderr.isTTY
        ? new cliProgress.SingleBar({ format: "ingest [{bar}] {value}/{total} {percentage}% · eta {eta_formatted}", stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
        : null;
    const report = (r: IngestResult) => {
      if (opts.json) console.log(JSON.stringify(r));
      else if (r.error) {
        if (bar) process.stderr.write("\n");
        console.error(`skipped ${printable(r.path)}: ${printable(r.error)}`);
      }
    };
    const tally = { failed: errors.length, dups: 0, existing: 0, inserted: 0, excluded: 0 };
    errors.forEach(report);
    bar?.start(files.length, 0);
    try {
      await withSql(config.databaseUrl, async (sql) => {
        for (const f of files) {
          const r = await ingestFile(sql, store, f, { deployment: opts.deployment, app: opts.app, window: opts.window, capturedAt });
          if (r.error) tally.failed++;
          else if (r.existing) tally.existing++;
          else {
            tally.inserted++;
            if (r.duplicate_of) tally.dups++;
            if (r.excluded) tally.excluded++;
          }
          report(r);
          bar?.increment();
        }
      });
    } finally {
      bar?.stop();
    }
    if (!opts.json) console.log(`pgrecall: ${tally.inserted} frames inserted (${tally.dups} near-duplicates, ${tally.excluded} excluded: image not kept), ${tally.existing} already present, ${tally.failed} skipped`);
    if (tally.failed) process.exitCode = 1;
  });

function parseTime(raw: string): Date {
  const t = new Date(raw);
  if (Number.isNaN(t.getTime())) throw new ConfigError(`--captured-at "${raw}" is not a time; use ISO 8601, e.g. 2026-11-21T10:41:02Z.`);
  return t;
}
