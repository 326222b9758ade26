-- Roles and row-level security. The owner (who migrates) is not subject to the policies;
-- every other role sees and writes only what its group and role_deployments allow.
--   pgrecall_capture  insert frames for its deployments, read back only those (insert … returning)
--   pgrecall_reader   search and read frames of its deployments (or all); counts of the pipeline
--   pgrecall_worker   run the stages: read and update every frame, graphile-worker's queue
-- None of them may create anything in the schema.

revoke all on schema pgrecall from public;
grant usage on schema pgrecall to pgrecall_capture, pgrecall_reader, pgrecall_worker;
revoke all on all tables in schema pgrecall from pgrecall_capture, pgrecall_reader, pgrecall_worker;

----------------------------------------------------------------------------------- policies
drop policy if exists capture_insert on pgrecall.frames;
create policy capture_insert on pgrecall.frames for insert to pgrecall_capture
  with check (deployment_id in (select d.deployment_id from pgrecall.role_deployments d
                                where d.role = current_user and d.kind = 'capture'));
drop policy if exists capture_select on pgrecall.frames;
create policy capture_select on pgrecall.frames for select to pgrecall_capture
  using (deployment_id in (select d.deployment_id from pgrecall.role_deployments d
                           where d.role = current_user and d.kind = 'capture'));
drop policy if exists reader_select on pgrecall.frames;
create policy reader_select on pgrecall.frames for select to pgrecall_reader
  using (exists (select 1 from pgrecall.role_deployments d
                 where d.role = current_user and d.kind = 'read'
                   and (d.deployment_id is null or d.deployment_id = frames.deployment_id)));
drop policy if exists worker_all on pgrecall.frames;
create policy worker_all on pgrecall.frames for all to pgrecall_worker using (true) with check (true);
drop policy if exists own_rows on pgrecall.role_deployments;
create policy own_rows on pgrecall.role_deployments for select
  to pgrecall_capture, pgrecall_reader using (role = current_user);

