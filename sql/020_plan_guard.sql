-- Plan guard: how the triggers' queries are planned, decided once per statement.
--  * While frames is small (by pg_class.reltuples, which autovacuum keeps current), plan
--    them afresh for every row: a plan cached while the table was empty (a new install, a
--    bulk load after TRUNCATE) picks whatever index is cheapest on no rows, and one long
--    COPY would go on using it at a million rows.
--  * Once the statistics mean something, use generic plans: left to itself, the plan cache
--    kept re-planning the dedup lookups for every row (its cost model preferred custom
--    plans), which made planning most of the cost of an insert.
-- Neither function pins search_path: a SET clause would undo their set_config at function
-- exit, which is the whole point of them.

create or replace function pgrecall.tg_frames__plan_guard_begin()
returns trigger
language plpgsql volatile
as $$
begin
  perform set_config('pgrecall.saved_plan_cache_mode', current_setting('plan_cache_mode'), true);
  perform set_config('plan_cache_mode',
    case when (select c.reltuples from pg_catalog.pg_class c where c.oid = TG_RELID) < 10000
         then 'force_custom_plan' else 'force_generic_plan' end,
    true);
  return null;
end;
$$;
comment on function pgrecall.tg_frames__plan_guard_begin() is
  'Sets plan_cache_mode for the statement''s triggers: custom plans while frames holds under 10,000 rows (per its statistics), generic plans after.';

create or replace function pgrecall.tg_frames__plan_guard_end()
returns trigger
language plpgsql volatile
as $$
declare
  v_saved text := nullif(current_setting('pgrecall.saved_plan_cache_mode', true), '');
begin
  if v_saved is not null then
    perform set_config('plan_cache_mode', v_saved, true);
    perform set_config('pgrecall.saved_plan_cache_mode', '', true);
  end if;
  return null;
end;
$$;
comment on function pgrecall.tg_frames__plan_guard_end() is 'Restores plan_cache_mode after a statement on frames.';
