// `pgrecall import screenpipe` against Screenpipe-shaped data folders: real SQLite in WAL mode
// (rows only in db.sqlite-wal while the writer is open), real H.264 chunks made by ffmpeg from
// rendered screens, JPEG snapshots; each of the schema versions of the last year.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildScreenpipe, distinctScreens, FIXTURE_START, toJpeg, type ScreenpipeFixture } from "../../fixtures/screenpipe.js";
import { hashImage } from "../../src/engines/hasher.js";
import { Redactor } from "../../src/engines/redactor.js";
import { importScreenpipe, screenpipeTime, wordsOf, type ImportedFrame, type ImportOptions } from "../../src/import/screenpipe.js";
import { selectExpr } from "../../src/import/video.js";
import { BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-import-"));
const dataDir = join(root, "data");
const store = new BlobStore(dataDir);

const redactor = new Redactor(() => Buffer.from("k".repeat(64)));
/** The import as the command runs it, in-process (a CLI start costs seconds): its tally and each frame's outcome. */
async function importDir(dir: string, o: Partial<ImportOptions> = {}) {
  const frames: ImportedFrame[] = [];
  const tally = await importScreenpipe(db.sql, store, redactor, { dir, ...o, onFrame: (r) => frames.push(r) });
  return { tally, frames };
}

const cli = (args: string[]) =>
  run("node", ["bin/pgrecall.js", "import", "screenpipe", ...args], {
    env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_SECRET_KEY: "k".repeat(64) },
  })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

const hamming = (a: bigint, b: bigint) => {
  let x = BigInt.asUintN(64, a ^ b), n = 0;
  for (; x; x &= x - 1n) n++;
  return n;
};
/** Which of `screens` an image is: the nearest by perceptual hash. */
async function whichScreen(image: Buffer, screens: Buffer[]): Promise<number> {
  const h = (await hashImage(image)).phash;
  const hs = await Promise.all(screens.map(async (s) => (await hashImage(s)).phash));
  const d = hs.map((x) => hamming(h, x));
  return d.indexOf(Math.min(...d));
}
const blobCount = () => (existsSync(join(dataDir, "blobs")) ? readdirSync(join(dataDir, "blobs"), { recursive: true }).filter((n) => String(n).match(/\.(png|jpg)$/)).length : 0);

const SECRET = "ghp_" + "R4nd0mT0kenV4lue9x2Lq8Zp3Wm7Kd1Hs6Yb";

