// plpgsql_check over every PL/pgSQL function: an error in a rarely-taken branch fails here,
// not in a user's insert.
import { describe, expect, it } from "vitest";
import { lintPlpgsql } from "../../src/lint.js";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();

describe("plpgsql_check", () => {
  it("finds nothing in the pgrecall schema", async () => {
    const issues = await lintPlpgsql(db.sql);
    expect(issues).toEqual([]);
  });

  it("would catch an error in a branch that never runs", async () => {
    await db.sql.unsafe(`create function pgrecall._lint_probe(x int) returns int language plpgsql as $$
      begin if x < 0 then return (select no_such_column from pgrecall.frames limit 1); end if; return x; end $$`);
    const issues = await lintPlpgsql(db.sql);
    expect(issues.map((i) => i.message).join("\n")).toMatch(/no_such_column/);
    await db.sql`drop function pgrecall._lint_probe(int)`;
  });

  it("every function pins its search_path, but for those a SET clause would slow or break (each reason named)", async () => {
    const unpinned: Record<string, string> = {
      // Inlined into the queries that use them (a SET clause stops inlining); hot or in views.
      hamming: "inlined: dedup lookups", phash_prefix: "inlined: dedup", tiles_changed: "inlined: dedup",
      settings_for: "inlined: dedup lookup", stages_wanted: "inlined: enqueue", job_key: "inlined: enqueue",
      _stage_status: "inlined: transitions", embedding_input: "inlined: pending_embedding view",
      straighten_quotes: "inlined: snippets", _stage_prereq: "inlined: pipeline view",
      _sets_pipeline_columns: "inlined: normalize, per row",
      normalize_title: "inlined: summaries' timeline, per frame",
      // Run for every inserted frame: a SET clause costs ~10 µs a call on PostgreSQL 15.
      tg_frames__normalize: "per row", tg_frames__exclude: "per row", exclusion_for: "per row (from _150_exclude)", tg_frames__dedup: "per row", _find_near_duplicate: "per row", _learn_words: "per row",
      // Their set_config must outlive the function, which a SET clause would undo.
      tg_frames__plan_guard_begin: "sets plan_cache_mode for the statement", tg_frames__plan_guard_end: "restores it",
    };
    const rows = await db.sql<{ proname: string; pinned: boolean }[]>`
      select p.proname, coalesce(exists (select 1 from unnest(p.proconfig) c where c = 'search_path=pg_catalog, pg_temp'), false) as pinned
      from pg_proc p where p.pronamespace = 'pgrecall'::regnamespace order by 1`;
    expect(rows.filter((r) => !r.pinned && !(r.proname in unpinned)).map((r) => r.proname)).toEqual([]);
    expect(rows.filter((r) => r.pinned && r.proname in unpinned).map((r) => r.proname)).toEqual([]);
  });

  it("names no extension object by the public schema: extensions are found wherever they were installed", async () => {
    const rows = await db.sql`select p.proname from pg_proc p
                              where p.pronamespace = 'pgrecall'::regnamespace and p.prosrc ~ 'public\\.'`;
    expect(rows).toEqual([]);
  });
});
