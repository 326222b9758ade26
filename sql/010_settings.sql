-- Settings lookup: the deployment's own row, else the '*' row.

create or replace function pgrecall.settings_for(p_deployment_id text)
returns setof pgrecall.settings
language sql stable parallel safe
rows 1
as $$
  -- Two primary-key probes; Append stops at the first that returns a row.
  (select s.* from pgrecall.settings s where s.deployment_id = p_deployment_id)
  union all
  (select s.* from pgrecall.settings s where s.deployment_id = '*')
  limit 1
$$;
comment on function pgrecall.settings_for(text) is
  'The settings that apply to a deployment: its own row in pgrecall.settings, else the ''*'' row. A set-returning function so the planner inlines it into the query that uses it.';
