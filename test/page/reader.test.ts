// The browse functions and the page's routes as a `pgrecall grant read` role, the way
// `pgrecall serve` connects with PGRECALL_READER_URL: a reader of one deployment sees that
// deployment's frames, boxes, near-duplicates, apps and forgotten periods, and nothing of
// another's; the event log itself stays the owner's.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { connect, type Sql } from "../../src/db.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { BlobStore } from "../../src/store.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const tag = randomBytes(3).toString("hex");
// roles are the cluster's: names of this run's own
const reader = `t_brreader_${tag}`; // `pgrecall grant read <reader> --deployment laptop`
const readerAll = `t_brall_${tag}`; // `pgrecall grant read <readerAll>` (every deployment)
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-reader-"));
const TOKEN = "reader-test-token-0123";
const auth = { authorization: `Bearer ${TOKEN}` };
const sessions: Sql[] = [];
const urlAs = (name: string) => {
  const u = new URL(db.url);
  u.username = name;
  return u.toString();
};
const as = (name: string): Sql => {
  const s = connect(urlAs(name), { max: 1 });
  sessions.push(s);
  return s;
};
let server: RunningServer;
let base: string;
const f: Record<string, string> = {};
const at = (hh: number, mm = 0) => new Date(Date.UTC(2026, 10, 20, hh, mm));

async function frame(name: string, dep: string, when: Date, app: string, text: string, o: { image?: string; phash?: bigint } = {}) {
  const [row] = await db.sql<{ id: string }[]>`
    insert into pgrecall.frames (deployment_id, phash, app_name, window_title, captured_at, image_ref)
    values (${dep}, ${o.phash ?? randomPhash()}, ${app}, ${app + " window"}, ${when}, ${o.image ?? null}) returning id, duplicate_of`;
  f[name] = row!.id;
  if (row!.duplicate_of) return; // a near-duplicate's stages are skipped
  const words = text.split(" ").map((t, i) => ({ t, c: 95, b: [10 + 60 * i, 10, 60 + 60 * i, 30], o: text.indexOf(t) }));
  await db.sql`select pgrecall.frame_ocr_done(${row!.id}, ${text}, 95, ${db.sql.json(words)})`;
}

