-- Status transitions. Tasks call only these: each checks that the stage is pending (0),
-- records the result, and leaves queueing the next stage to the enqueue trigger.
-- Legal: 0 -> 1 done | 2 error | 3 skipped; 2 or 3 -> 0 by requeue. Anything else raises.

-- pgrecall._stage (a stage's name from it or its task) and pgrecall._stage_status are in
-- sql/015_stages.sql, generated from the stage registry like every list of stages here.

create or replace function pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text)
returns void
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_status smallint;
begin
  select pgrecall._stage_status(f, p_stage)
    into v_status
  from pgrecall.frames f where f.id = p_frame_id;
  if v_status is null then
    raise exception 'frame % does not exist', p_frame_id using errcode = 'P0002';
  end if;
  raise exception 'cannot % % of frame %: its % status is % (%)',
      p_action, p_stage, p_frame_id, p_stage, v_status, pgrecall.status_name(v_status)
    using errcode = '55000',
          hint = case when p_action = 'requeue' then 'Only a failed (2) or skipped (3) stage, and not one a near-duplicate or an exclusion rule skipped, can be requeued.'
                      else 'Only a pending (0) stage can be finished. To run it again, requeue it first.' end;
end;
$$;
comment on function pgrecall._raise_illegal(uuid, text, text) is 'Internal: raises the precise error for a transition that is not allowed.';

create or replace function pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text)
returns pgrecall.frames
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
-- The stage's columns are named by the registry, so the update is dynamic (format %I) and
-- plpgsql_check cannot see its result:
-- @plpgsql_check_options: other_warnings = off
declare
  v_stage text := pgrecall._stage(p_stage);
  v_frame pgrecall.frames;
begin
  if p_status not in (2, 3) then
    raise exception 'internal: _finish_stage sets error (2) or skipped (3), not %', p_status;
  end if;
  if p_status = 3 and not (select s.skippable from pgrecall.stages s where s.stage = v_stage) then
    raise exception 'the % stage cannot be skipped (frame %)', v_stage, p_frame_id
      using errcode = '22023', hint = 'Record a failure with pgrecall.frame_stage_failed.';
  end if;
  if nullif(btrim(p_message), '') is null then
    raise exception 'a % of % needs a message saying why (frame %)',
        case p_status when 2 then 'failure' else 'skip' end, v_stage, p_frame_id
      using errcode = '22023';
  end if;
  execute format('update pgrecall.frames f set %1$I = $2, %2$I = left($3, 4000), %3$I = now()
                  where f.id = $1 and f.%1$I = 0 returning f.*', v_stage || '_status', v_stage || '_message', v_stage || '_at')
    into v_frame using p_frame_id, p_status, p_message;
  if v_frame.id is null then
    perform pgrecall._raise_illegal(p_frame_id, v_stage, case p_status when 2 then 'fail' else 'skip' end);
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall._finish_stage(uuid, text, smallint, text) is
  'Internal: moves a pending stage to error (2) or skipped (3) with its message (capped at 4000 chars).';

create or replace function pgrecall.frame_stage_failed(p_frame_id uuid, p_stage text, p_message text)
returns pgrecall.frames
language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall._finish_stage(p_frame_id, p_stage, 2::smallint, p_message) $$;
comment on function pgrecall.frame_stage_failed(uuid, text, text) is 'Records that a pending stage failed for good: status 2 and the message.';

create or replace function pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text)
returns pgrecall.frames
language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall._finish_stage(p_frame_id, p_stage, 3::smallint, p_reason) $$;
comment on function pgrecall.frame_stage_skipped(uuid, text, text) is 'Records that a pending stage will not run: status 3 and the reason.';

-- pgrecall.frame_<stage>_failed(frame, message) and, for stages that may be skipped,
-- frame_<stage>_skipped(frame, reason): generated for every stage of the registry.
do $generate$
declare
  v record;
