--! Previous: sha1:118071022a032e3178bb7efab8a72e6bb3575790
--! Hash: sha1:438f8cfd5773ec1e8e7858e838e970d5af4ec9e0
--! Message: lifecycle: tombstones, retention settings, blob claims and releases, event log

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Lifecycle (issue 11): tombstones, retention settings, blob claims and releases, the event log.

alter table pgrecall.frames add column tombstoned_at timestamptz;
comment on column pgrecall.frames.tombstoned_at is
  'Set by pgrecall.forget(p_soft => true): the frame is hidden from search, views and readers, restorable with pgrecall.unforget until tombstone_grace has passed, then purged.';
create index idx_frames_tombstoned on pgrecall.frames (tombstoned_at) where tombstoned_at is not null;
-- "does any frame still show this image?" (gc, forget, redaction) is an index probe, not a scan.
create index idx_frames_image_ref on pgrecall.frames (image_ref) where image_ref is not null;

alter table pgrecall.settings
  add column tombstone_grace interval constraint settings_tombstone_grace_check check (tombstone_grace >= interval '0'),
  add column keep_images_for interval constraint settings_keep_images_for_check check (keep_images_for > interval '0'),
  add column keep_text_for interval constraint settings_keep_text_for_check check (keep_text_for > interval '0'),
  add column keep_frames_for interval constraint settings_keep_frames_for_check check (keep_frames_for > interval '0'),
  add column max_storage bigint constraint settings_max_storage_check check (max_storage > 0);
update pgrecall.settings set tombstone_grace = interval '7 days' where deployment_id = '*';
alter table pgrecall.settings drop constraint settings_default_row_complete;
alter table pgrecall.settings add constraint settings_default_row_complete check (
  deployment_id <> '*' or (phash_threshold is not null and recent_window is not null and history_threshold is not null
                           and tile_bit_threshold is not null and tile_max_changed is not null and job_max_attempts is not null
                           and tombstone_grace is not null));
comment on column pgrecall.settings.tombstone_grace is 'How long a soft-forgotten (tombstoned) frame can be restored before gc purges it (default 7 days).';
comment on column pgrecall.settings.keep_images_for is 'Retention: images of frames older than this are removed (text stays searchable). Null: inherit, and in the ''*'' row keep forever.';
comment on column pgrecall.settings.keep_text_for is 'Retention: OCR text, word boxes, vision descriptions, vectors and findings of frames older than this are removed. Null: inherit / forever.';
comment on column pgrecall.settings.keep_frames_for is 'Retention: frames older than this are purged entirely. Null: inherit / forever.';
comment on column pgrecall.settings.max_storage is 'Retention: bytes of images a deployment''s frames may reference; past it the oldest images go first. Null: inherit / no cap.';

-- A writer claims a blob before it stores or reuses the file, and gc leaves claimed blobs
-- alone: a concurrent capture of the same bytes never loses its image.
create table pgrecall.blob_claims (
    ref         text primary key constraint blob_claims_ref_check check (ref ~ '^blob:sha256:[0-9a-f]{64}$'),
    claimed_at  timestamptz not null default now()
);
comment on table pgrecall.blob_claims is
  'Blobs a writer is about to reference (pgrecall.claim_blob, before it writes or reuses the file): gc does not remove a blob claimed within the orphan grace period.';

-- Blobs that lost their last frame (forget, retention, purge), queued in the same transaction:
-- gc removes their files after that transaction committed (a rollback queues nothing).
create table pgrecall.blob_releases (
    ref          text primary key constraint blob_releases_ref_check check (ref ~ '^blob:sha256:[0-9a-f]{64}$'),
    released_at  timestamptz not null default now()
);
comment on table pgrecall.blob_releases is
  'Blobs no frame referenced any more when a forget, retention pass or purge committed: gc removes their files (unless a frame referenced them again meanwhile).';

-- Sizes gc learnt while walking the store: max_storage is judged on them.
create table pgrecall.blob_sizes (
    ref         text primary key constraint blob_sizes_ref_check check (ref ~ '^blob:sha256:[0-9a-f]{64}$'),
    bytes       bigint not null constraint blob_sizes_bytes_check check (bytes >= 0),
    seen_at     timestamptz not null default now()
);
comment on table pgrecall.blob_sizes is
  'Bytes of each blob in the store, as gc last saw it (it walks the store): retention''s max_storage and pgrecall status read it.';

-- The event log (seed 003): lifecycle actions with counts, ranges, who and when; never content.
create table pgrecall.events (
    id             bigint generated always as identity primary key,
    at             timestamptz not null default now(),
    action         text not null constraint events_action_check check (action ~ '^[a-z][a-z_.]{0,40}$'),
    actor          text not null default session_user,
    deployment_id  text,
    range_from     timestamptz,
    range_to       timestamptz,
    counts         jsonb not null default '{}' constraint events_counts_check check (jsonb_typeof(counts) = 'object'),
    details        jsonb not null default '{}' constraint events_details_check check (jsonb_typeof(details) = 'object')
);
comment on table pgrecall.events is
  'Append-only log of lifecycle actions (forget, unforget, purge, retention, gc, exclusion and secret-rule changes, grants, restore): counts, time ranges, who and when, never screen content. UPDATE, DELETE and TRUNCATE are refused by trigger.';
create index idx_events_action_at on pgrecall.events (action, at);
create index idx_events_at on pgrecall.events (at);
