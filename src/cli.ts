#!/usr/bin/env node
// The pgrecall command line. Each command reads the configuration once and reports
// failures as one readable line (set PGRECALL_LOG=debug for the stack).
import { Command } from "commander";
import { ConfigError, loadDotEnv, readConfig } from "./config.js";
import { connect } from "./db.js";
import { lintPlpgsql } from "./lint.js";
import { dev } from "./dev.js";
import { applySql, migrateAll } from "./migrate.js";
import { printPipeline } from "./status.js";

const program = new Command()
  .name("pgrecall")
  .description("A screen-memory backend that lives in PostgreSQL.")
  .showHelpAfterError();

program
  .command("migrate")
  .description("Create the database if needed and apply graphile-worker's schema, the committed migrations and the sql/ API (idempotent).")
  .action(async () => {
    const { databaseUrl } = readConfig();
    const r = await migrateAll(databaseUrl);
    console.log(
      `pgrecall: database ${r.createdDatabase ? "created and " : ""}migrated` +
        (r.appliedSql ? " (sql/ API applied)" : " (sql/ API already current)"),
    );
  });

program
  .command("status")
  .description("Show the pipeline: frames pending, done, failed and skipped per stage.")
  .option("--json", "print the pipeline view as JSON")
  .action(async (opts: { json?: boolean }) => {
    const sql = connect(readConfig().databaseUrl);
    try {
      await printPipeline(sql, { json: !!opts.json });
    } finally {
      await sql.end();
    }
  });

program
  .command("apply-sql")
  .description("Re-apply the sql/ files (functions, triggers, views) in one transaction. Used by .gmrc hooks; GM_DBURL wins over DATABASE_URL.")
  .option("--force", "apply even if the files have not changed since the last apply")
  .action(async (opts: { force?: boolean }) => {
    const url = process.env.GM_DBURL || readConfig().databaseUrl;
    const applied = await applySql(url, { force: !!opts.force });
    console.log(applied ? "pgrecall: sql/ applied" : "pgrecall: sql/ unchanged");
  });

program
  .command("dev")
  .description("For developers: migrate, then run graphile-migrate watch on migrations/current.sql and re-apply sql/ whenever a file in it changes.")
  .action(async () => {
    const { databaseUrl } = readConfig();
    await migrateAll(databaseUrl);
    await dev(databaseUrl);
  });

program
  .command("lint-sql")
  .description("Check every PL/pgSQL function with plpgsql_check; exits 1 on any finding.")
  .action(async () => {
    const sql = connect(readConfig().databaseUrl, { max: 1 });
    try {
      const issues = await lintPlpgsql(sql);
      for (const i of issues) console.log(`${i.function}:${i.line ?? "-"}: ${i.level}: ${i.message}${i.query ? `\n    ${i.query}` : ""}`);
      console.log(issues.length ? `${issues.length} finding(s)` : "plpgsql_check: no findings");
      if (issues.length) process.exitCode = 1;
    } finally {
      await sql.end();
    }
  });

export async function main(argv = process.argv): Promise<void> {
  loadDotEnv();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as Error;
    if (process.env.PGRECALL_LOG === "debug" || !(e instanceof ConfigError)) {
      console.error(`pgrecall: ${e.message}`);
      if (process.env.PGRECALL_LOG === "debug") console.error(e);
    } else {
      console.error(`pgrecall: ${e.message}`);
    }
    process.exitCode = 1;
  }
}