describe("schema of 2025: video chunks, ocr_text, rows still in the WAL", () => {
  let fx: ScreenpipeFixture;
  let screens: Buffer[];
  beforeAll(async () => {
    screens = [...(await distinctScreens(5, "chunk-a")), ...(await distinctScreens(3, "chunk-b"))];
    fx = await buildScreenpipe({
      version: "2025",
      dir: join(root, "sp2025"),
      chunks: [{ screens: screens.slice(0, 5), device: "monitor_1", recordedFps: 0.5 }, { screens: screens.slice(5), device: "monitor_2" }],
      frames: [
        { at: 0, chunk: 0, offset: 0, app: "Code", window: "invoice.js", text: "export async function loadInvoice", legacy: true },
        { at: 2, chunk: 0, offset: 1, app: "Firefox", window: "Docs", url: "https://example.org/docs", text: "PostgreSQL documentation" },
        { at: 4, chunk: 0, offset: 3, app: "1Password", window: "Vault", text: "all my passwords" },
        { at: 6, chunk: 1, offset: 0, app: "Terminal", window: "bash", text: `export GITHUB_TOKEN=${SECRET}`,
          words: [{ text: "export", left: 10, top: 10, width: 60, height: 14 }, { text: `GITHUB_TOKEN=${SECRET}`, left: 80, top: 10, width: 400, height: 14 }] },
        { at: 8, chunk: 1, offset: 2, app: "Code", window: "main.ts", text: "walrow one", engine: "AppleNative" },
        { at: 10, chunk: 0, offset: 4, app: "Code", window: "late.ts", text: "walrow two" },
        { at: 12, chunk: 0, offset: 9, app: "Code", window: "past.ts", text: `beyond the chunk ${SECRET}` },
      ],
      walFrom: 4,
    });
    await db.sql`insert into pgrecall.exclusions (app_regex, reason) values ('^1password$', 'password manager')`;
  });
  afterAll(() => fx?.close());

  it("the fixture really keeps its last rows in db.sqlite-wal: a copy of db.sqlite alone lacks them", () => {
    expect(statSync(fx.dbPath + "-wal").size).toBeGreaterThan(0);
    const copy = join(root, "copy.sqlite");
    copyFileSync(fx.dbPath, copy);
    const c = new Database(copy, { readonly: true });
    expect((c.prepare("select count(*) as n from frames").get() as { n: number }).n).toBe(4);
    c.close();
  });

  it("imports every frame with its time, app, window, URL, device, image and Screenpipe's OCR", async () => {
    const r = await cli([fx.dir]);
    expect(r.stderr).toMatch(/7 Screenpipe frames/);
    expect(r.stderr).toMatch(/frame 7 imported without its image: .*past its end/);
    expect(r.stdout).toMatch(/7 frames imported \(0 near-duplicates, 1 excluded: .*1 without their image, 0 more windows of a capture merged into its frame\), 6 with Screenpipe's OCR text \(2 with secrets redacted\), 0 already present, 0 failed/);
    expect(r.code).toBe(0);
    const rows = await db.sql`
      select capture_key, deployment_id, captured_at, app_name, window_title, browser_url, image_ref, ocr_status, ocr_text, ocr_engine,
             hash_status, hash_message, vision_status, excluded_by, redacted_at
      from pgrecall.frames order by captured_at`;
    expect(rows.map((x) => x.capture_key)).toEqual(fx.frameIds.map((id) => `screenpipe:${id}`));
    // sqlx's "2026-06-01 09:00:00.250123456+00:00", kept to the microsecond
    expect(rows[0]!.captured_at.toISOString()).toBe(new Date(FIXTURE_START).toISOString());
    const [us] = await db.sql`select extract(microseconds from captured_at)::int % 1000 as us, captured_at::text as t from pgrecall.frames where capture_key = ${"screenpipe:" + fx.frameIds[0]}`;
    expect(us!.us).toBe(123);
    expect(rows.map((x) => x.deployment_id)).toEqual(["monitor_1", "monitor_1", "monitor_1", "monitor_2", "monitor_2", "monitor_1", "monitor_1"]);
    // The legacy row's app and window came from its ocr_text row.
    expect([rows[0]!.app_name, rows[0]!.window_title]).toEqual(["Code", "invoice.js"]);
    expect(rows[1]!.browser_url).toBe("https://example.org/docs");
    expect(rows[0]).toMatchObject({ ocr_status: 1, ocr_text: "export async function loadInvoice", ocr_engine: "screenpipe: Tesseract", hash_status: 1 });
    expect(rows[4]).toMatchObject({ ocr_text: "walrow one", ocr_engine: "screenpipe: AppleNative" });
    expect(rows[5]).toMatchObject({ ocr_text: "walrow two", ocr_status: 1 });
    // Excluded: nothing of the screen kept.
    expect(rows[2]).toMatchObject({ app_name: "1Password", window_title: null, image_ref: null, ocr_text: null, ocr_status: 3, browser_url: null });
    expect(rows[2]!.excluded_by).toMatch(/password manager/);
    // The frame past its chunk's end keeps text and metadata, without an image.
    expect(rows[6]).toMatchObject({ image_ref: null, hash_status: 2, vision_status: 3, ocr_status: 1, window_title: "past.ts" });
    expect(rows[6]!.hash_message).toMatch(/no image: .*frame 9 is past its end/);
    // Its secret masked, and recorded as a finding like any other (without boxes to black out: there is no image).
    expect(rows[6]!.ocr_text).toMatch(/^beyond the chunk █+/);
    expect(rows[6]!.ocr_text).not.toContain(SECRET);
    const [finding] = await db.sql`select s.kind, s.preview from pgrecall.secrets s join pgrecall.frames f on f.id = s.frame_id where f.window_title = 'past.ts'`;
    expect(finding).toBeDefined();
    expect(finding!.preview).not.toContain(SECRET);
  });

  it("each frame's image is the chunk's decoded frame offset_index (not a seek by the recorded fps)", async () => {
    const rows = await db.sql`select capture_key, image_ref from pgrecall.frames where image_ref is not null and redacted_at is null order by captured_at`;
    // [chunk, frame number]
    const expected: Record<string, [number, number]> = {
      [`screenpipe:${fx.frameIds[0]}`]: [0, 0], [`screenpipe:${fx.frameIds[1]}`]: [0, 1],
      [`screenpipe:${fx.frameIds[4]}`]: [1, 2], [`screenpipe:${fx.frameIds[5]}`]: [0, 4],
    };
    expect(rows.map((r) => r.capture_key).sort()).toEqual(Object.keys(expected).sort());
    for (const r of rows) {
      const [chunk, n] = expected[r.capture_key]!;
      expect(await whichScreen(await store.read(r.image_ref), chunk ? screens.slice(5) : screens.slice(0, 5))).toBe(n);
    }
  });

  it("a secret in Screenpipe's text is redacted like pgrecall's own OCR: masked text, a finding, the box blacked out", async () => {
    const [f] = await db.sql`select id, ocr_text, redacted_at, image_ref from pgrecall.frames where window_title = 'bash'`;
    expect(f!.ocr_text).not.toContain(SECRET.slice(4, 14));
    expect(f!.redacted_at).not.toBeNull();
    const secrets = await db.sql`select kind, boxes from pgrecall.secrets where frame_id = ${f!.id}`;
    expect(secrets.length).toBeGreaterThan(0);
    expect(JSON.stringify(secrets[0]!.boxes)).not.toBe("[]");
    // Five screens with images, that one's redacted in place of its original; the excluded screen's never stored.
    expect(blobCount()).toBe(5);
  });

  it("a second run adds nothing and reads no media", async () => {
    const before = (await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n;
    const { frames } = await importDir(fx.dir);
    expect(frames.map((l) => l.outcome)).toEqual(Array(7).fill("existing"));
    expect((await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n).toBe(before);
  });

  it("new rows Screenpipe wrote meanwhile (still in the WAL) come in on the next run: resumable", async () => {
    const add = fx.writer.prepare("insert into frames (video_chunk_id, offset_index, timestamp, device_name, app_name, window_name, focused) values (2, ?, ?, 'monitor_2', ?, ?, ?)");
    const text = fx.writer.prepare("insert into ocr_text (frame_id, text, ocr_engine) values (?, ?, 'Tesseract')");
    add.run(1, "2026-06-01T09:00:20.000000Z", "Code", "newer.ts", 1);
    // One capture, a frame per window (2025): one screen, one frame, every window's text but an excluded one's.
    for (const [app, win, focused, t] of [["Slack", "general", 0, "lunch at noon"], ["Code", "focus.ts", 1, "focused window text"], ["1Password", "Vault", 0, "hunter2 vault"]] as const) {
      text.run(Number(add.run(0, "2026-06-01T09:00:22.000000Z", app, win, focused).lastInsertRowid), t);
    }
    const { tally } = await importDir(fx.dir);
    expect(tally).toMatchObject({ inserted: 2, merged: 2, existing: 7, failed: 0 });
    const [f] = await db.sql`select image_ref, ocr_status, captured_at from pgrecall.frames where window_title = 'newer.ts'`;
    expect(f!.ocr_status).toBe(0); // no text from Screenpipe: pgrecall's OCR will read it
    expect(await whichScreen(await store.read(f!.image_ref), screens.slice(5))).toBe(1);
    const [m] = await db.sql`select app_name, window_title, ocr_text from pgrecall.frames where captured_at = '2026-06-01T09:00:22Z'`;
    expect(m).toEqual({ app_name: "Code", window_title: "focus.ts", ocr_text: "focused window text\n\nlunch at noon" });
    expect((await importDir(fx.dir)).tally).toMatchObject({ inserted: 0, existing: 11 });
  });
});

describe("schemas of 2026: JPEG snapshots, then no ocr_text table", () => {
  let fxs: ScreenpipeFixture[] = [];
  afterAll(() => fxs.forEach((f) => f.close()));

  it("snapshots are imported as JPEG; a snapshot compacted into a chunk is read from the chunk", async () => {
    const screens = await distinctScreens(3, "snap");
    const chunkScreens = await distinctScreens(2, "compacted");
    const fx = await buildScreenpipe({
      version: "2026-snapshots",
      dir: join(root, "sp2026a"),
      chunks: [{ screens: chunkScreens, device: "monitor_1" }],
      snapshots: new Map([[0, await toJpeg(screens[0]!)], [1, await toJpeg(screens[1]!)]]),
      frames: [
        { at: 100, snapshot: true, app: "Slack", window: "general", text: "standup at ten" },
        { at: 102, snapshot: true, app: "Firefox", window: "News", url: "https://news.example", text: "headline" },
        { at: 104, chunk: 0, offset: 1, app: "Code", window: "compacted.ts", text: "compacted frame" },
      ],
      walFrom: 1,
    });
    fxs.push(fx);
    rmSync(join(fx.dir, "data", "snapshot_1.jpg")); // a snapshot whose file is gone
    let schema = "";
    const { tally } = await importDir(fx.dir, { deployment: "laptop", onStart: (_n, s) => (schema = s) });
    expect(schema).toMatch(/JPEG snapshots/);
    expect(tally).toMatchObject({ inserted: 3, withoutImage: 1, failed: 0 });
    const rows = await db.sql`select window_title, image_ref, ocr_text, ocr_engine, browser_url, hash_status from pgrecall.frames where deployment_id = 'laptop' order by captured_at`;
    expect(rows.map((x) => x.window_title)).toEqual(["general", "News", "compacted.ts"]);
    expect(rows[0]!.image_ref).toMatch(/^blob:sha256:/);
    expect((await store.resolve(rows[0]!.image_ref)).endsWith(".jpg")).toBe(true);
    expect(await whichScreen(await store.read(rows[0]!.image_ref), screens)).toBe(0);
    expect(rows[1]).toMatchObject({ image_ref: null, hash_status: 2, ocr_text: "headline", browser_url: "https://news.example" });
    expect(await whichScreen(await store.read(rows[2]!.image_ref), chunkScreens)).toBe(1);
    expect(rows[0]!.ocr_engine).toBe("screenpipe: Tesseract");
  });

  it("without an ocr_text table the text and word boxes come from frames; --reocr leaves the text to pgrecall's OCR", async () => {
    const screens = await distinctScreens(2, "late");
    const fx = await buildScreenpipe({
      version: "2026-no-ocr-text",
      dir: join(root, "sp2026b"),
      chunks: [{ screens, device: "monitor_3" }],
      frames: [
        { at: 200, chunk: 0, offset: 0, app: "Code", window: "a.ts", text: "full text one", words: [{ text: "full", left: 1, top: 1, width: 20, height: 10 }] },
        { at: 202, chunk: 0, offset: 1, app: "Code", window: "b.ts", text: "full text two" },
      ],
    });
    fxs.push(fx);
    let schema = "";
    await importDir(fx.dir, { onStart: (_n, s) => (schema = s) });
    expect(schema).toMatch(/no ocr_text table/);
    const rows = await db.sql`select ocr_text, ocr_engine, ocr_words from pgrecall.frames where deployment_id = 'monitor_3' order by captured_at`;
    expect(rows.map((x) => x.ocr_text)).toEqual(["full text one", "full text two"]);
    expect(rows[0]!.ocr_engine).toBe("screenpipe: ocr");
    expect(rows[0]!.ocr_words[0]).toMatchObject({ t: "full", b: [1, 1, 21, 11], o: 0 });

    await importDir(fx.dir, { reocr: true, deployment: "reocr" });
    const re = await db.sql`select ocr_status, ocr_text, ocr_engine from pgrecall.frames where deployment_id = 'reocr'`;
    expect(re).toEqual([{ ocr_status: 0, ocr_text: null, ocr_engine: null }, { ocr_status: 0, ocr_text: null, ocr_engine: null }]);
  });

  it("a folder without a Screenpipe database is refused with the reason", async () => {
    await expect(importDir(join(root, "nothing-here"))).rejects.toThrow(/no Screenpipe database at .*db\.sqlite/);
  });
});

describe("pieces", () => {
  it("reads Screenpipe's timestamps", () => {
    expect(screenpipeTime("2025-03-01 10:00:00.123456789+00:00")).toBe("2025-03-01T10:00:00.123456+00:00");
    expect(screenpipeTime("2025-03-01T10:00:00Z")).toBe("2025-03-01T10:00:00Z");
    expect(screenpipeTime("2025-03-01 10:00:00")).toBe("2025-03-01T10:00:00Z");
    expect(screenpipeTime(1740823200)).toBe("2025-03-01T10:00:00.000Z");
    expect(screenpipeTime("yesterday")).toBeNull();
  });
  it("selects frames by decoded number, ranges folded", () => {
    expect(selectExpr([0, 1, 2, 5, 7, 8])).toBe("between(n\\,0\\,2)+eq(n\\,5)+between(n\\,7\\,8)");
  });
  it("turns Apple's normalized boxes into pixels", () => {
    const w = wordsOf(JSON.stringify([{ text: "hi", left: "0.5", top: "0.25", width: "0.1", height: "0.05", conf: "0.9" }]), "say hi", { width: 1000, height: 800 });
    expect(w).toEqual([{ t: "hi", c: 90, b: [500, 200, 600, 240], o: 4 }]);
  });
});
