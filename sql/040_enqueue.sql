-- Enqueueing: which stages a frame wants run, and graphile-worker jobs for the stages a
-- statement made wanted. Statement-level triggers make one add_jobs call per statement
-- (per-row add_job made batched inserts and COPY 13-21x slower).

-- pgrecall.stages_wanted(frame) is generated from the stage registry (sql/015_stages.sql).

create or replace function pgrecall.job_key(p_stage text, p_frame_id uuid)
returns text
language sql immutable strict parallel safe
as $$ select 'pgrecall:' || p_stage || ':' || p_frame_id $$;
comment on function pgrecall.job_key(text, uuid) is
  'graphile-worker job key of a frame''s stage: enqueueing the same stage twice replaces the waiting job instead of adding a second.';

create or replace function pgrecall._add_jobs(p_stages text[], p_frame_ids uuid[], p_deployment_ids text[])
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_specs graphile_worker.job_spec[];
begin
  select array_agg(row(
           j.stage,
           json_build_object('frame_id', j.frame_id),
           null, null,
           coalesce(s.job_max_attempts, d.job_max_attempts),
           pgrecall.job_key(j.stage, j.frame_id),
           null, null
         )::graphile_worker.job_spec)
    into v_specs
  from unnest(p_stages, p_frame_ids, p_deployment_ids) as j(stage, frame_id, deployment_id)
  cross join (select job_max_attempts from pgrecall.settings where deployment_id = '*') as d
  left join pgrecall.settings s on s.deployment_id = j.deployment_id;
  if v_specs is null then
    return 0;
  end if;
  perform graphile_worker.add_jobs(v_specs);
  return cardinality(v_specs);
end;
$$;
comment on function pgrecall._add_jobs(text[], uuid[], text[]) is
  'Internal: queue one graphile-worker job per (stage, frame) in a single add_jobs call, keyed per frame and stage.';

create or replace function pgrecall.tg_frames__enqueue_inserted()
returns trigger
language plpgsql volatile
-- the owner's rights: a capture role may not write graphile-worker's tables (sql/090_roles.sql)
security definer
set search_path to pg_catalog, pg_temp
as $$
begin
  perform pgrecall._add_jobs(array_agg(w.stage), array_agg(n.id), array_agg(n.deployment_id))
    from new_frames n
    cross join lateral unnest(pgrecall.stages_wanted(n)) as w(stage);
  return null;
end;
$$;
comment on function pgrecall.tg_frames__enqueue_inserted() is
  'Queues the jobs every inserted frame wants, in one add_jobs call per statement.';

create or replace function pgrecall.tg_frames__enqueue_updated()
returns trigger
language plpgsql volatile
-- the owner's rights: a capture role may not write graphile-worker's tables (sql/090_roles.sql)
security definer
set search_path to pg_catalog, pg_temp
as $$
begin
  perform pgrecall._add_jobs(array_agg(w.stage), array_agg(n.id), array_agg(n.deployment_id))
    from new_frames n
    join old_frames o on o.id = n.id
    cross join lateral (
      select unnest(pgrecall.stages_wanted(n))
      except
      select unnest(pgrecall.stages_wanted(o))
    ) as w(stage);
  return null;
end;
$$;
comment on function pgrecall.tg_frames__enqueue_updated() is
  'Queues the jobs that an update made wanted (phash arrived, OCR done, a stage requeued), in one add_jobs call per statement.';

create or replace trigger _900_enqueue_inserted
  after insert on pgrecall.frames
  referencing new table as new_frames
  for each statement execute function pgrecall.tg_frames__enqueue_inserted();

create or replace trigger _900_enqueue_updated
  after update on pgrecall.frames
  referencing old table as old_frames new table as new_frames
  for each statement execute function pgrecall.tg_frames__enqueue_updated();

create or replace function pgrecall.enqueue_pending(p_deployment_id text default null)
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  -- Skips stages whose job is running or still has attempts left: re-adding a running
  -- job's key would start the work twice. An exhausted job is reset by add_jobs.
  return (
    select pgrecall._add_jobs(array_agg(w.stage), array_agg(f.id), array_agg(f.deployment_id))
    from pgrecall.frames f
    cross join lateral unnest(pgrecall.stages_wanted(f)) as w(stage)
    where (p_deployment_id is null or f.deployment_id = p_deployment_id)
      and not exists (
        select 1 from graphile_worker.jobs j
        where j.key = pgrecall.job_key(w.stage, f.id)
          and (j.locked_at is not null or j.attempts < j.max_attempts)
      )
  );
end;
$$;
comment on function pgrecall.enqueue_pending(text) is
  'Queues a job for every pending stage that has none (after jobs were deleted or exhausted their attempts). Returns how many were queued.';
