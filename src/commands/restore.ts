// `pgrecall restore DIR`: a backup into an empty database and an empty data dir.
import { Command } from "commander";
import { restore } from "../backup.js";
import { readConfig } from "../config.js";
import { toJson } from "../lifecycle.js";
import { BlobStore } from "../store.js";

export default new Command("restore")
  .description("Restore a pgrecall backup into the (new or empty) database of DATABASE_URL and the (empty) data dir, then check that every image the frames reference is there.")
  .argument("<dir>", "a folder written by pgrecall backup")
  .option("--json", "print the result as JSON")
  .action(async (dir: string, opts: { json?: boolean }) => {
    const config = readConfig();
    const r = await restore(dir, config.databaseUrl, new BlobStore(config.dataDir, config.imageRoots));
    if (opts.json) return console.log(toJson(r));
    console.log(`pgrecall: restored ${r.frames} frame(s) and ${r.images} image(s)${r.missing.length ? `; ${r.missing.length} image(s) the frames reference are missing` : ", every image present"}`);
    if (r.missing.length) process.exitCode = 1;
  });
