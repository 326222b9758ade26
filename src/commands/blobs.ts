// `pgrecall blobs`: the image store's encryption at rest (PGRECALL_BLOB_KEY). `encrypt` and
// `decrypt` convert a store in place, one file at a time, each rewritten crash-safe (temporary
// file, fsync, rename): interrupted, they leave every blob readable and go on where they were
// when run again. No database is needed: blob: references name the plaintext, so none changes.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Command } from "commander";
import cliProgress from "cli-progress";
import { ConfigError, readConfig } from "../config.js";
import { BadImageRef, BlobStore, type BlobFile } from "../store.js";
import { printable } from "../terminal.js";

type Direction = "encrypt" | "decrypt";

interface Tally {
  converted: number;
  already: number;
  corrupt: number;
  gone: number;
  failed: number;
}

async function convertStore(to: Direction, opts: { json?: boolean }): Promise<void> {
  const config = readConfig();
  if (!config.blobKey) {
    throw new ConfigError(`pgrecall blobs ${to} needs the blob key: set PGRECALL_BLOB_KEY (64 hex digits or base64 of 32 bytes) or PGRECALL_BLOB_KEY_FILE (a file holding it).`);
  }
  const store = new BlobStore(config.dataDir, config.imageRoots, config.blobKey);
  const files: BlobFile[] = [];
  for await (const f of store.files()) files.push(f);
  const bar =
    !opts.json && process.stderr.isTTY && files.length > 0
      ? new cliProgress.SingleBar({ format: `${to} [{bar}] {value}/{total} {percentage}% · eta {eta_formatted}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
      : null;
  const tally: Tally = { converted: 0, already: 0, corrupt: 0, gone: 0, failed: 0 };
  const problem = (f: BlobFile, why: string) => {
    if (bar) process.stderr.write("\n");
    if (opts.json) console.log(JSON.stringify({ sha256: f.sha256, path: f.path, error: why }));
    else console.error(`blob ${f.sha256}: ${printable(why)}`);
  };
  bar?.start(files.length, 0);
  try {
    for (const f of files) {
      try {
        const r = await store.convert(f, to);
        if (r === "done") tally.converted++;
        else if (r === "already") tally.already++;
        else if (r === "gone") tally.gone++;
        else {
          tally.corrupt++;
          problem(f, `its contents do not hash to its name (damaged): left as it is, in clear`);
        }
      } catch (err) {
        // A blob another key sealed, or one that fails authentication: the others go on.
        if (!(err instanceof BadImageRef)) throw new Error(`${to}ing ${f.path} failed: ${(err as Error).message} (every blob is still readable; run again to go on)`, { cause: err });
        tally.failed++;
        problem(f, err.message);
      }
      bar?.increment();
    }
  } finally {
    bar?.stop();
  }
  const state = to === "encrypt" ? "encrypted" : "in clear";
  if (opts.json) console.log(JSON.stringify({ [to === "encrypt" ? "encrypted" : "decrypted"]: tally.converted, already: tally.already, damaged: tally.corrupt, removed_meanwhile: tally.gone, failed: tally.failed, key_id: config.blobKey.id }));
  else {
    console.log(
      `pgrecall: ${tally.converted} blobs ${to}ed, ${tally.already} already ${state}, ${tally.gone} removed meanwhile` +
        (tally.corrupt ? `, ${tally.corrupt} damaged (left in clear)` : "") +
        (tally.failed ? `, ${tally.failed} could not be opened with key ${config.blobKey.id} (listed above)` : "") +
        ` — ${store.blobDir}`,
    );
  }
  if (tally.corrupt || tally.failed) process.exitCode = 1;
}

const blobs = new Command("blobs").description(
  "The image store's encryption at rest: with PGRECALL_BLOB_KEY (or PGRECALL_BLOB_KEY_FILE) set, new blobs are written encrypted (AES-256-GCM) and both kinds are read.",
);

blobs
  .command("encrypt")
  .description("Encrypt every blob still in clear with PGRECALL_BLOB_KEY, in place (crash-safe, resumable; already encrypted ones are skipped). Safe while the worker and server run, once they have the key too.")
  .option("--json", "one JSON object per problem, then the counts")
  .action((opts: { json?: boolean }) => convertStore("encrypt", opts));

blobs
  .command("decrypt")
  .description("Write every blob encrypted with PGRECALL_BLOB_KEY back in clear, in place (the way back: afterwards the key may be dropped).")
  .option("--json", "one JSON object per problem, then the counts")
  .action((opts: { json?: boolean }) => convertStore("decrypt", opts));

blobs
  .command("key")
  .description("Make a new random blob key (64 hex digits): printed, or written to a new owner-only file for PGRECALL_BLOB_KEY_FILE.")
  .option("--file <path>", "write it to this new file (mode 0600; an existing file is never overwritten)")
  .action((opts: { file?: string }) => {
    const key = randomBytes(32).toString("hex");
    if (!opts.file) return void console.log(key);
    try {
      writeFileSync(opts.file, key + "\n", { mode: 0o600, flag: "wx" });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError(code === "EEXIST" ? `${opts.file} exists already: a key file is never overwritten (its blobs would be lost)` : `cannot write ${opts.file}: ${(err as Error).message}`);
    }
    console.log(`pgrecall: a new blob key is in ${opts.file}; set PGRECALL_BLOB_KEY_FILE=${opts.file} for the worker, the server and ingest, and keep a copy elsewhere: without it the encrypted images are lost`);
  });

export default blobs;
