-- Secrets after the fact (seed 000 Phase 4): rescans of history with new rules, and counts of
-- findings for readers (who may not read pgrecall.secrets itself).
--
-- Rescans. A new or changed rule in
-- pgrecall.secret_rules (or `pgrecall secrets rescan`) starts a rescan: the `rescan` task
-- takes the frames OCRed before it in small batches (frame id order, a keyset cursor), runs
-- the detector on their stored text — already redacted by the rules of its day, so only what
-- the new rules catch is found — and records each batch with rescan_batch_done: the text and
-- word boxes masked, the image blacked out, findings in pgrecall.secrets, the embedding and
-- the vision description made again from the redacted frame, and the words of the secret
-- gone from the search vocabulary. One batch is one short transaction: capture never waits.

create or replace function pgrecall._rescan_job(p_rescan_id bigint, p_after_id uuid)
returns void
language sql volatile
set search_path to pg_catalog, pg_temp
as $$
  -- Below the stages' priority (0): the screens being captured now are read first.
  -- Keyed by the cursor: a retried batch queues the same next job, not a second chain.
  select graphile_worker.add_job(
           'rescan', json_build_object('rescan_id', p_rescan_id),
           max_attempts => (select s.job_max_attempts from pgrecall.settings_for('*') s),
           job_key => format('pgrecall:rescan:%s:%s', p_rescan_id, coalesce(p_after_id::text, 'start')),
           priority => 10) is not null
$$;
comment on function pgrecall._rescan_job(bigint, uuid) is 'Internal: queues the rescan''s next batch (task rescan, priority 10: after the stages'' jobs).';

create or replace function pgrecall._ocr_version(p_ocr_at timestamptz)
returns bigint
language sql immutable parallel safe
set search_path to pg_catalog, pg_temp
as $$ select (extract(epoch from p_ocr_at) * 1000000)::bigint $$;
comment on function pgrecall._ocr_version(timestamptz) is
  'Internal: when a frame was OCRed, in microseconds, exact through JSON (a rescan result applies only to the OCR it read).';

create or replace function pgrecall.secrets_rescan(p_deployment_id text default null, p_reason text default null)
returns bigint
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_id bigint;
begin
  insert into pgrecall.secret_rescans (deployment_id, reason)
  values (p_deployment_id, coalesce(nullif(btrim(p_reason), ''), 'requested'))
  returning id into v_id;
  -- An unfinished rescan this one covers would only repeat its work: this one starts from the first frame.
  update pgrecall.secret_rescans r set superseded_by = v_id, finished_at = now()
   where r.finished_at is null and r.id < v_id
     and (p_deployment_id is null or r.deployment_id is not distinct from p_deployment_id);
  perform pgrecall._rescan_job(v_id, null);
  return v_id;
end;
$$;
comment on function pgrecall.secrets_rescan(text, text) is
  'Starts a rescan of the OCRed frames of one deployment (all when null) for secrets, with the current rules; supersedes an unfinished rescan it covers. Returns its id (pgrecall.secret_rescans).';

create or replace function pgrecall.rescan_batch(p_rescan_id bigint, p_limit integer default 50)
returns table (id uuid, ocr_text text, ocr_words jsonb, image_ref text, ocr_version bigint)
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- Canonical frames with text, OCRed before the rescan began (later ones met the new rules),
  -- after the cursor. Nothing once the rescan is finished or superseded.
  select f.id, f.ocr_text, f.ocr_words, f.image_ref, pgrecall._ocr_version(f.ocr_at)
  from pgrecall.secret_rescans r
  join pgrecall.frames f on f.id > coalesce(r.after_id, '00000000-0000-0000-0000-000000000000')
  where r.id = p_rescan_id and r.finished_at is null
    and (r.deployment_id is null or f.deployment_id = r.deployment_id)
    and f.duplicate_of is null and f.ocr_status = 1 and f.ocr_at <= r.started_at and f.ocr_text <> ''
  order by f.id
  limit greatest(1, least(p_limit, 1000))
