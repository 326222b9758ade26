-- Status transitions. Tasks call only these: each checks that the stage is pending (0),
-- records the result, and leaves queueing the next stage to the enqueue trigger.
-- Legal: 0 -> 1 done | 2 error | 3 skipped; 2 or 3 -> 0 by requeue. Anything else raises.

create or replace function pgrecall._stage(p_stage text)
returns text
language plpgsql immutable
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

create or replace function pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text)
returns void
language plpgsql stable
as $$
declare
  v_status smallint;
begin
  execute format('select %I from pgrecall.frames where id = $1', p_stage || '_status')
    into v_status using p_frame_id;
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
  execute format(
    'update pgrecall.frames set %1$I = $2, %2$I = $3, %3$I = now() where id = $1 and %1$I = 0 returning *',
    v_stage || '_status', v_stage || '_message', v_stage || '_at')
    into v_frame using p_frame_id, p_status, left(p_message, 4000);
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
as $$ select pgrecall._finish_stage(p_frame_id, p_stage, 2::smallint, p_message) $$;
comment on function pgrecall.frame_stage_failed(uuid, text, text) is 'Records that a pending stage failed for good: status 2 and the message.';

create or replace function pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text)
returns pgrecall.frames
language sql volatile
as $$ select pgrecall._finish_stage(p_frame_id, p_stage, 3::smallint, p_reason) $$;
comment on function pgrecall.frame_stage_skipped(uuid, text, text) is 'Records that a pending stage will not run: status 3 and the reason.';

create or replace function pgrecall.frame_hash_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'hash', p_message) $$;
create or replace function pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'ocr', p_message) $$;
create or replace function pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text)
returns pgrecall.frames language sql volatile
as $$ select pgrecall.frame_stage_skipped(p_frame_id, 'ocr', p_reason) $$;
create or replace function pgrecall.frame_vision_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'vision', p_message) $$;
create or replace function pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text)
returns pgrecall.frames language sql volatile
as $$ select pgrecall.frame_stage_skipped(p_frame_id, 'vision', p_reason) $$;
create or replace function pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text)
returns pgrecall.frames language sql volatile
as $$ select pgrecall.frame_stage_failed(p_frame_id, 'embedding', p_message) $$;
create or replace function pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text)
returns pgrecall.frames language sql volatile
as $$ select pgrecall.frame_stage_skipped(p_frame_id, 'embedding', p_reason) $$;

create or replace function pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[] default null)
returns pgrecall.frames
language plpgsql volatile
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

create or replace function pgrecall.frame_ocr_done(p_frame_id uuid, p_text text)
returns pgrecall.frames
language plpgsql volatile
as $$
declare
  v_frame pgrecall.frames;
begin
  update pgrecall.frames
     set ocr_text = coalesce(p_text, ''), ocr_status = 1, ocr_message = null, ocr_at = now()
   where id = p_frame_id and ocr_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'ocr', 'complete');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.frame_ocr_done(uuid, text) is 'Records a frame''s OCR text (null is stored as empty: the screen had none). Queues its embedding.';

create or replace function pgrecall.frame_vision_done(p_frame_id uuid, p_summary text)
returns pgrecall.frames
language plpgsql volatile
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

create or replace function pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding vector)
returns pgrecall.frames
language plpgsql volatile
as $$
declare
  v_frame pgrecall.frames;
begin
  if p_embedding is null then
    raise exception 'frame_embedding_done needs an embedding (frame %)', p_frame_id using errcode = '22004';
  end if;
  update pgrecall.frames
     set embedding = p_embedding, embedding_status = 1, embedding_message = null, embedding_at = now()
   where id = p_frame_id and embedding_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'embedding', 'complete');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.frame_embedding_done(uuid, vector) is 'Records a frame''s text embedding (384 dimensions; another size is rejected by the column type).';

create or replace function pgrecall.requeue(p_frame_id uuid, p_stage text)
returns pgrecall.frames
language plpgsql volatile
as $$
declare
  v_stage text := pgrecall._stage(p_stage);
  v_frame pgrecall.frames;
begin
  execute format(
    'update pgrecall.frames set %1$I = 0, %2$I = null, %3$I = null
      where id = $1 and (%1$I = 2 or (%1$I = 3 and duplicate_of is null)) returning *',
    v_stage || '_status', v_stage || '_message', v_stage || '_at')
    into v_frame using p_frame_id;
  if v_frame.id is null then
    perform pgrecall._raise_illegal(p_frame_id, v_stage, 'requeue');
  end if;
  return v_frame;
end;
$$;
comment on function pgrecall.requeue(uuid, text) is
  'Sets a stage in error (2) or skipped (3, not as a near-duplicate) back to pending, which queues its job again.';

create or replace function pgrecall.requeue_failed(p_stage text default null, p_deployment_id text default null)
returns integer
language plpgsql volatile
as $$
declare
  v_stage text;
  v_count integer := 0;
  v_n integer;
begin
  foreach v_stage in array case when p_stage is null then array['hash', 'ocr', 'vision', 'embedding']
                              else array[pgrecall._stage(p_stage)] end loop
    execute format(
      'update pgrecall.frames set %1$I = 0, %2$I = null, %3$I = null
        where %1$I = 2 and ($1::text is null or deployment_id = $1)',
      v_stage || '_status', v_stage || '_message', v_stage || '_at')
      using p_deployment_id;
    get diagnostics v_n = row_count;
    v_count := v_count + v_n;
  end loop;
  return v_count;
end;
$$;
comment on function pgrecall.requeue_failed(text, text) is
  'Sets every stage in error (2) back to pending, optionally for one stage and one deployment. Returns how many stages were requeued.';