begin
  for v in select s.stage, s.skippable from pgrecall.stages s order by s.position loop
    execute format($f$
      create or replace function pgrecall.%I(p_frame_id uuid, p_message text)
      returns pgrecall.frames language sql volatile
      set search_path to pg_catalog, pg_temp
      as $body$ select pgrecall.frame_stage_failed(p_frame_id, %L, p_message) $body$ $f$, 'frame_' || v.stage || '_failed', v.stage);
    execute format('comment on function pgrecall.%I(uuid, text) is %L', 'frame_' || v.stage || '_failed',
                   format('Records that the %s stage failed for good (generated from pgrecall.stages).', v.stage));
    continue when not v.skippable;
    execute format($f$
      create or replace function pgrecall.%I(p_frame_id uuid, p_reason text)
      returns pgrecall.frames language sql volatile
      set search_path to pg_catalog, pg_temp
      as $body$ select pgrecall.frame_stage_skipped(p_frame_id, %L, p_reason) $body$ $f$, 'frame_' || v.stage || '_skipped', v.stage);
    execute format('comment on function pgrecall.%I(uuid, text) is %L', 'frame_' || v.stage || '_skipped',
                   format('Records that the %s stage will not run, and why (generated from pgrecall.stages).', v.stage));
  end loop;
end;
$generate$;

create or replace function pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[] default null)
returns pgrecall.frames
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_frame pgrecall.frames;
begin
  if p_phash is null then
    raise exception 'frame_hash_done needs a phash (frame %)', p_frame_id using errcode = '22004';
  end if;
  -- Setting phash fires the dedup trigger; the enqueue trigger then queues OCR and vision.
  update pgrecall.frames
     set phash = p_phash, tile_hashes = p_tile_hashes, hash_status = 1, hash_message = null, hash_at = now()
   where id = p_frame_id and hash_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'hash', 'complete');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.frame_hash_done(uuid, bigint, bigint[]) is
  'Records a frame''s phash (and tile hashes). It is then deduplicated like a frame inserted with one: a near-duplicate has its stages skipped, anything else gets OCR and vision queued.';

create or replace function pgrecall._record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[])
returns text[]
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_released text[];
begin
  insert into pgrecall.secrets (frame_id, rule, kind, category, start_offset, end_offset, boxes, fingerprint, preview)
  select p_frame_id, x.rule, x.kind, x.category, x.start, x."end", coalesce(x.boxes, '[]'), x.fingerprint, x.preview
  from jsonb_to_recordset(p_findings) as x(rule text, kind text, category text, start integer, "end" integer,
                                            boxes jsonb, fingerprint text, preview text);
  if p_redacted_image_ref is null then
    return null; -- no image to redact (a rescan that could not read it)
  end if;
  -- Its near-duplicates, and any frame with the same image bytes, show the redacted screen from now on.
  update pgrecall.frames d set image_ref = p_redacted_image_ref
   where (d.duplicate_of = p_frame_id or d.image_ref = any(p_old_refs)) and d.image_ref is distinct from p_redacted_image_ref;
  -- The caller deletes the files no frame refers to any more.
  select array_agg(r) into v_released
  from unnest(p_old_refs) r
  where not exists (select 1 from pgrecall.frames o where o.image_ref = r);
  return v_released;
end;
$$;
comment on function pgrecall._record_findings(uuid, jsonb, text, text[]) is
  'Internal: records a frame''s findings (pgrecall.secrets) and points its near-duplicates and the frames with the same original image (p_old_refs) at the redacted one. Returns the originals no frame refers to any more.';

