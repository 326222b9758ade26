-- Near-duplicate detection: which earlier canonical frame (duplicate_of is null) a new
-- frame repeats. Duplicates are only ever compared with canonical frames, so a slow drift
-- (a line typed one character per frame) is measured against what was last processed and
-- cannot be swallowed link by link.
-- A tombstoned (soft-forgotten) frame is never a new frame's original: it is hidden, and purging it
-- would take its near-duplicates along.

create or replace function pgrecall._find_near_duplicate(
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
  v_threshold smallint;
  v_window interval;
  v_history smallint;
  v_tile_bits smallint;
  v_tile_max smallint;
  v_tiles bigint[];
begin
  if p_phash is null then
    return;
  end if;

  -- 1. The screen just before: most near-duplicates repeat it, and one index probe settles them.
  --    Settings come in the same query: one trip through SPI per frame on this path.
  select st.phash_threshold, st.recent_window, st.history_threshold, st.tile_bit_threshold, st.tile_max_changed,
         f.id, pgrecall.hamming(f.phash, p_phash), f.tile_hashes
    into v_threshold, v_window, v_history, v_tile_bits, v_tile_max, frame_id, distance, v_tiles
  from pgrecall.settings_for(p_deployment_id) st
  left join lateral (
    select f.id, f.phash, f.tile_hashes
    from pgrecall.frames f
    where f.deployment_id = p_deployment_id
      and f.duplicate_of is null
      and f.phash is not null
      and f.tombstoned_at is null
      and f.captured_at >= p_captured_at - st.recent_window
      and f.captured_at <= p_captured_at
      and f.id is distinct from p_exclude
    order by f.captured_at desc
    limit 1
  ) f on true;
  -- tiles_changed is strict: no tiles on either side means phash-only.
  if frame_id is not null and distance <= v_threshold
     and coalesce(pgrecall.tiles_changed(v_tiles, p_tile_hashes, v_tile_bits) <= v_tile_max, true) then
    return;
  end if;
  frame_id := null;
  distance := null;

  -- 2. Multi-index hashing over the whole history: six bands, so any frame within 5 bits
  --    agrees with this one exactly on at least one band, and each band is an index probe.
  --    Within the recent window phash_threshold applies, before it history_threshold; a
  --    match in the window beats one before it, then the closest, then the most recent.
  select c.id, pgrecall.hamming(c.phash, p_phash)
    into frame_id, distance
  from (
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and f.phash_prefix between ((p_phash >> 53) * 32)::smallint and ((p_phash >> 53) * 32 + 31)::smallint
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 42) & 2047) = ((p_phash >> 42) & 2047)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 31) & 2047) = ((p_phash >> 31) & 2047)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 21) & 1023) = ((p_phash >> 21) & 1023)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 11) & 1023) = ((p_phash >> 11) & 1023)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and (f.phash & 2047) = (p_phash & 2047)
    offset 0 -- a fence: the filters below must not tempt the planner into a time-ordered scan
  ) c
  where c.captured_at <= p_captured_at
    and c.id is distinct from p_exclude
    and pgrecall.hamming(c.phash, p_phash)
        <= case when c.captured_at >= p_captured_at - v_window then v_threshold else v_history end
    and (p_tile_hashes is null or c.tile_hashes is null
         or pgrecall.tiles_changed(c.tile_hashes, p_tile_hashes, v_tile_bits) <= v_tile_max)
  order by c.captured_at >= p_captured_at - v_window desc, 2, c.captured_at desc
  limit 1;
  if frame_id is not null or v_threshold <= 5 then
    return;
  end if;

  -- 3. A phash_threshold above 5 is beyond what six bands guarantee: compare every
  --    canonical frame of the recent window (idx_frames_dedup_window).
  select f.id, pgrecall.hamming(f.phash, p_phash)
    into frame_id, distance
  from pgrecall.frames f
  where f.deployment_id = p_deployment_id
    and f.duplicate_of is null
    and f.phash is not null
    and f.tombstoned_at is null
    and f.captured_at >= p_captured_at - v_window
    and f.captured_at <= p_captured_at
    and f.id is distinct from p_exclude
    and pgrecall.hamming(f.phash, p_phash) <= v_threshold
    and (p_tile_hashes is null or f.tile_hashes is null
         or pgrecall.tiles_changed(f.tile_hashes, p_tile_hashes, v_tile_bits) <= v_tile_max)
  order by 2, f.captured_at desc
  limit 1;
end;
$$;
comment on function pgrecall._find_near_duplicate(text, timestamptz, bigint, bigint[], uuid) is
  'Internal: find_near_duplicate without its plan setting; the dedup trigger calls it under the statement''s plan guard.';

