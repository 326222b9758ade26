// `pgrecall migrate` from an empty database, twice; and graphile-migrate's own view of it.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { applySql, migrateAll } from "../../src/migrate.js";
import { withDatabase } from "../helpers/server.js";

const name = `pgrecall_m_${randomBytes(4).toString("hex")}`;
const url = () => withDatabase(inject("serverUrl"), name);

afterAll(async () => {
  // graphile-migrate keeps its pool 200 ms after the last use; dropping the database under it kills the process.
  await new Promise((r) => setTimeout(r, 500));
  const admin = postgres(inject("serverUrl"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe("migrateAll", () => {
  it("creates the database and reproduces the schema and SQL API from nothing, then is a no-op", async () => {
    const first = await migrateAll(url());
    expect(first).toEqual({ createdDatabase: true, appliedSql: true });
    const second = await migrateAll(url());
    expect(second).toEqual({ createdDatabase: false, appliedSql: false });

    const sql = postgres(url(), { max: 1, onnotice: () => {} });
    try {
      const objects = await sql`
        select (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'pgrecall')::int as functions,
               (select count(*) from pg_views where schemaname = 'pgrecall')::int as views,
               (select count(*) from pg_trigger where tgrelid = 'pgrecall.frames'::regclass and not tgisinternal)::int as triggers,
               (select count(*) from graphile_migrate.migrations)::int as migrations,
               to_regnamespace('graphile_worker') is not null as worker`;
      // triggers on frames: 10, + 2 that end blob claims (lifecycle), + 2 of the summaries; views: + secret_counts
      expect(objects[0]).toMatchObject({ views: 6, triggers: 14, worker: true });
      expect(objects[0]!.functions).toBeGreaterThan(20);
      expect(objects[0]!.migrations).toBeGreaterThanOrEqual(1);
    } finally {
      await sql.end();
    }
  });

  it("re-applies sql/ when forced, inside one transaction", async () => {
    expect(await applySql(url(), { force: true })).toBe(true);
  });

  it("the CLI migrate command works against the same database", () => {
    const out = execFileSync("node", ["bin/pgrecall.js", "migrate"], {
      env: { ...process.env, DATABASE_URL: url() },
      encoding: "utf8",
    });
    expect(out).toMatch(/migrated \(sql\/ API already current\)/);
  });

  it("concurrent migrators do not trip over each other", async () => {
    await Promise.all([applySql(url(), { force: true }), applySql(url(), { force: true }), applySql(url(), { force: true })]);
  });
});

describe("the seed's SQL as written", () => {
  it("inserts into and selects from plain `frames` on a migrated database, from psql, and qualified names still work", async () => {
    await migrateAll(url());
    const psql = (cmd: string) => execFileSync("psql", [url(), "-XAtqc", cmd], { encoding: "utf8" }).trim();
    psql("insert into frames (deployment_id, phash, image_ref, window_title, app_name) values ('seed', 42, '/tmp/x.png', 'Inbox', 'mail')");
    expect(psql("select app_name || ' ' || ocr_status from frames where deployment_id = 'seed'")).toBe("mail 0");
    expect(psql("select count(*) from pgrecall.frames where deployment_id = 'seed'")).toBe("1");
    // Unqualified CREATE still lands in public, not in pgrecall.
    psql("create table scratch (x int)");
    expect(psql("select to_regclass('public.scratch') is not null")).toBe("t");
  });

  it("keeps an operator's own search_path, adding pgrecall to it once", async () => {
    const admin = postgres(url(), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`alter database "${name}" set search_path = app, public`);
      await migrateAll(url());
      await migrateAll(url());
      const [r] = await admin`select c from pg_db_role_setting s, unnest(s.setconfig) c
                              where s.setdatabase = (select oid from pg_database where datname = current_database()) and c like 'search_path=%'`;
      expect(r!.c).toBe("search_path=app, public, pgrecall");
    } finally {
      await admin.end();
    }
  });
});
