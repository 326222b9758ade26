-- Dead workers. graphile-worker 0.17 leaves the jobs of a killed worker locked for 4 hours.
-- pgrecall workers beat a heartbeat into pgrecall.workers, each declaring how long it may
-- stay silent (its --dead-after); any worker (or an operator) calling release_dead_workers
-- unlocks the jobs of workers silent longer than they declared, so they run again within
-- that time. Workers that never registered (other graphile-worker users of the same schema)
-- are never touched. A worker that stops cleanly says so (worker_stopped): nothing of it is
-- left locked or registered.

---- worker_heartbeat
create or replace function pgrecall.worker_heartbeat(
  p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval
)
returns void
language sql volatile
set search_path to pg_catalog, pg_temp
as $$
  insert into pgrecall.workers (worker_id, hostname, pid, dead_after)
  select w, p_hostname, p_pid, p_dead_after from unnest(p_worker_ids) as w
  on conflict (worker_id) do update set heartbeat_at = now(), dead_after = excluded.dead_after
$$;
comment on function pgrecall.worker_heartbeat(text[], text, integer, interval) is
  'Records that these graphile-worker workers (and pool) of one process are alive, and how long each may stay silent before it counts as dead (the worker''s --dead-after; it beats every min(10 s, dead_after / 4)).';

-- Workers started before dead_after was recorded call this one during a rolling upgrade.
create or replace function pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer)
returns void
language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.worker_heartbeat(p_worker_ids, p_hostname, p_pid, interval '60 seconds') $$;
comment on function pgrecall.worker_heartbeat(text[], text, integer) is
  'Heartbeat of a worker that declares no dead-after (workers of earlier pgrecall versions): judged by the default, 60 seconds.';

---- worker_stopped
-- (A two-argument worker_stopped existed for a day in development databases.)
drop function if exists pgrecall.worker_stopped(text[], bigint[]);

create or replace function pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[])
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_held bigint[];
  v_again integer;
begin
  -- What these workers still hold: jobs whose end was lost with the connection or with the
  -- stop (graphile-worker does not wait for its complete/fail calls).
  v_held := array(select j.id from graphile_worker.jobs j where j.locked_by = any(p_worker_ids));
  perform graphile_worker.force_unlock_workers(p_worker_ids);
  -- A job whose task succeeded is complete, whether or not graphile-worker got to say so.
  perform graphile_worker.complete_jobs(p_completed_jobs);
  -- A job cut short by the stop did not fail: it gets its attempt back and runs at once.
  perform graphile_worker.reschedule_jobs(array[j.id], run_at => now(), attempts => greatest(j.attempts - 1, 0))
  from graphile_worker.jobs j
  where j.id = any(p_interrupted_jobs);
  delete from pgrecall.workers where worker_id = any(p_worker_ids);
  select count(*)::integer into v_again from graphile_worker.jobs j where j.id = any(v_held || p_interrupted_jobs);
  return v_again;
end;
$$;
comment on function pgrecall.worker_stopped(text[], bigint[], bigint[]) is
  'A worker process (or one graphile-worker pool of it) has stopped: unlocks any job these workers still hold, completes those whose task had succeeded (p_completed_jobs: graphile-worker does not wait for its own completion call), gives the jobs it interrupted (p_interrupted_jobs) their attempt back and runs them at once, and forgets the workers. Returns how many of the jobs it held or interrupted will run again.';

create or replace function pgrecall.worker_stopped(p_worker_ids text[])
returns void
language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.worker_stopped(p_worker_ids, '{}'::bigint[], '{}'::bigint[]) $$;
comment on function pgrecall.worker_stopped(text[]) is 'Forgets workers that shut down cleanly, unlocking any job they still hold.';

---- release_dead_workers
create or replace function pgrecall.release_dead_workers(p_dead_after interval default null)
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_dead text[];
  v_jobs integer;
begin
  -- skip locked: two workers releasing at once must not wait on each other
  select array_agg(w.worker_id) into v_dead
  from (select worker_id from pgrecall.workers
        where heartbeat_at < now() - coalesce(p_dead_after, dead_after)
        for update skip locked) w;
  if v_dead is null then
    return 0;
  end if;
  select count(*)::integer into v_jobs from graphile_worker.jobs j where j.locked_by = any(v_dead);
  perform graphile_worker.force_unlock_workers(v_dead);
  delete from pgrecall.workers where worker_id = any(v_dead);
  return v_jobs;
end;
$$;
comment on function pgrecall.release_dead_workers(interval) is
  'Unlocks the jobs of pgrecall workers that have been silent longer than they declared (pgrecall.workers.dead_after), so they run again, and forgets those workers. Returns how many jobs were released. Workers call it without an argument. An operator may pass p_dead_after to judge every registered worker by that interval instead (e.g. ''0 seconds'' once every worker is known to be stopped): a live worker silent longer than it would then lose its jobs, which may run twice.';
