--! Previous: sha1:bf5e44efa480756157d5e87c14a58c72cf3385d2
--! Hash: sha1:f0309a2157bf83b6194ee33143306a10a2465f61
--! Message: frames: a partial index over frames that hold text, for retention, built concurrently

--! no-transaction
-- Frames that still hold text (OCR text, word boxes, vision description or a vector), by
-- deployment and time: the retention pass finds the oldest ones past keep_text_for without
-- walking the frames already emptied (at millions of frames every batch read them all).
-- Built concurrently so that capture goes on while it is made on a large history.
create index concurrently if not exists idx_frames_retention_text on pgrecall.frames (deployment_id, captured_at)
  where ocr_text is not null or ocr_words is not null or vision_summary is not null or embedding is not null;
