-- Status transitions. Tasks call only these: each checks that the stage is pending (0),
-- records the result, and leaves queueing the next stage to the enqueue trigger.
-- Legal: 0 -> 1 done | 2 error | 3 skipped; 2 or 3 -> 0 by requeue. Anything else raises.

create or replace function pgrecall._stage(p_stage text)
returns text
language plpgsql immutable
set search_path to pg_catalog, pg_temp
as $$
begin
  case p_stage
    when 'hash', 'ocr', 'vision', 'embedding' then return p_stage;
    when 'embed' then return 'embedding';
    else
      raise exception 'unknown stage "%"', p_stage
        using errcode = '22023', hint = 'Stages are hash, ocr, vision and embedding.';
  end case;
end;
$$;
comment on function pgrecall._stage(text) is 'Internal: the column prefix of a stage name (embed and embedding are the same stage); raises on anything else.';

create or replace function pgrecall._stage_status(
  hash_status smallint, ocr_status smallint, vision_status smallint, embedding_status smallint, p_stage text
)
returns smallint
language sql immutable parallel safe
as $$
  select case p_stage
    when 'hash' then hash_status
    when 'ocr' then ocr_status
    when 'vision' then vision_status
    when 'embedding' then embedding_status
  end
$$;
comment on function pgrecall._stage_status(smallint, smallint, smallint, smallint, text) is 'Internal: the status of one stage, by name.';

create or replace function pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text)
returns void
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_status smallint;
begin
  select pgrecall._stage_status(f.hash_status, f.ocr_status, f.vision_status, f.embedding_status, p_stage)
    into v_status
  from pgrecall.frames f where f.id = p_frame_id;
  if v_status is null then
    raise exception 'frame % does not exist', p_frame_id using errcode = 'P0002';
  end if;
  raise exception 'cannot % % of frame %: its % status is % (%)',
      p_action, p_stage, p_frame_id, p_stage, v_status,
      (array['pending', 'done', 'error', 'skipped'])[v_status + 1]
    using errcode = '55000',
          hint = case when p_action = 'requeue' then 'Only a stage in error (2) or skipped (3), and not as a near-duplicate, can be requeued.'
                      else 'Only a pending (0) stage can be finished. To run it again, requeue it first.' end;
end;
$$;
comment on function pgrecall._raise_illegal(uuid, text, text) is 'Internal: raises the precise error for a transition that is not allowed.';

create or replace function pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text)
returns pgrecall.frames
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_stage text := pgrecall._stage(p_stage);
  v_frame pgrecall.frames;
begin
  if p_status not in (2, 3) then
    raise exception 'internal: _finish_stage sets error (2) or skipped (3), not %', p_status;
  end if;
  if v_stage = 'hash' and p_status = 3 then
    raise exception 'the hash stage cannot be skipped (frame %)', p_frame_id
      using errcode = '22023', hint = 'Record a failure with pgrecall.frame_hash_failed.';
  end if;
  if nullif(btrim(p_message), '') is null then
    raise exception 'a % of % needs a message saying why (frame %)',
        case p_status when 2 then 'failure' else 'skip' end, v_stage, p_frame_id
      using errcode = '22023';
  end if;
  update pgrecall.frames f set
    hash_status       = case when v_stage = 'hash'      then p_status          else f.hash_status end,
    hash_message      = case when v_stage = 'hash'      then left(p_message, 4000) else f.hash_message end,
    hash_at           = case when v_stage = 'hash'      then now()             else f.hash_at end,
    ocr_status        = case when v_stage = 'ocr'       then p_status          else f.ocr_status end,
    ocr_message       = case when v_stage = 'ocr'       then left(p_message, 4000) else f.ocr_message end,
    ocr_at            = case when v_stage = 'ocr'       then now()             else f.ocr_at end,
    vision_status     = case when v_stage = 'vision'    then p_status          else f.vision_status end,
    vision_message    = case when v_stage = 'vision'    then left(p_message, 4000) else f.vision_message end,
    vision_at         = case when v_stage = 'vision'    then now()             else f.vision_at end,
    embedding_status  = case when v_stage = 'embedding' then p_status          else f.embedding_status end,
    embedding_message = case when v_stage = 'embedding' then left(p_message, 4000) else f.embedding_message end,
    embedding_at      = case when v_stage = 'embedding' then now()             else f.embedding_at end
  where f.id = p_frame_id
    and pgrecall._stage_status(f.hash_status, f.ocr_status, f.vision_status, f.embedding_status, v_stage) = 0
  returning * into v_frame;
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

create or replace function pgrecall.frame_hash_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'hash', p_message) $$;
create or replace function pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'ocr', p_message) $$;
create or replace function pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text)
returns pgrecall.frames language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.frame_stage_skipped(p_frame_id, 'ocr', p_reason) $$;
create or replace function pgrecall.frame_vision_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'vision', p_message) $$;
create or replace function pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text)
returns pgrecall.frames language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.frame_stage_skipped(p_frame_id, 'vision', p_reason) $$;
create or replace function pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'embedding', p_message) $$;
create or replace function pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text)
returns pgrecall.frames language sql volatile
set search_path to pg_catalog, pg_temp
as $$ select pgrecall.frame_stage_skipped(p_frame_id, 'embedding', p_reason) $$;

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

