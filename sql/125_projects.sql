-- Projects: named rules put activities in projects; with embeddings, unassigned activities
-- get a suggestion from their nearest labelled neighbours (shown as a suggestion, never
-- assigned by itself).

----------------------------------------------------------------------------------- project rules
-- The same check as exclusion rules (sql/035): a regex that does not compile is refused with
-- PostgreSQL's reason (2201B).
create or replace trigger _100_check
  before insert or update on pgrecall.project_rules
  for each row execute function pgrecall.tg_exclusions__check();
drop function if exists pgrecall.tg_project_rules__check();

----------------------------------------------------------------------------------- project_for
create or replace function pgrecall.project_for(p_app_name text, p_window_title text, out project_id bigint, out rule_id bigint)
language sql stable parallel safe
set search_path to pg_catalog, pg_temp
as $$
  select r.project_id, r.id
  from pgrecall.project_rules r
  where (r.app_regex is null or coalesce(p_app_name, '') ~* r.app_regex)
    and (r.title_regex is null or (p_window_title is not null and p_window_title ~* r.title_regex))
  order by r.id
  limit 1
$$;
comment on function pgrecall.project_for(text, text) is
  'The project (and the rule) of an activity''s app and normalized window title: the first rule by id that matches, case-insensitively. A title rule never matches a frame without a title (excluded screens).';

----------------------------------------------------------------------------------- add_project
create or replace function pgrecall.add_project(p_name text, p_app_regex text default null, p_title_regex text default null)
returns bigint
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_project bigint;
begin
  insert into pgrecall.projects (name) values (p_name)
  on conflict (name) do update set name = excluded.name
  returning id into v_project;
  if p_app_regex is not null or p_title_regex is not null then
    insert into pgrecall.project_rules (project_id, app_regex, title_regex)
    values (v_project, p_app_regex, p_title_regex);
  end if;
  perform pgrecall.assign_projects();
  return v_project;
end;
$$;
comment on function pgrecall.add_project(text, text, text) is
  'Creates the project if it is new, adds a rule (app and/or title regex) if one is given, and re-assigns every summarized activity. Returns the project id.';

----------------------------------------------------------------------------------- remove_project
create or replace function pgrecall.remove_project(p_name text)
returns boolean
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_deployments text[];
  v_days date[];
  v_found boolean;
begin
  -- Its activities lose it (on delete set null), then get the next matching rule; the days
  -- it was in are refreshed whether or not another rule took them.
  select array_agg(x.deployment_id), array_agg(x.day) into v_deployments, v_days
  from (select distinct a.deployment_id, a.day
        from pgrecall.activities a join pgrecall.projects p on p.id = a.project_id
        where p.name = p_name) x;
  delete from pgrecall.projects p where p.name = p_name;
  v_found := found;
  if not v_found then
    return false;
  end if;
  perform pgrecall.assign_projects();
  perform pgrecall._refresh_by_project(x.deployment_id, x.day) from unnest(v_deployments, v_days) as x(deployment_id, day);
  return true;
end;
$$;
comment on function pgrecall.remove_project(text) is 'Removes a project and its rules; its activities fall to the next matching rule or none. False when there is no such project.';

----------------------------------------------------------------------------------- assign_projects
create or replace function pgrecall.assign_projects()
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_changed integer;
begin
  -- Activities are few (tens to hundreds a day), so a rule change re-judges all of them and
  -- refreshes by_project of the days that changed.
  with judged as (
    select a.id, a.deployment_id, a.day, p.project_id, p.rule_id
    from pgrecall.activities a
    left join lateral pgrecall.project_for(a.app_name, a.window_title) p on true
  ), changed as (
    update pgrecall.activities a
    set project_id = j.project_id, project_rule_id = j.rule_id,
        suggested_project_id = case when j.project_id is null then a.suggested_project_id end,
        suggestion_confidence = case when j.project_id is null then a.suggestion_confidence end
    from judged j
    where j.id = a.id and (a.project_id, a.project_rule_id) is distinct from (j.project_id, j.rule_id)
    returning a.deployment_id, a.day
  ), days as (
    select distinct deployment_id, day from changed
  )
  select count(*) into v_changed from days d, lateral pgrecall._refresh_by_project(d.deployment_id, d.day);
  return v_changed;
