// `pgrecall import screenpipe [DIR]`: a Screenpipe history → frames (src/import/screenpipe.ts).
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import cliProgress from "cli-progress";
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { Redactor } from "../engines/redactor.js";
import { importScreenpipe, type ImportedFrame, type ImportTally } from "../import/screenpipe.js";
import { loadSecretKey } from "../secret-key.js";
import { BlobStore } from "../store.js";
import { printable } from "../terminal.js";

interface ScreenpipeOpts {
  deployment?: string;
  reocr?: boolean;
  json?: boolean;
}

const screenpipe = new Command("screenpipe")
  .description(
    "Import a Screenpipe history: every frame with its time, app, window, browser URL and device, its image (JPEG snapshot, or the frame of its video chunk, extracted with ffmpeg) and Screenpipe's OCR text (recorded as OCR done, engine noted). " +
      "Reads db.sqlite in place, read-only (rows still in db.sqlite-wal included). Deduplication, exclusion rules and secret redaction apply as to any capture. Safe to re-run and to resume: frames already imported are skipped before their media is read.",
  )
  .argument("[dir]", "Screenpipe's data folder (db.sqlite, data/)", join(homedir(), ".screenpipe"))
  .option("--deployment <id>", "the deployment of every frame (default: each frame's device, e.g. monitor_1)")
  .option("--reocr", "ignore Screenpipe's text: pgrecall's worker runs its own OCR on each imported frame")
  .option("--json", "print one JSON object per frame: screenpipe_id, frame_id, outcome (inserted, duplicate, excluded, existing, merged, failed), no_image, error")
  .action(async (dir: string, opts: ScreenpipeOpts) => {
    const config = readConfig();
    const store = new BlobStore(config.dataDir, config.imageRoots);
    const redactor = new Redactor(() => loadSecretKey(config.dataDir, config.secretKey, { create: true }));
    const bar =
      !opts.json && process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { format: "import [{bar}] {value}/{total} {percentage}% · eta {eta_formatted} · {inserted} new, {existing} already there, {failed} failed", stream: process.stderr, hideCursor: true },
            cliProgress.Presets.shades_classic,
          )
        : null;
    const say = (line: string) => {
      if (bar) process.stderr.write("\n");
      console.error(line);
    };
    let tally: ImportTally;
    const started = Date.now();
    try {
      tally = await withSql(config.databaseUrl, (sql) =>
        importScreenpipe(sql, store, redactor, {
          dir: resolve(dir), deployment: opts.deployment, reocr: opts.reocr,
          onStart: (total, schema) => {
            if (!opts.json) console.error(`pgrecall: ${total} Screenpipe frames in ${printable(resolve(dir))} (${schema})`);
            bar?.start(total, 0, { inserted: 0, existing: 0, failed: 0 });
          },
          onFrame: (r: ImportedFrame, t: ImportTally) => {
            if (opts.json) console.log(JSON.stringify(r));
            else if (r.error) say(`frame ${r.screenpipe_id} skipped: ${printable(r.error)}`);
            else if (r.no_image) say(`frame ${r.screenpipe_id} imported without its image: ${printable(r.no_image)}`);
            bar?.update(t.seen, { inserted: t.inserted, existing: t.existing, failed: t.failed });
          },
        }),
      );
    } finally {
      bar?.stop();
    }
    const secs = (Date.now() - started) / 1000;
    if (!opts.json) {
      console.log(
        `pgrecall: ${tally.inserted} frames imported (${tally.duplicates} near-duplicates, ${tally.excluded} excluded: nothing kept but time and app, ` +
          `${tally.withoutImage} without their image, ${tally.merged} more windows of a capture merged into its frame), ${tally.ocrImported} with Screenpipe's OCR text${tally.redacted ? ` (${tally.redacted} with secrets redacted)` : ""}, ` +
          `${tally.existing} already present, ${tally.failed} failed; ${(tally.seen / Math.max(secs, 0.001)).toFixed(1)} frames/s`,
      );
    }
    if (tally.failed) process.exitCode = 1;
  });

export default new Command("import")
  .description("Import the history of another screen-memory tool (Screenpipe).")
  .addCommand(screenpipe.showHelpAfterError());