$$;
comment on function pgrecall.rescan_batch(bigint, integer) is
  'The next frames (at most 1000) a rescan reads: canonical, OCRed before it began, with text, after its cursor. Empty when it is finished or superseded.';

create or replace function pgrecall.rescan_batch_done(p_rescan_id bigint, p_after_id uuid, p_scanned integer, p_results jsonb default '[]')
returns text[]
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_r record;
  v_old_refs text[];
  v_old_words text[];
  v_released text[] := '{}'::text[];
  v_redacted integer := 0;
  v_findings integer := 0;
  v_missing integer := 0;
  v_more boolean;
begin
  if jsonb_typeof(coalesce(p_results, '[]')) <> 'array' then
    raise exception 'rescan_batch_done: results must be a JSON array (rescan %)', p_rescan_id using errcode = '22023';
  end if;
  perform 1 from pgrecall.secret_rescans r where r.id = p_rescan_id for update;
  if not found then
    raise exception 'no rescan %', p_rescan_id using errcode = '22023';
  end if;
  for v_r in
    select x.frame_id, x.text, x.words, x.findings, x.redacted_image_ref, x.ocr_version
    from jsonb_to_recordset(coalesce(p_results, '[]')) as x(frame_id uuid, text text, words jsonb, findings jsonb,
                                                            redacted_image_ref text, ocr_version bigint)
  loop
    if jsonb_array_length(coalesce(v_r.findings, '[]')) = 0 then
      raise exception 'rescan_batch_done: a result without findings (frame %)', v_r.frame_id using errcode = '22023',
        hint = 'Pass only the frames on which the rescan found something.';
    end if;
    -- The frame as the batch read it; OCRed again since (a requeue), its new text met the current rules.
    select array_agg(distinct f.image_ref) filter (where f.image_ref is distinct from v_r.redacted_image_ref and v_r.redacted_image_ref is not null),
           (select tsvector_to_array(c.fts) from pgrecall.frames c where c.id = v_r.frame_id)
      into v_old_refs, v_old_words
    from pgrecall.frames f where f.id = v_r.frame_id or f.duplicate_of = v_r.frame_id;
    update pgrecall.frames
       set ocr_text = v_r.text, ocr_words = v_r.words,
           image_ref = coalesce(v_r.redacted_image_ref, image_ref), redacted_at = now(),
           -- Made from the text or image before it was redacted: made again.
           embedding = case when embedding_status = 1 then null else embedding end,
           embedding_model = case when embedding_status = 1 then null else embedding_model end,
           embedding_at = case when embedding_status = 1 then null else embedding_at end,
           embedding_status = case when embedding_status = 1 then 0 else embedding_status end,
           vision_summary = case when vision_status = 1 then null else vision_summary end,
           vision_at = case when vision_status = 1 then null else vision_at end,
           vision_status = case when vision_status = 1 then 0 else vision_status end
     where id = v_r.frame_id and ocr_status = 1 and pgrecall._ocr_version(ocr_at) = v_r.ocr_version and duplicate_of is null;
    continue when not found;
    v_redacted := v_redacted + 1;
    v_findings := v_findings + jsonb_array_length(v_r.findings);
    v_missing := v_missing + (v_r.redacted_image_ref is null)::int;
    v_released := v_released || coalesce(pgrecall._record_findings(v_r.frame_id, v_r.findings, v_r.redacted_image_ref, v_old_refs), '{}');
    perform pgrecall._forget_words(array(select unnest(v_old_words) except
                                         select unnest(tsvector_to_array(f.fts)) from pgrecall.frames f where f.id = v_r.frame_id));
  end loop;
  update pgrecall.secret_rescans r
     set after_id = coalesce(p_after_id, r.after_id), frames_scanned = r.frames_scanned + greatest(p_scanned, 0),
         frames_redacted = r.frames_redacted + v_redacted, findings = r.findings + v_findings,
         images_missing = r.images_missing + v_missing
   where r.id = p_rescan_id and r.finished_at is null;
  if found then
    v_more := exists (select 1 from pgrecall.rescan_batch(p_rescan_id, 1));
    if v_more then
      perform pgrecall._rescan_job(p_rescan_id, p_after_id);
    else
      update pgrecall.secret_rescans r set finished_at = now() where r.id = p_rescan_id;
    end if;
  end if;
  return v_released;
