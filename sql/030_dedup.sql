-- Near-duplicate detection: which earlier canonical frame (duplicate_of is null) a new
-- frame repeats. Duplicates are only ever compared with canonical frames, so a slow drift
-- (a line typed one character per frame) is measured against what was last processed and
-- cannot be swallowed link by link.

create or replace function pgrecall.find_near_duplicate(
  p_deployment_id text,
  p_captured_at timestamptz,
  p_phash bigint,
  p_tile_hashes bigint[] default null,
  p_exclude uuid default null,
  out frame_id uuid,
  out distance integer
)
language plpgsql stable
as $$
declare
  s pgrecall.settings := pgrecall.settings_for(p_deployment_id);
begin
  if p_phash is null then
    return;
  end if;

  -- 1. Recent window: every canonical frame in it is compared, so none within the
  --    threshold is missed (index idx_frames_dedup_window).
  select f.id, pgrecall.hamming(f.phash, p_phash)
    into frame_id, distance
  from pgrecall.frames f
  where f.deployment_id = p_deployment_id
    and f.duplicate_of is null
    and f.phash is not null
    and f.captured_at >= p_captured_at - s.recent_window
    and f.captured_at <= p_captured_at
    and f.id is distinct from p_exclude
    and pgrecall.hamming(f.phash, p_phash) <= s.phash_threshold
    and (p_tile_hashes is null or f.tile_hashes is null
         or pgrecall.tiles_changed(f.tile_hashes, p_tile_hashes, s.tile_bit_threshold) <= s.tile_max_changed)
  order by 2, f.captured_at desc
  limit 1;
  if found or s.history_threshold < 0 then
    return;
  end if;

  -- 2. Before the window, by multi-index hashing: two hashes within 3 bits agree exactly
  --    on at least one of the four 16-bit bands, each of which has an index.
  select f.id, pgrecall.hamming(f.phash, p_phash)
    into frame_id, distance
  from pgrecall.frames f
  where f.deployment_id = p_deployment_id
    and f.duplicate_of is null
    and f.phash is not null
    and (f.phash_prefix = pgrecall.phash_prefix(p_phash)
         or ((f.phash >> 32) & 65535) = ((p_phash >> 32) & 65535)
         or ((f.phash >> 16) & 65535) = ((p_phash >> 16) & 65535)
         or (f.phash & 65535) = (p_phash & 65535))
    and f.captured_at < p_captured_at - s.recent_window
    and f.id is distinct from p_exclude
    and pgrecall.hamming(f.phash, p_phash) <= s.history_threshold
    and (p_tile_hashes is null or f.tile_hashes is null
         or pgrecall.tiles_changed(f.tile_hashes, p_tile_hashes, s.tile_bit_threshold) <= s.tile_max_changed)
  order by 2, f.captured_at desc
  limit 1;
end;
$$;
comment on function pgrecall.find_near_duplicate(text, timestamptz, bigint, bigint[], uuid) is
  'The canonical frame of the deployment that a frame with this phash (and tile hashes) repeats, and the distance: first any within phash_threshold in the recent window, else any before the window within history_threshold. No row: new content.';

create or replace function pgrecall.tg_frames__normalize()
returns trigger
language plpgsql volatile
as $$
begin
  if TG_OP = 'INSERT' or NEW.captured_at is distinct from OLD.captured_at then
    if not isfinite(NEW.captured_at)
       or NEW.captured_at < timestamptz '2000-01-01 00:00:00+00'
       or NEW.captured_at > now() + interval '1 day' then
      raise exception 'captured_at % is out of range for a frame of deployment %', NEW.captured_at, NEW.deployment_id
        using errcode = '22008',
              hint = 'captured_at must lie between 2000-01-01 and one day after the server clock.';
    end if;
  end if;

  if TG_OP = 'INSERT' then
    NEW.inserted_at := now();
    NEW.hash_status := case when NEW.phash is null then 0 else 1 end;
    NEW.hash_at := case when NEW.phash is null then null else now() end;
  end if;

  NEW.phash_prefix := pgrecall.phash_prefix(NEW.phash);
  -- Titles are context, not content: a runaway client must not bloat every index row.
  if length(NEW.window_title) > 1024 then
    NEW.window_title := left(NEW.window_title, 1023) || '…';
  end if;
  if length(NEW.app_name) > 256 then
    NEW.app_name := left(NEW.app_name, 255) || '…';
  end if;
  return NEW;
end;
$$;
comment on function pgrecall.tg_frames__normalize() is
  'Checks captured_at, derives phash_prefix and hash_status, and caps window_title (1024 chars) and app_name (256).';

create or replace function pgrecall.tg_frames__dedup()
returns trigger
language plpgsql volatile
as $$
declare
  v_original uuid;
  v_distance integer;
  v_message text;
begin
  if NEW.phash is null or NEW.duplicate_of is not null then
    return NEW;
  end if;
  select d.frame_id, d.distance into v_original, v_distance
  from pgrecall.find_near_duplicate(NEW.deployment_id, NEW.captured_at, NEW.phash, NEW.tile_hashes, NEW.id) d;
  if v_original is null then
    return NEW;
  end if;

  v_message := 'near-duplicate of ' || v_original;
  NEW.duplicate_of := v_original;
  NEW.duplicate_distance := v_distance;
  if NEW.ocr_status = 0 then
    NEW.ocr_status := 3; NEW.ocr_message := v_message; NEW.ocr_at := now();
  end if;
  if NEW.vision_status = 0 then
    NEW.vision_status := 3; NEW.vision_message := v_message; NEW.vision_at := now();
  end if;
  if NEW.embedding_status = 0 then
    NEW.embedding_status := 3; NEW.embedding_message := v_message; NEW.embedding_at := now();
  end if;
  return NEW;
end;
$$;
comment on function pgrecall.tg_frames__dedup() is
  'Marks a frame that repeats an earlier canonical frame as its near-duplicate and skips its stages (status 3). Runs when a phash arrives, at insert or later.';

create or replace trigger _100_normalize
  before insert or update on pgrecall.frames
  for each row execute function pgrecall.tg_frames__normalize();

create or replace trigger _200_dedup_insert
  before insert on pgrecall.frames
  for each row when (NEW.phash is not null)
  execute function pgrecall.tg_frames__dedup();

create or replace trigger _200_dedup_update
  before update of phash on pgrecall.frames
  for each row when (OLD.phash is null and NEW.phash is not null)
  execute function pgrecall.tg_frames__dedup();
