// `pgrecall project`, `summarize`, `day` and `activities` as a user runs them.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db.js";
import { addTimeline, run } from "./helpers.js";

const exec = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-summaries-cli-"));
const cli = (args: string[]) =>
  exec("node", ["bin/pgrecall.js", ...args], { env: { ...process.env, DATABASE_URL: db.url, PGRECALL_READER_URL: "", PGRECALL_DATA_DIR: join(root, "data"), PGRECALL_VISION_URL: "" } })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

describe("pgrecall summarize, day, project, activities", () => {
  it("summarizes a day, shows it with bars, focus blocks and away time, and follows project rules", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, time_zone) values ('laptop', 'Europe/Berlin')`;
    // 09:00-09:30 Berlin (08:00Z) Code, lunch until 10:00, 10:00-10:10 Firefox
    await addTimeline(db.sql, "laptop", "2026-03-02T08:00:00Z", [...run(0, 1790, 10, "Code", "● main.ts - pgrecall"), ...run(3600, 4190, 10, "Firefox", "PostgreSQL docs")]);
    expect((await cli(["project", "add", "pgrecall", "--title", "pgrecall$"])).stdout).toMatch(/project pgrecall \(\d+\) with a rule; 0 summarized activities/);
    const s = await cli(["summarize", "--deployment", "laptop", "--day", "2026-03-02"]);
    expect(s.stdout).toBe("pgrecall: 2026-03-02: 40 min present, 2 activities, 240 frames\n");
    const again = await cli(["summarize", "--deployment", "laptop", "--day", "2026-03-02", "--json"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ active_seconds: 2400, by_project: { pgrecall: 1800 } });

    const day = await cli(["day", "2026-03-02"]); // the only deployment with summaries
    expect([day.code, day.stderr]).toEqual([0, ""]);
    const out = day.stdout;
    expect(out).toContain("2026-03-02 · deployment laptop (Europe/Berlin)");
    expect(out).toContain("present 40 min · away 30 min · 09:00–10:10 · 240 frames · 2 activities");
    expect(out).toMatch(/Code\s+█{24}\s+30 min 75%/);
    expect(out).toMatch(/Firefox\s+█{8}\s+10 min 25%/);
    expect(out).toMatch(/pgrecall\s+█{24}\s+30 min 75%/);
    expect(out).toMatch(/\(no project\)\s+█{8}\s+10 min 25%/);
    expect(out).toContain("09:00–09:30  Code  main.ts - pgrecall  [pgrecall]  30 min");
    expect(out).toContain("09:30–10:00  30 min");

    const acts = await cli(["activities", "--since", "2026-03-02 00:00Z", "--until", "2026-03-03 00:00Z", "--json"]);
    expect(acts.stdout.trim().split("\n").map((l) => JSON.parse(l).app_name)).toEqual(["Code", "Firefox"]);

    const list = await cli(["project", "list"]);
    expect(list.stdout).toContain("pgrecall  30 min over 1 day(s)");
    expect(list.stdout).toMatch(/rule \d+: title ~\* pgrecall\$/);
    expect((await cli(["project", "remove", "pgrecall"])).stdout).toMatch(/removed/);
    expect(JSON.parse((await cli(["day", "2026-03-02", "--deployment", "laptop", "--json"])).stdout).by_project).toEqual({});
  });

  it("says what is wrong: a day that is not a day, a bad regex, an unknown project, a day never summarized", async () => {
    expect((await cli(["summarize", "--deployment", "laptop", "--day", "2026-02-30"])).stderr).toMatch(/"2026-02-30" is not a day: give YYYY-MM-DD/);
    expect((await cli(["project", "add", "x", "--app", "[z-a]"])).stderr).toMatch(/--app is not a valid regular expression/);
    expect((await cli(["project", "remove", "nope"])).stderr).toMatch(/no project named nope/);
    const none = await cli(["day", "2026-01-01", "--deployment", "laptop"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no summary of 2026-01-01 for deployment laptop .*pgrecall summarize --deployment laptop --day 2026-01-01/);
  });
});