create or replace function pgrecall.find_near_duplicate(
  p_deployment_id text,
  p_captured_at timestamptz,
  p_phash bigint,
  p_tile_hashes bigint[] default null,
  p_exclude uuid default null,
  out frame_id uuid,
  out distance integer
)
language sql stable
-- Custom plans of the six-band union cost ~4 ms of planning per call; generic ones are
-- planned once per session and are right once the table has statistics.
set plan_cache_mode = force_generic_plan
set search_path to pg_catalog, pg_temp
as $$ select * from pgrecall._find_near_duplicate(p_deployment_id, p_captured_at, p_phash, p_tile_hashes, p_exclude) $$;
comment on function pgrecall.find_near_duplicate(text, timestamptz, bigint, bigint[], uuid) is
  'The canonical frame of the deployment that a frame with this phash (and tile hashes) repeats, and the distance: the screen just before if it is within phash_threshold, else the closest within phash_threshold in the recent window, else the closest before the window within history_threshold. Null: new content.';

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
    -- Stage statuses, results and dedup columns are the pipeline's: a client that presets them
    -- (ocr_status = 1 with no text, duplicate_of another deployment's frame) is refused.
    if pgrecall._sets_pipeline_columns(NEW) then
      raise exception 'a frame of deployment % sets columns that belong to the pipeline', NEW.deployment_id
        using errcode = '42501',
              detail = 'Each stage''s status, message, time and result columns (pgrecall.stages), duplicate_of and duplicate_distance are written by pgrecall''s stages only.',
              hint = 'Insert deployment_id, captured_at, image_ref, app_name, window_title (and phash, tile_hashes, capture_key if you have them).';
    end if;
    NEW.inserted_at := now();
    NEW.hash_status := case when NEW.phash is null then 0 else 1 end;
    NEW.hash_at := case when NEW.phash is null then null else now() end;
  end if;

  NEW.phash_prefix := pgrecall.phash_prefix(NEW.phash);
  -- Control characters in a title are never wanted and can be hostile (ANSI escapes printed
  -- to a terminal). NUL cannot reach the server at all: clients strip it (src/db.ts clientText).
  if NEW.window_title ~ '[\x01-\x1f\x7f-\x9f]' then
    NEW.window_title := regexp_replace(NEW.window_title, '[\x01-\x1f\x7f-\x9f]+', ' ', 'g');
  end if;
  if NEW.app_name ~ '[\x01-\x1f\x7f-\x9f]' then
    NEW.app_name := regexp_replace(NEW.app_name, '[\x01-\x1f\x7f-\x9f]+', ' ', 'g');
  end if;
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
  'Checks captured_at, refuses pipeline columns set by a client (42501), derives phash_prefix and hash_status, replaces control characters in window_title and app_name with a space and caps them (1024 and 256 chars).';

-- Generated from pgrecall.stages: a near-duplicate skips every stage marked skip_duplicates.
do $generate$
begin
  execute format($f$
create or replace function pgrecall.tg_frames__dedup()
returns trigger
language plpgsql volatile
as $body$
declare
  v_found record;
  v_original uuid;
  v_distance integer;
  v_message text;
begin
  if NEW.phash is null or NEW.duplicate_of is not null then
    return NEW;
  end if;
  -- An expression, not a SELECT: plpgsql evaluates it without a trip through SPI.
  v_found := pgrecall._find_near_duplicate(NEW.deployment_id, NEW.captured_at, NEW.phash, NEW.tile_hashes, NEW.id);
  v_original := v_found.frame_id;
  v_distance := v_found.distance;
  if v_original is null then
    return NEW;
  end if;
  -- A screen that showed a secret is not skipped as a repeat: this capture is OCRed and
  -- redacted itself, so its image is never kept in clear.
  if (select f.redacted_at is not null from pgrecall.frames f where f.id = v_original) then
    return NEW;
  end if;

  v_message := 'near-duplicate of ' || v_original;
  NEW.duplicate_of := v_original;
  NEW.duplicate_distance := v_distance;
  %s
  return NEW;
end;
$body$ $f$,
  (select string_agg(format('if NEW.%1$I = 0 then NEW.%1$I := 3; NEW.%2$I := v_message; NEW.%3$I := now(); end if;',
                            s.stage || '_status', s.stage || '_message', s.stage || '_at'), E'\n  ' order by s.position)
   from pgrecall.stages s where s.skip_duplicates));
end;
$generate$;
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

create or replace trigger _000_plan_guard_begin
  before insert or update on pgrecall.frames
  for each statement execute function pgrecall.tg_frames__plan_guard_begin();

create or replace trigger _999_plan_guard_end
  after insert or update on pgrecall.frames
  for each statement execute function pgrecall.tg_frames__plan_guard_end();