create or replace function pgrecall.frame_ocr_done(
  p_frame_id uuid, p_text text, p_confidence real default null, p_words jsonb default null,
  p_findings jsonb default null, p_redacted_image_ref text default null, p_engine text default null
)
returns text[]
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_old_refs text[];
begin
  if p_words is not null and jsonb_typeof(p_words) <> 'array' then
    raise exception 'frame_ocr_done: words must be a JSON array (frame %)', p_frame_id using errcode = '22023';
  end if;
  if p_findings is not null and jsonb_typeof(p_findings) <> 'array' then
    raise exception 'frame_ocr_done: findings must be a JSON array (frame %)', p_frame_id using errcode = '22023';
  end if;
  if jsonb_array_length(coalesce(p_findings, '[]')) > 0 and p_redacted_image_ref is null
     and exists (select 1 from pgrecall.frames f where f.id = p_frame_id and f.image_ref is not null) then
    raise exception 'frame_ocr_done: a frame with findings needs its redacted image (frame %)', p_frame_id
      using errcode = '22023', hint = 'Black out the findings'' boxes, store the image, pass its blob reference.';
  end if;
  if p_redacted_image_ref is not null then
    -- The images that showed the secret: the frame's own and its near-duplicates' (same screen).
    select array_agg(distinct f.image_ref) filter (where f.image_ref is distinct from p_redacted_image_ref) into v_old_refs
    from pgrecall.frames f where f.id = p_frame_id or f.duplicate_of = p_frame_id;
  end if;
  update pgrecall.frames
     set ocr_text = coalesce(p_text, ''), ocr_confidence = p_confidence, ocr_words = p_words,
         image_ref = coalesce(p_redacted_image_ref, image_ref),
         redacted_at = case when p_redacted_image_ref is not null then now() end,
         ocr_status = 1, ocr_message = null, ocr_at = now(),
         ocr_engine = left(nullif(btrim(p_engine), ''), 200)
   where id = p_frame_id and ocr_status = 0;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'ocr', 'complete');
  end if;
  if jsonb_array_length(coalesce(p_findings, '[]')) = 0 then
    return null;
  end if;
  -- (no redacted image: a frame without an image, whose findings are its masked text's)
  return pgrecall._record_findings(p_frame_id, p_findings, p_redacted_image_ref, v_old_refs);
end;
$$;
comment on function pgrecall.frame_ocr_done(uuid, text, real, jsonb, jsonb, text, text) is
  'Records a frame''s OCR text (redacted; null is stored as empty: the screen had none), its mean confidence and word boxes, the engine and model that read it (ocr_engine; null: not said), and — when secrets were found — the findings (pgrecall.secrets) and the redacted image (required when the frame has an image; a frame without one records its findings alone), which its near-duplicates are pointed at too. Returns the original images (its own, its near-duplicates''), now referenced by no frame, for the caller to delete. Queues the embedding and the vision stage.';

create or replace function pgrecall.frame_vision_done(p_frame_id uuid, p_summary text)
returns pgrecall.frames
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_frame pgrecall.frames;
begin
  if nullif(btrim(p_summary), '') is null then
    raise exception 'frame_vision_done needs a summary (frame %)', p_frame_id
      using errcode = '22023', hint = 'With nothing to say, record pgrecall.frame_vision_skipped with the reason.';
  end if;
  update pgrecall.frames
     set vision_summary = p_summary, vision_status = 1, vision_message = null, vision_at = now()
   where id = p_frame_id and vision_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'vision', 'complete');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.frame_vision_done(uuid, text) is 'Records a frame''s vision-model description.';

create or replace function pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding vector, p_model text)
returns pgrecall.frames
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_frame pgrecall.frames;
begin
  if p_embedding is null then
    raise exception 'frame_embedding_done needs an embedding (frame %)', p_frame_id using errcode = '22004';
  end if;
  if nullif(btrim(p_model), '') is null then
    raise exception 'frame_embedding_done needs the model that made the embedding (frame %)', p_frame_id
      using errcode = '22004', hint = 'Vectors from different models are not comparable; record which one this is.';
  end if;
  update pgrecall.frames
     set embedding = p_embedding, embedding_model = p_model,
         embedding_status = 1, embedding_message = null, embedding_at = now()
   where id = p_frame_id and embedding_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'embedding', 'complete');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.frame_embedding_done(uuid, vector, text) is
  'Records a frame''s text embedding (384 dimensions; another size is rejected by the column type) and the model that made it.';

create or replace function pgrecall.requeue(p_frame_id uuid, p_stage text)
returns pgrecall.frames
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
-- The stage's columns are named by the registry, so the update is dynamic (format %I) and
-- plpgsql_check cannot see its result:
-- @plpgsql_check_options: other_warnings = off
declare
  v_stage text := pgrecall._stage(p_stage);
  v_frame pgrecall.frames;
