// `pgrecall day`: one summarized day as a readable report (time per app and project as bars,
// focus blocks, away periods, top titles, the prose if any) or as JSON (pgrecall.day()).
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql, type Sql } from "../db.js";
import { printable } from "../terminal.js";

interface DayJson {
  deployment_id: string;
  day: string;
  time_zone: string;
  active_seconds: number;
  away_seconds: number;
  unassigned_seconds: number;
  frame_count: number;
  activity_count: number;
  first_seen: string;
  last_seen: string;
  by_app: Record<string, number>;
  by_project: Record<string, number>;
  focus_blocks: { app_name: string | null; window_title: string | null; project: string | null; started_at: string; ended_at: string; active_seconds: number }[];
  top_titles: { app_name: string | null; window_title: string; seconds: number }[];
  away: { from: string; until: string; seconds: number }[];
  summary: string | null;
  summary_model: string | null;
  summary_message: string | null;
  computed_at: string;
  activities: { suggested_project: string | null; suggestion_confidence: number | null; project: string | null; app_name: string | null; window_title: string | null; active_seconds: number }[];
}

/** SQL's refusal of a day or a deployment, in the CLI's words. */
export function dayError(err: unknown, day: string): unknown {
  const e = err as { code?: string };
  if (e.code === "22007" || e.code === "22008") return new ConfigError(`"${day}" is not a day: give YYYY-MM-DD`);
  return err;
}

/** 40 s, 12 min, 2 h 05 min: the same shape as pgrecall.format_seconds. */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.round(s / 60);
  if (s < 3600) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

const BAR = 24;

function bars(entries: [string, number][], total: number): string[] {
  const width = Math.min(28, Math.max(8, ...entries.map(([k]) => k.length)));
  const max = Math.max(1, ...entries.map(([, v]) => v));
  return entries.map(([k, v]) => {
    const n = Math.round((v / max) * BAR);
    const share = total > 0 ? ` ${Math.round((v / total) * 100)}%` : "";
    return `  ${printable(k.length > width ? k.slice(0, width - 1) + "…" : k).padEnd(width)}  ${"█".repeat(n)}${" ".repeat(BAR - n)}  ${formatSeconds(v)}${share}`;
  });
}

export function renderDay(d: DayJson): string {
  const clock = (iso: string) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: d.time_zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
  const byValue = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const out = [
    `${d.day} · deployment ${printable(d.deployment_id)} (${d.time_zone})`,
    `present ${formatSeconds(d.active_seconds)} · away ${formatSeconds(d.away_seconds)} · ${clock(d.first_seen)}–${clock(d.last_seen)} · ${d.frame_count} frames · ${d.activity_count} activities`,
    "",
    "Apps",
    ...bars(byValue(d.by_app), d.active_seconds),
  ];
  const projects = byValue(d.by_project);
  if (d.unassigned_seconds > 0) projects.push(["(no project)", d.unassigned_seconds]);
  out.push("", "Projects", ...bars(projects, d.active_seconds));
  const suggestions = d.activities.filter((a) => a.suggested_project);
  if (suggestions.length) {
    out.push("", "Suggested projects (not assigned: add a rule with pgrecall project add)");
    for (const a of suggestions.slice(0, 10))
      out.push(`  ${printable(`${a.app_name ?? "(no app)"} ${a.window_title ?? ""}`.trim())} → ${printable(a.suggested_project!)} (confidence ${a.suggestion_confidence!.toFixed(2)}, ${formatSeconds(a.active_seconds)})`);
  }
  out.push("", "Focus blocks (25 min or more)");
  if (!d.focus_blocks.length) out.push("  none");
  for (const f of d.focus_blocks)
    out.push(`  ${clock(f.started_at)}–${clock(f.ended_at)}  ${printable(f.app_name ?? "(no app)")}  ${printable(f.window_title ?? "")}${f.project ? `  [${printable(f.project)}]` : ""}  ${formatSeconds(f.active_seconds)}`);
  out.push("", "Away");
  if (!d.away.length) out.push("  none");
  for (const a of d.away) out.push(`  ${clock(a.from)}–${clock(a.until)}  ${formatSeconds(a.seconds)}`);
  out.push("", "Top titles");
  for (const t of d.top_titles) out.push(`  ${formatSeconds(t.seconds).padStart(10)}  ${printable(t.app_name ?? "(no app)")} · ${printable(t.window_title)}`);
  if (d.summary) out.push("", `Summary (written by ${printable(d.summary_model ?? "a model")}; its numbers are SQL's)`, `  ${printable(d.summary)}`);
  else if (d.summary_message) out.push("", `No prose: ${printable(d.summary_message)}`);
  return out.join("\n");
}

/** --deployment, or the only deployment that has summaries. */
export async function oneDeployment(sql: Sql, given: string | undefined): Promise<string> {
  if (given) return given;
  const rows = await sql<{ deployment_id: string }[]>`select distinct deployment_id from pgrecall.day_summaries order by 1 limit 10`;
  if (rows.length === 1) return rows[0]!.deployment_id;
  if (!rows.length) throw new ConfigError("no day has been summarized yet: run the worker, or pgrecall summarize --deployment ID");
  throw new ConfigError(`give --deployment: summaries exist for ${rows.map((r) => r.deployment_id).join(", ")}`);
}

export default new Command("day")
  .description("Show a summarized day: time present and away, per app and project, focus blocks, away periods, top titles. Every number is SQL over the deployment's frames.")
  .argument("[day]", "YYYY-MM-DD, the deployment's local day (default: today)")
  .option("--deployment <id>", "the deployment (default: the only one with summaries)")
  .option("--json", "print pgrecall.day() as JSON")
  .action(async (day: string | undefined, opts: { deployment?: string; json?: boolean }) => {
    await withSql(readConfig().readerUrl, async (sql) => {
      const deployment = await oneDeployment(sql, opts.deployment);
      const [r] = await sql<{ d: DayJson | null; day: string }[]>`
        select pgrecall.day(${deployment}, x.day) as d, x.day::text as day
        from (select coalesce(${day ?? null}::text::date, pgrecall.local_day(${deployment}, now())) as day) x`.catch((err) => {
        throw dayError(err, day ?? "");
      });
      if (opts.json) return console.log(JSON.stringify(r!.d, null, 2));
      if (!r!.d) throw new ConfigError(`no summary of ${r!.day} for deployment ${deployment} (no frames that day, or not summarized yet: pgrecall summarize --deployment ${deployment} --day ${r!.day})`);
      console.log(renderDay(r!.d));
    }, { max: 1 });
  });
