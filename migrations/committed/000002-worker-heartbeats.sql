--! Previous: sha1:8793d8122ccd2125807e95af064b3cf41985d484
--! Hash: sha1:6686e04a8d68c4735c7b55478b5332d9faa15bd7
--! Message: worker heartbeats

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

create table pgrecall.workers (
    worker_id     text primary key,
    hostname      text not null,
    pid           integer not null,
    started_at    timestamptz not null default now(),
    heartbeat_at  timestamptz not null default now()
);
comment on table pgrecall.workers is
  'pgrecall worker processes and their heartbeats (graphile-worker worker ids). A worker whose heartbeat is older than the dead-after timeout has died: its locked jobs are released instead of waiting graphile-worker''s 4 hours.';
