// The hash task through a real graphile-worker run: a frame inserted with only an image
// path is hashed, deduplicated and gets OCR/vision queued; bad images end in status 2 with
// a readable message and the worker carries on.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderScreen, SAMPLE_CODE } from "../../fixtures/render.js";
import { readConfig } from "../../src/config.js";
import { startWorker } from "../../src/worker.js";
import { jobsOf, useTestDatabase } from "../helpers/db.js";
import { pngClaiming, truncatedPng } from "../helpers/images.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-hash-"));
const file = (name: string, data: Buffer | string) => {
  const p = join(dataDir, name);
  writeFileSync(p, data);
  return p;
};

let paths: Record<string, string> = {};
beforeAll(async () => {
  paths = {
    editor: file("editor.png", await renderScreen({ cursor: { line: 6, col: 20 } })),
    blink: file("blink.png", await renderScreen({ cursor: null })),
    typed: file("typed.png", await renderScreen({ lines: SAMPLE_CODE.map((l, i) => (i === 8 ? "  const vat = invoice.amount * 0.2;" : l)) })),
    truncated: file("truncated.png", await truncatedPng()),
    text: file("notes.png", "this is a text file with a .png name"),
    empty: file("empty.png", ""),
    bomb: file("bomb.png", pngClaiming(30000, 30000)),
    escape: join(dataDir, "..", "..", "etc", "passwd"),
    symlink: (() => {
      const p = join(dataDir, "shadow.png");
      symlinkSync("/etc/passwd", p);
      return p;
    })(),
    dir: (() => {
      mkdirSync(join(dataDir, "folder.png"));
      return join(dataDir, "folder.png");
    })(),
  };
});

async function insert(dep: string, ref: string, second: number) {
  const [r] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, image_ref)
                           values (${dep}, ${new Date(Date.UTC(2026, 0, 1, 9, 0, second))}, ${ref}) returning id`;
  return r!.id as string;
}

const frame = async (id: string) => (await db.sql`select * from pgrecall.frames where id = ${id}`)[0]!;
const { embedding, vision } = readConfig();
const runWorker = () => startWorker({ databaseUrl: db.url, dataDir, embedding, vision, concurrency: 2, once: true, only: ["hash"] });

describe("task hash", () => {
  it("hashes frames inserted with only an image path, then the SQL path dedups and queues", async () => {
    const editor = await insert("h1", paths.editor!, 0);
    await runWorker();
    expect(await frame(editor)).toMatchObject({ hash_status: 1, duplicate_of: null, ocr_status: 0 });
    expect((await frame(editor)).tile_hashes).toHaveLength(64);
    // One at a time: two frames hashed in concurrent transactions do not see each other
    // (both would be kept; see README, operators).
    const blink = await insert("h1", paths.blink!, 2);
    await runWorker();
    expect(await frame(blink)).toMatchObject({ hash_status: 1, duplicate_of: editor, ocr_status: 3 });
    const typed = await insert("h1", "file://" + paths.typed!, 4);
    await runWorker();
    expect(await frame(typed)).toMatchObject({ hash_status: 1, duplicate_of: null });
    expect(await jobsOf(db.sql, typed)).toEqual(["ocr"]);
  });

  const bad: [string, string, RegExp][] = [
    ["a missing file", "missing", /cannot be read: ENOENT/],
    ["a file outside the image roots", "/etc/passwd", /\/etc\/passwd is outside the image roots/],
    ["a file:// URI outside them", "file:///etc/shadow", /\/etc\/shadow is outside the image roots/],
    ["a path that climbs out with ..", "escape", /is outside the image roots/],
    ["a symlink that leads out of a root", "symlink", /is outside the image roots/],
    ["a directory", "dir", /is not a regular file/],
    ["a device", "/dev/zero", /outside the image roots/],
    ["a zero-byte file", "empty", /is empty \(0 bytes\)/],
    ["a truncated PNG", "truncated", /cannot decode image .*truncated\.png/],
    ["a text file", "text", /is not an image \(no PNG, JPEG/],
    ["a 30000x30000 pixel bomb", "bomb", /cannot decode image .*pixel limit/i],
    ["a relative path", "shots/a.png", /unsupported image_ref/],
  ];
  it("records each kind of bad image on its frame (status 2, readable message) and keeps going", async () => {
    const ids: string[] = [];
    paths.missing = join(dataDir, "nowhere.png");
    for (const [i, [, ref]] of bad.entries()) ids.push(await insert("h2", paths[ref] ?? ref, i * 2));
    const good = await insert("h2", paths.typed!, 60);
    await runWorker();
    for (const [i, [name, , message]] of bad.entries()) {
      const f = await frame(ids[i]!);
      expect(f.hash_status, name).toBe(2);
      expect(f.hash_message, name).toMatch(message);
    }
    expect((await frame(good)).hash_status).toBe(1);
    // nothing left to retry: the failures were recorded, not thrown
    const [left] = await db.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'hash'`;
    expect(left!.n).toBe(0);
  });

  it("a requeued failure is hashed once its image is there", async () => {
    const missing = join(dataDir, "later.png");
    const id = await insert("h3", missing, 0);
    await runWorker();
    expect((await frame(id)).hash_status).toBe(2);
    writeFileSync(missing, await renderScreen({ theme: "dark" }));
    await db.sql`select pgrecall.requeue(${id}, 'hash')`;
    await runWorker();
    expect(await frame(id)).toMatchObject({ hash_status: 1, hash_message: null });
  });

  it("a worker asked for a task it does not have says so", async () => {
    await expect(startWorker({ databaseUrl: db.url, dataDir, embedding, vision, concurrency: 1, once: true, only: ["hash", "nope"] })).rejects.toThrow(
      /unknown task\(s\) nope: this worker runs hash, ocr/,
    );
  });
});