begin
  execute format('update pgrecall.frames f set %1$I = 0, %2$I = null, %3$I = null
                  where f.id = $1 and f.%1$I in (2, 3) and f.excluded_by is null
                    and (f.duplicate_of is null or not (select s.skip_duplicates from pgrecall.stages s where s.stage = $2))
                  returning f.*', v_stage || '_status', v_stage || '_message', v_stage || '_at')
    into v_frame using p_frame_id, v_stage;
  if v_frame.id is null then
    perform pgrecall._raise_illegal(p_frame_id, v_stage, 'requeue');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.requeue(uuid, text) is
  'Sets a stage in error (2) or skipped (3, not as a near-duplicate) back to pending, which queues its job again.';

create or replace function pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text)
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
-- Its fragments are built from registry names with format %I and the values are parameters
-- ($1, $2), which plpgsql_check cannot see through:
-- @plpgsql_check_options: security_warnings = off
declare
  v_stage text := case when p_stage is not null then pgrecall._stage(p_stage) end;
  v_flags text;    -- (f.ocr_status = $1 and f.duplicate_of is null) as r_ocr, …
  v_sets text;     -- ocr_status = case when t.r_ocr then 0 else f.ocr_status end, …
  v_count text;    -- t.r_hash::int + …
  v_where text;    -- (f.hash_status = $1) or (f.ocr_status = $1 and f.duplicate_of is null) or …
  v_n integer;
begin
  -- One statement for every frame and stage: one trigger firing, one add_jobs call.
  -- Near-duplicates keep the stages they skipped; excluded frames keep everything skipped.
  select string_agg(format('(f.%I = $1%s) as %I', s.stage || '_status',
                           case when s.skip_duplicates then ' and f.duplicate_of is null' else '' end, 'r_' || s.stage), ', '),
         string_agg(format('%1$I = case when t.%4$I then 0 else f.%1$I end, %2$I = case when t.%4$I then null else f.%2$I end, '
                           '%3$I = case when t.%4$I then null else f.%3$I end',
                           s.stage || '_status', s.stage || '_message', s.stage || '_at', 'r_' || s.stage), ', '),
         string_agg(format('t.%I::int', 'r_' || s.stage), ' + '),
         string_agg(format('(f.%I = $1%s)', s.stage || '_status',
                           case when s.skip_duplicates then ' and f.duplicate_of is null' else '' end), ' or ')
    into v_flags, v_sets, v_count, v_where
  from pgrecall.stages s
  where v_stage is null or s.stage = v_stage;

  execute format($q$
    with target as (
      select f.id, %1$s from pgrecall.frames f
      where ($2::text is null or f.deployment_id = $2) and f.excluded_by is null and (%4$s)
      for update of f
    ),
    requeued as (
      update pgrecall.frames f set %2$s
      from target t
      where f.id = t.id
      returning %3$s as n
    )
    select coalesce(sum(n), 0)::integer from requeued $q$, v_flags, v_sets, v_count, v_where)
    into v_n using p_status, p_deployment_id;
  return v_n;
end;
$$;
comment on function pgrecall._requeue_status(smallint, text, text) is
  'Internal: requeues, in one statement, every frame whose stage (or every stage, when null) has the given status; near-duplicates stay skipped.';

create or replace function pgrecall.requeue_failed(p_stage text default null, p_deployment_id text default null)
returns integer
language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall._requeue_status(2::smallint, p_stage, p_deployment_id) $$;

create or replace function pgrecall.requeue_skipped(p_stage text, p_deployment_id text default null)
returns integer
language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall._requeue_status(3::smallint, pgrecall._stage(p_stage), p_deployment_id) $$;
comment on function pgrecall.requeue_skipped(text, text) is
  'Requeues a stage skipped for a reason that no longer holds (vision before a provider was configured, say); near-duplicates stay skipped. Returns how many.';

comment on function pgrecall.requeue_failed(text, text) is
  'Sets every stage in error (2) back to pending, optionally for one stage and one deployment. Returns how many stages were requeued.';
