#!/usr/bin/env node
// The pgrecall command line: a table of contents. Each command lives in src/commands/ and
// reads the configuration it needs; failures are one readable line (PGRECALL_LOG=debug adds
// the stack).
import { Command } from "commander";
import activities from "./commands/activities.js";
import applySql from "./commands/apply-sql.js";
import capture from "./commands/capture.js";
import backup from "./commands/backup.js";
import blobs from "./commands/blobs.js";
import day from "./commands/day.js";
import dev from "./commands/dev.js";
import dumpSchema from "./commands/dump-schema.js";
import events from "./commands/events.js";
import exclude from "./commands/exclude.js";
import forget from "./commands/forget.js";
import gc from "./commands/gc.js";
import { grant, revoke } from "./commands/grant.js";
import health from "./commands/health.js";
import importCommand from "./commands/import.js";
import ingest from "./commands/ingest.js";
import lintSql from "./commands/lint-sql.js";
import mcp from "./commands/mcp.js";
import migrate from "./commands/migrate.js";
import model from "./commands/model.js";
import project from "./commands/project.js";
import requeue from "./commands/requeue.js";
import restore from "./commands/restore.js";
import retention from "./commands/retention.js";
import search from "./commands/search.js";
import secrets from "./commands/secrets.js";
import serve from "./commands/serve.js";
import status from "./commands/status.js";
import summarize from "./commands/summarize.js";
import unforget from "./commands/unforget.js";
import worker from "./commands/worker.js";
import { ConfigError, loadDotEnv, readConfig } from "./config.js";

const program = new Command()
  .name("pgrecall")
  .description("A screen-memory backend that lives in PostgreSQL.")
  .showHelpAfterError();

// For users, then for operators, then for developers.
for (const command of [capture, ingest, importCommand, search, day, activities, project, forget, unforget, status, summarize, exclude, secrets, worker, retention, gc, events, health, backup, restore, serve, mcp, blobs, requeue, model, grant, revoke, migrate, applySql, dev, lintSql, dumpSchema]) {
  program.addCommand(command.showHelpAfterError());
}

export async function main(argv = process.argv): Promise<void> {
  loadDotEnv();
  // `pgrecall ingest --json | head` closes the pipe early: that is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as Error;
    console.error(`pgrecall: ${e.message}`);
    let debug = false;
    try {
      debug = readConfig().debug;
    } catch {
      // a bad setting was what failed: its message is above
    }
    if (debug && !(e instanceof ConfigError && !e.cause)) console.error(e);
    process.exitCode = 1;
  }
}
