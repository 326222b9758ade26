// schema/pgrecall.sql: what migrations/ and sql/ make of schema pgrecall, as a normalized
// `pg_dump --schema-only`, kept in git so every schema change is a readable diff in review
// (graphile/starter's habit). test/migrate/schema-dump.test.ts fails when it is out of date.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { packageRoot } from "./config.js";
import { connect, quoteIdent } from "./db.js";
import { migrateAll } from "./migrate.js";

const run = promisify(execFile);

/**
 * Migrates a scratch database on the server of `url` from nothing (so only migrations/ and sql/
 * shape the dump, never what a development database gathered), dumps schema pgrecall with the
 * pg_dump of the server's major version, normalizes it, drops the scratch database, and compares
 * it with schema/pgrecall.sql; `write` rewrites the file when they differ. graphile_worker's and
 * graphile_migrate's schemas are not ours and are left out.
 */
export async function dumpSchema(
  url: string,
  { write = false } = {},
): Promise<{ file: string; text: string; current: boolean; written: boolean }> {
  const file = join(packageRoot, "schema", "pgrecall.sql");
  const server = new URL(url);
  server.pathname = "/postgres";
  const scratch = new URL(url);
  const name = `pgrecall_schema_dump_${randomBytes(5).toString("hex")}`;
  scratch.pathname = "/" + name;

  const admin = connect(server.toString(), { max: 1 });
  let raw: string;
  let major: number;
  try {
    const [row] = await admin<{ v: number }[]>`select current_setting('server_version_num')::int / 10000 as v`;
    major = row!.v;
    const pgDump = await pgDumpOf(major);
    await admin.unsafe(`create database ${quoteIdent(name)}`);
    try {
      await migrateAll(scratch.toString(), { createDatabase: false, schemaDump: false });
      const args = ["--schema-only", "--schema=pgrecall", "--no-owner", "--dbname", scratch.toString()];
      raw = (await run(pgDump, args, { maxBuffer: 256 * 1024 * 1024 })).stdout;
    } finally {
      await admin.unsafe(`drop database if exists ${quoteIdent(name)} with (force)`);
    }
  } finally {
    await admin.end();
  }

  // Keep the objects; drop what varies between runs and machines: the preamble (versions,
  // SET lines, 15.14's random \restrict key), the closing lines, and the SET lines pg_dump puts
  // between objects. pg_dump orders objects by kind and name (dependencies permitting), so the
  // same schema always gives the same text.
  const first = raw.indexOf("--\n-- Name: ");
  const last = raw.lastIndexOf("--\n-- PostgreSQL database dump complete");
  if (first < 0 || last < first) throw new Error(`pg_dump printed no objects of schema pgrecall in ${name}`);
  const objects = raw
    .slice(first, last)
    .replace(/^SET default_(tablespace|table_access_method) = [^\n]*;\n\n/gm, "")
    .replace(/^\\(un)?restrict [^\n]*\n/gm, "")
    .trimEnd();
  const text =
    `-- Schema pgrecall as migrations/ and sql/ make it: pg_dump ${major} --schema-only --schema=pgrecall\n` +
    "-- --no-owner of a database migrated from nothing, normalized. Generated, do not edit:\n" +
    "-- regenerate with `npm run schema:dump` (or PGRECALL_SCHEMA_DUMP=1 pgrecall migrate).\n\n" +
    objects +
    "\n";

  const current = existsSync(file) && readFileSync(file, "utf8") === text;
  if (write && !current) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file + ".tmp", text);
    renameSync(file + ".tmp", file);
  }
  return { file, text, current, written: write && !current };
}

/** The pg_dump of PostgreSQL `major` (another major prints the same schema differently). */
async function pgDumpOf(major: number): Promise<string> {
  const tried: string[] = [];
  for (const candidate of [`/usr/lib/postgresql/${major}/bin/pg_dump`, "pg_dump"]) {
    try {
      const { stdout } = await run(candidate, ["--version"]);
      if (new RegExp(`\\(PostgreSQL\\) ${major}[.\\s]`).test(stdout)) return candidate;
      tried.push(`${candidate} is ${stdout.trim()}`);
    } catch {
      tried.push(`no ${candidate}`);
    }
  }
  throw new Error(
    `the schema dump needs pg_dump ${major}, the server's major version (${tried.join("; ")}): ` +
      `install postgresql-client-${major}.`,
  );
}
