-- Activities (seed 000 Phase 3): one timeline per deployment and local day, cut into
-- activities. Every number of a summary is a sum of the `seconds` this file gives frames.
--
-- The rules (README, "Summaries"):
--  * The frames of a deployment, in captured_at order (then id), near-duplicates included (they
--    are presence), excluded frames included (their app, no title), tombstoned frames left out.
--  * Each frame accounts for the time until the deployment's next frame when that comes within
--    activity_gap. A longer gap is time away. The last frame before a gap (or the last frame
--    so far) accounts for the interval that led up to it, when that one was within
--    activity_gap (the capture cadence); a frame alone between two gaps accounts for nothing.
--  * Days are [local midnight, next local midnight) in the deployment's time_zone, so a DST day
--    lasts 23 or 25 hours. A frame's time is cut at midnight: the part after it belongs to the
--    next day, where that frame is carried in and starts the day's first activity.
--  * An activity is a maximal run of frames with the same app and normalized window title and
--    no gap. An interruption by other screens lasting under 30 seconds (no gap in it) that
--    returns to the same app and title does not split it; the interrupting frames form their
--    own short activities (interrupts = the activity they interrupted), so their time counts
--    for the app that was on screen.

-- An earlier version of this file had it (the tombstoned_at column now always exists).
drop function if exists pgrecall._visible_frames_filter();

----------------------------------------------------------------------------------- normalize_title
create or replace function pgrecall.normalize_title(p_title text)
returns text
language sql immutable strict parallel safe
-- no pinned search_path: inlined into the timeline query (every name is in pg_catalog)
as $$
  select nullif(btrim(
    regexp_replace(
      regexp_replace(
        regexp_replace(
          btrim(regexp_replace(p_title, '\s+', ' ', 'g')),
          '^([●•*]\s*)+', ''),
        ' [●•](?= |$)', '', 'g'),
      '( ?([(\[](modified|edited|unsaved)[)\]]|[-–—] ?(edited|modified)|\*))+$', '', 'i')
  ), '')
$$;
comment on function pgrecall.normalize_title(text) is
  'A window title as activities group it: whitespace runs made one space and trimmed; the dirty markers editors add and remove dropped: leading ●, • or *, a standalone ● or • (Sublime''s "file • - Sublime Text"), a trailing " (modified)", " [modified]", " (edited)", " (unsaved)", " — Edited" or " *". Empty becomes null.';

----------------------------------------------------------------------------------- summary_settings
create or replace function pgrecall.summary_settings(p_deployment_id text, out activity_gap interval, out time_zone text)
language sql stable parallel safe
-- the owner's rights: readers compute days without reading pgrecall.settings
security definer
set search_path to pg_catalog, pg_temp
as $$
  select s.activity_gap, s.time_zone from pgrecall.settings_for(p_deployment_id) s
$$;
comment on function pgrecall.summary_settings(text) is
  'The activity_gap and time_zone that apply to a deployment (its own row, else the ''*'' row).';

----------------------------------------------------------------------------------- time_zone check
create or replace function pgrecall.tg_settings__check_time_zone()
returns trigger
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  -- Names only: PostgreSQL also takes abbreviations and POSIX strings ('UTC+3' is 3 hours
  -- west), whose days would surprise.
  if NEW.time_zone is not null and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = NEW.time_zone) then
    raise exception 'time_zone "%" is not a time zone name', NEW.time_zone
      using errcode = '22023', hint = 'An IANA name from pg_timezone_names, e.g. Europe/Berlin, America/New_York or UTC.';
  end if;
  return NEW;
end;
$$;
comment on function pgrecall.tg_settings__check_time_zone() is 'Refuses a settings.time_zone that is not an IANA time zone name.';

create or replace trigger _120_check_time_zone
  before insert or update of time_zone on pgrecall.settings
  for each row execute function pgrecall.tg_settings__check_time_zone();

