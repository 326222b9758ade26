// Retention per deployment: images before text before frames, max_storage least recently shown
// first, in small batches; pgrecall retention as a user runs it.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runRetention } from "../../src/retention.js";
import { BlobStore } from "../../src/store.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-retention-"));
const store = new BlobStore(join(root, "data"), [], null);
const ref = () => "blob:sha256:" + randomBytes(32).toString("hex");

async function frame(dep: string, age: string, text: string, o: { ocr?: boolean; image?: string } = {}) {
  const image = o.image ?? ref();
  const [f] = await db.sql<{ id: string }[]>`
    insert into pgrecall.frames (deployment_id, captured_at, phash, image_ref, window_title)
    values (${dep}, now() - ${age}::interval, ${randomPhash()}, ${image}, 'notes') returning id`;
  if (o.ocr !== false) {
    await db.sql`select pgrecall.frame_ocr_done(${f!.id}, ${text}, 90, '[]'::jsonb, null, null)`;
    await db.sql`select pgrecall.frame_vision_skipped(${f!.id}, 'no provider')`;
  }
  return { id: f!.id, image };
}
const row = async (id: string) =>
  (await db.sql`select image_ref, ocr_text, vision_summary from pgrecall.frames where id = ${id}`)[0] ?? null;

describe("retention", () => {
  it("drops images, then text, then frames by age; keeps what is young, busy or of another deployment", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, keep_images_for, keep_text_for, keep_frames_for)
                 values ('r', '1 day', '30 days', '90 days')`;
    const young = await frame("r", "1 hour", "youngword");
    const imageOld = await frame("r", "2 days", "imageoldword");
    const busy = await frame("r", "3 days", "", { ocr: false });
    const textOld = await frame("r", "40 days", "textoldword");
    const ancient = await frame("r", "100 days", "ancientword");
    const other = await frame("keep", "400 days", "otherword");

    const dry = await runRetention(db.sql, store, { dryRun: true });
    expect(dry.rows.map((r) => [r.kind, r.frames]).sort()).toEqual([["frames", 1], ["images", 2], ["text", 1]]);
    expect(await row(ancient.id)).not.toBeNull();

    const r = await runRetention(db.sql, store);
    expect(r.rows.map((x) => [x.deployment_id, x.kind, x.frames]).sort()).toEqual([["r", "frames", 1], ["r", "images", 2], ["r", "text", 1]]);
    expect(await row(young.id)).toMatchObject({ image_ref: young.image, ocr_text: "youngword" });
    expect(await row(imageOld.id)).toMatchObject({ image_ref: null, ocr_text: "imageoldword" });
    expect(await row(busy.id)).toMatchObject({ image_ref: busy.image }); // OCR still to run on it
    expect(await row(textOld.id)).toMatchObject({ image_ref: null, ocr_text: null, vision_summary: null });
    expect(await row(ancient.id)).toBeNull();
    expect(await row(other.id)).toMatchObject({ ocr_text: "otherword" });
    // an old screen stays findable by its words; a text past keep_text_for is gone from the vocabulary too
    const hits = await db.sql`select frame_id from pgrecall.search_frames('imageoldword', p_mode => 'fts')`;
    expect(hits.map((h) => h.frame_id)).toEqual([imageOld.id]);
    const words = await db.sql`select word from pgrecall.search_words where word in ('textoldword', 'ancientword', 'otherword') order by 1`;
    expect(words.map((w) => w.word)).toEqual(["otherword"]);
    const released = await db.sql`select ref from pgrecall.blob_releases`;
    expect(released).toEqual([]); // gc ran after the pass (the files were never in this store)
    const [e] = await db.sql`select action, counts from pgrecall.events where id = ${r.eventId}`;
    expect(e).toMatchObject({ action: "retention", counts: { frames_purged: 1, frames_text_removed: 1, frames_image_removed: 2 } });
    // nothing more is due
    expect((await runRetention(db.sql, store)).rows).toEqual([]);
  });

  it("works in small batches until nothing is due", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, keep_frames_for) values ('batch', '1 day')`;
    for (let i = 0; i < 7; i++) await frame("batch", `${2 + i} days`, `batchword${i}`);
    const [first] = await db.sql`select * from pgrecall.retention_batch('batch', 3)`;
    expect(first).toMatchObject({ kind: "frames", frames: 3, more: true });
    const r = await runRetention(db.sql, store, { deployment: "batch", batch: 3 });
    expect(r.rows).toMatchObject([{ kind: "frames", frames: 4, more: false }]);
    expect(r.batches).toBe(3); // 3, 1, then nothing due
    expect((await db.sql`select count(*)::int as n from pgrecall.frames where deployment_id = 'batch'`)[0]!.n).toBe(0);
  });

  it("keeps a deployment's images under max_storage, the least recently shown going first", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, max_storage) values ('cap', 250)`;
    const a = await frame("cap", "3 hours", "capa");
    const b = await frame("cap", "2 hours", "capb");
    const c = await frame("cap", "1 hour", "capc");
    const again = await frame("cap", "10 minutes", "capa2", { image: a.image }); // a's image shown again: recent
    await db.sql`select pgrecall.record_blob_sizes(${[a.image, b.image, c.image]}::text[], '{100,100,100}'::bigint[])`;
    const r = await runRetention(db.sql, store, { deployment: "cap" });
    expect(r.rows).toMatchObject([{ kind: "storage", frames: 1, bytes: 100 }]);
    expect((await row(b.id))!.image_ref).toBeNull();
    expect((await row(a.id))!.image_ref).toBe(a.image);
    expect((await row(again.id))!.image_ref).toBe(a.image);
    expect((await row(c.id))!.image_ref).toBe(c.image);
  });

  it("pgrecall retention prints what it removed; --dry-run only counts", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, keep_images_for) values ('cli', '1 day')`;
    await frame("cli", "5 days", "cliword");
    const cli = (args: string[]) =>
      promisify(execFile)("node", ["bin/pgrecall.js", ...args], { env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: join(root, "data") } });
    expect((await cli(["retention", "--deployment", "cli", "--dry-run"])).stdout).toMatch(/cli: 1 frames' images removed \(keep_images_for\)[\s\S]*dry run/);
    expect((await cli(["retention", "--deployment", "cli"])).stdout).toMatch(/cli: 1 frames' images removed[\s\S]*retention done/);
    expect((await cli(["retention", "--deployment", "cli"])).stdout).toMatch(/nothing is due/);
  });
});
