--! Previous: sha1:f0309a2157bf83b6194ee33143306a10a2465f61
--! Hash: sha1:62c41ba6165b177c495cc0e4380520dd8232da68
--! Message: frames: a partial index over frames that have an image, for retention, built concurrently

--! no-transaction
-- Frames that still have an image, by deployment and time: the retention pass finds the oldest
-- ones past keep_images_for without walking the frames that lost theirs. Built concurrently.
create index concurrently if not exists idx_frames_retention_image on pgrecall.frames (deployment_id, captured_at)
  where image_ref is not null;