----------------------------------------------------------------------------------- day_bounds
create or replace function pgrecall.day_bounds(p_deployment_id text, p_day date, out day_start timestamptz, out day_end timestamptz)
language sql stable parallel safe
set search_path to pg_catalog, pg_temp
as $$
  select p_day::timestamp at time zone s.time_zone, (p_day + 1)::timestamp at time zone s.time_zone
  from pgrecall.summary_settings(p_deployment_id) s
$$;
comment on function pgrecall.day_bounds(text, date) is
  'The instants a deployment''s local day starts and ends (local midnights in its time_zone; 23 or 25 hours apart on a DST change).';

----------------------------------------------------------------------------------- local_day
create or replace function pgrecall.local_day(p_deployment_id text, p_at timestamptz)
returns date
language sql stable parallel safe
set search_path to pg_catalog, pg_temp
as $$ select (p_at at time zone s.time_zone)::date from pgrecall.summary_settings(p_deployment_id) s $$;
comment on function pgrecall.local_day(text, timestamptz) is 'The deployment''s local day an instant falls in.';

----------------------------------------------------------------------------------- frame_spans
create or replace function pgrecall.frame_spans(p_deployment_id text, p_day date)
returns table (frame_id uuid, captured_at timestamptz, app_name text, window_title text,
               starts_at timestamptz, ends_at timestamptz, seconds numeric,
               away_after boolean, duplicate boolean, excluded boolean)
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_gap interval;
  v_start timestamptz;
  v_end timestamptz;
