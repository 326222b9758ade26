-- The stage registry (pgrecall.stages) made into code. Every function that needs "for each
-- stage" is generated here from the registry's rows, as plain CASE expressions over the
-- stage's columns: no dynamic SQL on the insert path, and re-applying sql/ after a migration
-- that adds a stage regenerates them. Statuses: 0 pending, 1 done, 2 failed (the seed's
-- "error"), 3 skipped — pgrecall.status_name says so in words.

----------------------------------------------------------------------------------- status_name
create or replace function pgrecall.status_name(p_status smallint)
returns text
language sql immutable strict parallel safe
set search_path to pg_catalog, pg_temp
as $$ select (array['pending', 'done', 'failed', 'skipped'])[p_status + 1] $$;
comment on function pgrecall.status_name(smallint) is 'A stage status in words: 0 pending, 1 done, 2 failed (the seed''s "error"), 3 skipped.';

----------------------------------------------------------------------------------- _stage
create or replace function pgrecall._stage(p_stage text)
returns text
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_stage text;
begin
  -- A stage may be named by itself or by its task (embedding / embed).
  select s.stage into v_stage from pgrecall.stages s where p_stage in (s.stage, s.task);
  if v_stage is null then
    raise exception 'unknown stage "%"', p_stage
      using errcode = '22023',
            hint = 'Stages are ' || (select string_agg(s.stage, ', ' order by s.position) from pgrecall.stages s) || '.';
  end if;
  return v_stage;
end;
$$;
comment on function pgrecall._stage(text) is 'Internal: the registry''s name of a stage, given it or its task (embed is the embedding stage); raises on anything else.';

----------------------------------------------------------------------------------- generated
do $generate$
declare
  v_status text;     -- case p_stage when 'hash' then f.hash_status …
  v_wanted text;     -- case when f.hash_status = 1 and f.ocr_status = 0 then 'ocr' end, …
  v_prereq text;     -- case p_stage when 'ocr' then case when … then 'failed' … end …
  v_owned text;      -- f.hash_status <> 0 or … or num_nonnulls(f.hash_message, …) > 0
begin
  select string_agg(format('when %L then f.%I', s.stage, s.stage || '_status'), ' ' order by s.position),
         string_agg(format('case when %s f.%I = 0 then %L end',
                           (select string_agg(format('f.%I = 1 and', w || '_status'), ' ') from unnest(s.waits_for) w),
                           s.stage || '_status', s.task), ', ' order by s.position),
         string_agg(format('when %L then %s', s.stage,
                           case when cardinality(s.waits_for) = 0 then quote_literal('ready') else format(
                             'case when %s then ''failed'' when %s then ''ready'' else ''waiting'' end',
                             (select string_agg(format('f.%I in (2, 3)', w || '_status'), ' or ') from unnest(s.waits_for) w),
                             (select string_agg(format('f.%I = 1', w || '_status'), ' and ') from unnest(s.waits_for) w)) end),
                    ' ' order by s.position)
    into v_status, v_wanted, v_prereq
  from pgrecall.stages s;
  select string_agg(format('f.%I <> 0', s.stage || '_status'), ' or ' order by s.position)
         || format(' or num_nonnulls(f.duplicate_of, f.duplicate_distance, %s) > 0',
                   string_agg(format('f.%I, f.%I', s.stage || '_message', s.stage || '_at')
                              || coalesce((select string_agg(format(', f.%I', r), '') from unnest(s.results) r), ''),
                              ', ' order by s.position))
    into v_owned
  from pgrecall.stages s;

  execute format($f$
    create or replace function pgrecall._stage_status(f pgrecall.frames, p_stage text)
    returns smallint
    language sql immutable parallel safe
    as $body$ select case p_stage %s end $body$ $f$, v_status);
  execute format($f$
    create or replace function pgrecall.stages_wanted(f pgrecall.frames)
    returns text[]
    language sql immutable parallel safe
    as $body$ select array_remove(array[%s], null) $body$ $f$, v_wanted);
  execute format($f$
    create or replace function pgrecall._stage_prereq(f pgrecall.frames, p_stage text)
    returns text
    language sql immutable parallel safe
    as $body$ select case p_stage %s end $body$ $f$, v_prereq);
  execute format($f$
    create or replace function pgrecall._sets_pipeline_columns(f pgrecall.frames)
    returns boolean
    language sql immutable parallel safe
    as $body$ select %s $body$ $f$, v_owned);
end;
$generate$;
comment on function pgrecall._sets_pipeline_columns(pgrecall.frames) is
  'Internal, generated from pgrecall.stages: whether a row sets a column only the pipeline writes (a stage''s status, message, time or results; duplicate_of, duplicate_distance).';
comment on function pgrecall._stage_status(pgrecall.frames, text) is 'Internal, generated from pgrecall.stages: the status of one stage of a frame.';
comment on function pgrecall.stages_wanted(pgrecall.frames) is
  'Generated from pgrecall.stages: the task identifiers a frame in this state is waiting for (a pending stage whose waits_for are all done).';
comment on function pgrecall._stage_prereq(pgrecall.frames, text) is
  'Internal, generated from pgrecall.stages: whether the stages this one waits for are all done (ready), one failed or was skipped (failed), or not yet (waiting).';
