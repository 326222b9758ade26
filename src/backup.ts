// Backup and restore (issue 11.5): the database (pg_dump's custom format) and the blob store,
// consistent with each other. The dump is taken first (one snapshot); the blob store is copied
// after it, while gc is held off (it waits for the backup's lock), so every image the snapshot
// references is still there to copy. Blobs written meanwhile are copied too or not: either way
// harmless (an extra file is an orphan gc removes after its grace).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { BLOB_LOCK_CLASS, STORE_LOCK_KEY } from "./blob-gc.js";
import { ConfigError } from "./config.js";
import { connect, ensureDatabase, type Sql } from "./db.js";
import { BLOB_PREFIX, BlobStore } from "./store.js";

const run = promisify(execFile);

export interface Manifest {
  format: "pgrecall-backup-1";
  created_at: string;
  database: string;
  frames: number;
  /** Distinct blob: references the dumped frames hold. */
  images: number;
  blob_files: number;
  blob_bytes: number;
  dump_sha256: string;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw err;
  }
}

async function copyTree(from: string, to: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const entries = await readdir(from, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? [] : Promise.reject(err)));
  for (const e of entries) {
    if (e.name.endsWith(".tmp")) continue; // a write in progress
    const src = join(from, e.name);
    if (e.isDirectory()) {
      await mkdir(join(to, e.name), { recursive: true, mode: 0o700 });
      const sub = await copyTree(src, join(to, e.name));
      files += sub.files;
      bytes += sub.bytes;
    } else if (e.isFile()) {
      await copyFile(src, join(to, e.name)).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? undefined : Promise.reject(err)));
      files++;
      bytes += (await stat(join(to, e.name)).catch(() => ({ size: 0 }))).size;
    }
  }
  return { files, bytes };
}

const sha256File = async (path: string) => createHash("sha256").update(await readFile(path)).digest("hex");

export async function backup(databaseUrl: string, store: BlobStore, dir: string): Promise<Manifest> {
  if (!(await isEmptyDir(dir))) throw new ConfigError(`${dir} is not empty: back up into a new or empty folder`);
  await mkdir(join(dir, "blobs"), { recursive: true, mode: 0o700 });
  const sql = connect(databaseUrl, { max: 2 });
  const conn = await sql.reserve();
  try {
    // Held until the blobs are copied: gc waits, so nothing the dump references is removed meanwhile.
    await conn`select pg_advisory_lock_shared(${BLOB_LOCK_CLASS}, ${STORE_LOCK_KEY})`;
    const dump = join(dir, "pgrecall.dump");
    await run("pg_dump", ["--format=custom", "--file", dump, "--dbname", databaseUrl], { maxBuffer: 64 << 20 }).catch((err: Error & { stderr?: string }) => {
      throw new Error(`pg_dump failed: ${(err.stderr || err.message).trim()}`, { cause: err });
    });
    const copied = await copyTree(store.blobDir, join(dir, "blobs"));
    await conn`select pg_advisory_unlock_shared(${BLOB_LOCK_CLASS}, ${STORE_LOCK_KEY})`;
    const [counts] = await sql<{ frames: number; images: number }[]>`
      select count(*)::int as frames, count(distinct image_ref) filter (where image_ref like 'blob:sha256:%')::int as images from pgrecall.frames`;
    const manifest: Manifest = {
      format: "pgrecall-backup-1", created_at: new Date().toISOString(), database: new URL(databaseUrl).pathname.slice(1),
      frames: counts!.frames, images: counts!.images, blob_files: copied.files, blob_bytes: copied.bytes, dump_sha256: await sha256File(dump),
    };
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
    await sql`select pgrecall.log_event('backup', p_counts => ${sql.json({ frames: manifest.frames, images: manifest.images, blob_files: manifest.blob_files, blob_bytes: manifest.blob_bytes })})`;
    return manifest;
  } finally {
    conn.release();
    await sql.end({ timeout: 5 });
  }
}

export interface RestoreResult {
  manifest: Manifest;
  frames: number;
  images: number;
  /** blob: references of restored frames whose file is not in the restored store. */
  missing: string[];
}

export async function restore(dir: string, databaseUrl: string, store: BlobStore): Promise<RestoreResult> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
  } catch (err) {
    throw new ConfigError(`${dir} holds no pgrecall backup (manifest.json: ${(err as Error).message})`);
  }
  if (manifest.format !== "pgrecall-backup-1") throw new ConfigError(`${dir}: unknown backup format "${String(manifest.format)}"`);
  const dump = join(dir, "pgrecall.dump");
  if ((await sha256File(dump).catch(() => null)) !== manifest.dump_sha256) throw new ConfigError(`${dump} is missing or does not match its manifest (damaged backup)`);
  if (!(await isEmptyDir(store.blobDir))) throw new ConfigError(`the data dir's blob store ${store.blobDir} is not empty: restore into an empty data dir`);
  await ensureDatabase(databaseUrl);
  const sql = connect(databaseUrl, { max: 1 });
  try {
    const [used] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and c.relkind in ('r', 'v', 'm', 'S', 'p')`;
    if (used!.n > 0) throw new ConfigError(`the database ${new URL(databaseUrl).pathname.slice(1)} is not empty (${used!.n} tables, views or sequences): restore into a new or empty database`);
    // The groups the dump grants to live in the cluster, not the dump.
    for (const role of ["pgrecall_capture", "pgrecall_reader", "pgrecall_worker"]) {
      await sql.unsafe(`do $$ begin if not exists (select 1 from pg_roles where rolname = '${role}') then create role ${role} nologin; end if; end $$`);
    }
    await run("pg_restore", ["--exit-on-error", "--no-owner", "--dbname", databaseUrl, dump], { maxBuffer: 64 << 20 }).catch((err: Error & { stderr?: string }) => {
      throw new Error(`pg_restore failed: ${(err.stderr || err.message).trim()}`, { cause: err });
    });
    await mkdir(store.blobDir, { recursive: true, mode: 0o700 });
    await copyTree(join(dir, "blobs"), store.blobDir);
    const refs = await sql<{ image_ref: string }[]>`select distinct image_ref from pgrecall.frames where image_ref like 'blob:sha256:%'`;
    const missing: string[] = [];
    for (const { image_ref } of refs) if (!(await store.find(image_ref.slice(BLOB_PREFIX.length)))) missing.push(image_ref);
    const [{ frames }] = (await sql`select count(*)::int as frames from pgrecall.frames`) as unknown as [{ frames: number }];
    await sql`select pgrecall.log_event('restore', p_counts => ${sql.json({ frames, images: refs.length, missing: missing.length })},
                                        p_details => ${sql.json({ backup_created_at: manifest.created_at, from_database: manifest.database })})`;
    return { manifest, frames, images: refs.length, missing };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
