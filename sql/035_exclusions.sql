-- Exclusion rules (pgrecall.exclusions): checked for every inserted frame, before dedup.

----------------------------------------------------------------------------------- _check_regex
create or replace function pgrecall._check_regex(p_regex text, p_what text)
returns void
language plpgsql immutable
set search_path to pg_catalog, pg_temp
as $$
begin
  if p_regex is null then
    return;
  end if;
  perform '' ~* p_regex;
exception when invalid_regular_expression then
  raise exception '% is not a valid regular expression: %', p_what, sqlerrm
    using errcode = '2201B', hint = 'PostgreSQL regular expressions (POSIX ARE), matched without regard to case.';
end;
$$;
comment on function pgrecall._check_regex(text, text) is 'Internal: raises 2201B with PostgreSQL''s reason when a rule''s regex does not compile.';

create or replace function pgrecall.tg_exclusions__check()
returns trigger
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  perform pgrecall._check_regex(NEW.app_regex, 'app_regex');
  perform pgrecall._check_regex(NEW.title_regex, 'title_regex');
  return NEW;
end;
$$;
comment on function pgrecall.tg_exclusions__check() is 'Refuses a rule whose regex does not compile, with the reason.';

create or replace trigger _100_check
  before insert or update on pgrecall.exclusions
  for each row execute function pgrecall.tg_exclusions__check();

----------------------------------------------------------------------------------- exclusion_for
create or replace function pgrecall.exclusion_for(p_deployment_id text, p_app_name text, p_window_title text)
returns text
language sql stable parallel safe
-- no pinned search_path: called for every inserted frame (a SET clause costs ~10 µs a call)
as $$
  select format('%s (exclusion %s)', e.reason, e.id)
  from pgrecall.exclusions e
  where (e.deployment_id is null or e.deployment_id = p_deployment_id)
    and (e.app_regex is null or coalesce(p_app_name, '') ~* e.app_regex)
    and (e.title_regex is null or coalesce(p_window_title, '') ~* e.title_regex)
  order by e.id
  limit 1
$$;
comment on function pgrecall.exclusion_for(text, text, text) is
  'The first exclusion rule a screen of this deployment, app and window title matches, as "reason (exclusion id)", or null. Capture clients ask before storing an image; the insert trigger applies it anyway.';

----------------------------------------------------------------------------------- tg_frames__exclude
-- Generated from pgrecall.stages: an excluded frame has every stage skipped with the rule.
do $generate$
begin
  execute format($f$
create or replace function pgrecall.tg_frames__exclude()
returns trigger
language plpgsql volatile
as $body$
declare
  v_rule text := pgrecall.exclusion_for(NEW.deployment_id, NEW.app_name, NEW.window_title);
  v_message text;
begin
  if v_rule is null then
    return NEW;
  end if;
  v_message := 'excluded: ' || v_rule;
  NEW.excluded_by := v_rule;
  NEW.image_ref := null;
  NEW.window_title := null;
  NEW.phash := null;
  NEW.phash_prefix := null;
  NEW.tile_hashes := null;
  %s
  return NEW;
end;
$body$ $f$,
  (select string_agg(format('NEW.%1$I := 3; NEW.%2$I := v_message; NEW.%3$I := now();',
                            s.stage || '_status', s.stage || '_message', s.stage || '_at'), E'\n  ' order by s.position)
   from pgrecall.stages s));
end;
$generate$;
comment on function pgrecall.tg_frames__exclude() is
  'Applies pgrecall.exclusions to an inserted frame: on a match it keeps time, deployment and app, drops image_ref, window title and hashes, and skips every stage with the rule as the reason.';

create or replace trigger _150_exclude
  before insert on pgrecall.frames
  for each row execute function pgrecall.tg_frames__exclude();
