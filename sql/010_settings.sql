-- Settings: the '*' row holds the defaults, a deployment's own row overrides only the columns
-- it sets (null inherits). The '*' row cannot be removed: without it nothing is deduplicated
-- or queued.

create or replace function pgrecall.settings_for(p_deployment_id text)
returns setof pgrecall.settings
language sql stable parallel safe
rows 1
-- No pinned search_path: a SET clause would stop the planner inlining it into the dedup
-- lookup that runs for every inserted frame (every name below is schema-qualified).
as $$
  -- Two primary-key probes; one row, whether or not the deployment has a row of its own.
  select coalesce(s.deployment_id, p_deployment_id),
         coalesce(s.phash_threshold, d.phash_threshold),
         coalesce(s.recent_window, d.recent_window),
         coalesce(s.history_threshold, d.history_threshold),
         coalesce(s.tile_bit_threshold, d.tile_bit_threshold),
         coalesce(s.tile_max_changed, d.tile_max_changed),
         coalesce(s.job_max_attempts, d.job_max_attempts),
         coalesce(s.tombstone_grace, d.tombstone_grace),
         coalesce(s.keep_images_for, d.keep_images_for),
         coalesce(s.keep_text_for, d.keep_text_for),
         coalesce(s.keep_frames_for, d.keep_frames_for),
         coalesce(s.max_storage, d.max_storage),
         coalesce(s.activity_gap, d.activity_gap),
         coalesce(s.time_zone, d.time_zone)
  from pgrecall.settings d
  left join pgrecall.settings s on s.deployment_id = p_deployment_id and p_deployment_id <> '*'
  where d.deployment_id = '*'
$$;
comment on function pgrecall.settings_for(text) is
  'The settings that apply to a deployment: each column from its own row in pgrecall.settings where set, else from the ''*'' row. A set-returning SQL function so the planner inlines it into the query that uses it.';

create or replace function pgrecall.tg_settings__keep_defaults()
returns trigger
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  if TG_OP = 'TRUNCATE' or OLD.deployment_id = '*' and (TG_OP = 'DELETE' or NEW.deployment_id <> '*') then
    raise exception 'the ''*'' row of pgrecall.settings holds the defaults of every deployment and cannot be removed'
      using errcode = '23514',
            hint = 'Change its values with UPDATE; delete a deployment''s own row to make it inherit again.';
  end if;
  return case when TG_OP = 'DELETE' then OLD else NEW end;
end;
$$;
comment on function pgrecall.tg_settings__keep_defaults() is
  'Refuses to delete, rename or truncate away the ''*'' settings row.';

create or replace trigger _100_keep_defaults
  before update of deployment_id or delete on pgrecall.settings
  for each row execute function pgrecall.tg_settings__keep_defaults();

create or replace trigger _100_keep_defaults_truncate
  before truncate on pgrecall.settings
  for each statement execute function pgrecall.tg_settings__keep_defaults();
