// pgrecall.forget / unforget / purge_tombstoned: what a purge takes (text, words, vectors,
// findings, near-duplicates, vocabulary, images), what a tombstone hides, and bad selections.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Sql } from "../../src/db.js";
import { flipBits, randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const tag = randomBytes(3).toString("hex");
const reader = `t_reader_${tag}`;
const sessions: Sql[] = [];
const as = (name: string): Sql => {
  const url = new URL(db.url);
  url.username = name;
  const s = connect(url.toString(), { max: 1 });
  sessions.push(s);
  return s;
};
const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code);
const ref = () => "blob:sha256:" + randomBytes(32).toString("hex");

/** A canonical frame with OCR text (so its words are in the vocabulary), `minutes` ago. */
async function frame(o: { dep?: string; minutes: number; text: string; app?: string; title?: string; image?: string; phash?: bigint; secret?: boolean }) {
  const [f] = await db.sql<{ id: string }[]>`
    insert into pgrecall.frames (deployment_id, captured_at, phash, image_ref, app_name, window_title)
    values (${o.dep ?? "laptop"}, now() - ${o.minutes + " minutes"}::interval, ${o.phash ?? randomPhash()}, ${o.image ?? ref()},
            ${o.app ?? "Code"}, ${o.title ?? "editor"}) returning id`;
  const findings = o.secret
    ? [{ rule: "aws", kind: "AWS access key", category: "secret", start: 0, end: 4, boxes: [], fingerprint: "a".repeat(64), preview: "AKIA…" }]
    : null;
  await db.sql`select pgrecall.frame_ocr_done(${f!.id}, ${o.text}, 90, '[]'::jsonb, ${findings ? db.sql.json(findings as never) : null}::jsonb,
                                               ${o.secret ? ref() : null})`;
  await db.sql`update pgrecall.frames set embedding = array_fill(0.1, array[384])::vector, embedding_model = 'm' where id = ${f!.id}`;
  return f!.id;
}
const words = async (...w: string[]) =>
  (await db.sql<{ word: string }[]>`select word from pgrecall.search_words where word = any(${w}) order by 1`).map((r) => r.word);
const search = async (q: string, extra = "") =>
  (await db.sql.unsafe<{ frame_id: string }[]>(`select frame_id from pgrecall.search_frames($1, p_mode => 'fts' ${extra})`, [q])).map((r) => r.frame_id);

beforeAll(async () => {
  await db.sql.unsafe(`create role ${reader} login`);
  await db.sql`select pgrecall.grant_access('read', ${reader}, 'laptop')`;
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.end()));
  await db.sql.unsafe(`drop owned by ${reader}`).catch(() => undefined);
  await db.sql.unsafe(`drop role if exists ${reader}`);
});