end;
$$;
comment on function pgrecall.assign_projects() is
  'Gives every summarized activity the project of its first matching rule and refreshes by_project of the days that changed. Returns how many days changed.';

----------------------------------------------------------------------------------- _refresh_by_project
create or replace function pgrecall._refresh_by_project(p_deployment_id text, p_day date)
returns void
language sql volatile
set search_path to pg_catalog, pg_temp
as $$
  update pgrecall.day_summaries d
  set by_project = coalesce(x.by_project, '{}'::jsonb),
      unassigned_seconds = d.active_seconds - coalesce(x.assigned, 0),
      focus_blocks = coalesce((
        select jsonb_agg(e || jsonb_build_object('project', p.name) order by e->>'started_at')
        from jsonb_array_elements(d.focus_blocks) e
        join pgrecall.activities a on a.id = (e->>'activity_id')::uuid
        left join pgrecall.projects p on p.id = a.project_id), '[]'::jsonb)
  from (
    select jsonb_object_agg(y.name, y.seconds order by y.name) as by_project, sum(y.seconds) as assigned
    from (select p.name, sum(a.active_seconds) as seconds
          from pgrecall.activities a join pgrecall.projects p on p.id = a.project_id
          where a.deployment_id = p_deployment_id and a.day = p_day
          group by p.name) y
  ) x
  where d.deployment_id = p_deployment_id and d.day = p_day
$$;
comment on function pgrecall._refresh_by_project(text, date) is 'Internal: recomputes by_project, unassigned_seconds and the focus blocks'' projects of one day from its activities.';

----------------------------------------------------------------------------------- suggest_projects
create or replace function pgrecall.suggest_projects(p_deployment_id text, p_day date)
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  c_neighbours constant integer := 5;
  c_lookback constant interval := interval '60 days';
  v_count integer;
begin
  -- For each unassigned activity with an embedding: the 5 nearest labelled activities (same
  -- deployment and embedding model, the last 60 days) vote with their cosine similarity; the
  -- winner is suggested with confidence = its votes / 5 (near and agreeing neighbours give
  -- a high one). Nothing is assigned: a person turns a suggestion into a rule.
  execute format($q$
  with s as (
    select a.id, v.project_id, v.confidence
    from pgrecall.activities a
    cross join lateral (
      select n.project_id, least(1, greatest(0, sum(n.similarity) / $3))::real as confidence
      from (select b.project_id, 1 - (b.embedding operator(%1$s.<=>) a.embedding) as similarity
            from pgrecall.activities b
            where b.deployment_id = a.deployment_id and b.project_id is not null and b.embedding is not null
              and b.embedding_model is not distinct from a.embedding_model
              and b.started_at >= a.started_at - $4 and b.id <> a.id
            order by b.embedding operator(%1$s.<=>) a.embedding
            limit $3) n
      group by n.project_id
      order by sum(n.similarity) desc, n.project_id
      limit 1
    ) v
    where a.deployment_id = $1 and a.day = $2 and a.project_id is null and a.embedding is not null
  )
  update pgrecall.activities a set suggested_project_id = s.project_id, suggestion_confidence = s.confidence
  from s where s.id = a.id
  $q$, quote_ident(pgrecall._extension_schema('vector'))) using p_deployment_id, p_day, c_neighbours, c_lookback;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function pgrecall.suggest_projects(text, date) is
  'Suggests a project for the day''s unassigned activities that have an embedding (the mean of their frames'' vectors) from their 5 nearest labelled activities, with a confidence in [0, 1]. Returns how many got a suggestion.';
