--! Previous: sha1:bd2c473db7b4ff2de510638271167f384b7e3e7d
--! Hash: sha1:8a81af2c9e9c8c1db037432d12c834e5d57a6c4a
--! Message: roles and row-level security

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Least privilege (seed 000 Phase 4). Three group roles, NOLOGIN, shared by the cluster:
-- capture (insert its own deployments' frames), reader (search the deployments it is
-- granted), worker (run the stages). Login roles are made members with pgrecall grant.
do $$
declare
  v text;
begin
  foreach v in array array['pgrecall_capture', 'pgrecall_reader', 'pgrecall_worker'] loop
    if not exists (select 1 from pg_roles where rolname = v) then
      begin
        execute format('create role %I nologin', v);
      exception when duplicate_object then
        null; -- another database of this cluster made it at the same moment
      end;
    end if;
  end loop;
end;
$$;

-- Which deployments each login role may capture for or read (deployment_id null: all).
create table pgrecall.role_deployments (
    role           text not null,
    kind           text not null constraint role_deployments_kind_check check (kind in ('capture', 'read')),
    deployment_id  text,
    granted_at     timestamptz not null default now()
);
create unique index idx_role_deployments on pgrecall.role_deployments (role, kind, coalesce(deployment_id, ''));
comment on table pgrecall.role_deployments is
  'The deployments a login role may capture for (kind capture) or read (kind read; deployment_id null: every deployment). Kept by pgrecall.grant_access / revoke_access; the row-level security policies of pgrecall.frames read it.';

alter table pgrecall.frames enable row level security;
alter table pgrecall.role_deployments enable row level security;
