// `pgrecall ingest` as a user runs it.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { ingestFile } from "../../src/ingest.js";
import { BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-ingest-"));
const shots = join(root, "shots");

const cli = (args: string[]) =>
  run("node", ["bin/pgrecall.js", ...args], { env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: join(root, "data") } })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

beforeAll(async () => {
  mkdirSync(join(shots, "monday"), { recursive: true });
  writeFileSync(join(shots, "a.png"), await renderScreen({ width: 800, height: 500 }));
  writeFileSync(join(shots, "monday", "b.webp"), await renderScreen({ width: 800, height: 500, cursor: { line: 2, col: 3 } }, "webp"));
  writeFileSync(join(shots, "monday", "c.png"), await renderScreen({ width: 800, height: 500, theme: "dark" }));
  writeFileSync(join(shots, "monday", "notes.txt"), "not an image, and not looked at");
});

describe("pgrecall ingest", () => {
  it("stores each image found recursively and prints one JSON object per file", async () => {
    const r = await cli(["ingest", shots, "--deployment", "desk", "--app", "Code", "--captured-at", "2026-01-01T09:00:00Z", "--json"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.path.replace(shots, ""))).toEqual(["/a.png", "/monday/b.webp", "/monday/c.png"]);
    expect(lines.every((l) => /^[0-9a-f-]{36}$/.test(l.frame_id))).toBe(true);
    const rows = await db.sql`select image_ref, app_name, hash_status, phash is not null as hashed from pgrecall.frames where deployment_id = 'desk'`;
    expect(rows).toHaveLength(3);
    expect(rows.every((x) => x.image_ref.startsWith("blob:sha256:") && x.hash_status === 1 && x.hashed && x.app_name === "Code")).toBe(true);
  });

  it("re-ingesting the same files for the same deployment and time creates no second frame", async () => {
    const r = await cli(["ingest", shots, "--deployment", "desk", "--captured-at", "2026-01-01T09:00:00Z"]);
    expect(r.stdout).toMatch(/0 frames inserted .* 3 already present, 0 skipped/);
    expect((await db.sql`select count(*)::int as n from pgrecall.frames where deployment_id = 'desk'`)[0]!.n).toBe(3);
  });

  it("two ingests of the same files at once store each frame once (insert_frame's key, not a look-then-insert)", async () => {
    const args = ["ingest", shots, "--deployment", "twice", "--captured-at", "2026-01-02T09:00:00Z", "--json"];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const byPath = (out: string) => Object.fromEntries(out.trim().split("\n").map((l) => JSON.parse(l)).map((l) => [l.path, l.frame_id]));
    expect(byPath(a.stdout)).toEqual(byPath(b.stdout));
    expect((await db.sql`select count(*)::int as n from pgrecall.frames where deployment_id = 'twice'`)[0]!.n).toBe(3);
  });

  it("strips NUL from a window title (PostgreSQL cannot store it; argv cannot carry it, a library caller can)", async () => {
    const r = await ingestFile(db.sql, new BlobStore(join(root, "data")), join(shots, "a.png"), { deployment: "nul", window: "a\u0000b\u001bc" });
    expect(r.error).toBeUndefined();
    const [row] = await db.sql`select window_title from pgrecall.frames where deployment_id = 'nul'`;
    expect(row!.window_title).toBe("ab c");
  });

  it("defaults captured_at to the file's modification time", async () => {
    const r = await cli(["ingest", join(shots, "a.png"), "--deployment", "mtime", "--json"]);
    expect(r.code).toBe(0);
    const [row] = await db.sql`select captured_at from pgrecall.frames where deployment_id = 'mtime'`;
    expect(Math.abs((row!.captured_at as Date).getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it("reports bad files, ingests the rest, and exits 1", async () => {
    const bad = join(root, "bad.png");
    writeFileSync(bad, "garbage");
    const r = await cli(["ingest", bad, join(root, "missing.png"), join(shots, "a.png"), "--deployment", "mixed", "--captured-at", "2026-01-02T09:00:00Z"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/skipped .*bad\.png: not a readable image/);
    expect(r.stderr).toMatch(/skipped .*missing\.png: ENOENT/);
    expect(r.stdout).toMatch(/1 frames inserted/);
  });

  it("rejects a bad --captured-at and a missing --deployment with a message", async () => {
    const a = await cli(["ingest", shots, "--deployment", "x", "--captured-at", "last tuesday"]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/--captured-at "last tuesday" is not a time/);
    const b = await cli(["ingest", shots]);
    expect(b.stderr).toMatch(/required option '--deployment <id>'/);
  });
});
