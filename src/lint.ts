// plpgsql_check over every PL/pgSQL function of the pgrecall schema, so an error in a
// rarely-taken branch fails CI instead of a user's insert.
import type { Sql } from "./db.js";

export interface LintIssue {
  function: string;
  level: string;
  message: string;
  line: number | null;
  query: string | null;
}

export async function lintPlpgsql(sql: Sql): Promise<LintIssue[]> {
  await sql`create extension if not exists plpgsql_check`;
  // Trigger functions are checked against their table, with the transition tables they use.
  const rows = await sql<{ fn: string; level: string; message: string; lineno: number | null; query: string | null }[]>`
    with fns as (
      select p.oid, p.oid::regprocedure::text as fn,
             t.tgrelid,
             (select tg.tgnewtable from pg_trigger tg where tg.tgfoid = p.oid and tg.tgnewtable is not null limit 1) as newtable,
             (select tg.tgoldtable from pg_trigger tg where tg.tgfoid = p.oid and tg.tgoldtable is not null limit 1) as oldtable
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
      join pg_language l on l.oid = p.prolang
      left join lateral (select tgrelid from pg_trigger where tgfoid = p.oid limit 1) t on true
      where n.nspname = 'pgrecall' and l.lanname = 'plpgsql'
    )
    select f.fn, r.level, r.message, r.lineno, r.query
    from fns f
    cross join lateral plpgsql_check_function_tb(
      f.oid,
      coalesce(f.tgrelid, 0),
      newtable => f.newtable,
      oldtable => f.oldtable,
      extra_warnings => true,
      performance_warnings => false,
      security_warnings => true
    ) r
    order by f.fn, r.lineno`;
  return rows.map((r) => ({ function: r.fn, level: r.level, message: r.message, line: r.lineno, query: r.query }));
}
