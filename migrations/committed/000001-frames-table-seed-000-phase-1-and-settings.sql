--! Previous: -
--! Hash: sha1:8793d8122ccd2125807e95af064b3cf41985d484
--! Message: frames table (seed 000 Phase 1) and settings

-- Incremental DDL only: tables, columns, indexes. Functions, triggers and views are
-- idempotent files in sql/, re-applied after every migration (see README, "Developers").
-- A committed migration must therefore never call a function defined in sql/.

create extension if not exists "uuid-ossp";
create extension if not exists vector;

create schema if not exists pgrecall;
comment on schema pgrecall is 'pgrecall: screen memory. Insert into pgrecall.frames; read the pending_* views and pgrecall.pipeline.';

-- Seed 000, Phase 1, column for column; additions follow, each with a comment.
create table pgrecall.frames (
    id              uuid primary key default uuid_generate_v4(),
    deployment_id   text not null,
    captured_at     timestamptz not null default now(),

    phash           bigint,
    phash_prefix    smallint,

    image_ref       text,

    window_title    text,
    app_name        text,

    ocr_status      smallint not null default 0,
    ocr_text        text,

    vision_status   smallint not null default 0,
    vision_summary  text,

    embedding_status smallint not null default 0,
    embedding       vector(384),

    -- additions the pipeline needs
    inserted_at     timestamptz not null default now(),
    tile_hashes     bigint[],
    duplicate_of    uuid references pgrecall.frames (id) on delete set null,
    duplicate_distance smallint,

    hash_status     smallint not null default 0,
    hash_message    text,
    hash_at         timestamptz,
    ocr_message     text,
    ocr_at          timestamptz,
    vision_message  text,
    vision_at       timestamptz,
    embedding_message text,
    embedding_at    timestamptz,

    constraint frames_deployment_id_check check (length(deployment_id) between 1 and 200),
    constraint frames_hash_status_check check (hash_status between 0 and 3),
    constraint frames_ocr_status_check check (ocr_status between 0 and 3),
    constraint frames_vision_status_check check (vision_status between 0 and 3),
    constraint frames_embedding_status_check check (embedding_status between 0 and 3),
    constraint frames_tile_hashes_check check (
      tile_hashes is null or (array_ndims(tile_hashes) = 1 and cardinality(tile_hashes) = 64)
    ),
    constraint frames_duplicate_check check (duplicate_of is null or duplicate_of <> id)
);

comment on table pgrecall.frames is
  'One row per screenshot. Insert with any Postgres client; triggers dedup it and queue its work. Status codes: 0 pending, 1 done, 2 error, 3 skipped.';
comment on column pgrecall.frames.phash is
  '64-bit perceptual hash (sharp-phash, as a signed bigint). Null at insert queues a hash job that fills it.';
comment on column pgrecall.frames.phash_prefix is
  'Top 16 bits of phash, kept by trigger (seed 000). It is also band 0 of the multi-index hash used by the dedup lookup.';
comment on column pgrecall.frames.ocr_status is 'OCR stage: 0 pending, 1 done, 2 error, 3 skipped (near-duplicate).';
comment on column pgrecall.frames.vision_status is 'Vision stage: 0 pending, 1 done, 2 error, 3 skipped (near-duplicate, or no provider).';
comment on column pgrecall.frames.embedding_status is 'Embedding stage: 0 pending (runs after OCR is done), 1 done, 2 error, 3 skipped.';
comment on column pgrecall.frames.inserted_at is
  'When the row arrived. captured_at may be far in the past (imports), so queue ages are measured from this.';
comment on column pgrecall.frames.tile_hashes is
  'Optional 8x8 grid (row-major, 64 tiles) of 64-bit ink maps, one per tile, from the same pass as phash. Lets dedup tell typed text (tiles change) from a blinking cursor or a clock tick (no tile changes enough). Null: phash-only dedup.';
comment on column pgrecall.frames.duplicate_of is
  'The earlier, non-duplicate frame this one repeats. Its stages are skipped (3), the row is kept so the capture history stays complete.';
comment on column pgrecall.frames.duplicate_distance is 'Hamming distance between this phash and that of duplicate_of.';
comment on column pgrecall.frames.hash_status is
  'Hash stage (an addition: it can fail on a bad image like any other stage): 0 pending, 1 done (also when the client supplied phash), 2 error.';
comment on column pgrecall.frames.hash_message is 'Why the hash stage ended in error; null otherwise.';
comment on column pgrecall.frames.ocr_message is 'Why OCR ended in error (2) or was skipped (3); null otherwise.';
comment on column pgrecall.frames.vision_message is 'Why vision ended in error (2) or was skipped (3); null otherwise.';
comment on column pgrecall.frames.embedding_message is 'Why embedding ended in error (2) or was skipped (3); null otherwise.';
comment on column pgrecall.frames.hash_at is 'When the hash stage reached its final status.';
comment on column pgrecall.frames.ocr_at is 'When OCR reached its final status.';
comment on column pgrecall.frames.vision_at is 'When vision reached its final status.';
comment on column pgrecall.frames.embedding_at is 'When embedding reached its final status.';

