-- Capture: the one way in that is safe to retry. Any client may insert into pgrecall.frames
-- directly; insert_frame adds idempotency: a capture named by a key (capture_key) is stored
-- once per deployment and capture time, however often and however concurrently it is sent.

create or replace function pgrecall.insert_frame(
  p_deployment_id text,
  p_captured_at timestamptz,
  p_image_ref text,
  p_capture_key text default null,
  p_app_name text default null,
  p_window_title text default null,
  p_phash bigint default null,
  p_tile_hashes bigint[] default null,
  out frame_id uuid,
  out duplicate_of uuid,
  out existing boolean
)
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  insert into pgrecall.frames as f
    (deployment_id, captured_at, capture_key, image_ref, app_name, window_title, phash, tile_hashes)
  values
    (p_deployment_id, p_captured_at, p_capture_key, p_image_ref, p_app_name, p_window_title, p_phash, p_tile_hashes)
  on conflict (deployment_id, captured_at, capture_key) where capture_key is not null do nothing
  returning f.id, f.duplicate_of into frame_id, duplicate_of;
  if found then
    existing := false;
    return;
  end if;
  -- Another insert of the same key won (perhaps a moment ago, in another session): a new
  -- statement, a new snapshot, so its committed row is visible here.
  select f.id, f.duplicate_of into frame_id, duplicate_of
  from pgrecall.frames f
  where f.deployment_id = p_deployment_id and f.captured_at = p_captured_at and f.capture_key = p_capture_key;
  existing := true;
end;
$$;
comment on function pgrecall.insert_frame(text, timestamptz, text, text, text, text, bigint, bigint[]) is
  'Inserts a frame, or finds the one already stored under the same (deployment, captured_at, capture_key): safe to retry and to run twice at once. '
  'Returns its id, what it repeats (near-duplicate) and whether it existed. Without a capture_key it always inserts.';
