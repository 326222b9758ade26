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
      expect(objects[0]).toMatchObject({ views: 5, triggers: 9, worker: true });
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
