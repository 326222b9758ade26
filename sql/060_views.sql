-- Pending work and pipeline health, from our status columns (not graphile-worker's jobs),
-- so they stay true whatever runs the work.

create or replace view pgrecall.pending_hash as
  select id, deployment_id, captured_at, inserted_at, now() - inserted_at as waiting, image_ref
  from pgrecall.frames
  where hash_status = 0;
comment on view pgrecall.pending_hash is 'Frames waiting for their perceptual hash.';

create or replace view pgrecall.pending_ocr as
  select id, deployment_id, captured_at, inserted_at, now() - inserted_at as waiting, image_ref, app_name, window_title
  from pgrecall.frames
  where ocr_status = 0 and hash_status = 1;
comment on view pgrecall.pending_ocr is 'Hashed, non-duplicate frames waiting for OCR.';

create or replace view pgrecall.pending_vision as
  select id, deployment_id, captured_at, inserted_at, now() - inserted_at as waiting, image_ref, app_name, window_title
  from pgrecall.frames
  where vision_status = 0 and hash_status = 1;
comment on view pgrecall.pending_vision is 'Hashed, non-duplicate frames waiting for a vision description.';

create or replace function pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text)
returns text
language sql immutable parallel safe
as $$
  select left(concat_ws(E'\n', nullif(btrim(p_window_title), ''), nullif(btrim(p_app_name), ''), nullif(btrim(p_ocr_text), '')), 8192)
$$;
comment on function pgrecall.embedding_input(text, text, text) is
  'The text a frame''s embedding is made from: window title, app, OCR text, one per line, capped at 8192 characters (the model truncates further to its token limit).';

create or replace view pgrecall.pending_embedding as
  select id, deployment_id, captured_at, inserted_at, now() - coalesce(ocr_at, inserted_at) as waiting, app_name, window_title,
         pgrecall.embedding_input(window_title, app_name, ocr_text) as input
  from pgrecall.frames
  where embedding_status = 0 and ocr_status = 1;
comment on view pgrecall.pending_embedding is 'Frames whose OCR is done, waiting for their text embedding; input is the text to embed.';

-- A column was added in the middle: drop and recreate (nothing depends on this view).
drop view if exists pgrecall.pipeline;
create view pgrecall.pipeline as
  with per_stage as (
    -- prereq: whether the stages this one waits for are all done (ready), one of them ended in
    -- error or was skipped (failed: this stage cannot run until that one is requeued), or not yet.
    select s.stage, s.status, s.finished_at, f.inserted_at, s.prereq
    from pgrecall.frames f
    cross join lateral (values
      ('hash',      f.hash_status,      f.hash_at,      'ready'),
      ('ocr',       f.ocr_status,       f.ocr_at,       case f.hash_status when 1 then 'ready' when 0 then 'waiting' else 'failed' end),
      ('vision',    f.vision_status,    f.vision_at,    case f.hash_status when 1 then 'ready' when 0 then 'waiting' else 'failed' end),
      ('embedding', f.embedding_status, f.embedding_at,
                    case when f.hash_status in (2, 3) or f.ocr_status in (2, 3) then 'failed'
                         when f.hash_status = 1 and f.ocr_status = 1 then 'ready' else 'waiting' end)
    ) as s(stage, status, finished_at, prereq)
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
    count(p.status) filter (where p.status = 2)                          as error,
    count(p.status) filter (where p.status = 3)                          as skipped,
    now() - min(p.inserted_at) filter (where p.status = 0 and p.prereq = 'ready') as oldest_pending_age,
    (select count(*) from recent r where r.stage = st.stage)                    as finished_last_hour,
    (select count(*) from recent r where r.stage = st.stage and r.status = 2)   as errors_last_hour,
    (select round(avg((r.status = 2)::int), 4) from recent r where r.stage = st.stage) as error_rate_last_hour
  from (values (1, 'hash'), (2, 'ocr'), (3, 'vision'), (4, 'embedding')) as st(ord, stage)
  left join per_stage p on p.stage = st.stage
  group by st.ord, st.stage
  order by st.ord;
comment on view pgrecall.pipeline is
  'One row per stage: frames pending (runnable), blocked (waiting for an earlier stage), upstream_failed (an earlier stage failed or was skipped: this one runs only once that is requeued), done, error, skipped; the age of the oldest pending frame; stages finished and failed in the last hour and the error rate among them.';
