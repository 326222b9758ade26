// Blob gc (issue 11.3): the image files no frame references, removed safely (the protocol is in
// sql/110_blob_gc.sql). SQL decides, blob by blob under its advisory lock and in its own
// transaction; a file is removed only after that transaction committed, and while the lock still
// keeps a writer of the same bytes waiting (pgrecall.claim_blob), so a new frame never loses its image.
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Sql } from "./db.js";
import { BLOB_PREFIX, blobRefOf, type BlobStore } from "./store.js";

/** The first key of every blob's advisory lock ('pgrl'); the second is pgrecall._blob_lock(ref). */
export const BLOB_LOCK_CLASS = 1886545260;
/** The store's own lock (class 'pgrl', key 0): a backup shares it while it copies, gc holds it for its pass. */
export const STORE_LOCK_KEY = 0;

/** Claims a blob in the database, then stores it: gc leaves it alone until a frame references it. */
export async function putClaimed(sql: Sql, store: BlobStore, data: Buffer, ext: string): ReturnType<BlobStore["put"]> {
  await sql`select pgrecall.claim_blob(${blobRefOf(data)})`;
  return store.put(data, ext);
}

export interface GcOptions {
  dryRun?: boolean;
  /** How old a never-referenced file (or a writer's claim) must be before it goes, as a PostgreSQL interval. */
  orphanGrace?: string;
  /** Only the blobs a forget or retention released (no walk of the store, no purge of tombstones). */
  releasedOnly?: boolean;
  /** Called once a file was removed (tests use it to interleave a writer). */
  onRemoved?: (ref: string) => void | Promise<void>;
}

export interface GcResult {
  /** A backup was copying the store: nothing was removed (releasedOnly passes do not wait for it). */
  deferred?: boolean;
  /** Tombstoned frames purged (their tombstone_grace had passed). */
  purged: number;
  /** Blob files looked at in the store. */
  scanned: number;
  /** Removed (or, dry run, would be): released by a forget or retention, and orphans. */
  released: number;
  orphans: number;
  bytes: number;
  /** Left alone: a frame references them again, a writer claimed them, or they are younger than the grace. */
  kept: number;
  /** Leftover temporary files of interrupted writes, removed. */
  temporary: number;
}

interface Candidate {
  ref: string;
  path: string | null;
  bytes: number;
  ageMs: number | null;
}

/** One pass: released blobs first (they need no walk), then every file of the store. */
export async function collectGarbage(sql: Sql, store: BlobStore, o: GcOptions = {}): Promise<GcResult> {
  const grace = o.orphanGrace ?? "1 hour";
  const [{ graceMs }] = (await sql`select extract(epoch from ${grace}::interval) * 1000 as "graceMs"`) as unknown as [{ graceMs: number }];
  const result: GcResult = { purged: 0, scanned: 0, released: 0, orphans: 0, bytes: 0, kept: 0, temporary: 0 };
  const seen = new Set<string>();
  // Tombstones past their grace are purged first (in batches): their images join the released.
  while (!o.releasedOnly) {
    const [p] = await sql<{ frames: number }[]>`select frames from pgrecall.purge_tombstoned(1000, ${!!o.dryRun})`;
    result.purged += p!.frames;
    if (o.dryRun || p!.frames < 1000) break;
  }
  const conn = await sql.reserve();
  try {
    // A backup copies the store after its dump: no file the dump references may go meanwhile.
    if (o.releasedOnly) {
      const [{ ok }] = (await conn`select pg_try_advisory_lock(${BLOB_LOCK_CLASS}, ${STORE_LOCK_KEY}) as ok`) as unknown as [{ ok: boolean }];
      if (!ok) return { ...result, deferred: true };
    } else {
      await conn`select pg_advisory_lock(${BLOB_LOCK_CLASS}, ${STORE_LOCK_KEY})`;
    }
    const decide = async (c: Candidate) => {
      if (seen.has(c.ref)) return;
      seen.add(c.ref);
      await conn`select pg_advisory_lock(${BLOB_LOCK_CLASS}, pgrecall._blob_lock(${c.ref}))`;
      try {
        const [{ verdict }] = (await conn`
          select pgrecall.collect_blob(${c.ref}, ${c.ageMs === null ? null : `${Math.floor(c.ageMs)} milliseconds`}::interval,
                                       ${grace}::interval, ${!!o.dryRun}) as verdict`) as unknown as [{ verdict: string }];
        if (verdict !== "released" && verdict !== "orphan") {
          result.kept++;
          return;
        }
        // collect_blob has committed: the blob is forgotten; its file goes while the lock holds writers back.
        if (!o.dryRun) {
          if (c.path) await rm(c.path, { force: true });
          else await store.remove(c.ref);
          await o.onRemoved?.(c.ref);
        }
        result[verdict === "released" ? "released" : "orphans"]++;
        result.bytes += c.bytes;
      } finally {
        await conn`select pg_advisory_unlock(${BLOB_LOCK_CLASS}, pgrecall._blob_lock(${c.ref}))`;
      }
    };

    const released = await sql<{ ref: string }[]>`select ref from pgrecall.blob_releases order by released_at`;
    for (const { ref } of released) {
      const path = await store.find(ref.slice(BLOB_PREFIX.length));
      const bytes = path ? await stat(path).then((s) => s.size, () => 0) : 0;
      await decide({ ref, path, bytes, ageMs: null });
    }

    if (o.releasedOnly) return result;
    const now = Date.now();
    let batch: Candidate[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const refs = batch.map((c) => c.ref);
      await sql`select pgrecall.record_blob_sizes(${refs}::text[], ${batch.map((c) => c.bytes)}::bigint[])`;
      const unreferenced = new Set((await sql<{ r: string }[]>`select r from pgrecall.gc_candidates(${refs}::text[]) r`).map((x) => x.r));
      for (const c of batch) if (unreferenced.has(c.ref)) await decide(c);
      batch = [];
    };
    for await (const f of store.files()) {
      const info = await stat(f.path).catch(() => null);
      if (!info) continue; // removed meanwhile
      result.scanned++;
      batch.push({ ref: BLOB_PREFIX + f.sha256, path: f.path, bytes: info.size, ageMs: now - info.mtimeMs });
      if (batch.length >= 500) await flush();
    }
    await flush();
    result.temporary = await removeTemporaryFiles(store, graceMs, !!o.dryRun);
  } finally {
    await conn`select pg_advisory_unlock_all()`.catch(() => undefined);
    conn.release();
  }
  return result;
}

/** `.<sha256>.<random>.tmp` files an interrupted write left in the shard folders, older than the grace. */
async function removeTemporaryFiles(store: BlobStore, graceMs: number, dryRun: boolean): Promise<number> {
  const list = (dir: string) => readdir(dir).catch(() => [] as string[]);
  let n = 0;
  for (const a of await list(store.blobDir)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await list(join(store.blobDir, a))) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      const dir = join(store.blobDir, a, b);
      for (const name of await list(dir)) {
        if (!/^\.[0-9a-f]{64}\.[0-9a-f]+\.tmp$/.test(name)) continue;
        const info = await stat(join(dir, name)).catch(() => null);
        if (!info || Date.now() - info.mtimeMs < graceMs) continue;
        if (!dryRun) await rm(join(dir, name), { force: true });
        n++;
      }
    }
  }
  return n;
}
