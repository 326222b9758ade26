// Blob gc: released images go once the forget committed, orphans after their grace, and a
// capture of the same bytes running at the same moment never loses its image.
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { collectGarbage } from "../../src/blob-gc.js";
import { ingestFile } from "../../src/ingest.js";
import { BLOB_PREFIX, BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-gc-"));
const store = new BlobStore(join(root, "data"), [], null);
let n = 0;
/** A small PNG of its own (distinct bytes per seed). */
async function image(seed: number): Promise<{ path: string; data: Buffer }> {
  const data = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: seed % 256, g: (seed * 7) % 256, b: 90 } } })
    .png().toBuffer();
  const path = join(root, `shot-${seed}-${n++}.png`);
  writeFileSync(path, data);
  return { path, data };
}
const fileOf = async (ref: string) => store.find(ref.slice(BLOB_PREFIX.length));
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe("gc of released images", () => {
  it("removes the image of a forgotten frame after the forget committed; a rollback keeps it", async () => {
    const shot = await image(1);
    const r = await ingestFile(db.sql, store, shot.path, { deployment: "gc1", capturedAt: at(1) });
    const [{ image_ref: ref }] = (await db.sql`select image_ref from pgrecall.frames where id = ${r.frame_id}`) as unknown as [{ image_ref: string }];
    expect(await fileOf(ref)).not.toBeNull();
    expect(await db.sql`select 1 from pgrecall.blob_claims where ref = ${ref}`).toEqual([]); // the insert consumed the claim

    // forgotten inside a transaction that rolls back: gc running meanwhile finds nothing to remove
    await db.sql.begin(async (tx) => {
      await tx`select * from pgrecall.forget(p_deployment_id => 'gc1')`;
      expect((await collectGarbage(db.sql, store, { releasedOnly: true })).released).toBe(0);
      throw new Error("rollback");
    }).catch((e: Error) => expect(e.message).toBe("rollback"));
    expect(await fileOf(ref)).not.toBeNull();

    await db.sql`select * from pgrecall.forget(p_deployment_id => 'gc1')`;
    const dry = await collectGarbage(db.sql, store, { dryRun: true });
    expect(dry).toMatchObject({ released: 1 });
    expect(await fileOf(ref)).not.toBeNull();
    const done = await collectGarbage(db.sql, store);
    expect(done).toMatchObject({ released: 1, orphans: 0 });
    expect(done.bytes).toBe(shot.data.length);
    expect(await fileOf(ref)).toBeNull();
    expect(await db.sql`select 1 from pgrecall.blob_releases`).toEqual([]);
  });

  it("keeps a released image a frame references again", async () => {
    const shot = await image(2);
    const a = await ingestFile(db.sql, store, shot.path, { deployment: "gc2", capturedAt: at(1) });
    await db.sql`select * from pgrecall.forget(p_frame_ids => ${[a.frame_id!]}::uuid[])`;
    await ingestFile(db.sql, store, shot.path, { deployment: "gc2", capturedAt: at(2) });
    expect(await collectGarbage(db.sql, store)).toMatchObject({ released: 0 });
    const [{ image_ref: ref }] = (await db.sql`select image_ref from pgrecall.frames where deployment_id = 'gc2'`) as unknown as [{ image_ref: string }];
    expect(await fileOf(ref)).not.toBeNull();
  });
});