begin
  -- The bounds as values, so the three frame lookups below are index range scans.
  select s.activity_gap into v_gap from pgrecall.summary_settings(p_deployment_id) s;
  select b.day_start, b.day_end into v_start, v_end from pgrecall.day_bounds(p_deployment_id, p_day) b;
  -- The day's frames, the two before it (the last one may reach into the day, and its own
  -- predecessor decides how far) and the first after it (it ends the day's last frame).
  -- Tombstoned frames (forgotten, restorable) are not part of any summary.
  return query
    with f as (
      (select f.id, f.captured_at, f.app_name, f.window_title, f.duplicate_of, f.excluded_by
       from pgrecall.frames f
       where f.deployment_id = p_deployment_id and f.captured_at < v_start and f.captured_at >= v_start - 2 * v_gap
         and f.tombstoned_at is null
       order by f.captured_at desc, f.id desc limit 2)
      union all
      (select f.id, f.captured_at, f.app_name, f.window_title, f.duplicate_of, f.excluded_by
       from pgrecall.frames f
       where f.deployment_id = p_deployment_id and f.captured_at >= v_start and f.captured_at < v_end and f.tombstoned_at is null)
      union all
      (select f.id, f.captured_at, f.app_name, f.window_title, f.duplicate_of, f.excluded_by
       from pgrecall.frames f
       where f.deployment_id = p_deployment_id and f.captured_at >= v_end and f.captured_at <= v_end + v_gap and f.tombstoned_at is null
       order by f.captured_at, f.id limit 1)
    ), titles as materialized (
      -- normalized once per distinct title (a day has thousands of frames, a few hundred titles)
      select x.window_title, pgrecall.normalize_title(x.window_title) as normalized
      from (select distinct f.window_title from f) x
    ), t as (
      select f.*, lag(f.captured_at) over w as prev_at, lead(f.captured_at) over w as next_at
      from f window w as (order by f.captured_at, f.id)
    ), s as (
      select t.*,
             case when t.next_at - t.captured_at <= v_gap then t.next_at
                  when t.captured_at - t.prev_at <= v_gap then t.captured_at + (t.captured_at - t.prev_at)
                  else t.captured_at end as span_end
      from t
    )
    select s.id, s.captured_at, s.app_name, n.normalized,
           greatest(s.captured_at, v_start), greatest(least(s.span_end, v_end), v_start),
           trim_scale(greatest(0, extract(epoch from least(s.span_end, v_end) - greatest(s.captured_at, v_start)))),
           s.next_at is null or s.next_at - s.captured_at > v_gap,
           s.duplicate_of is not null, s.excluded_by is not null
    from s
    left join titles n on n.window_title = s.window_title
    where s.captured_at < v_end and (s.captured_at >= v_start or s.span_end > v_start)
    order by s.captured_at, s.id;
end;
$$;
comment on function pgrecall.frame_spans(text, date) is
  'The timeline of one deployment''s local day: each frame with the span of time it accounts for (starts_at, ends_at, seconds, cut at the day''s bounds) and whether time away follows it. A frame of the previous day whose span reaches past midnight comes first.';

----------------------------------------------------------------------------------- day_timeline
create or replace function pgrecall.day_timeline(p_deployment_id text, p_day date)
returns table (frame_id uuid, captured_at timestamptz, app_name text, window_title text,
               starts_at timestamptz, ends_at timestamptz, seconds numeric,
               away_after boolean, duplicate boolean, excluded boolean,
               activity_seq integer, interrupts_seq integer)
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  c_interruption constant numeric := 30;  -- seconds: a shorter interruption does not split an activity
  r record;
  n integer := 0;       -- frames
  v_id uuid[]; v_cap timestamptz[]; v_app text[]; v_title text[]; v_start timestamptz[]; v_end timestamptz[];
  v_secs numeric[]; v_away boolean[]; v_dup boolean[]; v_excl boolean[]; v_seg integer[];
  m integer := 0;       -- segments: runs of one app and title without a gap
  s_key text[]; s_secs numeric[]; s_away boolean[];
  s_act integer[]; s_par integer[];
  a integer := 0; i integer; j integer; v_last integer; v_main integer; v_acc numeric; v_key text;
begin
  for r in select * from pgrecall.frame_spans(p_deployment_id, p_day) loop
    n := n + 1;
    v_key := coalesce(r.app_name, '') || chr(31) || coalesce(r.window_title, '');
    if m = 0 or v_key <> s_key[m] or s_away[m] then
      m := m + 1; s_key[m] := v_key; s_secs[m] := 0;
    end if;
    s_secs[m] := s_secs[m] + r.seconds;
    s_away[m] := r.away_after;
    v_id[n] := r.frame_id; v_cap[n] := r.captured_at; v_app[n] := r.app_name; v_title[n] := r.window_title;
    v_start[n] := r.starts_at; v_end[n] := r.ends_at; v_secs[n] := r.seconds; v_away[n] := r.away_after;
    v_dup[n] := r.duplicate; v_excl[n] := r.excluded; v_seg[n] := m;
  end loop;
  -- Segments to activities: a segment starts an activity, which then absorbs every later
  -- segment of its key reached through interruptions of under 30 s without a gap.
  i := 1;
  while i <= m loop
    a := a + 1; s_act[i] := a; s_par[i] := null; v_main := a; v_last := i;
    loop
      exit when s_away[v_last];
      v_acc := 0; j := v_last + 1;
      while j <= m and s_key[j] <> s_key[i] loop
        v_acc := v_acc + s_secs[j];
        exit when v_acc >= c_interruption or s_away[j];
        j := j + 1;
      end loop;
      exit when j > m or s_key[j] <> s_key[i] or v_acc >= c_interruption;
      for k in v_last + 1 .. j - 1 loop
        a := a + 1; s_act[k] := a; s_par[k] := v_main;
      end loop;
      s_act[j] := v_main; s_par[j] := null; v_last := j;
    end loop;
    i := v_last + 1;
  end loop;
  -- Activities are numbered in the order they start; an interruption is numbered after the
  -- activity it interrupts and before that activity's next segment.
  return query
    select t.id, t.cap, t.app, t.title, t.st, t.en, t.secs, t.away, t.dup, t.excl, s_act[t.seg], s_par[t.seg]
    from unnest(v_id, v_cap, v_app, v_title, v_start, v_end, v_secs, v_away, v_dup, v_excl, v_seg)
           as t(id, cap, app, title, st, en, secs, away, dup, excl, seg);
end;
$$;
comment on function pgrecall.day_timeline(text, date) is
  'pgrecall.frame_spans with each frame''s activity: activity_seq numbers the day''s activities in the order they start; interrupts_seq is the activity a short interruption (< 30 s) interrupted.';
