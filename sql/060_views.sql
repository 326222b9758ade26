-- Pending work and pipeline health, from our status columns (not graphile-worker's jobs),
-- so they stay true whatever runs the work.

create or replace function pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text)
returns text
language sql immutable parallel safe
as $$
  select left(concat_ws(E'\n', nullif(btrim(p_window_title), ''), nullif(btrim(p_app_name), ''), nullif(btrim(p_ocr_text), '')), 8192)
$$;
comment on function pgrecall.embedding_input(text, text, text) is
  'The text a frame''s embedding is made from: window title, app, OCR text, one per line, capped at 8192 characters (the model truncates further to its token limit).';

-- pending_<stage> for every stage of the registry: the frames runnable for it (pending, and
-- every stage it waits for done), how long they have been runnable, and the stage's own
-- extra columns (pgrecall.stages.view_columns).
do $generate$
declare
  v record;
begin
  for v in select s.* from pgrecall.stages s order by s.position loop
    execute format('drop view if exists pgrecall.%I', 'pending_' || v.stage);
    execute format($f$
      create view pgrecall.%1$I as
        select f.id, f.deployment_id, f.captured_at, f.inserted_at,
               now() - greatest(f.inserted_at %2$s) as waiting,
               f.image_ref, f.app_name, f.window_title %3$s
        from pgrecall.frames f
        where f.%4$I = 0 and f.tombstoned_at is null %5$s $f$,
      'pending_' || v.stage,
      (select string_agg(format(', f.%I', w || '_at'), '') from unnest(v.waits_for) w),
      case when v.view_columns <> '' then ', ' || v.view_columns else '' end,
      v.stage || '_status',
      (select string_agg(format(' and f.%I = 1', w || '_status'), '') from unnest(v.waits_for) w));
    execute format('comment on view pgrecall.%I is %L', 'pending_' || v.stage,
      format('Frames waiting for the %s stage (%s): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages.',
             v.stage, v.description) || ' Tombstoned frames wait until they are restored.');
  end loop;
end;
$generate$;

-- One vocabulary: status 2 is "failed" here as in the functions (the seed calls it "error").
drop view if exists pgrecall.pipeline;
do $generate$
begin
  execute format($f$
  create view pgrecall.pipeline as
  with per_stage as (
    -- prereq: whether the stages this one waits for are all done (ready), one of them failed
    -- or was skipped (failed: this stage runs only once that one is requeued), or not yet.
    select s.stage, s.status, s.finished_at, f.inserted_at, pgrecall._stage_prereq(f, s.stage) as prereq,
           f.excluded_by is not null as excluded
    from pgrecall.frames f
    cross join lateral (values %s) as s(stage, status, finished_at)
    where f.tombstoned_at is null
  ),
  recent as (
    select * from per_stage where status in (1, 2, 3) and finished_at > now() - interval '1 hour'
  )
  select
    st.stage,
    count(p.status) filter (where p.status = 0 and p.prereq = 'ready')   as pending,
    count(p.status) filter (where p.status = 0 and p.prereq = 'waiting') as blocked,
    count(p.status) filter (where p.status = 0 and p.prereq = 'failed')  as upstream_failed,
    count(p.status) filter (where p.status = 1)                          as done,
    count(p.status) filter (where p.status = 2)                          as failed,
    count(p.status) filter (where p.status = 3)                          as skipped,
    count(p.status) filter (where p.excluded)                            as excluded,
    now() - min(p.inserted_at) filter (where p.status = 0 and p.prereq = 'ready') as oldest_pending_age,
    (select count(*) from recent r where r.stage = st.stage)                    as finished_last_hour,
    (select count(*) from recent r where r.stage = st.stage and r.status = 2)   as failed_last_hour,
    (select round(avg((r.status = 2)::int), 4) from recent r where r.stage = st.stage) as failure_rate_last_hour
  from pgrecall.stages st
  left join per_stage p on p.stage = st.stage
  group by st.position, st.stage
  order by st.position $f$,
  (select string_agg(format('(%L, f.%I, f.%I)', s.stage, s.stage || '_status', s.stage || '_at'), ', ' order by s.position)
   from pgrecall.stages s));
end;
$generate$;
comment on view pgrecall.pipeline is
  'One row per stage of pgrecall.stages: frames pending (runnable), blocked (waiting for an earlier stage), upstream_failed (an earlier stage failed or was skipped: this one runs only once that is requeued), done, failed, skipped (excluded: of those, frames an exclusion rule kept nothing of); the age of the oldest pending frame; stages finished and failed in the last hour and the failure rate among them. Tombstoned frames are not counted.';
