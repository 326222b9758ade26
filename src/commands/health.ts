// `pgrecall health`: cheap health figures (pgrecall.health); exits 1 when one is unhealthy, for cron and monitoring.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql, type Sql } from "../db.js";
import type { HealthCheck } from "../status.js";


/** Prints the checks, one line each; true when every one is healthy. */
export async function printHealth(sql: Sql, maxPendingAge = "1 hour", maxFailureRate = "0.5", json = false): Promise<boolean> {
  const checks = await sql<HealthCheck[]>`select * from pgrecall.health(${maxPendingAge}::text::interval, ${maxFailureRate}::text::numeric)`.catch((err: { code?: string }) => {
    if (["22007", "22P02", "22015"].includes(err.code ?? "")) throw new ConfigError(`--max-pending-age must be an interval and --max-failure-rate a number (got "${maxPendingAge}", "${maxFailureRate}")`);
    throw err;
  });
  const healthy = checks.every((c) => c.ok);
  if (json) console.log(JSON.stringify({ healthy, checks }, null, 2));
  else {
    for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"}  ${c.check_name.padEnd(26)} ${c.detail}`);
    console.log(healthy ? "pgrecall: healthy" : "pgrecall: unhealthy");
  }
  return healthy;
}

export default new Command("health")
  .description("Database and image store sizes, the oldest pending frame and failure rate per stage, live workers, the last retention and gc runs; exits 1 when something is unhealthy.")
  .option("--max-pending-age <interval>", "a stage pending longer than this is unhealthy", "1 hour")
  .option("--max-failure-rate <rate>", "a stage failing more often than this (0-1) in the last hour is unhealthy", "0.5")
  .option("--json", "as JSON")
  .action(async (opts: { maxPendingAge: string; maxFailureRate: string; json?: boolean }) => {
    const healthy = await withSql(readConfig().databaseUrl, (sql) => printHealth(sql, opts.maxPendingAge, opts.maxFailureRate, !!opts.json), { max: 1 });
    if (!healthy) process.exitCode = 1;
  });
