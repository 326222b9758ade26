-- Health (issue 11.7): a few figures that stay cheap however many frames there are (index
-- probes, catalog estimates, the event log), each with whether it is healthy. pgrecall health
-- prints them and exits non-zero when one is not; /health and monitoring can call it too.

----------------------------------------------------------------------------------- health
create or replace function pgrecall.health(
  p_max_pending_age interval default '1 hour',
  p_max_failure_rate numeric default 0.5,
  p_max_retention_age interval default '1 hour'
)
returns table (check_name text, ok boolean, value text, detail text)
language plpgsql stable
security definer
set search_path to pg_catalog, pg_temp
as $$
-- The per-stage columns are named by the registry (format %I), which plpgsql_check cannot see through:
-- @plpgsql_check_options: other_warnings = off, extra_warnings = off, security_warnings = off
declare
  s record;
  v_age interval;
  v_done bigint;
  v_failed bigint;
  v_live integer;
  v_pending bigint := 0;
  v_at timestamptz;
  v_bytes numeric;
  v_n bigint;
begin
  check_name := 'database_bytes'; ok := true; value := pg_database_size(current_database())::text;
  detail := pg_size_pretty(pg_database_size(current_database())) || ' (whole database)';
  return next;

  select coalesce(sum(b.bytes), 0), count(*) into v_bytes, v_n from pgrecall.blob_sizes b;
  check_name := 'blob_bytes'; ok := true; value := v_bytes::text;
  detail := format('%s in %s blob(s), as measured by the last gc (an estimate between runs)', pg_size_pretty(v_bytes), v_n);
  return next;

  check_name := 'frames_estimate'; ok := true;
  value := (select greatest(c.reltuples, 0)::bigint from pg_class c where c.oid = 'pgrecall.frames'::regclass)::text;
  detail := value || ' frames, the planner''s estimate (pg_class.reltuples, as of the last analyze)';
  return next;

  for s in select c.stage, c.pending, c.oldest_pending_age, c.capped from pgrecall.stage_counts() c loop
    -- The oldest runnable pending frame, from the stage's partial index over pending rows (pgrecall.stage_counts).
    -- Runnable frames only: one waiting for an earlier stage is that stage's delay (and one behind a
    -- failure is pgrecall status's upstream_failed).
    v_age := s.oldest_pending_age;
    v_n := s.pending;
    v_pending := v_pending + v_n;
    check_name := s.stage || '_oldest_pending'; ok := v_age is null or v_age <= p_max_pending_age;
    value := coalesce(extract(epoch from v_age)::bigint::text, '0');
    detail := case when v_age is null then 'nothing pending'
                   when s.capped then format('over %s pending, the oldest of those read for %s (limit %s)', v_n - 1, date_trunc('second', v_age), p_max_pending_age)
                   else format('%s pending, the oldest for %s (limit %s)', v_n, date_trunc('second', v_age), p_max_pending_age) end;
    return next;
    -- Failures among the frames captured in the last hour (the captured_at index).
    execute format('select count(*) filter (where f.%1$I = 1), count(*) filter (where f.%1$I = 2) from pgrecall.frames f
                    where f.captured_at >= now() - interval ''1 hour''', s.stage || '_status') into v_done, v_failed;
    check_name := s.stage || '_failure_rate'; ok := v_done + v_failed < 10 or v_failed::numeric / (v_done + v_failed) <= p_max_failure_rate;
    value := case when v_done + v_failed = 0 then '0' else round(v_failed::numeric / (v_done + v_failed), 4)::text end;
    detail := format('%s failed, %s done of the frames captured in the last hour (limit %s, judged from 10 finished)', v_failed, v_done, p_max_failure_rate);
    return next;
  end loop;

  select count(*) into v_live from pgrecall.workers w where w.heartbeat_at > now() - w.dead_after;
  check_name := 'workers'; ok := v_live > 0 or v_pending = 0; value := v_live::text;
  detail := format('%s live worker process pool(s); %s stage(s) pending', v_live, v_pending);
  return next;

  select max(e.at) into v_at from pgrecall.events e where e.action = 'retention';
  check_name := 'last_retention';
  ok := coalesce(v_at > now() - p_max_retention_age, false)
        or not exists (select 1 from pgrecall.settings st
                       where st.keep_images_for is not null or st.keep_text_for is not null or st.keep_frames_for is not null or st.max_storage is not null);
  value := coalesce(v_at::text, 'never');
  detail := case when v_at is null then 'no retention pass yet' else format('%s ago (the worker runs one every 10 minutes; limit %s when a deployment has retention settings)', date_trunc('second', now() - v_at), p_max_retention_age) end;
  return next;

  select max(e.at) into v_at from pgrecall.events e where e.action = 'gc';
  select count(*) into v_n from pgrecall.blob_releases;
  check_name := 'last_gc'; ok := true; value := coalesce(v_at::text, 'never');
  detail := format('%s; %s released image(s) waiting for it', coalesce(date_trunc('second', now() - v_at)::text || ' ago', 'never run'), v_n);
  return next;
end;
$$;
comment on function pgrecall.health(interval, numeric, interval) is
  'Health figures, each with ok: database and blob bytes (blob bytes as the last gc measured them), an estimate of the frames, per stage the oldest runnable pending frame (unhealthy past p_max_pending_age) and the failure rate of the frames captured in the last hour (unhealthy past p_max_failure_rate, from 10 finished), '
  'live workers (unhealthy when work is pending and none is alive), the last retention pass (unhealthy when older than p_max_retention_age and a deployment has retention settings) and the last gc. Cheap at any size: index probes, catalog estimates, the event log.';

revoke all on function pgrecall.health(interval, numeric, interval) from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant execute on function pgrecall.health(interval, numeric, interval) to pgrecall_reader, pgrecall_worker;
