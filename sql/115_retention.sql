-- Retention (issue 11.2), per deployment in pgrecall.settings: keep_images_for, keep_text_for,
-- keep_frames_for (null keeps forever) and max_storage (bytes of images; the least recently
-- shown go first). Applied in small batches, each its own transaction, so a pass never holds
-- many rows locked: by the retention cron task and pgrecall retention.

----------------------------------------------------------------------------------- _image_busy
create or replace function pgrecall._image_busy(f pgrecall.frames)
returns boolean
language sql immutable parallel safe
set search_path to pg_catalog, pg_temp
as $$
  -- A stage still to run on the image keeps it (the hash, OCR and vision stages read it).
  select f.hash_status = 0 or f.ocr_status = 0 or f.vision_status = 0
$$;
comment on function pgrecall._image_busy(pgrecall.frames) is 'Internal: whether a stage that reads the image is still pending on the frame (retention leaves such an image for now).';

----------------------------------------------------------------------------------- _drop_images
create or replace function pgrecall._drop_images(p_ids uuid[])
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_refs text[];
begin
  select array_agg(distinct f.image_ref) into v_refs from pgrecall.frames f where f.id = any(p_ids) and f.image_ref is not null;
  update pgrecall.frames f set image_ref = null where f.id = any(p_ids) and f.image_ref is not null;
  return coalesce(pgrecall._release_images(v_refs), 0);
end;
$$;
comment on function pgrecall._drop_images(uuid[]) is 'Internal: frames keep their text but lose their image; the blobs no frame shows any more are queued for gc. Returns how many.';

----------------------------------------------------------------------------------- _drop_text
create or replace function pgrecall._drop_text(p_ids uuid[], out findings integer, out words integer)
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_words text[];
begin
  select array_agg(distinct w) into v_words
  from pgrecall.frames f cross join lateral unnest(tsvector_to_array(f.fts)) w
  where f.id = any(p_ids) and f.duplicate_of is null;
  delete from pgrecall.secrets s where s.frame_id = any(p_ids);
  get diagnostics findings = row_count;
  update pgrecall.frames f
     set ocr_text = null, ocr_words = null, vision_summary = null, embedding = null, embedding_model = null
   where f.id = any(p_ids);
  perform pgrecall._gin_flush();
  words := coalesce(pgrecall._forget_words(v_words), 0);
end;
$$;
comment on function pgrecall._drop_text(uuid[]) is
  'Internal: removes the OCR text, word boxes, vision description, vector and findings of frames (their time, app, title and statuses stay), and the vocabulary words no frame contains any more.';

----------------------------------------------------------------------------------- retention_batch
create or replace function pgrecall.retention_batch(p_deployment_id text default null, p_batch integer default 500, p_dry_run boolean default false)
returns table (deployment_id text, kind text, frames integer, images integer, findings integer, words integer, bytes bigint, more boolean)
language plpgsql volatile
-- the retention task runs as the worker role, which may not delete frames itself
security definer
set search_path to pg_catalog, pg_temp
as $$
-- RETURN NEXT fills the OUT columns, which plpgsql_check's extra warnings cannot see:
-- @plpgsql_check_options: extra_warnings = off
declare
  v_batch integer := least(greatest(coalesce(p_batch, 500), 1), 10000);
  v_dry boolean := coalesce(p_dry_run, false);
  d record;
  v_ids uuid[];
  v_refs text[];
  v_r record;
