// Hand-built timelines for the summary tests: frames given as [seconds after a start, app,
// window title], inserted in one statement as a capture client would.
import type { Sql } from "../../src/db.js";

export type Step = [offsetSeconds: number, app: string | null, title: string | null];

export async function addTimeline(sql: Sql, deployment: string, start: string, steps: Step[]): Promise<string[]> {
  const t0 = new Date(start).getTime();
  const rows = await sql<{ id: string }[]>`
    insert into pgrecall.frames (deployment_id, captured_at, app_name, window_title)
    select ${deployment}, t.at, t.app, t.title
    from jsonb_to_recordset(${sql.json(steps.map(([s, app, title], n) => ({ n, at: new Date(t0 + s * 1000).toISOString(), app, title })))}::jsonb)
           as t(n int, at timestamptz, app text, title text)
    order by t.n
    returning id`;
  return rows.map((r) => r.id);
}

/** Every `every` seconds from `from` to `to` (inclusive), one app and title. */
export function run(from: number, to: number, every: number, app: string, title: string | null): Step[] {
  const out: Step[] = [];
  for (let s = from; s <= to; s += every) out.push([s, app, title]);
  return out;
}

export interface Day {
  active_seconds: number;
  away_seconds: number;
  frame_count: number;
  first_seen: string;
  last_seen: string;
  by_app: Record<string, number>;
  by_project: Record<string, number>;
  unassigned_seconds: number;
  focus_blocks: { activity_id: string; app_name: string; window_title: string; project: string | null; active_seconds: number }[];
  top_titles: { app_name: string; window_title: string; seconds: number; frames: number }[];
  away: { from: string; until: string; seconds: number }[];
  day_start: string;
  day_end: string;
  summary: string | null;
  summary_model: string | null;
  activities: Activity[];
}

export interface Activity {
  id: string;
  seq: number;
  app_name: string | null;
  window_title: string | null;
  started_at: string;
  ended_at: string;
  active_seconds: number;
  frame_count: number;
  interrupts: string | null;
  project: string | null;
  suggested_project: string | null;
  suggestion_confidence: number | null;
}

export async function summarize(sql: Sql, deployment: string, day: string): Promise<Day> {
  const [r] = await sql<{ d: Day }[]>`select pgrecall.summarize_day(${deployment}, ${day}::date) as d`;
  return r!.d;
}

/** The activities as [app, title, active seconds, frames, index of the interrupted activity or null]. */
export function lanes(d: Day): [string | null, string | null, number, number, number | null][] {
  return d.activities.map((a) => [a.app_name, a.window_title, a.active_seconds, a.frame_count,
    a.interrupts ? d.activities.findIndex((b) => b.id === a.interrupts) : null]);
}
