// Schema management: graphile-worker's schema, our committed migrations (graphile-migrate),
// then the idempotent SQL API in sql/ (functions, triggers, views), in that order.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { migrate as gmMigrate } from "graphile-migrate";
import { runMigrations as workerMigrate } from "graphile-worker";
import { connect, ensureDatabase } from "./db.js";
import { packageRoot, readConfig } from "./config.js";
import { quietWorkerLogger } from "./logging.js";

export const sqlDir = join(packageRoot, "sql");
export const migrationsDir = join(packageRoot, "migrations");

/** The sql/ files in apply order (their numeric prefixes), with their text. */
export function sqlFiles(): { name: string; body: string }[] {
  return readdirSync(sqlDir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, body: readFileSync(join(sqlDir, name), "utf8") }));
}

/**
 * Applies sql/ in one transaction, unless the same text was applied last time (or `force`).
 * graphile-worker's schema comes first: the enqueue functions are typed by it.
 */
export async function applySql(url: string, { force = false } = {}): Promise<boolean> {
  await workerMigrate({ connectionString: url, logger: quietWorkerLogger });
  const files = sqlFiles();
  const digest = createHash("sha256");
  for (const f of files) digest.update(f.name).update("\0").update(f.body).update("\0");
  const sha = digest.digest("hex");
  const sql = connect(url, { max: 1 });
  try {
    return await sql.begin(async (tx) => {
      // Serialise concurrent migrators: CREATE OR REPLACE races end in "tuple concurrently updated".
      await tx`select pg_advisory_xact_lock(hashtext('pgrecall:apply-sql'))`;
      const [row] = await tx`select sha256 from pgrecall._sql_applied`;
      if (!force && row?.sha256 === sha) return false;
      for (const f of files) {
        try {
          await tx.unsafe(f.body);
        } catch (cause) {
          throw new Error(`applying sql/${f.name} failed: ${(cause as Error).message}`, { cause });
        }
      }
      await tx`insert into pgrecall._sql_applied (sha256) values (${sha})
               on conflict (id) do update set sha256 = excluded.sha256, applied_at = now()`;
      return true;
    });
  } finally {
    await sql.end();
  }
}

export interface MigrateResult {
  createdDatabase: boolean;
  appliedSql: boolean;
}

/** Everything a database needs, idempotently: safe to run on every start. */
export async function migrateAll(url: string, { createDatabase = true, schemaDump = readConfig().schemaDump } = {}): Promise<MigrateResult> {
  const createdDatabase = createDatabase ? await ensureDatabase(url) : false;
  await gmMigrate({
    connectionString: url,
    migrationsFolder: migrationsDir,
    logger: quietMigrateLogger(),
  });
  const appliedSql = await applySql(url);
  await findFramesUnqualified(url);
  // In development (PGRECALL_SCHEMA_DUMP=1): rewrite schema/pgrecall.sql, the reviewable dump.
  if (schemaDump) {
    const dump = await (await import("./schema-dump.js")).dumpSchema(url, { write: true });
    console.error(`pgrecall: schema/pgrecall.sql ${dump.written ? "rewritten" : "already current"}`);
  }
  return { createdDatabase, appliedSql };
}

/**
 * Puts pgrecall on the database's search_path (after the user's schema and public), so the
 * seed's own SQL works as written: `insert into frames …`, `select … from frames`. A search_path
 * the operator already set to include pgrecall is left alone. Clients that qualify names
 * (pgrecall.frames) are unaffected. A database cloned as a template does not inherit the setting:
 * run this on the clone.
 */
export async function findFramesUnqualified(url: string): Promise<void> {
  const sql = connect(url, { max: 1 });
  try {
    await sql`
      do $$
      declare
        v_current text := (select c from pg_db_role_setting s, unnest(s.setconfig) c
                           where s.setdatabase = (select oid from pg_database where datname = current_database())
                             and s.setrole = 0 and c like 'search_path=%');
      begin
        if v_current is null or v_current !~ '(^|[=, ])"?pgrecall"?(,|$)' then
          execute format('alter database %I set search_path = %s', current_database(),
                         coalesce(substr(v_current, 13) || ', pgrecall', '"$user", public, pgrecall'));
        end if;
      end $$`;
  } finally {
    await sql.end();
  }
}

function quietMigrateLogger() {
  // graphile-migrate's Logger (from @graphile/logger): keep warnings and errors only.
  return quietWorkerLogger as unknown as NonNullable<Parameters<typeof gmMigrate>[0]["logger"]>;
}
