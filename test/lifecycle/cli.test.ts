// pgrecall forget / unforget / gc / events / search --include-tombstoned, as a user runs them.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { selectionError, selectionParams, type SelectionOptions } from "../../src/lifecycle.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-forget-"));
const env = () => ({ ...process.env, DATABASE_URL: db.url, PGRECALL_READER_URL: db.url, PGRECALL_DATA_DIR: join(root, "data") });
const cli = (args: string[]) =>
  run("node", ["bin/pgrecall.js", ...args], { env: env() }).then((r) => ({ ...r, code: 0 })).catch((e: { stdout: string; stderr: string; code: number }) => e);
const blobFiles = () => (readdirSync(join(root, "data", "blobs"), { recursive: true }) as string[]).filter((f) => f.endsWith(".png"));

describe("pgrecall forget", () => {
  it("previews, asks (or needs --yes), forgets the last minutes with their image, and logs it", async () => {
    const shot = join(root, "a.png");
    writeFileSync(shot, await sharp({ create: { width: 80, height: 60, channels: 3, background: "#336699" } }).png().toBuffer());
    expect((await cli(["ingest", shot, "--deployment", "me", "--window", "Bank login"])).code).toBe(0);
    await db.sql`update pgrecall.frames set captured_at = now() - interval '3 minutes'`;
    expect(blobFiles()).toHaveLength(1);

    const dry = await cli(["forget", "--last", "10m", "--dry-run"]);
    expect(dry.stdout).toMatch(/would forget 1 frame\(s\) captured .* of me/);
    const noTty = await cli(["forget", "--last", "10m"]);
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toMatch(/add --yes/);
    const done = await cli(["forget", "--last", "10m", "--yes"]);
    expect(done.stdout).toMatch(/forgot 1 frame\(s\) .* 1 image file\(s\)/);
    expect(blobFiles()).toHaveLength(0);
    expect((await cli(["events", "--action", "forget"])).stdout).toMatch(/ forget  by postgres \(me\) \[.*\]: .*frames 1, images 1/);
    expect((await cli(["forget", "--last", "10m", "--yes"])).stdout).toMatch(/nothing to forget/);
  });

  it("hides with --soft, finds with search --include-tombstoned, restores with unforget", async () => {
    await db.sql`insert into pgrecall.frames (deployment_id, captured_at, phash, window_title) values ('me', now() - interval '1 hour', 42, 'Quarterly planning')`;
    expect((await cli(["forget", "--window", "quarterly", "--soft", "--yes"])).stdout).toMatch(/hid 1 frame/);
    expect((await cli(["search", "quarterly", "--mode", "fts"])).stdout).toMatch(/no frames found/);
    expect((await cli(["search", "quarterly", "--mode", "fts", "--include-tombstoned"])).stdout).toMatch(/Quarterly planning/);
    expect((await cli(["unforget", "--window", "quarterly"])).stdout).toMatch(/restored 1 frame/);
    expect((await cli(["search", "quarterly", "--mode", "fts"])).stdout).toMatch(/Quarterly planning/);
  });

  it("refuses bad input with the option's name and changes nothing", async () => {
    const before = (await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n;
    // As the command does it (in-process: a CLI start per case is slow on a loaded machine)…
    const refusal = async (o: SelectionOptions) => {
      try {
        const p = await selectionParams(db.sql, o);
        await db.sql`select * from pgrecall.forget(p_deployment_id => ${p.deployment}, p_since => ${p.since}, p_until => ${p.until},
                       p_app => ${p.app}, p_window => ${p.window}, p_frame_ids => ${p.frames}::uuid[], p_dry_run => true)`;
        return "accepted";
      } catch (err) {
        return (selectionError(err) as Error).message;
      }
    };
    expect(await refusal({ since: "not a time" })).toMatch(/--since must be a time/);
    expect(await refusal({ since: "2026-01-02", until: "2026-01-01" })).toMatch(/--until \(.*\) is before since/);
    expect(await refusal({ frame: ["123"] })).toMatch(/--frame must be a frame id/);
    expect(await refusal({ last: "1h", since: "2026-01-01" })).toMatch(/--last and --since/);
    expect(await refusal({})).toMatch(/say what to forget/);
    // …and as a user sees it
    const cases: [string[], RegExp][] = [
      [["forget", "--last", "banana", "--yes"], /--last must be an interval such as 10m/],
      [["forget", "--frame", "00000000-0000-4000-8000-000000000000", "--yes"], /frame 00000000-0000-4000-8000-000000000000 does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    expect((await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n).toBe(before);
  });

  it("gc --dry-run counts, gc removes, both logged", async () => {
    const r = await cli(["gc", "--dry-run", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ dry_run: true, released: 0 });
    expect((await cli(["gc", "--orphan-grace", "soon"])).stderr).toMatch(/--orphan-grace must be an interval/);
    expect((await cli(["gc"])).stdout).toMatch(/removed 0 image file\(s\)/);
    expect((await cli(["events", "--action", "gc"])).stdout.trim().split("\n")).toHaveLength(2);
  });
});
