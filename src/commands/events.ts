// `pgrecall events`: the append-only lifecycle log (pgrecall.events).
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";
import { printable } from "../terminal.js";

interface Event {
  id: string;
  at: Date;
  action: string;
  actor: string;
  deployment_id: string | null;
  range_from: Date | null;
  range_to: Date | null;
  counts: Record<string, unknown>;
  details: Record<string, unknown>;
}

export default new Command("events")
  .description("List lifecycle events, newest first: forget, unforget, purge, retention, gc, rule and grant changes, restore (counts and ranges, never content).")
  .option("--action <prefix>", "only actions starting with this (forget, gc, retention, exclusion, grant, …)")
  .option("--deployment <id>", "only this deployment's")
  .option("--limit <n>", "at most this many", "50")
  .option("--json", "as JSON")
  .action(async (opts: { action?: string; deployment?: string; limit: string; json?: boolean }) => {
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`--limit must be a whole number of at least 1 (got "${opts.limit}")`);
    const rows = await withSql(readConfig().databaseUrl, (sql) => sql<Event[]>`
      select id::text, at, action, actor, deployment_id, range_from, range_to, counts, details from pgrecall.events
      where (${opts.action ?? null}::text is null or action like ${(opts.action ?? "").replace(/[\\%_]/g, "\\$&") + "%"})
        and (${opts.deployment ?? null}::text is null or deployment_id = ${opts.deployment ?? null})
      order by id desc limit ${limit}`, { max: 1 });
    if (opts.json) return console.log(JSON.stringify(rows, null, 2));
    const t = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);
    for (const e of rows) {
      const counts = Object.entries(e.counts).map(([k, v]) => `${k} ${v}`).join(", ");
      const range = e.range_from && e.range_to ? ` [${t(e.range_from)} – ${t(e.range_to)}]` : "";
      const details = Object.keys(e.details).length ? ` ${JSON.stringify(e.details)}` : "";
      console.log(printable(`${e.id}  ${t(e.at)}  ${e.action}  by ${e.actor}${e.deployment_id ? ` (${e.deployment_id})` : ""}${range}${counts ? `: ${counts}` : ""}${details}`));
    }
    if (!rows.length) console.log("pgrecall: no events");
  });