begin
  -- Nothing to do without a retention setting (the cron task's pass is then free).
  if not exists (select 1 from pgrecall.settings st
                 where st.keep_images_for is not null or st.keep_text_for is not null or st.keep_frames_for is not null or st.max_storage is not null) then
    return;
  end if;
  -- Every deployment that has frames, with the settings that apply to it: found by skipping
  -- through idx_frames_deployment (a distinct over frames read the whole table every batch).
  for d in
    with recursive deps(id) as (
      select min(f.deployment_id) from pgrecall.frames f
      union all
      select (select min(f.deployment_id) from pgrecall.frames f where f.deployment_id > deps.id)
      from deps where deps.id is not null
    )
    select x.deployment_id, st.keep_images_for, st.keep_text_for, st.keep_frames_for, st.max_storage
    from (select deps.id as deployment_id from deps
          where deps.id is not null and p_deployment_id is null
          union all
          select p_deployment_id where exists (select 1 from pgrecall.frames f where f.deployment_id = p_deployment_id)) x
    cross join lateral pgrecall.settings_for(x.deployment_id) st
    where st.keep_images_for is not null or st.keep_text_for is not null or st.keep_frames_for is not null or st.max_storage is not null
    order by x.deployment_id
  loop
    deployment_id := d.deployment_id;
    -- 1. Frames past keep_frames_for: purged as a forget would.
    if d.keep_frames_for is not null then
      select array_agg(t.id) into v_ids from (
        select f.id from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.captured_at < now() - d.keep_frames_for
        order by f.captured_at limit v_batch + 1
        for update of f skip locked) t;
      kind := 'frames'; frames := coalesce(cardinality(v_ids), 0); more := frames > v_batch;
      v_ids := v_ids[1:v_batch]; frames := least(frames, v_batch);
      images := 0; findings := 0; words := 0; bytes := 0;
      if frames > 0 then
        select coalesce(sum(s.bytes), 0) into bytes from pgrecall.blob_sizes s
        where s.ref in (select f.image_ref from pgrecall.frames f where f.id = any(v_ids));
        if not v_dry then
          perform pgrecall._days_changed(v_ids);
          v_r := pgrecall._purge_frames(v_ids);
          images := v_r.images; findings := v_r.findings; words := v_r.words;
        end if;
        return next;
        if not v_dry then return; end if;  -- one batch per call: one short transaction
      end if;
    end if;
    -- 2. Text past keep_text_for: the frame stays (time, app, title), its text goes.
    if d.keep_text_for is not null then
      select array_agg(t.id) into v_ids from (
        select f.id from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.captured_at < now() - d.keep_text_for
          and (d.keep_frames_for is null or f.captured_at >= now() - d.keep_frames_for)  -- purged above (a dry run counts them once)
          -- (idx_frames_retention_text's very predicate: see migration 000016 for why this form)
          and num_nonnulls(f.ocr_text, f.ocr_words, f.vision_summary, f.embedding) > 0
        order by f.captured_at limit v_batch + 1
        for update of f skip locked) t;
      kind := 'text'; frames := coalesce(cardinality(v_ids), 0); more := frames > v_batch;
      v_ids := v_ids[1:v_batch]; frames := least(frames, v_batch);
      images := 0; findings := 0; words := 0; bytes := 0;
      if frames > 0 then
        if not v_dry then
          v_r := pgrecall._drop_text(v_ids);
          findings := v_r.findings; words := v_r.words;
        end if;
        return next;
        if not v_dry then return; end if;  -- one batch per call: one short transaction
      end if;
    end if;
    -- 3. Images past keep_images_for: the frame stays findable by its words.
    if d.keep_images_for is not null then
      select array_agg(t.id) into v_ids from (
        select f.id from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.captured_at < now() - d.keep_images_for
          and (d.keep_frames_for is null or f.captured_at >= now() - d.keep_frames_for)  -- purged above (a dry run counts them once)
          and f.image_ref is not null and not pgrecall._image_busy(f)
        order by f.captured_at limit v_batch + 1
        for update of f skip locked) t;
      kind := 'images'; frames := coalesce(cardinality(v_ids), 0); more := frames > v_batch;
      v_ids := v_ids[1:v_batch]; frames := least(frames, v_batch);
      images := 0; findings := 0; words := 0; bytes := 0;
      if frames > 0 then
        select coalesce(sum(s.bytes), 0) into bytes from pgrecall.blob_sizes s
        where s.ref in (select f.image_ref from pgrecall.frames f where f.id = any(v_ids));
        if not v_dry then
          images := pgrecall._drop_images(v_ids);
        end if;
        return next;
        if not v_dry then return; end if;  -- one batch per call: one short transaction
      end if;
    end if;
    -- 4. max_storage: the images of this deployment, most recently shown first, are kept up to
    --    the cap (sizes as gc last measured them); the rest go, least recently shown first.
    if d.max_storage is not null then
      select array_agg(z.ref order by z.last_shown), coalesce(sum(z.bytes), 0) into v_refs, bytes from (
        select y.ref, y.last_shown, y.bytes from (
          select u.ref, u.last_shown, u.bytes, sum(u.bytes) over (order by u.last_shown desc, u.ref) as kept
          from (select f.image_ref as ref, max(f.captured_at) as last_shown, max(s.bytes) as bytes
                from pgrecall.frames f join pgrecall.blob_sizes s on s.ref = f.image_ref
                where f.deployment_id = d.deployment_id
                group by f.image_ref) u) y
        where y.kept > d.max_storage
        order by y.last_shown
        limit v_batch + 1) z;
      kind := 'storage'; more := coalesce(cardinality(v_refs), 0) > v_batch; v_refs := v_refs[1:v_batch];
      images := 0; findings := 0; words := 0;
      if cardinality(v_refs) > 0 then
        select array_agg(f.id) into v_ids from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.image_ref = any(v_refs) and not pgrecall._image_busy(f);
        frames := coalesce(cardinality(v_ids), 0);
        if frames > 0 then  -- (none when every frame showing them still has a stage to run)
          if not v_dry then
            images := pgrecall._drop_images(v_ids);
          end if;
          return next;
          if not v_dry then return; end if;
        end if;
      end if;
    end if;
  end loop;
end;
$$;
comment on function pgrecall.retention_batch(text, integer, boolean) is
  'One small batch of retention (at most p_batch frames of one deployment and kind; a dry run counts every deployment and kind, up to p_batch each) for the deployments with a retention setting (or one): frames past keep_frames_for purged, text past keep_text_for removed, images past keep_images_for removed, images past max_storage removed least recently shown first '
  '(sizes from pgrecall.blob_sizes, which gc keeps). The row says what was done (more: that kind has more due). Images are queued for gc. Call again until it returns no row.';

----------------------------------------------------------------------------------- retention_done
create or replace function pgrecall.retention_done(p_counts jsonb, p_dry_run boolean default false)
returns bigint
language sql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
  select pgrecall.log_event(case when p_dry_run then 'retention.dry_run' else 'retention' end, null, null, null,
                            (select coalesce(jsonb_object_agg(k, v), '{}') from jsonb_each(p_counts) as e(k, v) where jsonb_typeof(v) = 'number'))
$$;
comment on function pgrecall.retention_done(jsonb, boolean) is 'Logs a finished retention pass (its totals: numbers only) in pgrecall.events.';

----------------------------------------------------------------------------------- grants
revoke all on function pgrecall._image_busy(pgrecall.frames), pgrecall._drop_images(uuid[]), pgrecall._drop_text(uuid[]),
  pgrecall.retention_batch(text, integer, boolean), pgrecall.retention_done(jsonb, boolean)
  from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant execute on function pgrecall.retention_batch(text, integer, boolean), pgrecall.retention_done(jsonb, boolean) to pgrecall_worker;
