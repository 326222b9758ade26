// `pgrecall status`: the pipeline view, readable on a terminal or as JSON.
import type { Sql } from "./db.js";
import { missingModelFailures } from "./model-install.js";

export interface StageRow {
  stage: string;
  pending: number;
  blocked: number;
  upstream_failed: number;
  done: number;
  failed: number;
  skipped: number;
  excluded: number;
  oldest_pending_seconds: number | null;
  finished_last_hour: number;
  failed_last_hour: number;
  failure_rate_last_hour: number | null;
}

/** A row of pgrecall.health(). */
export interface HealthCheck {
  check_name: string;
  ok: boolean;
  value: string;
  detail: string;
}

/** A row of pgrecall.stage_counts(): exact up to its cap (capped), done and skipped estimated on a large table (estimated). */
export interface StageCount {
  stage: string;
  pending: number;
  blocked: number;
  upstream_failed: number;
  failed: number;
  done: number;
  skipped: number;
  oldest_pending_seconds: number | null;
  capped: boolean;
  estimated: boolean;
}

export async function pipeline(sql: Sql): Promise<StageRow[]> {
  return sql<StageRow[]>`
    select stage, pending::int, blocked::int, upstream_failed::int, done::int, failed::int, skipped::int, excluded::int,
           extract(epoch from oldest_pending_age)::float8 as oldest_pending_seconds,
           finished_last_hour::int, failed_last_hour::int, failure_rate_last_hour::float8
    from pgrecall.pipeline`;
}

/** Past this many frames (the planner's estimate) `pgrecall status` prints pgrecall.stage_counts, unless --exact. */
export const EXACT_STATUS_LIMIT = 100_000;

export async function stageCounts(sql: Sql): Promise<StageCount[]> {
  return sql<StageCount[]>`
    select stage, pending::int, blocked::int, upstream_failed::int, failed::int, done::int, skipped::int,
           extract(epoch from oldest_pending_age)::float8 as oldest_pending_seconds, capped, estimated
    from pgrecall.stage_counts(${EXACT_STATUS_LIMIT})`;
}

export async function printPipeline(sql: Sql, { json, exact = false }: { json: boolean; exact?: boolean }): Promise<void> {
  const [{ frames }] = await sql<[{ frames: number }]>`select greatest(reltuples, 0)::float8 as frames from pg_class where oid = 'pgrecall.frames'::regclass`;
  if (!json && !exact && frames > EXACT_STATUS_LIMIT) return printStageCounts(sql, frames);
  const rows = await pipeline(sql);
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const head = ["stage", "pending", "blocked", "after failure", "done", "failed", "skipped", "excluded", "oldest pending", "failed/1h"];
  const body = rows.map((r) => [
    r.stage,
    String(r.pending),
    String(r.blocked),
    String(r.upstream_failed),
    String(r.done),
    String(r.failed),
    String(r.skipped),
    String(r.excluded),
    r.oldest_pending_seconds == null ? "-" : formatAge(r.oldest_pending_seconds),
    r.finished_last_hour ? `${r.failed_last_hour}/${r.finished_last_hour}` : "-",
  ]);
  printTable(head, body);
  await printMissingModel(sql);
}

/** The cheap counts (pgrecall.stage_counts) of a large history, and which of them are estimates. */
async function printStageCounts(sql: Sql, frames: number): Promise<void> {
  const rows = await stageCounts(sql);
  const at = (n: number, capped: boolean) => (capped ? `${n}+` : String(n));
  const about = (n: number, estimated: boolean) => (estimated ? `~${n}` : String(n));
  printTable(
    ["stage", "pending", "blocked", "after failure", "done", "failed", "skipped", "oldest pending"],
    rows.map((r) => [
      r.stage, at(r.pending, r.capped), at(r.blocked, r.capped), at(r.upstream_failed, r.capped), about(r.done, r.estimated),
      at(r.failed, r.capped), about(r.skipped, r.estimated), r.oldest_pending_seconds == null ? "-" : formatAge(r.oldest_pending_seconds),
    ]),
  );
  console.log(`\n(about ${Math.round(frames)} frames: pending and failed frames counted from their indexes, up to ${EXACT_STATUS_LIMIT} a stage ("+": at least); ` +
    `~ done and skipped are the planner's estimates as of the last analyze. \`pgrecall status --exact\` counts every frame, slowly.)`);
  await printMissingModel(sql);
}

function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(head));
  for (const b of body) console.log(line(b));
}

async function printMissingModel(sql: Sql): Promise<void> {
  const missing = await missingModelFailures(sql);
  if (missing) {
    console.log(`\n${missing} frame(s) failed embedding because the embedding model is not installed: run \`pgrecall model install\` (downloads it once, then requeues them).`);
  }
}

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(0)}m`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}
