// `pgrecall backup DIR`: the database (pg_dump, custom format) and the blob store, consistent.
import { Command } from "commander";
import { backup } from "../backup.js";
import { readConfig } from "../config.js";
import { toJson } from "../lifecycle.js";
import { BlobStore } from "../store.js";

export default new Command("backup")
  .description("Back up the database (pg_dump's custom format) and the image store into a new or empty folder, consistent with each other (gc waits meanwhile). Sealed blobs stay sealed: keep the blob key apart.")
  .argument("<dir>", "a new or empty folder")
  .option("--json", "print the manifest as JSON")
  .action(async (dir: string, opts: { json?: boolean }) => {
    const config = readConfig();
    const m = await backup(config.databaseUrl, new BlobStore(config.dataDir, config.imageRoots), dir);
    if (opts.json) return console.log(toJson(m));
    console.log(`pgrecall: backed up ${m.frames} frame(s) and ${m.blob_files} image file(s) (${(m.blob_bytes / 1048576).toFixed(1)} MB) into ${dir}`);
  });
