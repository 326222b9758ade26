// `pgrecall activities`: the summarized activities of a time range, in order.
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { printable } from "../terminal.js";
import { formatSeconds } from "./day.js";

export default new Command("activities")
  .description("List summarized activities overlapping a time range (an activity: one app and window title, no gap over activity_gap, interruptions under 30 s inside it).")
  .option("--since <time>", "from (a PostgreSQL timestamp, e.g. '2026-03-02 09:00' or 'yesterday')", "today")
  .option("--until <time>", "until (default: now)")
  .option("--deployment <id>", "only this deployment")
  .option("--json", "as JSON lines")
  .action(async (opts: { since: string; until?: string; deployment?: string; json?: boolean }) => {
    const rows = await withSql(readConfig().readerUrl, (sql) => sql<{
      id: string; deployment_id: string; started_at: Date; ended_at: Date; app_name: string | null; window_title: string | null;
      active_seconds: number; frame_count: number; project: string | null; interrupts: string | null;
    }[]>`
      select a.id, a.deployment_id, a.started_at, a.ended_at, a.app_name, a.window_title, a.active_seconds::float8 as active_seconds,
             a.frame_count, p.name as project, a.interrupts
      from pgrecall.activities a left join pgrecall.projects p on p.id = a.project_id
      where a.started_at < coalesce(${opts.until ?? null}::text::timestamptz, now()) and a.ended_at >= ${opts.since}::text::timestamptz
        and (${opts.deployment ?? null}::text is null or a.deployment_id = ${opts.deployment ?? null})
      order by a.started_at, a.deployment_id, a.seq`.catch((err: { code?: string; message: string }) => {
      if (err.code?.startsWith("22")) throw new Error(`--since/--until: ${err.message}`);
      throw err;
    }), { max: 1 });
    for (const a of rows) {
      if (opts.json) {
        console.log(JSON.stringify(a));
        continue;
      }
      const t = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
      console.log(printable(`${t(a.started_at)}–${t(a.ended_at).slice(11)}Z  ${formatSeconds(a.active_seconds).padStart(10)}  ${a.interrupts ? "  ↳ " : ""}${a.app_name ?? "(no app)"} · ${a.window_title ?? ""}${a.project ? `  [${a.project}]` : ""}`));
    }
  });
