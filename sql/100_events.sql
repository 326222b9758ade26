-- The event log (seed 003): every lifecycle action with counts, ranges, who and when, never
-- screen content. Append-only, enforced here: UPDATE, DELETE and TRUNCATE are refused.

----------------------------------------------------------------------------------- tg_events__append_only
create or replace function pgrecall.tg_events__append_only()
returns trigger
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  raise exception 'pgrecall.events is append-only: % is refused', lower(TG_OP)
    using errcode = '42501', hint = 'Events are never changed or removed; a correction is a new event.';
end;
$$;
comment on function pgrecall.tg_events__append_only() is 'Refuses UPDATE, DELETE and TRUNCATE on pgrecall.events.';

create or replace trigger _100_append_only
  before update or delete on pgrecall.events
  for each row execute function pgrecall.tg_events__append_only();
create or replace trigger _100_append_only_truncate
  before truncate on pgrecall.events
  for each statement execute function pgrecall.tg_events__append_only();

----------------------------------------------------------------------------------- _caller
create or replace function pgrecall._caller()
returns text
language sql stable
set search_path to pg_catalog, pg_temp
-- Inside a security definer function current_user is the owner: the caller is the role set
-- with SET ROLE, else the session's.
as $$ select case when current_setting('role') = 'none' then session_user::text else current_setting('role') end $$;
comment on function pgrecall._caller() is 'Internal: the role that called a security definer function (SET ROLE''s, else the session user).';

----------------------------------------------------------------------------------- log_event
create or replace function pgrecall.log_event(
  p_action text, p_deployment_id text default null, p_from timestamptz default null, p_to timestamptz default null,
  p_counts jsonb default '{}', p_details jsonb default '{}'
)
returns bigint
language sql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
  insert into pgrecall.events (action, actor, deployment_id, range_from, range_to, counts, details)
  values (p_action, pgrecall._caller(), p_deployment_id, p_from, p_to, coalesce(p_counts, '{}'), coalesce(p_details, '{}'))
  returning id
$$;
comment on function pgrecall.log_event(text, text, timestamptz, timestamptz, jsonb, jsonb) is
  'Appends an event to pgrecall.events (actor: the calling role). Counts and details are JSON objects of numbers and names, never screen content.';

----------------------------------------------------------------------------------- rule and grant changes
-- Which rule changed and for which deployment; not its regex (a title regex can say what one hides).
create or replace function pgrecall.tg__log_rule_change()
returns trigger
language plpgsql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_row jsonb := to_jsonb(case when TG_OP = 'DELETE' then OLD else NEW end);
  v_what text := case TG_TABLE_NAME when 'exclusions' then 'exclusion' when 'secret_rules' then 'secret_rule' else 'grant' end;
begin
  perform pgrecall.log_event(
    v_what || '.' || case TG_OP when 'INSERT' then 'added' when 'UPDATE' then 'changed' else 'removed' end,
    v_row ->> 'deployment_id', null, null, '{}',
    jsonb_strip_nulls(jsonb_build_object('id', v_row -> 'id', 'name', v_row -> 'name', 'builtin', v_row -> 'builtin',
                                         'role', v_row -> 'role', 'kind', v_row -> 'kind')));
  return null;
end;
$$;
comment on function pgrecall.tg__log_rule_change() is
  'Logs an exclusion rule, secret rule or access grant added, changed or removed (its id or name, kind and deployment; never a regex).';

create or replace trigger _900_log_event
  after insert or update or delete on pgrecall.exclusions
  for each row execute function pgrecall.tg__log_rule_change();
create or replace trigger _900_log_event
  after insert or update or delete on pgrecall.secret_rules
  for each row execute function pgrecall.tg__log_rule_change();
create or replace trigger _900_log_event
  after insert or delete on pgrecall.role_deployments
  for each row execute function pgrecall.tg__log_rule_change();

----------------------------------------------------------------------------------- grants
revoke all on function pgrecall.tg_events__append_only(), pgrecall._caller(),
  pgrecall.log_event(text, text, timestamptz, timestamptz, jsonb, jsonb), pgrecall.tg__log_rule_change() from public;
revoke execute on function pgrecall.log_event(text, text, timestamptz, timestamptz, jsonb, jsonb)
  from pgrecall_capture, pgrecall_reader, pgrecall_worker;
-- The log is the owner's to read (pgrecall events): it names every deployment.

