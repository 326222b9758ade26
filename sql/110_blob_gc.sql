-- Blob gc (issue 11.3): a blob's file is removed when no frame references it, safely against a
-- writer storing the same bytes at that moment. The protocol, with src/blob-gc.ts:
--   writer: pgrecall.claim_blob(ref) (commits) → store.put (writes or reuses the file) → insert
--           the frame (its insert consumes the claim).
--   gc:     session advisory lock on the blob → pgrecall.collect_blob(ref) decides and, if the
--           file may go, forgets the blob in its own transaction (commits) → removes the file →
--           unlocks.
-- A claim waits for the lock, so it lands either before gc looks (gc sees it, keeps the file) or
-- after the file is gone (put writes it anew). Files go only after collect_blob committed.

----------------------------------------------------------------------------------- _blob_lock
create or replace function pgrecall._blob_lock(p_ref text)
returns integer
language sql immutable strict parallel safe
set search_path to pg_catalog, pg_temp
as $$ select hashtext(p_ref) $$;
comment on function pgrecall._blob_lock(text) is
  'Internal: the second key of a blob''s advisory lock; the first is 1886545260 (''pgrl''). gc holds it exclusively while it removes the file, claim_blob shares it.';

----------------------------------------------------------------------------------- claim_blob
create or replace function pgrecall.claim_blob(p_ref text)
returns void
language plpgsql volatile
-- capture logins claim the blobs they store; the table is not theirs to write
security definer
set search_path to pg_catalog, pg_temp
as $$
begin
  if p_ref is null or p_ref !~ '^blob:sha256:[0-9a-f]{64}$' then
    raise exception 'not a blob reference: "%"', left(p_ref, 100) using errcode = '22023';
  end if;
  -- Waits while gc is removing this blob's file: after that, the writer writes it anew.
  perform pg_advisory_xact_lock_shared(1886545260, pgrecall._blob_lock(p_ref));
  insert into pgrecall.blob_claims (ref) values (p_ref)
  on conflict (ref) do update set claimed_at = excluded.claimed_at;
end;
$$;
comment on function pgrecall.claim_blob(text) is
  'Call before storing (or reusing) a blob a frame is about to reference, in its own transaction: gc then leaves the blob alone until a frame references it (which consumes the claim) or the orphan grace (at least 10 minutes) passes. Waits while gc is removing that blob.';

----------------------------------------------------------------------------------- tg_frames__consume_claims
create or replace function pgrecall.tg_frames__consume_claims()
returns trigger
language plpgsql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
begin
  -- The frame now holds the blob: no claim needed. Statement-level on insert (one probe of a
  -- small table per statement), row-level on an image change.
  if TG_LEVEL = 'STATEMENT' then
    delete from pgrecall.blob_claims c using new_frames n where c.ref = n.image_ref;
  else
    delete from pgrecall.blob_claims c where c.ref = NEW.image_ref;
  end if;
  return null;
end;
$$;
comment on function pgrecall.tg_frames__consume_claims() is 'Internal trigger: a frame that references a claimed blob ends the claim.';

create or replace trigger _800_consume_claims_inserted
  after insert on pgrecall.frames
  referencing new table as new_frames
  for each statement execute function pgrecall.tg_frames__consume_claims();
create or replace trigger _800_consume_claims_updated
  after update of image_ref on pgrecall.frames
  for each row when (NEW.image_ref is distinct from OLD.image_ref and NEW.image_ref is not null)
  execute function pgrecall.tg_frames__consume_claims();

----------------------------------------------------------------------------------- gc_candidates
create or replace function pgrecall.gc_candidates(p_refs text[])
returns setof text
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- Of the blobs found in the store, those no frame references (one index probe each).
  select r from unnest(p_refs) r
  where not exists (select 1 from pgrecall.frames f where f.image_ref = r)
$$;
comment on function pgrecall.gc_candidates(text[]) is 'Of these blob references, those no frame references: gc looks at them more closely (collect_blob).';

----------------------------------------------------------------------------------- collect_blob
create or replace function pgrecall.collect_blob(p_ref text, p_file_age interval, p_orphan_grace interval, p_dry_run boolean default false)
returns text
language plpgsql volatile
-- the retention task (worker role) collects what it released
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_released timestamptz;
  v_claimed timestamptz;
begin
  -- The caller holds the blob's advisory lock (pg_advisory_lock(1886545260, pgrecall._blob_lock(ref))).
  select r.released_at into v_released from pgrecall.blob_releases r where r.ref = p_ref;
  select c.claimed_at into v_claimed from pgrecall.blob_claims c where c.ref = p_ref;
  if exists (select 1 from pgrecall.frames f where f.image_ref = p_ref) then
    if not p_dry_run then
      delete from pgrecall.blob_releases r where r.ref = p_ref;  -- referenced again: nothing to do
    end if;
    return 'referenced';
  end if;
  -- A writer is about to reference it: a claim holds for the orphan grace, and never less than
  -- 10 minutes (a short grace for old orphans must not cut a capture in progress short).
  if v_claimed > now() - greatest(p_orphan_grace, interval '10 minutes') then
    return 'claimed';
  end if;
  -- A blob a forget or retention released goes at once; one never referenced (a crash between
  -- write and insert) only after the orphan grace.
  if v_released is null and p_file_age is not null and p_file_age < p_orphan_grace then
    return 'young';
  end if;
  if not p_dry_run then
    delete from pgrecall.blob_releases r where r.ref = p_ref;
    delete from pgrecall.blob_claims c where c.ref = p_ref;
    delete from pgrecall.blob_sizes s where s.ref = p_ref;
  end if;
  return case when v_released is null then 'orphan' else 'released' end;
end;
$$;
comment on function pgrecall.collect_blob(text, interval, interval, boolean) is
  'gc''s decision for one blob, under its advisory lock: referenced (a frame shows it: kept, its release dropped), claimed (a writer is about to use it), young (never referenced, younger than the orphan grace), '
  'or released / orphan: the blob is forgotten here, and the caller removes the file once this has committed.';

----------------------------------------------------------------------------------- record_blob_sizes
create or replace function pgrecall.record_blob_sizes(p_refs text[], p_bytes bigint[])
returns void
language sql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
  insert into pgrecall.blob_sizes (ref, bytes)
  select r, b from unnest(p_refs, p_bytes) as x(r, b)
  on conflict (ref) do update set bytes = excluded.bytes, seen_at = excluded.seen_at
$$;
comment on function pgrecall.record_blob_sizes(text[], bigint[]) is 'Records the sizes gc saw while walking the store (for max_storage and status).';

----------------------------------------------------------------------------------- grants
revoke all on function pgrecall._blob_lock(text), pgrecall.claim_blob(text), pgrecall.tg_frames__consume_claims(),
  pgrecall.gc_candidates(text[]), pgrecall.collect_blob(text, interval, interval, boolean),
  pgrecall.record_blob_sizes(text[], bigint[])
  from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant execute on function pgrecall.claim_blob(text), pgrecall._blob_lock(text) to pgrecall_capture, pgrecall_worker;
grant execute on function pgrecall.collect_blob(text, interval, interval, boolean), pgrecall.gc_candidates(text[]),
                          pgrecall.record_blob_sizes(text[], bigint[])
  to pgrecall_worker;
grant select on pgrecall.blob_releases to pgrecall_worker;
