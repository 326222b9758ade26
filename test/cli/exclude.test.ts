// `pgrecall exclude` and `pgrecall ingest` of an excluded screen, as a user runs them.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-exclude-"));
const cli = (args: string[]) =>
  run("node", ["bin/pgrecall.js", ...args], { env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: join(root, "data") } })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

describe("pgrecall exclude", () => {
  it("adds, lists and removes rules; refuses a bad regex with PostgreSQL's reason", async () => {
    const added = await cli(["exclude", "add", "--app", "^signal$", "--reason", "private chats"]);
    expect(added.stdout).toMatch(/exclusion (\d+) added/);
    const id = /exclusion (\d+) added/.exec(added.stdout)![1]!;
    const list = await cli(["exclude", "list"]);
    expect(list.stdout).toMatch(/password manager \(built in\)/);
    expect(list.stdout).toContain(`${id}  private chats: app ~* ^signal$`);
    const bad = await cli(["exclude", "add", "--title", "[z-a]"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--title is not a valid regular expression: .*range/);
    expect((await cli(["exclude", "add", "--reason", "x"])).stderr).toMatch(/give --app, --title or both/);
    expect((await cli(["exclude", "remove", id])).stdout).toMatch(/removed/);
    expect((await cli(["exclude", "remove", "nope"])).stderr).toMatch(/"nope" is not a rule id/);
  });

  it("ingest never stores the image of an excluded screen, and records the frame as excluded", async () => {
    const shot = join(root, "vault.png");
    writeFileSync(shot, await renderScreen({ width: 640, height: 400 }));
    const r = await cli(["ingest", shot, "--deployment", "d", "--app", "Bitwarden", "--window", "My Vault", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ excluded: expect.stringMatching(/^password manager/) });
    const blobs = join(root, "data", "blobs");
    expect(existsSync(blobs) ? (readdirSync(blobs, { recursive: true }) as string[]).filter((f) => f.endsWith(".png")) : []).toEqual([]);
    const [f] = await db.sql`select image_ref, window_title, excluded_by from pgrecall.frames where deployment_id = 'd'`;
    expect(f).toMatchObject({ image_ref: null, window_title: null, excluded_by: expect.stringMatching(/^password manager/) });
    // ingesting it again finds the same frame
    expect(JSON.parse((await cli(["ingest", shot, "--deployment", "d", "--app", "Bitwarden", "--window", "My Vault", "--json"])).stdout)).toMatchObject({ existing: true });
  });
});