describe("forget (purge)", () => {
  it("takes the frames of the last 10 minutes with their near-duplicates, findings, words and images; keeps the rest", async () => {
    const shared = ref();
    const recent = await frame({ minutes: 5, text: "zanzibarpassword quarterly", secret: true });
    const recent2 = await frame({ minutes: 6, text: "minutes", image: shared });
    const dupImage = ref();
    const [dup] = await db.sql<{ id: string; duplicate_of: string }[]>`
      insert into pgrecall.frames (deployment_id, captured_at, phash, image_ref)
      select deployment_id, captured_at + interval '1 second', phash, ${dupImage} from pgrecall.frames where id = ${recent2}
      returning id, duplicate_of`;
    expect(dup!.duplicate_of).toBe(recent2);
    const older = await frame({ minutes: 30, text: "quarterly report" });
    await frame({ minutes: 40, text: "unrelated", image: shared });
    const redacted = (await db.sql`select image_ref from pgrecall.frames where id = ${recent}`)[0]!.image_ref as string;
    expect(await words("zanzibarpassword", "quarter")).toEqual(["quarter", "zanzibarpassword"]);

    const dry = (await db.sql`select * from pgrecall.forget(p_last => '10m', p_dry_run => true)`)[0]!;
    expect(dry).toMatchObject({ frames: 3, near_duplicates: 1, findings: 1, event_id: null });
    expect(await db.sql`select 1 from pgrecall.frames where id = ${recent}`).toHaveLength(1);

    const r = (await db.sql`select * from pgrecall.forget(p_last => '10m')`)[0]!;
    expect(r).toMatchObject({ frames: 3, near_duplicates: 1, findings: 1, words: 2, images: 2, deployments: ["laptop"] }); // zanzibarpassword, minut
    expect(await db.sql`select id from pgrecall.frames where id in (${recent}, ${recent2}, ${dup!.id})`).toEqual([]);
    expect(await db.sql`select 1 from pgrecall.secrets where frame_id = ${recent}`).toEqual([]);
    // the vocabulary forgot the word only the forgotten frame had, and kept the shared one
    expect(await words("zanzibarpassword", "quarter")).toEqual(["quarter"]);
    expect(await search("zanzibarpassword")).toEqual([]);
    expect(await search("quarterly")).toEqual([older]);
    // their images are queued for gc, but the one another frame still shows
    const released = (await db.sql`select ref from pgrecall.blob_releases`).map((x) => x.ref).sort();
    expect(released).toEqual([redacted, dupImage].sort());
    // logged, with counts and range, never the words
    const [e] = await db.sql`select * from pgrecall.events where id = ${r.event_id}`;
    expect(e).toMatchObject({ action: "forget", deployment_id: "laptop", actor: "postgres" });
    expect(e!.counts).toMatchObject({ frames: 3, near_duplicates: 1, findings: 1, words: 2, images: 2 });
    expect(JSON.stringify([e!.counts, e!.details])).not.toMatch(/zanzibar/);
  });

  it("combines filters: app, window title substring, deployment, since/until, frame ids", async () => {
    const a = await frame({ dep: "desk", minutes: 100, text: "alpha", app: "Slack", title: "DM with Sam" });
    const b = await frame({ dep: "desk", minutes: 100, text: "beta", app: "slack", title: "general" });
    const c = await frame({ dep: "desk", minutes: 100, text: "gamma", app: "Code", title: "DM with Sam.txt" });
    const r = (await db.sql`select * from pgrecall.forget(p_deployment_id => 'desk', p_app => 'SLACK', p_window => 'dm with', p_dry_run => true)`)[0]!;
    expect(r.frames).toBe(1);
    const byId = (await db.sql`select * from pgrecall.forget(p_frame_ids => ${[b, c]}::uuid[], p_app => 'code', p_dry_run => true)`)[0]!;
    expect(byId.frames).toBe(1);
    const since = (await db.sql`select * from pgrecall.forget(p_deployment_id => 'desk', p_since => now() - interval '101 minutes', p_until => now() - interval '99 minutes', p_dry_run => true)`)[0]!;
    expect(since.frames).toBe(3);
    expect(a).toBeTruthy();
  });

  it("refuses a selection that is empty, backwards, contradictory or names a frame that does not exist, and changes nothing", async () => {
    const before = (await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n;
    expect(await code(db.sql`select pgrecall.forget()`)).toBe("22023");
    expect(await code(db.sql`select pgrecall.forget(p_since => now(), p_until => now() - interval '1 hour')`)).toBe("22023");
    expect(await code(db.sql`select pgrecall.forget(p_last => '1h', p_since => now())`)).toBe("22023");
    expect(await code(db.sql`select pgrecall.forget(p_last => '-1h')`)).toBe("22023");
    expect(await code(db.sql`select pgrecall.forget(p_last => 'ten minutes')`)).toBe("22007");
    expect(await code(db.sql`select pgrecall.forget(p_frame_ids => array[gen_random_uuid()])`)).toBe("P0002");
    expect((await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n).toBe(before);
  });
});

describe("forget --soft, unforget, purge after the grace", () => {
  it("hides tombstoned frames from search, views and readers at once; include_tombstoned finds them; unforget restores", async () => {
    const f = await frame({ minutes: 200, text: "marmalade recipe" });
    const pending = (await db.sql<{ id: string }[]>`insert into pgrecall.frames (deployment_id, captured_at, phash, image_ref, window_title)
      values ('laptop', now() - interval '199 minutes', ${randomPhash()}, ${ref()}, 'marmalade jar') returning id`)[0]!.id;
    const rd = as(reader);
    expect(await search("marmalade")).toContain(f);
    expect((await rd`select id from pgrecall.frames where id = ${f}`).length).toBe(1);

    const r = (await db.sql`select * from pgrecall.forget(p_window => 'marmalade', p_soft => true)`)[0]!;
    expect(r).toMatchObject({ frames: 1, words: 0, images: 0 });
    const r2 = (await db.sql`select * from pgrecall.forget(p_frame_ids => ${[f, pending]}::uuid[], p_soft => true)`)[0]!;
    expect(r2.frames).toBe(1);
    expect(await search("marmalade")).toEqual([]);
    expect(await search("marmalade", ", p_include_tombstoned => true")).toContain(f);
    expect(await db.sql`select id from pgrecall.pending_ocr where id = ${pending}`).toEqual([]);
    // a reader sees neither frame, unless its search asks for tombstones
    expect(await rd`select id from pgrecall.frames where id in (${f}, ${pending})`).toEqual([]);
    expect((await rd`select frame_id from pgrecall.search_frames('marmalade', p_mode => 'fts')`).length).toBe(0);
    expect((await rd`select frame_id from pgrecall.search_frames('marmalade', p_mode => 'fts', p_include_tombstoned => true)`).map((x) => x.frame_id)).toContain(f);
    expect(await rd`select id from pgrecall.frames where id = ${f}`).toEqual([]); // the setting did not outlive the search
    // the words stay while the frame can come back
    expect(await words("marmalad")).toEqual(["marmalad"]);
    // a new capture of the same screen is not taken for a repeat of the hidden one
    const phash = (await db.sql`select phash from pgrecall.frames where id = ${f}`)[0]!.phash as bigint;
    const [again] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, phash) values ('laptop', now() - interval '198 minutes', ${flipBits(BigInt(phash), 1)}) returning duplicate_of`;
    expect(again!.duplicate_of).toBeNull();

    await db.sql`select graphile_worker.remove_job(key) from graphile_worker.jobs where key like ${"%" + pending}`;
    const u = (await db.sql`select * from pgrecall.unforget(p_frame_ids => ${[f, pending]}::uuid[])`)[0]!;
    expect(u.frames).toBe(2);
    expect(await search("marmalade")).toContain(f);
    expect((await db.sql`select task_identifier from graphile_worker.jobs where key like ${"%" + pending}`).map((j) => j.task_identifier)).toEqual(["ocr"]);
    expect((await db.sql`select action from pgrecall.events order by id desc limit 3`).map((e) => e.action)).toEqual(["unforget", "forget.soft", "forget.soft"]);
  });

  it("gc's purge takes tombstones older than tombstone_grace only, as a forget would", async () => {
    const f = await frame({ dep: "grace", minutes: 300, text: "quokkaword" });
    const g = await frame({ dep: "grace", minutes: 300, text: "wombatword" });
    await db.sql`select * from pgrecall.forget(p_frame_ids => ${[f, g]}::uuid[], p_soft => true)`;
    await db.sql`update pgrecall.frames set tombstoned_at = now() - interval '8 days' where id = ${f}`;
    const p = (await db.sql`select * from pgrecall.purge_tombstoned()`)[0]!;
    expect(p).toMatchObject({ frames: 1, words: 1 });
    expect((await db.sql`select id from pgrecall.frames where id in (${f}, ${g})`).map((x) => x.id)).toEqual([g]);
    expect(await words("quokkaword", "wombatword")).toEqual(["wombatword"]);
    await db.sql`insert into pgrecall.settings (deployment_id, tombstone_grace) values ('grace', '0')`;
    expect((await db.sql`select * from pgrecall.purge_tombstoned()`)[0]!.frames).toBe(1);
  });
});

describe("who may forget", () => {
  it("a reader forgets its own deployment only; a frame of another is one that does not exist", async () => {
    const mine = await frame({ dep: "laptop", minutes: 500, text: "readerforgets" });
    const theirs = await frame({ dep: "phone", minutes: 500, text: "readerforgets" });
    const rd = as(reader);
    expect(await code(rd`select pgrecall.forget(p_frame_ids => ${[theirs]}::uuid[])`)).toBe("P0002");
    const r = (await rd`select * from pgrecall.forget(p_window => 'editor', p_since => now() - interval '501 minutes', p_until => now() - interval '499 minutes')`)[0]!;
    expect(r).toMatchObject({ frames: 1, deployments: ["laptop"] });
    expect((await db.sql`select id from pgrecall.frames where id in (${mine}, ${theirs})`).map((x) => x.id)).toEqual([theirs]);
    expect((await db.sql`select actor from pgrecall.events where id = ${r.event_id}`)[0]!.actor).toBe(reader);
    expect(await code(rd`delete from pgrecall.frames`)).toBe("42501");
    expect(await code(rd`select * from pgrecall.events`)).toBe("42501");
  });
});

describe("pgrecall.events", () => {
  it("is append-only, and logs rule and grant changes without their regexes", async () => {
    await db.sql`insert into pgrecall.exclusions (app_regex, reason) values ('^secretapp$', 'x')`;
    const [e] = await db.sql`select * from pgrecall.events where action = 'exclusion.added' order by id desc limit 1`;
    expect(JSON.stringify([e!.counts, e!.details])).not.toMatch(/secretapp/);
    expect(e!.details).toMatchObject({ id: expect.any(Number) });
    expect((await db.sql`select count(*)::int as n from pgrecall.events where action = 'grant.added'`)[0]!.n).toBeGreaterThan(0);
    expect(await code(db.sql`update pgrecall.events set action = 'x'`)).toBe("42501");
    expect(await code(db.sql`delete from pgrecall.events`)).toBe("42501");
    expect(await code(db.sql`truncate pgrecall.events`)).toBe("42501");
  });
});

describe("forget (a large vocabulary)", () => {
  it("forgets the words only the forgotten frames had, whether another frame's word is among the newest frames or far back", async () => {
    // An old frame, then 2,000 newer ones: the old frame is not among the newest the vocabulary check reads first.
    const old = await frame({ dep: "bulk", minutes: 5000, text: "farbackword" });
    await db.sql`insert into pgrecall.frames (deployment_id, captured_at, phash, image_ref)
                 select 'bulk-filler', now() - interval '4000 minutes' + g * interval '1 second', (random() * 1e18)::bigint, 'blob:sha256:' || md5(g::text) || md5((g + 1)::text)
                 from generate_series(1, 2000) g`;
    await frame({ dep: "bulk", minutes: 1, text: "newestword" });
    const many = Array.from({ length: 250 }, (_, i) => `zqw${i}x`);
    const gone = await frame({ dep: "bulk", minutes: 3000, text: [...many, "farbackword", "newestword"].join(" ") });
    expect(await words("farbackword", "newestword", "zqw0x", "zqw249x")).toEqual(["farbackword", "newestword", "zqw0x", "zqw249x"]);

    const r = (await db.sql`select * from pgrecall.forget(p_frame_ids => ${[gone]}::uuid[])`)[0]!;
    expect(r).toMatchObject({ frames: 1, words: 250 });
    expect(await words("farbackword", "newestword", "zqw0x", "zqw249x")).toEqual(["farbackword", "newestword"]);
    expect(await db.sql`select count(*)::int as n from pgrecall.search_words where word like 'zqw%x'`).toEqual([{ n: 0 }]);
    expect(await search("farbackword")).toEqual([old]);
    await db.sql`select * from pgrecall.forget(p_deployment_id => 'bulk-filler')`;
  });
});
