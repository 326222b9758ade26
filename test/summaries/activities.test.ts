// Activities and day summaries on hand-built timelines whose right answers are worked out
// by hand in the comments (activity_gap 5 min unless said otherwise).
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db.js";
import { addTimeline, lanes, run, summarize } from "./helpers.js";

const db = useTestDatabase();
const DAY = "2026-03-02";
const AT9 = "2026-03-02T09:00:00Z";

describe("the timeline", () => {
  it("counts each frame until the next, a gap over activity_gap as away, and the last frame before a gap for the interval before it", async () => {
    // 09:00:00-09:09:50 every 10 s (60 frames): 59 × 10 s + the last frame 10 s (its cadence) = 600 s.
    // Lunch: 09:10:00-09:30:00 away (1,200 s). 09:30:00-09:30:50 (6 frames): 60 s.
    await addTimeline(db.sql, "gap", AT9, [...run(0, 590, 10, "Code", "a.ts"), ...run(1800, 1850, 10, "Code", "a.ts")]);
    const d = await summarize(db.sql, "gap", DAY);
    expect(lanes(d)).toEqual([["Code", "a.ts", 600, 60, null], ["Code", "a.ts", 60, 6, null]]);
    expect(d).toMatchObject({ active_seconds: 660, away_seconds: 1200, frame_count: 66, by_app: { Code: 660 } });
    expect(d.away).toEqual([{ from: "2026-03-02T09:10:00+00:00", until: "2026-03-02T09:30:00+00:00", seconds: 1200 }]);
    expect([d.first_seen, d.last_seen]).toEqual(["2026-03-02T09:00:00+00:00", "2026-03-02T09:31:00+00:00"]);
  });

  it("takes a pause of exactly activity_gap as presence and one a millisecond longer as away; a lone frame counts nothing", async () => {
    // 10:00:00 → 10:05:00 (= gap): 300 s present. 10:05:00 → 10:10:00.001 (> gap): the frame at
    // 10:05 counts its cadence (300 s), then away. 10:10:00.001 alone before the end: 0 s.
    await addTimeline(db.sql, "edge", "2026-03-02T10:00:00Z", [[0, "Code", "a"], [300, "Code", "a"], [600.001, "Code", "a"]]);
    const d = await summarize(db.sql, "edge", DAY);
    expect(d.active_seconds).toBe(600);
    expect(d.away_seconds).toBe(0.001);
    expect(lanes(d)).toEqual([["Code", "a", 600, 2, null], ["Code", "a", 0, 1, null]]);
  });

  it("does not split an activity for an interruption under 30 s (two apps in it), and the interruption's time goes to its own app", async () => {
    // Code 0-110 s, Slack 120 s (10 s), Mail 130 s (19 s), back to Code at 149 s until 259 s (+10 s).
    const steps = [...run(0, 110, 10, "Code", "a.ts"), [120, "Slack", "general"], [130, "Mail", "inbox"],
                   ...run(149, 259, 10, "Code", "a.ts")] as [number, string, string][];
    await addTimeline(db.sql, "interrupt", AT9, steps);
    const d = await summarize(db.sql, "interrupt", DAY);
    // Code: 120 s before, 110 + 10 (last frame's cadence) after = 240 s.
    expect(lanes(d)).toEqual([["Code", "a.ts", 240, 24, null], ["Slack", "general", 10, 1, 0], ["Mail", "inbox", 19, 1, 0]]);
    expect(d.by_app).toEqual({ Code: 240, Mail: 19, Slack: 10 });
    expect(d.active_seconds).toBe(269);
    const [a] = d.activities;
    expect([a!.started_at, a!.ended_at]).toEqual(["2026-03-02T09:00:00+00:00", "2026-03-02T09:04:29+00:00"]);
  });

  it("splits at a real switch (30 s away from the title), and at an interruption that ends in a gap", async () => {
    const steps = [...run(0, 50, 10, "Code", "a.ts"), ...run(60, 80, 10, "Slack", "general"), ...run(90, 140, 10, "Code", "a.ts"),
                   // Slack for 10 s then nothing for 10 minutes: not an interruption
                   [150, "Slack", "general"], ...run(760, 790, 10, "Code", "a.ts")] as [number, string, string][];
    await addTimeline(db.sql, "switch", AT9, steps);
    const d = await summarize(db.sql, "switch", DAY);
    expect(lanes(d)).toEqual([
      ["Code", "a.ts", 60, 6, null], ["Slack", "general", 30, 3, null], ["Code", "a.ts", 60, 6, null],
      ["Slack", "general", 10, 1, null], // its cadence (10 s), then 600 s away
      ["Code", "a.ts", 40, 4, null],
    ]);
    expect(d.away_seconds).toBe(600);
  });

  it("groups titles that differ only by an editor's dirty marker", async () => {
    const titles = ["● main.ts - pgrecall - Visual Studio Code", "main.ts - pgrecall - Visual Studio Code", "*main.ts - pgrecall - Visual Studio Code",
                    "main.ts - pgrecall - Visual Studio Code (modified)", "main.ts  - pgrecall - Visual Studio Code"];
    await addTimeline(db.sql, "dirty", AT9, titles.map((t, i) => [i * 10, "Code", t]));
    const d = await summarize(db.sql, "dirty", DAY);
    expect(lanes(d)).toEqual([["Code", "main.ts - pgrecall - Visual Studio Code", 50, 5, null]]);
    const norm = await db.sql<{ t: string | null }[]>`
      select pgrecall.normalize_title(x) as t from unnest(array['*Untitled - Notepad', 'report.docx • - Sublime Text', 'Notes — Edited',
        'Notes [modified]', '   ', 'a * b', '*scratch*', 'draft (unsaved)']) x`;
    expect(norm.map((r) => r.t)).toEqual(["Untitled - Notepad", "report.docx - Sublime Text", "Notes", "Notes", null, "a * b", "scratch", "draft"]);
  });

  it("counts near-duplicates as presence and excluded screens under their app without a title", async () => {
    // Same phash every time: all but the first are near-duplicates, all count.
    const [first] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, app_name, window_title, phash)
      select 'dups', ${AT9}::timestamptz + i * interval '10 s', 'Code', 'a.ts', 12345 from generate_series(0, 5) i returning id`;
    const [{ dups }] = await db.sql`select count(*)::int as dups from pgrecall.frames where deployment_id = 'dups' and duplicate_of is not null` as unknown as [{ dups: number }];
    expect(dups).toBe(5);
    expect(first).toBeDefined();
    // A private window (built-in exclusion): kept without its title; 20 s of Firefox with no title.
    await addTimeline(db.sql, "dups", "2026-03-02T09:01:00Z", [[0, "Firefox", "Bank - Private Browsing"], [10, "Firefox", "Bank - Private Browsing"], [20, "Code", "a.ts"]]);
    const d = await summarize(db.sql, "dups", DAY);
    // (20 s of it: an interruption of Code, which goes on after it)
    expect(lanes(d)).toEqual([["Code", "a.ts", 70, 7, null], ["Firefox", null, 20, 2, 0]]);
    expect(d.frame_count).toBe(9);
    expect(d.top_titles.map((t) => t.window_title)).toEqual(["a.ts"]);
  });
});

describe("days in the deployment's time zone", () => {
  it("cuts at local midnight: the frame before midnight is carried into the next day", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, time_zone) values ('tz', 'America/New_York')`;
    // 23:58:30, 23:59:30, 00:00:30, 00:01:30 New York (EST, UTC-5): March 2 gets 60 s + the 30 s
    // before midnight; March 3 the 30 s after it (the 23:59:30 frame carried in), 60 s, and the
    // last frame's 60 s cadence.
    await addTimeline(db.sql, "tz", "2026-03-03T04:58:30Z", run(0, 180, 60, "Code", "a.ts"));
    const before = await summarize(db.sql, "tz", DAY);
    const after = await summarize(db.sql, "tz", "2026-03-03");
    expect([before.day_start, before.day_end]).toEqual(["2026-03-02T05:00:00+00:00", "2026-03-03T05:00:00+00:00"]);
    expect(lanes(before)).toEqual([["Code", "a.ts", 90, 2, null]]);
    expect(before.frame_count).toBe(2);
    // the 23:59 frame is carried in (frame_count of the day counts only its own 3 frames)
    expect(lanes(after)).toEqual([["Code", "a.ts", 150, 3, null]]);
    expect(after.frame_count).toBe(2);
    expect(after.first_seen).toBe("2026-03-03T05:00:00+00:00");
    // UTC would have put all of it on March 3
    const [{ utc }] = await db.sql`select (select count(*) from pgrecall.frames where deployment_id = 'tz' and captured_at::date = '2026-03-03')::int as utc` as unknown as [{ utc: number }];
    expect(utc).toBe(4);
  });

  it("has 23 hours on the spring DST day and counts real elapsed time across the jump", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, time_zone) values ('dst', 'Europe/Berlin')`;
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST. Frames 01:55 CET (00:55Z) to 03:05 CEST (01:05Z) every
    // minute: 10 elapsed minutes + the last frame's minute = 660 s, though the wall clock moved 70 minutes.
    await addTimeline(db.sql, "dst", "2026-03-29T00:55:00Z", run(0, 600, 60, "Code", "a.ts"));
    const d = await summarize(db.sql, "dst", "2026-03-29");
    expect([d.day_start, d.day_end]).toEqual(["2026-03-28T23:00:00+00:00", "2026-03-29T22:00:00+00:00"]);
    expect(d.active_seconds).toBe(660);
    const [{ fall }] = await db.sql`select extract(epoch from b.day_end - b.day_start)::int as fall from pgrecall.day_bounds('dst', '2026-10-25') b` as unknown as [{ fall: number }];
    expect(fall).toBe(25 * 3600);
  });

  it("refuses a time zone that is not a name, and an activity_gap of nothing", async () => {
    await expect(db.sql`insert into pgrecall.settings (deployment_id, time_zone) values ('bad', 'UTC+3')`).rejects.toThrow(/not a time zone name/);
    await expect(db.sql`insert into pgrecall.settings (deployment_id, time_zone) values ('bad', 'Mars/Olympus')`).rejects.toThrow(/not a time zone name/);
    await expect(db.sql`insert into pgrecall.settings (deployment_id, activity_gap) values ('bad', '0')`).rejects.toThrow(/activity_gap_check/);
  });

  it("follows a deployment's activity_gap", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, activity_gap) values ('short', '1 minute')`;
    // A 2-minute pause: away with a 1-minute gap (the frame before it counts its 30 s cadence).
    await addTimeline(db.sql, "short", AT9, [[0, "Code", "a"], [30, "Code", "a"], [150, "Code", "a"], [180, "Code", "a"]]);
    const d = await summarize(db.sql, "short", DAY);
    expect(d).toMatchObject({ active_seconds: 120, away_seconds: 90 });
  });
});

