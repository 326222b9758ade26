--! Previous: sha1:36851d52a15eea313c34d349fb987a0eb5b6fcee
--! Hash: sha1:192f7edc22d9d02ba24d3a8918f06317d6887311
--! Message: frames: a partial index over frames that have an image, for retention, built concurrently

--! no-transaction
-- Frames that still have an image, by deployment and time: the retention pass finds the oldest
-- ones past keep_images_for without walking the frames that lost theirs. Built concurrently.
create index concurrently if not exists idx_frames_retention_image on pgrecall.frames (deployment_id, captured_at)
  where image_ref is not null;
