-- Dead workers. graphile-worker 0.17 leaves the jobs of a killed worker locked for 4 hours.
-- pgrecall workers beat a heartbeat into pgrecall.workers; any worker (or an operator)
-- calling release_dead_workers unlocks the jobs of workers whose heartbeat stopped, so they
-- run again within a minute. Workers that never registered (other graphile-worker users of
-- the same schema) are never touched.

create or replace function pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer)
returns void
language sql volatile
as $$
  insert into pgrecall.workers (worker_id, hostname, pid)
  select w, p_hostname, p_pid from unnest(p_worker_ids) as w
  on conflict (worker_id) do update set heartbeat_at = now()
$$;
comment on function pgrecall.worker_heartbeat(text[], text, integer) is 'Records that these graphile-worker workers of one process are alive.';

create or replace function pgrecall.worker_stopped(p_worker_ids text[])
returns void
language sql volatile
as $$ delete from pgrecall.workers where worker_id = any(p_worker_ids) $$;
comment on function pgrecall.worker_stopped(text[]) is 'Forgets workers that shut down cleanly.';

create or replace function pgrecall.release_dead_workers(p_dead_after interval default '60 seconds')
returns integer
language plpgsql volatile
as $$
declare
  v_dead text[];
  v_jobs integer;
begin
  -- skip locked: two workers releasing at once must not wait on each other
  select array_agg(w.worker_id) into v_dead
  from (select worker_id from pgrecall.workers
        where heartbeat_at < now() - p_dead_after
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
  'Unlocks the jobs of pgrecall workers whose heartbeat is older than p_dead_after, so they run again. Returns how many jobs were released.';
