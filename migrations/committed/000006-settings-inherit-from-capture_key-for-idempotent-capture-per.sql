--! Previous: sha1:273b11c01d15a740fa3cea11c9a9fc4f8a84e570
--! Hash: sha1:a100e2ae811683d3c77c7ca97ac342e1942a7006
--! Message: settings inherit from '*', capture_key for idempotent capture, per-worker dead_after

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Settings inherit: a deployment's row overrides only the columns it sets; null means "the
-- '*' row's value" (pgrecall.settings_for merges them). The '*' row must set every column.
alter table pgrecall.settings
  alter column phash_threshold drop not null, alter column phash_threshold drop default,
  alter column recent_window drop not null, alter column recent_window drop default,
  alter column history_threshold drop not null, alter column history_threshold drop default,
  alter column tile_bit_threshold drop not null, alter column tile_bit_threshold drop default,
  alter column tile_max_changed drop not null, alter column tile_max_changed drop default,
  alter column job_max_attempts drop not null, alter column job_max_attempts drop default;
alter table pgrecall.settings add constraint settings_default_row_complete check (
  deployment_id <> '*' or (
    phash_threshold is not null and recent_window is not null and history_threshold is not null
    and tile_bit_threshold is not null and tile_max_changed is not null and job_max_attempts is not null
  )
);
comment on table pgrecall.settings is
  'Dedup and queue settings. The ''*'' row holds the defaults and cannot be deleted; a deployment''s own row overrides only the columns it sets (null inherits from ''*''). Read the merged values with pgrecall.settings_for(deployment). Changes apply to the next insert.';

-- Idempotent capture: a client may name each capture with a key of its own (the ingest CLI
-- uses the image's content address and time; an importer the source's frame id). The same
-- key for the same deployment and capture time is the same frame: inserting it again, even
-- from two processes at once, finds the first (pgrecall.insert_frame).
alter table pgrecall.frames add column capture_key text
  constraint frames_capture_key_check check (length(capture_key) between 1 and 300);
comment on column pgrecall.frames.capture_key is
  'Optional idempotency key chosen by the client: unique per deployment and captured_at, so a capture retried or ingested twice is stored once (pgrecall.insert_frame).';
-- Frames that pgrecall ingest stored before this migration get their key (the image's content
-- address), the first of each repeated ingest only, so re-ingesting them stays a no-op. No
-- trigger has anything to do here: only this new column changes.
alter table pgrecall.frames disable trigger user;
update pgrecall.frames f set capture_key = f.image_ref
from (select distinct on (deployment_id, captured_at, image_ref) id
      from pgrecall.frames
      where image_ref like 'blob:sha256:%'
      order by deployment_id, captured_at, image_ref, inserted_at, id) firsts
where f.id = firsts.id;
alter table pgrecall.frames enable trigger user;
create unique index idx_frames_capture_key on pgrecall.frames (deployment_id, captured_at, capture_key)
  where capture_key is not null;

-- Each worker is judged by the heartbeat interval it declared, not by whoever looks.
alter table pgrecall.workers add column dead_after interval not null default '60 seconds'
  constraint workers_dead_after_check check (dead_after > interval '0');
comment on column pgrecall.workers.dead_after is
  'How long this worker may stay silent before it counts as dead (its --dead-after); it beats well within it.';
