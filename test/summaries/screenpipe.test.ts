// One timeline against per-app gap sums (Screenpipe's /activity-summary as its issue describes it:
// each app's time is the sum of the gaps between that app's own consecutive frames, so time spent
// in another app between two of them is counted for both). Prints both on a hand-built morning.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db.js";
import { addTimeline, run, summarize, type Step } from "./helpers.js";

const db = useTestDatabase();

describe("one timeline vs per-app gap sums", () => {
  it("adds up to the time present, where per-app sums count the same minutes twice", async () => {
    // 09:00-10:00, frames every 10 s: Code, with a 20 s look at Slack every 2 minutes (at 100-110 s of
    // each 120 s). 10:00-10:30 away. 10:30-11:00: a minute of Firefox, a minute of Code, in turn.
    const steps: Step[] = [];
    for (let s = 0; s < 3600; s += 10) steps.push([s, s % 120 >= 100 ? "Slack" : "Code", s % 120 >= 100 ? "general" : "main.ts"]);
    for (let s = 5400; s < 7200; s += 10) steps.push([s, Math.floor((s - 5400) / 60) % 2 === 0 ? "Firefox" : "Code", "x"]);
    steps.push(...run(7200, 7200, 10, "Code", "x"));
    await addTimeline(db.sql, "sp", "2026-03-02T09:00:00Z", steps);
    const d = await summarize(db.sql, "sp", "2026-03-02");
    // By hand: 09:00-10:00 is 3,600 s present, of which Slack 30 × 20 s = 600 s (under 30 s each: no
    // split); 10:30-11:00 is 1,800 s (+10 s for the 11:00 frame's cadence), Firefox 15 × 60 s.
    expect(d.by_app).toEqual({ Code: 3000 + 900 + 10, Slack: 600, Firefox: 900 });
    expect(d.active_seconds).toBe(5410);
    expect(d.away_seconds).toBe(1800);

    // Per-app gap sums, gaps up to the same 5 minutes counted (a longer one is away here too).
    const perApp = await db.sql<{ app: string; seconds: number }[]>`
      select app_name as app, sum(extract(epoch from gap))::float8 as seconds
      from (select app_name, lead(captured_at) over (partition by app_name order by captured_at) - captured_at as gap
            from pgrecall.frames where deployment_id = 'sp') g
      where gap <= interval '5 minutes'
      group by app_name order by app_name`;
    const theirs = Object.fromEntries(perApp.map((r) => [r.app, r.seconds]));
    const theirTotal = perApp.reduce((s, r) => s + r.seconds, 0);
    const rows = ["Code", "Firefox", "Slack"].map((app) => `  ${app.padEnd(8)} ${String(d.by_app[app]).padStart(6)} s  ${String(theirs[app] ?? 0).padStart(6)} s`);
    console.log(["app       pgrecall  per-app gaps", ...rows, `  ${"total".padEnd(8)} ${String(d.active_seconds).padStart(6)} s  ${String(theirTotal).padStart(6)} s   (present: 5410 s)`].join("\n"));
    // Slack's frames are 2 minutes apart, so its gaps sum to most of the hour, and Code's run through
    // every Slack look and every Firefox minute: more time than there was.
    expect(theirs.Slack).toBeGreaterThan(3000);
    expect(theirTotal).toBeGreaterThan(d.active_seconds * 1.5);
    expect(Object.values(d.by_app).reduce((a, b) => a + b, 0)).toBe(d.active_seconds);
  });
});