describe("summarize_day", () => {
  it("is idempotent: the same activities (ids too) and numbers every run", async () => {
    await addTimeline(db.sql, "idem", AT9, [...run(0, 100, 10, "Code", "a"), ...run(110, 150, 10, "Slack", "b"), ...run(160, 300, 10, "Code", "a")]);
    const a = await summarize(db.sql, "idem", DAY);
    const b = await summarize(db.sql, "idem", DAY);
    const strip = (d: typeof a) => ({ ...d, computed_at: undefined });
    expect(strip(b)).toEqual(strip(a));
    const [{ n }] = await db.sql`select count(*)::int as n from pgrecall.activities where deployment_id = 'idem'` as unknown as [{ n: number }];
    expect(n).toBe(a.activities.length);
  });

  it("adds up: activity frames sum to the activity, apps to the day, and present + away to last_seen - first_seen", async () => {
    const steps = [...run(0, 1800, 7, "Code", "a"), ...run(1805, 1830, 5, "Slack", "b"), ...run(1833, 3600, 11, "Code", "a"),
                   ...run(5000, 7000, 13, "Firefox", "docs"), [7003, "Code", "a"], ...run(7010, 9000, 9, "Firefox", "docs")] as [number, string, string][];
    await addTimeline(db.sql, "sum", AT9, steps);
    const d = await summarize(db.sql, "sum", DAY);
    for (const act of d.activities) {
      const [{ s, n }] = await db.sql`select sum(seconds)::float8 as s, count(*)::int as n from pgrecall.activity_frames(${act.id})` as unknown as [{ s: number; n: number }];
      expect([s, n]).toEqual([act.active_seconds, act.frame_count]);
    }
    const apps = Object.values(d.by_app).reduce((x, y) => x + y, 0);
    expect(apps).toBeCloseTo(d.active_seconds, 6);
    const span = (Date.parse(d.last_seen) - Date.parse(d.first_seen)) / 1000;
    expect(d.active_seconds + d.away_seconds).toBeCloseTo(span, 6);
    // a focus block is an activity of 25 minutes or more: Code (Slack's 28 s did not split it),
    // Firefox (nor Code's 7 s)
    expect(lanes(d).map(([app, , , , i]) => [app, i])).toEqual([["Code", null], ["Slack", 0], ["Firefox", null], ["Code", 2]]);
    expect(d.focus_blocks.map((f) => [f.app_name, f.active_seconds >= 1500])).toEqual([["Code", true], ["Firefox", true]]);
  });

  it("drops the row of a day whose frames are all gone", async () => {
    await addTimeline(db.sql, "gone", AT9, run(0, 30, 10, "Code", "a"));
    await summarize(db.sql, "gone", DAY);
    await db.sql`delete from pgrecall.frames where deployment_id = 'gone'`;
    const [r] = await db.sql`select pgrecall.summarize_day('gone', ${DAY}::date) as d`;
    expect(r!.d).toBeNull();
  });
});
