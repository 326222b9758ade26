--! Previous: sha1:6299858d3fde5ef4d7e338b94aafdda9c55184ab
--! Hash: sha1:118071022a032e3178bb7efab8a72e6bb3575790
--! Message: secret rescans

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Rescans (seed 000 Phase 4, retroactive): a new or changed secret rule is applied to the
-- frames OCRed before it, in small batches through jobs (task `rescan`). One row per rescan,
-- its keyset cursor and its counts; a newer rescan of the same scope supersedes an unfinished one.
create table pgrecall.secret_rescans (
    id              bigint generated always as identity primary key,
    deployment_id   text,
    reason          text not null,
    started_at      timestamptz not null default now(),
    after_id        uuid,
    frames_scanned  bigint not null default 0,
    frames_redacted bigint not null default 0,
    findings        bigint not null default 0,
    images_missing  bigint not null default 0,
    finished_at     timestamptz,
    superseded_by   bigint references pgrecall.secret_rescans (id)
);
comment on table pgrecall.secret_rescans is
  'Rescans of OCRed history for secrets (pgrecall secrets rescan; started too by a change to pgrecall.secret_rules): scope (one deployment, or all when null), progress (after_id: the last frame id scanned, frames are taken in id order) and counts. Never a value.';
comment on column pgrecall.secret_rescans.images_missing is
  'Frames whose text had a finding but whose image could not be read to black it out (gone, or unreadable): their text is masked, the image reference is kept, and the worker logs the frame.';
create index idx_secret_rescans_open on pgrecall.secret_rescans (id) where finished_at is null;
