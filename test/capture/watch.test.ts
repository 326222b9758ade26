// `pgrecall ingest --watch DIR`: files another tool writes into a folder go in as they arrive, each once.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { watchFolder } from "../../src/capture/watch.js";
import type { IngestResult } from "../../src/ingest.js";
import { BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-watch-"));
const dir = join(root, "shots");
const store = new BlobStore(join(root, "data"));
const results: IngestResult[] = [];
const stop = new AbortController();
let watching: Promise<void>;

const until = async (what: () => Promise<boolean>) => {
  for (let i = 0; i < 100; i++) {
    if (await what()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
};
const frames = () => db.sql`select captured_at, image_ref from pgrecall.frames where deployment_id = 'watched' order by captured_at`;

beforeAll(async () => {
  mkdirSync(join(dir, "sub"), { recursive: true });
  const before = join(dir, "before.png");
  writeFileSync(before, await renderScreen({ width: 400, height: 300, title: "there before" }));
  utimesSync(before, new Date("2026-05-01T08:00:00Z"), new Date("2026-05-01T08:00:00Z"));
  watching = watchFolder(db.sql, store, dir, { deployment: "watched", settleMs: 200, signal: stop.signal, onResult: (r) => results.push(r) });
});
afterAll(async () => {
  stop.abort();
  await watching;
});

describe("ingest --watch", () => {
  it("takes what was there, then each new image once it is fully written, with its file time", async () => {
    await until(async () => (await frames()).length === 1);
    // Written in two halves: never read half-written.
    const png = await renderScreen({ width: 400, height: 300, title: "new shot", theme: "dark" });
    const path = join(dir, "sub", "shot.png");
    writeFileSync(path, png.subarray(0, 1000));
    await new Promise((r) => setTimeout(r, 80));
    appendFileSync(path, png.subarray(1000));
    utimesSync(path, new Date("2026-05-01T09:00:00Z"), new Date("2026-05-01T09:00:00Z"));
    // A tool that writes a temporary name and renames it.
    const other = await renderScreen({ width: 400, height: 300, title: "renamed shot" });
    writeFileSync(join(dir, ".tmp-123"), other);
    renameSync(join(dir, ".tmp-123"), join(dir, "renamed.png"));
    writeFileSync(join(dir, "notes.txt"), "not an image");
    await until(async () => (await frames()).length === 3);
    const rows = await frames();
    expect(rows[0]!.captured_at.toISOString()).toBe("2026-05-01T08:00:00.000Z");
    expect(rows[1]!.captured_at.toISOString()).toBe("2026-05-01T09:00:00.000Z");
    expect((await store.read(rows[1]!.image_ref)).equals(png)).toBe(true);
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  it("a file seen again (touched, rewritten the same) is the same frame", async () => {
    const path = join(dir, "before.png");
    utimesSync(path, new Date("2026-05-01T08:00:00Z"), new Date("2026-05-01T08:00:00Z"));
    const n = results.length;
    await until(async () => results.length > n);
    expect(results.at(-1)).toMatchObject({ existing: true });
    expect(await frames()).toHaveLength(3);
  });
});
