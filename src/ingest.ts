// `pgrecall ingest`: images on disk → the image store → frames, with phash and tile hashes
// computed here so dedup happens at insert. Bad files are reported and skipped.
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { clientText, int8ArrayLiteral, type Sql } from "./db.js";
import { putClaimed } from "./blob-gc.js";
import { hashImage } from "./engines/hasher.js";
import { blobRefOf, IMAGE_TYPES, type BlobStore } from "./store.js";


export interface IngestOptions {
  deployment: string;
  app?: string;
  window?: string;
  /** Overrides each file's modification time. */
  capturedAt?: Date;
}

export interface IngestResult {
  path: string;
  frame_id: string | null;
  duplicate_of: string | null;
  /** The frame already existed (same deployment, time and image): nothing inserted. */
  existing?: boolean;
  /** An exclusion rule matched (its reason): the image was not stored, the frame keeps only time, deployment and app. */
  excluded?: string;
  error?: string;
}

/** Files to ingest: the given files, and image files found recursively in given directories, sorted. */
export async function collectFiles(paths: string[]): Promise<{ files: string[]; errors: IngestResult[] }> {
  const files: string[] = [];
  const errors: IngestResult[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && extname(e.name).toLowerCase() in IMAGE_TYPES) files.push(p);
    }
  };
  for (const raw of paths) {
    const p = resolve(raw);
    try {
      const s = await stat(p);
      if (s.isDirectory()) await walk(p);
      else files.push(p);
    } catch (err) {
      errors.push({ path: p, frame_id: null, duplicate_of: null, error: (err as Error).message });
    }
  }
  return { files, errors };
}

export async function ingestFile(sql: Sql, store: BlobStore, path: string, o: IngestOptions): Promise<IngestResult> {
  try {
    const [data, info] = await Promise.all([readFile(path), stat(path)]);
    if (data.length === 0) throw new Error("empty file (0 bytes)");
    const capturedAt = o.capturedAt ?? info.mtime;
    const app = clientText(o.app);
    const title = clientText(o.window);
    // The image's content address is the capture key: the same image for the same deployment
    // and time is the same frame, however many ingests run (pgrecall.insert_frame).
    const key = blobRefOf(data);
    // An excluded screen's image is never stored; the frame records only that it was excluded.
    const [{ excluded }] = (await sql`select pgrecall.exclusion_for(${o.deployment}, ${app}, ${title}) as excluded`) as unknown as [{ excluded: string | null }];
    let image: { ref: string | null; phash: bigint | null; tiles: bigint[] | null } = { ref: null, phash: null, tiles: null };
    if (!excluded) {
      const h = await hashImage(data).catch((err: Error) => {
        throw new Error(`not a readable image: ${err.message}`, { cause: err });
      });
      // Claimed first: a gc running meanwhile cannot take the file this frame is about to reference.
      const blob = await putClaimed(sql, store, data, extname(path).slice(1) || "img");
      image = { ref: blob.ref, phash: h.phash, tiles: h.tileHashes };
    }
    const [row] = await sql<{ frame_id: string; duplicate_of: string | null; existing: boolean }[]>`
      select * from pgrecall.insert_frame(
        p_deployment_id => ${o.deployment}, p_captured_at => ${capturedAt}, p_image_ref => ${image.ref},
        p_capture_key => ${key}, p_app_name => ${app}, p_window_title => ${title},
        p_phash => ${image.phash}, p_tile_hashes => ${int8ArrayLiteral(image.tiles)}::bigint[])`;
    return {
      path, frame_id: row!.frame_id, duplicate_of: row!.duplicate_of,
      ...(row!.existing ? { existing: true } : {}), ...(excluded ? { excluded } : {}),
    };
  } catch (err) {
    return { path, frame_id: null, duplicate_of: null, error: (err as Error).message };
  }
}