beforeAll(async () => {
  for (const r of [reader, readerAll]) await db.sql.unsafe(`create role ${r} login`);
  await db.sql`select pgrecall.grant_access('read', ${reader}, 'laptop')`;
  await db.sql`select pgrecall.grant_access('read', ${readerAll}, null)`;
  const { ref } = await new BlobStore(dataDir).put(await sharp({ create: { width: 64, height: 48, channels: 3, background: "#468" } }).png().toBuffer(), "png");
  const phash = randomPhash();
  await frame("mine", "laptop", at(10), "Code", "the quarterly invoice", { image: ref, phash });
  await frame("mineDup", "laptop", new Date(at(10).getTime() + 2000), "Code", "the quarterly invoice", { phash });
  await frame("theirs", "phone", at(10, 30), "Chat", "the quarterly invoice from phone");
  await frame("mineGone", "laptop", at(11), "Mail", "forget me");
  await frame("theirsGone", "phone", at(12), "Chat", "forget me too");
  await frame("bothA", "laptop", at(13), "Code", "both");
  await frame("bothB", "phone", at(13, 1), "Chat", "both");
  // forgets by the owner: one of each deployment, and one across both
  await db.sql`select pgrecall.forget(p_deployment_id => 'laptop', p_since => ${at(10, 55)}, p_until => ${at(11, 5)})`;
  await db.sql`select pgrecall.forget(p_deployment_id => 'phone', p_since => ${at(11, 55)}, p_until => ${at(12, 5)})`;
  await db.sql`select pgrecall.forget(p_since => ${at(12, 59)}, p_until => ${at(13, 2)})`;
  // how `pgrecall serve` connects: PGRECALL_READER_URL
  const config = readConfig({ DATABASE_URL: db.url, PGRECALL_READER_URL: urlAs(reader), PGRECALL_DATA_DIR: dataDir, PGRECALL_MODELS_DIR: join(dataDir, "no-models") });
  server = await serve({ ...config, databaseUrl: config.readerUrl, host: "127.0.0.1", port: 0, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  await Promise.all(sessions.map((s) => s.end()));
  for (const r of [reader, readerAll]) {
    await db.sql.unsafe(`drop owned by ${r}`).catch(() => undefined);
    await db.sql.unsafe(`drop role if exists ${r}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const bands = (rows: { deployment_id: string; band_from: Date; band_to: Date; frames: number }[]) =>
  rows.map((r) => [r.deployment_id, r.band_from.toISOString().slice(11, 16), r.band_to.toISOString().slice(11, 16), r.frames]);

describe("pgrecall.forgotten_ranges", () => {
  it("a reader sees the forgets of its own deployment only; one across deployments only when it may read them all; the owner all", async () => {
    const day = "2026-11-20";
    const mine = await as(reader)`select * from pgrecall.forgotten_ranges(${day}::text::date)`;
    expect(bands(mine as never)).toEqual([["laptop", "10:55", "11:05", 1]]);
    expect(mine[0]).toMatchObject({ kind: "purged", whole_range: true, range_from: at(11), range_to: at(11) });
    const all = await as(readerAll)`select * from pgrecall.forgotten_ranges(${day}::text::date)`;
    expect(bands(all as never)).toEqual([["laptop", "10:55", "11:05", 1], ["phone", "11:55", "12:05", 1], ["laptop", "12:59", "13:02", 2], ["phone", "12:59", "13:02", 2]]);
    expect(await db.sql`select * from pgrecall.forgotten_ranges(${day}::text::date)`).toEqual(all);
    expect(bands((await as(readerAll)`select * from pgrecall.forgotten_ranges(${day}::text::date, 'phone')`) as never)).toEqual([["phone", "11:55", "12:05", 1], ["phone", "12:59", "13:02", 2]]);
    expect(await as(reader)`select * from pgrecall.forgotten_ranges('2026-11-21')`).toEqual([]);
    // the log itself stays the owner's
    await expect(as(reader)`select count(*) from pgrecall.events`).rejects.toMatchObject({ code: "42501" });
  });

  it("an app or window selection is marked as not the whole band; a soft forget as tombstoned", async () => {
    await frame("appOnly", "laptop", at(15), "Slack", "appfilter");
    await db.sql`select pgrecall.forget(p_deployment_id => 'laptop', p_since => ${at(14)}, p_until => ${at(16)}, p_app => 'Slack', p_soft => true)`;
    const [r] = await as(reader)`select * from pgrecall.forgotten_ranges('2026-11-20') where band_from >= ${at(14)}`;
    // the band is the forgotten frames' span (the selection's hours were not all forgotten)
    expect(r).toMatchObject({ kind: "tombstoned", whole_range: false, band_from: at(15), band_to: at(15), frames: 1 });
  });

  it("a soft forget's band goes once unforget restores its frames, and stays, purged, once gc purged them", async () => {
    // another day, so that the other tests' days stay as they were
    const later = (mm: number) => new Date(Date.UTC(2026, 10, 23, 17, mm));
    const band = async () => (await db.sql`select kind, frames from pgrecall.forgotten_ranges('2026-11-23')`).map((r) => ({ ...r }));
    await frame("restored", "laptop", later(10), "Notes", "restore me");
    await frame("restoredToo", "laptop", later(20), "Notes", "restore me too");
    await db.sql`select pgrecall.forget(p_deployment_id => 'laptop', p_since => ${later(0)}, p_until => ${later(60)}, p_soft => true)`;
    expect(await band()).toEqual([{ kind: "tombstoned", frames: 2 }]);
    await db.sql`select pgrecall.unforget(p_frame_ids => ${[f.restored]}::uuid[])`;
    expect(await band()).toEqual([{ kind: "tombstoned", frames: 1 }]); // one still hidden
    await db.sql`select pgrecall.unforget(p_deployment_id => 'laptop', p_since => ${later(0)}, p_until => ${later(60)})`;
    expect(await band()).toEqual([]);

    await db.sql`select pgrecall.forget(p_frame_ids => ${[f.restored]}::uuid[], p_soft => true)`;
    await db.sql`update pgrecall.settings set tombstone_grace = '1 second' where deployment_id = '*'`;
    await db.sql`select pg_sleep(1.1)`;
    await db.sql`select pgrecall.purge_tombstoned(100)`;
    expect(await band()).toEqual([{ kind: "purged", frames: 1 }]); // the restored forget stays gone
    await db.sql`select pgrecall.forget(p_frame_ids => ${[f.restoredToo]}::uuid[])`; // leave the apps as the other tests expect them
  });
});

describe("the browse functions as a reader of one deployment", () => {
  it("timeline, list_apps, match_boxes, near_duplicates and parse_moment see its frames only", async () => {
    const rd = as(reader);
    const t = await rd`select frame_id, deployment_id, duplicate from pgrecall.timeline('2026-11-20')`;
    expect(t.map((r) => r.frame_id).sort()).toEqual([f.mine, f.mineDup].sort());
    expect(new Set(t.map((r) => r.deployment_id))).toEqual(new Set(["laptop"]));
    expect(await rd`select * from pgrecall.timeline('2026-11-20', 'phone')`).toEqual([]);
    expect((await rd`select app_name, frames::int from pgrecall.list_apps()`).map((r) => [r.app_name, r.frames])).toEqual([["Code", 2]]);
    expect((await rd`select word, box, kind from pgrecall.match_boxes(${f.mine}, 'invoices')`)).toEqual([{ word: "invoice", box: [130, 10, 180, 30], kind: "match" }]);
    expect(await rd`select * from pgrecall.match_boxes(${f.theirs}, 'invoice')`).toEqual([]);
    expect((await rd`select frame_id from pgrecall.near_duplicates(${f.mine})`).map((r) => r.frame_id)).toEqual([f.mineDup]);
    expect(await rd`select * from pgrecall.near_duplicates(${f.theirs})`).toEqual([]);
    const [m] = await rd`select pgrecall.parse_moment('2026-11-20T10:00:00Z') as t, pgrecall.parse_moment('2h ago') < now() as past`;
    expect(m).toEqual({ t: at(10), past: true });
  });
});

describe("the page's routes served as the reader (PGRECALL_READER_URL)", () => {
  const get = async (path: string) => {
    const res = await fetch(base + path, { headers: auth });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string } };
  };

  it("/timeline, /days, matches, near-duplicates, thumbnails, /activity-summary, /search: its deployment's only", async () => {
    const t = await get("/timeline?date=2026-11-20");
    expect(t.status).toBe(200);
    const frames = t.body.frames as { frame_id: string; thumbnail: string | null }[];
    expect(frames.map((x) => x.frame_id).sort()).toEqual([f.mine, f.mineDup].sort());
    expect((t.body.forgotten as { deployment_id: string }[]).map((x) => x.deployment_id)).toEqual(["laptop", "laptop"]);
    expect((await get("/days/2026-11-20")).status).toBe(200);
    expect(((await get(`/frames/${f.mine}/matches?q=quarterly`)).body.boxes as unknown[]).length).toBe(1);
    expect((await get(`/frames/${f.theirs}/matches?q=quarterly`)).body.boxes).toEqual([]);
    expect(((await get(`/frames/${f.mine}/near-duplicates`)).body.near_duplicates as { frame_id: string }[]).map((x) => x.frame_id)).toEqual([f.mineDup]);
    const thumb = frames.find((x) => x.frame_id === f.mine)!.thumbnail!;
    expect(thumb).toMatch(/^\/thumbnails\/[0-9a-f]{64}$/);
    const img = await fetch(base + thumb, { headers: auth });
    expect([img.status, img.headers.get("content-type")]).toEqual([200, "image/webp"]);
    expect((await get(`/frames/${f.theirs}`)).status).toBe(404);
    expect((await get(`/frames/${f.theirs}/thumbnail`)).status).toBe(404);
    const s = await get("/activity-summary?start_time=2026-11-20T00:00:00Z&end_time=2026-11-21T00:00:00Z");
    expect((s.body.apps as { name: string }[]).map((a) => a.name)).toEqual(["Code"]);
    const found = await get("/search?q=quarterly&mode=fts");
    expect((found.body.data as { frame_id: string }[]).map((x) => x.frame_id)).toEqual([f.mine]);
  });

  it("POST /forget as the reader counts (and would forget) its own deployment's frames only", async () => {
    const res = await fetch(`${base}/forget`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", origin: base },
      body: JSON.stringify({ start_time: "2026-11-20T09:00:00Z", end_time: "2026-11-20T12:00:00Z" }),
    });
    expect(await res.json()).toMatchObject({ dry_run: true, would_forget: { frames: 2, near_duplicates: 1 } });
  });
});
