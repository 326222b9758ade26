// `pgrecall ingest --watch DIR`: screenshots another tool writes into a folder (a screencapture
// loop, Flameshot, ShareX) go in as they arrive, with the file's time as the capture time.
// Each once: ingestFile names a frame by its image and time, so a file seen twice (a rename,
// a restart that rescans the folder) is the same frame. A file is read only once its size has
// stopped changing, so a screenshot still being written is never taken half.
import { watch, type FSWatcher } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { ConfigError, readConfig } from "../config.js";
import { withSql, type Sql } from "../db.js";
import { collectFiles, ingestFile, type IngestOptions, type IngestResult } from "../ingest.js";
import { BlobStore, IMAGE_TYPES } from "../store.js";
import { printable } from "../terminal.js";

export interface WatchOptions extends IngestOptions {
  /** How long a file's size must stay the same before it is read (default 500 ms). */
  settleMs?: number;
  onResult: (r: IngestResult) => void;
  signal: AbortSignal;
}

const wanted = (path: string) => {
  const name = basename(path);
  return !name.startsWith(".") && !name.endsWith("~") && extname(name).toLowerCase() in IMAGE_TYPES;
};

/** Ingests what is in `dir` now, then every image file that appears in it (recursively), until the signal. */
export async function watchFolder(sql: Sql, store: BlobStore, dir: string, o: WatchOptions): Promise<void> {
  const settle = o.settleMs ?? 500;
  const pending = new Map<string, NodeJS.Timeout>();
  let queue = Promise.resolve();
  const ingest = (path: string) => {
    queue = queue.then(async () => {
      if (!o.signal.aborted) o.onResult(await ingestFile(sql, store, path, o));
    });
  };
  // Waits until two looks, `settle` apart, find the same size and time (a writer has finished).
  const settleThen = (path: string, last?: string) => {
    clearTimeout(pending.get(path));
    pending.set(path, setTimeout(async () => {
      const s = await stat(path).catch(() => null);
      if (!s || !s.isFile()) return void pending.delete(path); // gone again (a temporary name)
      const now = `${s.size}:${s.mtimeMs}`;
      if (now !== last || s.size === 0) return settleThen(path, now);
      pending.delete(path);
      ingest(path);
    }, settle));
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { recursive: true }, (_event, name) => {
      if (name && wanted(String(name))) settleThen(join(dir, String(name)));
    });
  } catch (err) {
    throw new Error(`cannot watch ${dir}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const { files, errors } = await collectFiles([dir]);
    errors.forEach(o.onResult);
    for (const f of files) if (wanted(f)) ingest(f);
    await new Promise<void>((resolve) => (o.signal.aborted ? resolve() : o.signal.addEventListener("abort", () => resolve(), { once: true })));
  } finally {
    watcher.close();
    for (const t of pending.values()) clearTimeout(t);
    await queue;
  }
}

/** `pgrecall ingest --watch DIR` as the command runs it: one line per file (JSON with --json), until Ctrl-C. */
export async function watchCommand(paths: string[], o: { deployment: string; app?: string; window?: string; json?: boolean }): Promise<void> {
  if (paths.length !== 1 || !(await stat(paths[0]!).then((s) => s.isDirectory(), () => false))) {
    throw new ConfigError(`--watch takes one directory (got ${paths.map((p) => `"${p}"`).join(", ")})`);
  }
  const config = readConfig();
  const store = new BlobStore(config.dataDir, config.imageRoots);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const tally = { inserted: 0, existing: 0, failed: 0 };
  console.error(`pgrecall: watching ${printable(paths[0]!)} (Ctrl-C stops)`);
  try {
    await withSql(config.databaseUrl, (sql) =>
      watchFolder(sql, store, paths[0]!, {
        deployment: o.deployment, app: o.app, window: o.window, signal: stop.signal,
        onResult: (r) => {
          if (r.error) tally.failed++;
          else if (r.existing) tally.existing++;
          else tally.inserted++;
          if (o.json) console.log(JSON.stringify(r));
          else if (r.error) console.error(`skipped ${printable(r.path)}: ${printable(r.error)}`);
          else if (!r.existing) console.error(`${printable(r.path)} → frame ${r.frame_id}${r.duplicate_of ? ` (near-duplicate of ${r.duplicate_of})` : ""}${r.excluded ? ` (excluded: ${printable(r.excluded)})` : ""}`);
        },
      }),
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (!o.json) console.log(`pgrecall: ${tally.inserted} frames inserted, ${tally.existing} already present, ${tally.failed} skipped`);
}