end;
$$;
comment on function pgrecall.rescan_batch_done(bigint, uuid, integer, jsonb) is
  'Records one rescan batch: for each frame with findings (results: [{frame_id, text, words, findings, redacted_image_ref, ocr_version}], text and words masked), the masked text, the redacted image (null when the image could not be read: counted as images_missing), the findings; its embedding and vision description queued again; the secret''s words gone from the vocabulary. Moves the cursor to after_id and queues the next batch, or finishes the rescan. Returns the original images no frame refers to any more, for the caller to delete.';

-- A new or changed rule applies to history too. (Removing a rule un-redacts nothing.)
create or replace function pgrecall.tg_secret_rules__rescan()
returns trigger
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  perform pgrecall.secrets_rescan(null, 'rule ' || string_agg(n.name, ', ' order by n.name))
  from new_rules n having count(*) > 0;
  return null;
end;
$$;
comment on function pgrecall.tg_secret_rules__rescan() is 'Starts a rescan of all history when rules are added or changed.';

drop trigger if exists rescan_inserted on pgrecall.secret_rules;
create trigger rescan_inserted after insert on pgrecall.secret_rules
  referencing new table as new_rules for each statement execute function pgrecall.tg_secret_rules__rescan();
drop trigger if exists rescan_updated on pgrecall.secret_rules;
create trigger rescan_updated after update on pgrecall.secret_rules
  referencing new table as new_rules for each statement execute function pgrecall.tg_secret_rules__rescan();

-- Counts for readers: how many findings of each kind, per deployment, for the deployments the
-- role may read (all of them for the owner and the worker). Never a value, a preview or a
-- fingerprint; the view runs with its owner's rights and filters by pgrecall.role_deployments.
create or replace view pgrecall.secret_counts as
select f.deployment_id, s.kind, s.category, count(*)::integer as findings, count(distinct s.frame_id)::integer as frames,
       max(f.captured_at) as last_seen
from pgrecall.secrets s
join pgrecall.frames f on f.id = s.frame_id
where not exists (select 1 from pg_catalog.pg_auth_members m
                  join pg_catalog.pg_roles g on g.oid = m.roleid
                  join pg_catalog.pg_roles u on u.oid = m.member
                  where g.rolname = 'pgrecall_reader' and u.rolname = current_user)
   or exists (select 1 from pgrecall.role_deployments d
              where d.role = current_user and d.kind = 'read'
                and (d.deployment_id is null or d.deployment_id = f.deployment_id))
group by f.deployment_id, s.kind, s.category;
comment on view pgrecall.secret_counts is
  'Findings per deployment and kind (count, frames, last seen) for the deployments the current role may read: a reader''s own (pgrecall grant read), everything for the owner and the worker. Never a value.';

-- The worker runs the batches; the owner (the CLI, or a rule change) starts rescans. Revoked from
-- the groups too: sql/090_roles.sql grants every function that exists when it runs to them.
revoke all on function pgrecall._rescan_job(bigint, uuid), pgrecall.secrets_rescan(text, text),
  pgrecall.rescan_batch(bigint, integer),
  pgrecall.rescan_batch_done(bigint, uuid, integer, jsonb), pgrecall.tg_secret_rules__rescan(),
  pgrecall._ocr_version(timestamptz) from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant select, update on pgrecall.secret_rescans to pgrecall_worker;
grant select on pgrecall.secret_counts to pgrecall_reader, pgrecall_worker;
grant delete on pgrecall.search_words to pgrecall_worker;
grant execute on function pgrecall.rescan_batch(bigint, integer), pgrecall.rescan_batch_done(bigint, uuid, integer, jsonb),
  pgrecall._rescan_job(bigint, uuid), pgrecall._ocr_version(timestamptz) to pgrecall_worker;
-- (rescan_batch_done also calls pgrecall._forget_words, sql/105_forget.sql, which grants it to the worker.)
