-- Import: frames another program captured (a Screenpipe history), with what it already knew
-- about them — its OCR text, the browser page — recorded through the same insert, dedup,
-- exclusion and stage transitions as any capture.

----------------------------------------------------------------------------------- import_frame
create or replace function pgrecall.import_frame(
  p_deployment_id text,
  p_captured_at timestamptz,
  p_image_ref text,
  p_capture_key text,
  p_app_name text default null,
  p_window_title text default null,
  p_phash bigint default null,
  p_tile_hashes bigint[] default null,
  p_browser_url text default null,
  p_missing_image text default null,
  out frame_id uuid,
  out duplicate_of uuid,
  out existing boolean,
  out excluded_by text,
  out ocr_pending boolean
)
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  if p_capture_key is null then
    raise exception 'import_frame needs a capture_key (what names the frame in its source)' using errcode = '22023';
  end if;
  if p_image_ref is null and nullif(btrim(p_missing_image), '') is null and p_phash is not null then
    raise exception 'import_frame: hashes without an image (frame %)', p_capture_key using errcode = '22023';
  end if;
  select i.frame_id, i.duplicate_of, i.existing into frame_id, duplicate_of, existing
  from pgrecall.insert_frame(p_deployment_id, p_captured_at, p_image_ref, p_capture_key, p_app_name, p_window_title,
                             p_phash, p_tile_hashes) i;
  select f.excluded_by into excluded_by from pgrecall.frames f where f.id = frame_id;
  if not existing and excluded_by is null then
    if p_browser_url is not null then
      update pgrecall.frames f set browser_url = left(p_browser_url, 4096) where f.id = frame_id;
    end if;
    -- Its media is gone: the hash stage cannot run (failed, with the reason), nor can vision;
    -- the text the source recorded is still worth keeping.
    if p_image_ref is null then
      perform pgrecall.frame_stage_failed(frame_id, 'hash', 'no image: ' || p_missing_image);
      perform pgrecall.frame_stage_skipped(frame_id, 'vision', 'no image: ' || p_missing_image);
    end if;
  end if;
  select f.ocr_status = 0 into ocr_pending from pgrecall.frames f where f.id = frame_id;
end;
$$;
comment on function pgrecall.import_frame(text, timestamptz, text, text, text, text, bigint, bigint[], text, text) is
  'Inserts a frame imported from another program through pgrecall.insert_frame (idempotent on its capture_key, deduplicated, exclusion rules applied), '
  'with its browser URL; a frame whose media is gone (p_missing_image: why) keeps its metadata, its hash stage failed and vision skipped with the reason. '
  'ocr_pending says whether the source''s OCR text may be recorded (pgrecall.frame_ocr_imported): not for an excluded frame, a near-duplicate or a frame imported before.';

----------------------------------------------------------------------------------- frame_ocr_imported
create or replace function pgrecall.frame_ocr_imported(
  p_frame_id uuid,
  p_engine text,
  p_text text,
  p_confidence real default null,
  p_words jsonb default null,
  p_findings jsonb default null,
  p_redacted_image_ref text default null
)
returns text[]
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  if nullif(btrim(p_engine), '') is null then
    raise exception 'frame_ocr_imported needs the engine that read the text (frame %)', p_frame_id using errcode = '22023';
  end if;
  return pgrecall.frame_ocr_done(p_frame_id, p_text, p_confidence, p_words, p_findings, p_redacted_image_ref, p_engine);
end;
$$;
comment on function pgrecall.frame_ocr_imported(uuid, text, text, real, jsonb, jsonb, text) is
  'Records OCR text another program produced (already passed through the secret detector, like pgrecall''s own) as the frame''s OCR, done, '
  'with the engine named in ocr_engine. Same rules and result as pgrecall.frame_ocr_done.';