create or replace function pgrecall.frame_ocr_done(
  p_frame_id uuid, p_text text, p_confidence real default null, p_words jsonb default null
)
returns pgrecall.frames
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_frame pgrecall.frames;
begin
  if p_words is not null and jsonb_typeof(p_words) <> 'array' then
    raise exception 'frame_ocr_done: words must be a JSON array (frame %)', p_frame_id using errcode = '22023';
  end if;
  update pgrecall.frames
     set ocr_text = coalesce(p_text, ''), ocr_confidence = p_confidence, ocr_words = p_words,
         ocr_status = 1, ocr_message = null, ocr_at = now()
   where id = p_frame_id and ocr_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'ocr', 'complete');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.frame_ocr_done(uuid, text, real, jsonb) is
  'Records a frame''s OCR text (null is stored as empty: the screen had none), its mean confidence and word boxes. Queues its embedding.';

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
declare
  v_stage text := pgrecall._stage(p_stage);
  v_frame pgrecall.frames;
begin
  update pgrecall.frames f set
    hash_status       = case when v_stage = 'hash'      then 0    else f.hash_status end,
    hash_message      = case when v_stage = 'hash'      then null else f.hash_message end,
    hash_at           = case when v_stage = 'hash'      then null else f.hash_at end,
    ocr_status        = case when v_stage = 'ocr'       then 0    else f.ocr_status end,
    ocr_message       = case when v_stage = 'ocr'       then null else f.ocr_message end,
    ocr_at            = case when v_stage = 'ocr'       then null else f.ocr_at end,
    vision_status     = case when v_stage = 'vision'    then 0    else f.vision_status end,
    vision_message    = case when v_stage = 'vision'    then null else f.vision_message end,
    vision_at         = case when v_stage = 'vision'    then null else f.vision_at end,
    embedding_status  = case when v_stage = 'embedding' then 0    else f.embedding_status end,
    embedding_message = case when v_stage = 'embedding' then null else f.embedding_message end,
    embedding_at      = case when v_stage = 'embedding' then null else f.embedding_at end
  where f.id = p_frame_id
    and (f.duplicate_of is null or v_stage = 'hash')
    and pgrecall._stage_status(f.hash_status, f.ocr_status, f.vision_status, f.embedding_status, v_stage) in (2, 3)
  returning * into v_frame;
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
language sql volatile
set search_path to pg_catalog, pg_temp
as $$
  -- One statement for every frame and stage: one trigger firing, one add_jobs call.
  with stages as (
    select case when p_stage is null then array['hash', 'ocr', 'vision', 'embedding'] else array[pgrecall._stage(p_stage)] end as s
  ),
  target as (
    -- Near-duplicates keep their skipped stages; only their hash can be requeued.
    select f.id,
           ('hash' = any(st.s) and f.hash_status = p_status) as r_hash,
           ('ocr' = any(st.s) and f.ocr_status = p_status and f.duplicate_of is null) as r_ocr,
           ('vision' = any(st.s) and f.vision_status = p_status and f.duplicate_of is null) as r_vision,
           ('embedding' = any(st.s) and f.embedding_status = p_status and f.duplicate_of is null) as r_embedding
    from pgrecall.frames f cross join stages st
    where (p_deployment_id is null or f.deployment_id = p_deployment_id)
      and p_status in (f.hash_status, f.ocr_status, f.vision_status, f.embedding_status)
    for update of f
  ),
  requeued as (
    update pgrecall.frames f set
      hash_status       = case when t.r_hash      then 0    else f.hash_status end,
      hash_message      = case when t.r_hash      then null else f.hash_message end,
      hash_at           = case when t.r_hash      then null else f.hash_at end,
      ocr_status        = case when t.r_ocr       then 0    else f.ocr_status end,
      ocr_message       = case when t.r_ocr       then null else f.ocr_message end,
      ocr_at            = case when t.r_ocr       then null else f.ocr_at end,
      vision_status     = case when t.r_vision    then 0    else f.vision_status end,
      vision_message    = case when t.r_vision    then null else f.vision_message end,
      vision_at         = case when t.r_vision    then null else f.vision_at end,
      embedding_status  = case when t.r_embedding then 0    else f.embedding_status end,
      embedding_message = case when t.r_embedding then null else f.embedding_message end,
      embedding_at      = case when t.r_embedding then null else f.embedding_at end
    from target t
    where f.id = t.id and (t.r_hash or t.r_ocr or t.r_vision or t.r_embedding)
    returning t.r_hash::int + t.r_ocr::int + t.r_vision::int + t.r_embedding::int as n
  )
  select coalesce(sum(n), 0)::integer from requeued
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
