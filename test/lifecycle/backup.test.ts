// pgrecall backup / restore: a round trip into a new database and data dir finds what it found,
// with every image; a restore into anything non-empty is refused and changes nothing.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { backup, restore } from "../../src/backup.js";
import { BlobStore } from "../../src/store.js";
import { withDatabase } from "../helpers/server.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-backup-"));
const target = `pgrecall_t_restore_${randomBytes(4).toString("hex")}`;
const cli = (args: string[], env: Record<string, string>) =>
  run("node", ["bin/pgrecall.js", ...args], { env: { ...process.env, ...env } }).then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

afterAll(async () => {
  const admin = postgres(withDatabase(db.url, "postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${target}" with (force)`);
  await admin.end();
});

describe("backup and restore", () => {
  it("round trip: counts equal, search finds what it found, every image there; non-empty targets refused", async () => {
    const src = { DATABASE_URL: db.url, PGRECALL_DATA_DIR: join(root, "data") };
    for (const [i, color] of ["#112233", "#445566"].entries()) {
      const shot = join(root, `s${i}.png`);
      writeFileSync(shot, await sharp({ create: { width: 64, height: 48, channels: 3, background: color } }).png().toBuffer());
      expect((await cli(["ingest", shot, "--deployment", "home", "--window", `window ${i}`], src)).code).toBe(0);
    }
    const [f] = await db.sql`select id from pgrecall.frames order by window_title limit 1`;
    await db.sql`select pgrecall.frame_ocr_done(${f!.id}, 'penguin migration notes', 90, '[]'::jsonb, null, null)`;
    const found = async (url: string) => {
      const s = postgres(url, { max: 1, onnotice: () => {} });
      try {
        return (await s`select frame_id from pgrecall.search_frames('penguin', p_mode => 'fts')`).map((r) => r.frame_id);
      } finally {
        await s.end();
      }
    };
    expect(await found(db.url)).toEqual([f!.id]);

    const dir = join(root, "backup");
    const b = await cli(["backup", dir, "--json"], src);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ frames: 2, images: 2, blob_files: 2 });
    await expect(backup(db.url, new BlobStore(src.PGRECALL_DATA_DIR, [], null), dir)).rejects.toThrow(/is not empty/);

    const dst = { DATABASE_URL: withDatabase(db.url, target), PGRECALL_DATA_DIR: join(root, "restored") };
    const r = await cli(["restore", dir, "--json"], dst);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ frames: 2, images: 2, missing: [] });
    expect(await found(dst.DATABASE_URL)).toEqual([f!.id]);
    const t = postgres(dst.DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      const counts = async (s: postgres.Sql) => (await s`select (select count(*) from pgrecall.frames)::int as f, (select count(*) from pgrecall.search_words)::int as w`)[0];
      expect(await counts(t)).toEqual(await counts(db.sql as unknown as postgres.Sql));
      expect((await t`select action from pgrecall.events order by id desc limit 1`)[0]!.action).toBe("restore");
    } finally {
      await t.end();
    }
    // again into the same (now non-empty) database, or into a data dir that has blobs: refused
    const restored = new BlobStore(dst.PGRECALL_DATA_DIR, [], null);
    await expect(restore(dir, dst.DATABASE_URL, restored)).rejects.toThrow(/blob store .* is not empty/);
    const fresh = join(root, "fresh");
    mkdirSync(fresh);
    await expect(restore(dir, dst.DATABASE_URL, new BlobStore(fresh, [], null))).rejects.toThrow(/database .* is not empty/);
    await expect(restore(join(root, "nothing"), dst.DATABASE_URL, restored)).rejects.toThrow(/holds no pgrecall backup/);
  });
});
