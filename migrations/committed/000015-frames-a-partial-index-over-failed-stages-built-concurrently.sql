--! Previous: sha1:a24a48f04e996fa529a90c63788fa18ef5b7e63a
--! Hash: sha1:bf5e44efa480756157d5e87c14a58c72cf3385d2
--! Message: frames: a partial index over failed stages, built concurrently

--! no-transaction
-- Frames with a failed stage, for cheap failure counts (pgrecall.stage_counts, /health): a small
-- partial index, built concurrently so that capture goes on while it is made on a large history.
create index concurrently if not exists idx_frames_failed on pgrecall.frames (captured_at)
  where hash_status = 2 or ocr_status = 2 or vision_status = 2 or embedding_status = 2;