describe("gc and a concurrent capture of the same bytes", () => {
  /** The deployment's frames forgotten, so the blob of `shot` is released and gc may take it. */
  async function released(dep: string, shot: { path: string }, s: number) {
    await ingestFile(db.sql, store, shot.path, { deployment: dep, capturedAt: at(s) });
    await db.sql`select * from pgrecall.forget(p_deployment_id => ${dep})`;
  }
  const refsOk = async (dep: string) => {
    const rows = await db.sql<{ image_ref: string }[]>`select image_ref from pgrecall.frames where deployment_id = ${dep}`;
    return Promise.all(rows.map(async (r) => (await fileOf(r.image_ref)) !== null));
  };

  it("a writer that claims while gc is removing the file waits for it, then writes the file anew", async () => {
    const shot = await image(3);
    await released("race1", shot, 1);
    let writer: Promise<unknown> | null = null;
    const r = await collectGarbage(db.sql, store, {
      releasedOnly: true,
      onRemoved: async () => {
        // gc still holds the blob's lock: the capture of the same bytes starts now and must wait in claim_blob
        writer = ingestFile(db.sql, store, shot.path, { deployment: "race1", capturedAt: at(2) });
        for (let i = 0; i < 200; i++) {
          const waiting = await db.sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%claim_blob%'`;
          if (waiting.length) return;
          await new Promise((res) => setTimeout(res, 10));
        }
        throw new Error("the writer never waited for gc's lock");
      },
    });
    expect(r.released).toBe(1);
    expect(await writer).toMatchObject({ frame_id: expect.any(String) });
    expect(await refsOk("race1")).toEqual([true]);
  });

  it("a writer that claimed before gc looked keeps its file (and without the claim it would have lost it)", async () => {
    const shot = await image(4);
    await released("race2", shot, 1);
    const ref = BLOB_PREFIX + (await import("node:crypto")).createHash("sha256").update(shot.data).digest("hex");
    // claimed and found in the store, not yet inserted: gc leaves it
    await db.sql`select pgrecall.claim_blob(${ref})`;
    expect(await collectGarbage(db.sql, store)).toMatchObject({ released: 0, kept: 1 });
    expect(await fileOf(ref)).not.toBeNull();
    await db.sql`delete from pgrecall.blob_claims`;
    // the hazard the claim closes: put() found the file, gc removed it, the insert then points at nothing
    await store.put(shot.data, "png");
    await collectGarbage(db.sql, store, { releasedOnly: true });
    await db.sql`insert into pgrecall.frames (deployment_id, captured_at, image_ref) values ('race2', ${at(3)}, ${ref})`;
    expect(await refsOk("race2")).toEqual([false]);
  });

  it("under random interleavings of gc and captures of the same bytes, every frame's image is there", async () => {
    const shot = await image(5);
    for (let round = 0; round < 12; round++) {
      await released("race3", shot, 10 + round * 3);
      const delay = (ms: number) => new Promise((res) => setTimeout(res, ms));
      await Promise.all([
        delay((round * 7) % 5).then(() => collectGarbage(db.sql, store)),
        delay((round * 3) % 4).then(() => ingestFile(db.sql, store, shot.path, { deployment: "race3", capturedAt: at(11 + round * 3) })),
        delay(round % 3).then(() => ingestFile(db.sql, store, shot.path, { deployment: "race3", capturedAt: at(12 + round * 3) })),
      ]);
      expect(await refsOk("race3")).toEqual([true, true]);
    }
  });
});

describe("gc of orphans", () => {
  it("removes a never-referenced file only after the grace, a claimed one not at all, and old temporary files", async () => {
    const young = await store.put((await image(6)).data, "png");
    const old = await store.put((await image(7)).data, "png");
    const claimed = await store.put((await image(8)).data, "png");
    const past = new Date(Date.now() - 3 * 3600_000);
    utimesSync(old.path, past, past);
    utimesSync(claimed.path, past, past);
    await db.sql`select pgrecall.claim_blob(${claimed.ref})`;
    const tmp = join(store.blobDir, old.sha256.slice(0, 2), old.sha256.slice(2, 4), `.${old.sha256}.0123456789ab.tmp`);
    writeFileSync(tmp, "half");
    utimesSync(tmp, past, past);
    const r = await collectGarbage(db.sql, store);
    expect(r).toMatchObject({ orphans: 1, temporary: 1 });
    expect(existsSync(old.path)).toBe(false);
    expect(existsSync(tmp)).toBe(false);
    expect(existsSync(young.path)).toBe(true);
    expect(existsSync(claimed.path)).toBe(true);
    expect((await collectGarbage(db.sql, store, { orphanGrace: "0" })).orphans).toBe(1); // the young one
    expect(existsSync(claimed.path)).toBe(true);
  });
});