----------------------------------------------------------------------------------- grants
-- capture: the insert path reads settings, exclusions and its own frames (dedup), and queues
-- jobs through pgrecall._add_jobs (security definer: it alone writes graphile-worker's tables).
grant insert (id, deployment_id, captured_at, phash, image_ref, window_title, app_name, tile_hashes, capture_key)
  on pgrecall.frames to pgrecall_capture;
grant select on pgrecall.frames, pgrecall.settings, pgrecall.exclusions, pgrecall.stages, pgrecall.role_deployments
  to pgrecall_capture;
grant execute on function pgrecall.insert_frame(text, timestamptz, text, text, text, text, bigint, bigint[]),
                          pgrecall.exclusion_for(text, text, text)
  to pgrecall_capture;

-- reader: frames (its deployments), the vocabulary for typo tolerance, the pipeline counts.
grant select on pgrecall.frames, pgrecall.search_words, pgrecall.stages, pgrecall.pipeline, pgrecall.role_deployments
  to pgrecall_reader;
grant execute on function pgrecall.search_frames(text, vector, text, text, text, text, timestamptz, timestamptz, boolean, integer, text, text, text, integer, boolean)
  to pgrecall_reader;

-- worker: every frame, the stage functions, the queue, its heartbeats.
grant select, update on pgrecall.frames to pgrecall_worker;
grant select on all tables in schema pgrecall to pgrecall_worker;
grant insert, update, delete on pgrecall.workers to pgrecall_worker;
grant insert on pgrecall.search_words, pgrecall.secrets to pgrecall_worker;
grant usage on schema graphile_worker to pgrecall_worker;
-- graphile-worker turns row-level security on for its private tables with no policy, so only
-- their owner could use them; the worker role gets a policy of its own on each.
do $$
declare
  v regclass;
begin
  for v in select c.oid::regclass from pg_class c
           where c.relnamespace = 'graphile_worker'::regnamespace and c.relkind = 'r' and c.relrowsecurity loop
    execute format('drop policy if exists pgrecall_worker on %s', v);
    execute format('create policy pgrecall_worker on %s for all to pgrecall_worker using (true) with check (true)', v);
  end loop;
end;
$$;
grant select, insert, update, delete on all tables in schema graphile_worker to pgrecall_worker;
grant usage, select, update on all sequences in schema graphile_worker to pgrecall_worker;
grant execute on all functions in schema graphile_worker to pgrecall_worker;


----------------------------------------------------------------------------------- grant_access
create or replace function pgrecall.grant_access(p_kind text, p_role text, p_deployment_id text default null)
returns void
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  if p_kind not in ('capture', 'read', 'worker') then
    raise exception 'unknown access "%"', p_kind using errcode = '22023', hint = 'capture, read or worker.';
  end if;
  if p_kind = 'capture' and p_deployment_id is null then
    raise exception 'capture access needs a deployment' using errcode = '22023',
      hint = 'One capture login per device: pgrecall grant capture ROLE --deployment ID.';
  end if;
  if p_kind = 'worker' and p_deployment_id is not null then
    raise exception 'worker access is to every deployment' using errcode = '22023';
  end if;
  if p_role like 'pgrecall\_%' or p_role in ('postgres', current_user) then
    raise exception 'role "%" cannot be given pgrecall access', p_role using errcode = '22023',
      hint = 'Grant access to a login role of its own (one per device, one for the UI/API).';
  end if;
  if not exists (select 1 from pg_roles where rolname = p_role) then
    execute format('create role %I nologin', p_role);
  end if;
  if p_kind = 'worker' and not pg_has_role(p_role, 'pgrecall_worker', 'member') then
    -- No role_deployments row (whose trigger logs capture and read grants): logged here.
    perform pgrecall.log_event('grant.added', null, null, null, '{}', jsonb_build_object('role', p_role, 'kind', 'worker'));
  end if;
  execute format('grant %I to %I', case p_kind when 'read' then 'pgrecall_reader' else 'pgrecall_' || p_kind end, p_role);
  if p_kind <> 'worker' then
    insert into pgrecall.role_deployments (role, kind, deployment_id) values (p_role, p_kind, p_deployment_id)
    on conflict do nothing;
  end if;
end;
$$;
comment on function pgrecall.grant_access(text, text, text) is
  'Gives a role capture access (to one deployment), read access (to one, or every deployment when null) or worker access; creates the role NOLOGIN if it does not exist. Idempotent.';

create or replace function pgrecall.revoke_access(p_kind text, p_role text, p_deployment_id text default null)
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_n integer;
  v_group text := case p_kind when 'read' then 'pgrecall_reader' else 'pgrecall_' || p_kind end;
begin
  if p_kind not in ('capture', 'read', 'worker') then
    raise exception 'unknown access "%"', p_kind using errcode = '22023', hint = 'capture, read or worker.';
  end if;
  delete from pgrecall.role_deployments d
  where d.role = p_role and d.kind = p_kind and (p_deployment_id is null or d.deployment_id is not distinct from p_deployment_id);
  get diagnostics v_n = row_count;
  if p_kind = 'worker' or not exists (select 1 from pgrecall.role_deployments d where d.role = p_role and d.kind = p_kind) then
    if exists (select 1 from pg_roles where rolname = p_role) then
      if p_kind = 'worker' and pg_has_role(p_role, 'pgrecall_worker', 'member') then
        perform pgrecall.log_event('grant.removed', null, null, null, '{}', jsonb_build_object('role', p_role, 'kind', 'worker'));
      end if;
      execute format('revoke %I from %I', v_group, p_role);
    end if;
  end if;
  return v_n;
end;
$$;
comment on function pgrecall.revoke_access(text, text, text) is
  'Takes back access granted with grant_access: one deployment, or all of that kind when null (then the group membership too). Returns how many deployment grants were removed.';


-- The enqueue triggers (sql/040) run with their owner's rights: the only door from a capture
-- role to the queue, and they queue only what stages_wanted says the inserted frames need.
-- Nobody calls _add_jobs directly (revoked below).

----------------------------------------------------------------------------------- execute
-- Functions are executable by the three groups, not by PUBLIC: the table privileges and
-- policies above decide what each call may touch. Granting and the queue are the owner's.
revoke all on all functions in schema pgrecall from public;
grant execute on all functions in schema pgrecall to pgrecall_capture, pgrecall_reader, pgrecall_worker;
revoke execute on function pgrecall.grant_access(text, text, text), pgrecall.revoke_access(text, text, text),
                           pgrecall._add_jobs(text[], uuid[], text[])
  from pgrecall_capture, pgrecall_reader, pgrecall_worker;
-- The worker's own bookkeeping: a capture or reader role would be refused by the table
-- privileges anyway; it is not theirs to call at all.
revoke execute on function pgrecall.worker_heartbeat(text[], text, integer, interval), pgrecall.worker_heartbeat(text[], text, integer),
                           pgrecall.worker_stopped(text[], bigint[], bigint[]), pgrecall.worker_stopped(text[]),
                           pgrecall.release_dead_workers(interval)
  from pgrecall_capture, pgrecall_reader;
