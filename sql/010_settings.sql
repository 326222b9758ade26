-- Settings lookup: the deployment's own row, else the '*' row.

create or replace function pgrecall.settings_for(p_deployment_id text)
returns pgrecall.settings
language sql stable parallel safe
as $$
  select s.*
  from pgrecall.settings s
  where s.deployment_id in (p_deployment_id, '*')
  order by s.deployment_id = '*'
  limit 1
$$;
comment on function pgrecall.settings_for(text) is
  'The settings that apply to a deployment: its own row in pgrecall.settings, else the ''*'' row.';