-- Seed indexes. deployment_id leads the composite ones: a single-column deployment_id
-- index made the planner AND a 20k-row bitmap into every dedup lookup.
create index idx_frames_deployment on pgrecall.frames (deployment_id, captured_at);
create index idx_frames_captured_at on pgrecall.frames (captured_at);
create index idx_frames_phash_prefix on pgrecall.frames (deployment_id, phash_prefix)
  where duplicate_of is null and phash is not null;
create index idx_frames_ocr_pending on pgrecall.frames (ocr_status) where ocr_status = 0;
create index idx_frames_vision_pending on pgrecall.frames (vision_status) where vision_status = 0;

-- Additions for the pipeline.
create index idx_frames_hash_pending on pgrecall.frames (hash_status) where hash_status = 0;
create index idx_frames_embedding_pending on pgrecall.frames (embedding_status) where embedding_status = 0;
create index idx_frames_duplicate_of on pgrecall.frames (duplicate_of) where duplicate_of is not null;
-- Recent-window dedup: every canonical frame of a deployment in a time range, with its phash.
create index idx_frames_dedup_window on pgrecall.frames (deployment_id, captured_at) include (phash)
  where duplicate_of is null and phash is not null;
-- Near-duplicates over the whole history, by multi-index hashing: the phash is cut into six
-- bands (11, 11, 11, 10, 10, 11 bits, most significant first); two hashes within 5 bits
-- agree exactly on at least one band. Band 0 is the top 11 bits of phash_prefix, found by a
-- range on idx_frames_phash_prefix; the other five have an index each. Canonical frames only.
create index idx_frames_phash_band1 on pgrecall.frames (deployment_id, ((phash >> 42) & 2047))
  where duplicate_of is null and phash is not null;
create index idx_frames_phash_band2 on pgrecall.frames (deployment_id, ((phash >> 31) & 2047))
  where duplicate_of is null and phash is not null;
create index idx_frames_phash_band3 on pgrecall.frames (deployment_id, ((phash >> 21) & 1023))
  where duplicate_of is null and phash is not null;
create index idx_frames_phash_band4 on pgrecall.frames (deployment_id, ((phash >> 11) & 1023))
  where duplicate_of is null and phash is not null;
create index idx_frames_phash_band5 on pgrecall.frames (deployment_id, (phash & 2047))
  where duplicate_of is null and phash is not null;

create table pgrecall.settings (
    deployment_id       text primary key,
    phash_threshold     smallint not null default 5 check (phash_threshold between 0 and 64),
    recent_window       interval not null default '15 minutes' check (recent_window >= interval '0'),
    history_threshold   smallint not null default 3 check (history_threshold between -1 and 5),
    tile_bit_threshold  smallint not null default 2 check (tile_bit_threshold between 0 and 64),
    tile_max_changed    smallint not null default 0 check (tile_max_changed between 0 and 64),
    job_max_attempts    smallint not null default 5 check (job_max_attempts between 1 and 100)
);
comment on table pgrecall.settings is
  'Dedup and queue settings. The row with deployment_id = ''*'' applies to every deployment without a row of its own. Change them with UPDATE; they apply to the next insert.';
comment on column pgrecall.settings.phash_threshold is
  'A frame within this many phash bits of a canonical frame of its deployment in the recent window is a near-duplicate (if its tiles agree).';
comment on column pgrecall.settings.recent_window is 'How far back phash_threshold applies (before it, history_threshold does).';
comment on column pgrecall.settings.history_threshold is
  'Beyond the recent window, a return to any earlier screen within this many bits is a duplicate. At most 5: the six-band index finds every match up to 5 bits and no further. -1 turns it off.';
comment on column pgrecall.settings.tile_bit_threshold is 'A tile whose 64-bit ink map differs in more than this many bits has changed.';
comment on column pgrecall.settings.tile_max_changed is 'A frame with more changed tiles than this is new content, whatever its phash says.';
comment on column pgrecall.settings.job_max_attempts is 'max_attempts of the graphile-worker jobs queued for a frame.';
insert into pgrecall.settings (deployment_id) values ('*');

create table pgrecall._sql_applied (
    id          boolean primary key default true check (id),
    sha256      text not null,
    applied_at  timestamptz not null default now()
);
comment on table pgrecall._sql_applied is
  'Internal: digest of the sql/ files last applied, so pgrecall migrate does not re-take trigger locks on a busy frames table for nothing.';
