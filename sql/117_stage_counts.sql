-- Stage counts that stay cheap however many frames there are (issue 11.7), for /health and
-- pgrecall.health(). The pipeline view counts every frame once per stage (exact, and minutes
-- at ten million frames); this reads only the small partial indexes (pending and failed
-- frames) and, for the large counts (done, skipped), the planner's statistics.

------------------------------------------------------------------------------ stage_counts
create or replace function pgrecall.stage_counts(p_cap integer default 100000)
returns table (
  stage text,
  pending bigint,
  blocked bigint,
  upstream_failed bigint,
  failed bigint,
  done bigint,
  skipped bigint,
  oldest_pending_age interval,
  capped boolean,
  estimated boolean
)
language plpgsql stable
security definer
set search_path to pg_catalog, pg_temp
as $$
-- The per-stage columns are named by the registry (format %I), which plpgsql_check cannot see through:
-- @plpgsql_check_options: other_warnings = off, extra_warnings = off, security_warnings = off
declare
  s record;
  v_rows numeric;
  v_col text;
begin
  if p_cap is null or p_cap < 1 or p_cap > 10000000 then
    raise exception 'pgrecall.stage_counts: p_cap must be between 1 and 10000000, not %', coalesce(p_cap::text, 'null')
      using errcode = '22023';
  end if;
  select greatest(c.reltuples, 0) into v_rows from pg_class c where c.oid = 'pgrecall.frames'::regclass;
  -- Never analyzed (reltuples -1 → 0) or small: count exactly, it is as cheap as the estimate.
  estimated := v_rows > p_cap;
  for s in select st.stage from pgrecall.stages st order by st.position loop
    stage := s.stage;
    v_col := s.stage || '_status';
    -- Pending frames, by what they wait for: the stage's partial index over pending rows, at most p_cap + 1 of them.
    execute format('select count(*) filter (where x.prereq = ''ready''), count(*) filter (where x.prereq = ''waiting''),
                           count(*) filter (where x.prereq = ''failed''), now() - min(x.inserted_at) filter (where x.prereq = ''ready''),
                           count(*) > %2$s
                    from (select f.inserted_at, pgrecall._stage_prereq(f, %1$L) as prereq from pgrecall.frames f
                          where f.%3$I = 0 and f.tombstoned_at is null limit %2$s + 1) x',
                   s.stage, p_cap, v_col)
      into pending, blocked, upstream_failed, oldest_pending_age, capped;
    -- Failed frames: idx_frames_failed, at most p_cap + 1.
    execute format('select count(*) from (select from pgrecall.frames f where f.%1$I = 2 and f.tombstoned_at is null limit %2$s + 1) x',
                   v_col, p_cap)
      into failed;
    capped := capped or failed > p_cap;
    if estimated then
      -- The planner's statistics (as of the last analyze): the share of each status among all frames.
      select round(v_rows * coalesce(sum(u.freq) filter (where u.val = 1), 0)),
             round(v_rows * coalesce(sum(u.freq) filter (where u.val = 3), 0))
        into done, skipped
        from pg_stats ps
        cross join lateral unnest(ps.most_common_vals::text::smallint[], ps.most_common_freqs) as u(val, freq)
       where ps.schemaname = 'pgrecall' and ps.tablename = 'frames' and ps.attname = v_col;
    else
      execute format('select count(*) filter (where f.%1$I = 1), count(*) filter (where f.%1$I = 3)
                      from pgrecall.frames f where f.tombstoned_at is null', v_col)
        into done, skipped;
    end if;
    return next;
  end loop;
end;
$$;
comment on function pgrecall.stage_counts(integer) is
  'Per stage of pgrecall.stages, cheaply at any size: pending (runnable), blocked (waiting for an earlier stage), upstream_failed and failed, '
  'counted exactly from small partial indexes: the three kinds of pending frames together up to p_cap, failed up to p_cap (capped says a count stopped there: then the figures are of the frames read, and oldest_pending_age is the oldest of those); '
  'done and skipped, counted exactly while the table holds at most p_cap frames, else estimated from the planner''s statistics as of the last analyze (estimated). Tombstoned frames are not counted (the estimates include them). '
  'pgrecall.pipeline is the exact view (it reads every frame).';

revoke all on function pgrecall.stage_counts(integer) from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant execute on function pgrecall.stage_counts(integer) to pgrecall_reader, pgrecall_worker;
