--! Previous: sha1:bf5e44efa480756157d5e87c14a58c72cf3385d2
--! Hash: sha1:36851d52a15eea313c34d349fb987a0eb5b6fcee
--! Message: frames: a partial index over frames that hold text, for retention, built concurrently

--! no-transaction
-- Frames that still hold text (OCR text, word boxes, vision description or a vector), by
-- deployment and time: the retention pass finds the oldest ones past keep_text_for without
-- walking the frames already emptied (at millions of frames every batch read them all).
-- The predicate is num_nonnulls(...) > 0, not "ocr_text is not null or ... or embedding is not
-- null": the planner proves that one from a vector search's "embedding is not null" and, at
-- 10M frames, read every frame with text through this index instead of the HNSW index (3 s
-- for a vector search instead of a few ms); num_nonnulls is matched only by the same expression.
-- Built concurrently so that capture goes on while it is made on a large history.
create index concurrently if not exists idx_frames_retention_text on pgrecall.frames (deployment_id, captured_at)
  where num_nonnulls(ocr_text, ocr_words, vision_summary, embedding) > 0;
