-- Day summaries: pgrecall.summarize_day turns one local day's timeline (sql/120) into its
-- activities and its day_summaries row, at once and idempotently; frames arriving queue a
-- debounced job per (deployment, day); a forget calls pgrecall.days_changed. The API the
-- CLI, the HTTP server and the web page read: pgrecall.day(deployment, day) (jsonb),
-- pgrecall.activity_frames(activity id), pgrecall.activity_summary(start, end, app, deployment).

----------------------------------------------------------------------------------- summarize_day
create or replace function pgrecall.summarize_day(p_deployment_id text, p_day date)
returns jsonb
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  c_focus constant numeric := 25 * 60;  -- seconds: an activity this long is a focus block
  v_settings record;
  v_bounds record;
  v_old record;
begin
  if p_deployment_id is null or p_day is null then
    raise exception 'summarize_day needs a deployment and a day' using errcode = '22004';
  end if;
  perform pg_advisory_xact_lock(hashtext('pgrecall:summarize'), hashtext(p_deployment_id || '/' || p_day::text));
  select * into v_settings from pgrecall.summary_settings(p_deployment_id);
  select * into v_bounds from pgrecall.day_bounds(p_deployment_id, p_day);
  select d.numbers_digest, d.summary, d.summary_template, d.summary_model, d.summary_at, d.summary_message
    into v_old from pgrecall.day_summaries d where d.deployment_id = p_deployment_id and d.day = p_day;
  delete from pgrecall.activities a where a.deployment_id = p_deployment_id and a.day = p_day;
  delete from pgrecall.day_summaries d where d.deployment_id = p_deployment_id and d.day = p_day;

  execute format($q$
    with t as materialized (
      select * from pgrecall.day_timeline($1, $2)
    ), acts as materialized (
      select t.activity_seq as seq, min(t.interrupts_seq) as interrupts_seq,
             min(t.app_name) as app_name, min(t.window_title) as window_title,
             min(t.starts_at) as started_at, max(t.ends_at) as ended_at,
             sum(t.seconds) as active_seconds, count(*)::integer as frame_count,
             (array_agg(t.frame_id order by t.captured_at, t.frame_id))[1] as first_frame_id,
             (array_agg(t.frame_id order by t.captured_at desc, t.frame_id desc))[1] as last_frame_id
      from t group by t.activity_seq
    ), ids as (
      select a.*, md5($1 || '/' || $2::text || '/' || a.first_frame_id::text)::uuid as id from acts a
    ), emb as (
      select t.activity_seq as seq, %1$s.avg(f.embedding) as embedding, min(f.embedding_model) as model
      from t join pgrecall.frames f on f.id = t.frame_id
      -- the day's range, so this reads the day's frames (by index) and not every frame with a vector
      where f.deployment_id = $1 and f.captured_at >= $5 - 2 * $4 and f.captured_at <= $6 + $4 and f.embedding is not null
      group by t.activity_seq
      having count(distinct f.embedding_model) <= 1
    ), ins as (
      insert into pgrecall.activities as x (id, deployment_id, day, seq, app_name, window_title, started_at, ended_at,
                                            active_seconds, frame_count, first_frame_id, last_frame_id, interrupts,
                                            project_id, project_rule_id, embedding, embedding_model)
      select a.id, $1, $2, a.seq, a.app_name, a.window_title, a.started_at, a.ended_at,
             a.active_seconds, a.frame_count, a.first_frame_id, a.last_frame_id, p.id,
             r.project_id, r.rule_id, e.embedding, e.model
      from ids a
      left join ids p on p.seq = a.interrupts_seq
      left join emb e on e.seq = a.seq
      left join lateral pgrecall.project_for(a.app_name, a.window_title) r on true
      returning x.id, x.seq, x.app_name, x.window_title, x.started_at, x.ended_at, x.active_seconds, x.frame_count, x.project_id
    ), gaps as (
      select g.ends_at as away_from, g.next_start as away_until
      from (select t.ends_at, t.away_after, lead(t.starts_at) over (order by t.captured_at, t.frame_id) as next_start from t) g
      where g.away_after and g.next_start is not null
    ), n as (
      select
        (select coalesce(sum(i.active_seconds), 0) from ins i) as active_seconds,
        (select trim_scale(coalesce(sum(extract(epoch from g.away_until - g.away_from)), 0)) from gaps g) as away_seconds,
        (select count(*)::integer from t where t.captured_at >= $5) as frame_count,
        (select count(*)::integer from ins) as activity_count,
        (select min(i.started_at) from ins i) as first_seen,
        (select max(i.ended_at) from ins i) as last_seen,
        (select coalesce(jsonb_object_agg(y.app, y.seconds order by y.app), '{}')
           from (select coalesce(i.app_name, '(no app)') as app, sum(i.active_seconds) as seconds from ins i group by 1) y) as by_app,
        (select coalesce(jsonb_object_agg(y.name, y.seconds order by y.name), '{}')
           from (select p.name, sum(i.active_seconds) as seconds from ins i join pgrecall.projects p on p.id = i.project_id group by p.name) y) as by_project,
        (select coalesce(sum(i.active_seconds), 0) from ins i where i.project_id is null) as unassigned_seconds,
        (select coalesce(jsonb_agg(jsonb_build_object(
                  'activity_id', i.id, 'app_name', i.app_name, 'window_title', i.window_title, 'project', p.name,
                  'started_at', i.started_at, 'ended_at', i.ended_at, 'active_seconds', i.active_seconds)
                order by i.started_at), '[]')
           from ins i left join pgrecall.projects p on p.id = i.project_id where i.active_seconds >= $7) as focus_blocks,
        (select coalesce(jsonb_agg(jsonb_build_object('app_name', y.app_name, 'window_title', y.window_title,
                                                      'seconds', y.seconds, 'frames', y.frames)
                                   order by y.seconds desc, y.app_name, y.window_title), '[]')
           from (select i.app_name, i.window_title, sum(i.active_seconds) as seconds, sum(i.frame_count) as frames
                 from ins i where i.window_title is not null
                 group by i.app_name, i.window_title
                 order by 3 desc, 1, 2 limit 10) y) as top_titles,
        (select coalesce(jsonb_agg(jsonb_build_object('from', g.away_from, 'until', g.away_until,
                                                      'seconds', trim_scale(extract(epoch from g.away_until - g.away_from)))
                                   order by g.away_from), '[]') from gaps g) as away
    )
    insert into pgrecall.day_summaries (deployment_id, day, time_zone, activity_gap, day_start, day_end,
                                        active_seconds, away_seconds, frame_count, activity_count, first_seen, last_seen,
                                        by_app, by_project, unassigned_seconds, focus_blocks, top_titles, away, numbers_digest)
    select $1, $2, $3, $4, $5, $6, n.active_seconds, n.away_seconds, n.frame_count, n.activity_count, n.first_seen, n.last_seen,
           n.by_app, n.by_project, n.unassigned_seconds, n.focus_blocks, n.top_titles, n.away, md5(n::text)
    from n
    where n.activity_count > 0
  $q$, quote_ident(pgrecall._extension_schema('vector')))
  using p_deployment_id, p_day, v_settings.time_zone, v_settings.activity_gap, v_bounds.day_start, v_bounds.day_end, c_focus;

  -- Prose written from the same numbers stays; other numbers make it stale (null).
  if v_old.numbers_digest is not null then
    update pgrecall.day_summaries d
    set summary = v_old.summary, summary_template = v_old.summary_template, summary_model = v_old.summary_model,
        summary_at = v_old.summary_at, summary_message = v_old.summary_message
    where d.deployment_id = p_deployment_id and d.day = p_day and d.numbers_digest = v_old.numbers_digest;
  end if;
  perform pgrecall.suggest_projects(p_deployment_id, p_day);
  return pgrecall.day(p_deployment_id, p_day);
end;
$$;
comment on function pgrecall.summarize_day(text, date) is
  'Recomputes one deployment''s local day from its frames: its activities (same ids every run) and its day_summaries row (none for a day without frames). Idempotent; concurrent calls for one day wait for each other. Returns pgrecall.day(deployment, day).';

----------------------------------------------------------------------------------- day
create or replace function pgrecall.day(p_deployment_id text, p_day date)
returns jsonb
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  select to_jsonb(d) - 'numbers_digest' - 'summary_template'
         || jsonb_build_object('activities', coalesce((
              select jsonb_agg(jsonb_build_object(
                       'id', a.id, 'seq', a.seq, 'app_name', a.app_name, 'window_title', a.window_title,
                       'started_at', a.started_at, 'ended_at', a.ended_at, 'active_seconds', a.active_seconds,
                       'frame_count', a.frame_count, 'interrupts', a.interrupts, 'project', p.name,
                       'project_rule_id', a.project_rule_id, 'suggested_project', sp.name,
                       'suggestion_confidence', a.suggestion_confidence) order by a.seq)
              from pgrecall.activities a
              left join pgrecall.projects p on p.id = a.project_id
              left join pgrecall.projects sp on sp.id = a.suggested_project_id
              where a.deployment_id = d.deployment_id and a.day = d.day), '[]'::jsonb))
  from pgrecall.day_summaries d
  where d.deployment_id = p_deployment_id and d.day = p_day
$$;
comment on function pgrecall.day(text, date) is
  'One summarized day as jsonb, for the CLI, the HTTP API and the web page: the day_summaries row (active_seconds, away_seconds, first_seen, last_seen, by_app {app: seconds}, by_project {name: seconds}, unassigned_seconds, focus_blocks, top_titles, away [{from, until, seconds}], summary, summary_model, computed_at) and its activities in order (lanes: app_name, window_title, started_at, ended_at, active_seconds, project, interrupts, suggested_project with suggestion_confidence). Null when the day has no summary. Seconds are exact sums of frame spans (numeric).';

----------------------------------------------------------------------------------- activity_frames
create or replace function pgrecall.activity_frames(p_activity_id uuid)
returns table (frame_id uuid, captured_at timestamptz, starts_at timestamptz, ends_at timestamptz, seconds numeric,
               away_after boolean, duplicate boolean, excluded boolean)
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  select t.frame_id, t.captured_at, t.starts_at, t.ends_at, t.seconds, t.away_after, t.duplicate, t.excluded
  from pgrecall.activities a
  cross join lateral pgrecall.day_timeline(a.deployment_id, a.day) t
  where a.id = p_activity_id and t.activity_seq = a.seq
  order by t.captured_at, t.frame_id
$$;
comment on function pgrecall.activity_frames(uuid) is
  'The frames behind an activity and the seconds each accounts for: their sum is the activity''s active_seconds (as long as the day''s frames have not changed since it was summarized).';

----------------------------------------------------------------------------------- activity_summary
create or replace function pgrecall.activity_summary(p_start timestamptz, p_end timestamptz,
                                                     p_app_name text default null, p_deployment_id text default null)
returns jsonb
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_result jsonb;
begin
  if p_start is null or p_end is null or p_end <= p_start then
    raise exception 'activity_summary needs start_time before end_time' using errcode = '22023';
  end if;
  if p_end - p_start > interval '31 days' then
    raise exception 'activity_summary covers at most 31 days (asked: % to %)', p_start, p_end using errcode = '22023';
  end if;
  -- The same timeline as the day summaries, cut to [start, end): a Screenpipe-shaped answer
  -- whose minutes add up to the time present, never more.
  with deps as (
    select distinct f.deployment_id from pgrecall.frames f
    where (p_deployment_id is null or f.deployment_id = p_deployment_id)
      and f.captured_at >= p_start - interval '1 day' and f.captured_at < p_end
  ), t as (
    select d.deployment_id, x.app_name, x.window_title, x.captured_at, x.activity_seq, g.day,
           greatest(0, extract(epoch from least(x.ends_at, p_end) - greatest(x.starts_at, p_start))) as seconds
    from deps d
    cross join lateral generate_series(pgrecall.local_day(d.deployment_id, p_start),
                                       pgrecall.local_day(d.deployment_id, p_end - interval '1 microsecond'),
                                       interval '1 day') g(day)
    cross join lateral pgrecall.day_timeline(d.deployment_id, g.day::date) x
    where (p_app_name is null or lower(x.app_name) = lower(p_app_name))
      and x.ends_at > p_start and x.starts_at < p_end
  ), t2 as (
    select t.*, (pgrecall.project_for(t.app_name, t.window_title)).project_id from t
  )
  select jsonb_build_object(
    'start_time', p_start, 'end_time', p_end,
    'total_minutes', round(coalesce((select sum(seconds) from t2), 0) / 60, 2),
    'apps', coalesce((select jsonb_agg(jsonb_build_object('name', y.app, 'minutes', round(y.seconds / 60, 2), 'frame_count', y.frames,
                                                           'first_seen', y.first_seen, 'last_seen', y.last_seen)
                                       order by y.seconds desc, y.app)
                      from (select coalesce(app_name, '(no app)') as app, sum(seconds) as seconds, count(*) as frames,
                                   min(captured_at) as first_seen, max(captured_at) as last_seen
                            from t2 group by 1) y), '[]'),
    'projects', coalesce((select jsonb_agg(jsonb_build_object('name', y.name, 'minutes', round(y.seconds / 60, 2)) order by y.seconds desc, y.name)
                          from (select p.name, sum(t2.seconds) as seconds from t2 join pgrecall.projects p on p.id = t2.project_id group by p.name) y), '[]'),
    'top_titles', coalesce((select jsonb_agg(jsonb_build_object('app_name', y.app_name, 'window_title', y.window_title, 'minutes', round(y.seconds / 60, 2))
                                              order by y.seconds desc, y.app_name, y.window_title)
                            from (select app_name, window_title, sum(seconds) as seconds from t2 where window_title is not null
                                  group by 1, 2 order by 3 desc, 1, 2 limit 10) y), '[]'))
    into v_result;
  return v_result;
end;
$$;
comment on function pgrecall.activity_summary(timestamptz, timestamptz, text, text) is
  'Screenpipe''s /activity-summary over pgrecall''s timeline: apps and projects with minutes, first and last seen, top titles, for [start, end) (at most 31 days), optionally one app (case-insensitive) and one deployment. Minutes are frame spans cut to the range, so they add up to the time present.';

----------------------------------------------------------------------------------- queueing
create or replace function pgrecall._queue_summaries(p_deployment_ids text[], p_days date[], p_delay interval)
returns integer
language plpgsql volatile
-- the owner's rights: the frames triggers run as the capture role, which may not write the queue
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_specs graphile_worker.job_spec[];
begin
  -- A day that already has a job waiting keeps it (and its run_at): capture never pushes the
  -- recompute further away, and a day of frames queues one job every couple of minutes.
  select array_agg(row('summarize', json_build_object('deployment_id', q.deployment_id, 'day', q.day),
                       null, now() + p_delay, null, 'pgrecall:summarize:' || q.deployment_id || ':' || q.day, null, null
                      )::graphile_worker.job_spec)
    into v_specs
  from (select distinct x.deployment_id, x.day from unnest(p_deployment_ids, p_days) as x(deployment_id, day)) q
  where p_delay = interval '0'
     or not exists (select 1 from graphile_worker.jobs j
                    where j.key = 'pgrecall:summarize:' || q.deployment_id || ':' || q.day and j.locked_at is null);
  if v_specs is null then
    return 0;
  end if;
  perform graphile_worker.add_jobs(v_specs, p_delay > interval '0');
  return cardinality(v_specs);
end;
$$;
comment on function pgrecall._queue_summaries(text[], date[], interval) is
  'Internal: queues one summarize job per (deployment, day), keyed so a day has at most one waiting job; with a delay, a waiting job keeps its run_at (debounce).';

create or replace function pgrecall._days_of_frames(p_deployment_id text, p_hours timestamptz[])
returns date[]
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- A frame changes its own day and, within activity_gap of midnight, the neighbouring one.
  select array_agg(distinct d.day)
  from pgrecall.summary_settings(p_deployment_id) s
  cross join unnest(p_hours) as h(hour)
  cross join lateral generate_series(((h.hour - s.activity_gap) at time zone s.time_zone)::date,
                                     ((h.hour + interval '1 hour' + s.activity_gap) at time zone s.time_zone)::date,
                                     interval '1 day') as d(day)
$$;
comment on function pgrecall._days_of_frames(text, timestamptz[]) is 'Internal: the local days that frames captured in these hours can change.';

create or replace function pgrecall.tg_frames__summaries()
returns trigger
language plpgsql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
begin
  -- Hours first (no function call per row), then each deployment's days.
  perform pgrecall._queue_summaries(array_agg(h.deployment_id), array_agg(d.day), interval '2 minutes')
  from (select c.deployment_id, array_agg(c.hour) as hours
        from (select distinct f.deployment_id, date_trunc('hour', f.captured_at) as hour from changed_frames f) c
        group by c.deployment_id) h
  cross join lateral unnest(pgrecall._days_of_frames(h.deployment_id, h.hours)) as d(day);
  return null;
end;
$$;
comment on function pgrecall.tg_frames__summaries() is
  'Queues a debounced summarize job (2 minutes) for each (deployment, local day) that inserted or deleted frames change.';

create or replace trigger _910_summaries_inserted
  after insert on pgrecall.frames
  referencing new table as changed_frames
  for each statement execute function pgrecall.tg_frames__summaries();

create or replace trigger _910_summaries_deleted
  after delete on pgrecall.frames
  referencing old table as changed_frames
  for each statement execute function pgrecall.tg_frames__summaries();

----------------------------------------------------------------------------------- days_changed
create or replace function pgrecall.days_changed(p_deployment_id text, p_from timestamptz, p_to timestamptz)
returns integer
language plpgsql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_days date[];
begin
  -- Called by forget, unforget and purges in their transaction, before or after they change
  -- the frames: the touched days' summaries go at once (what was forgotten leaves the
  -- summaries with the forget), and their recompute is queued to run as soon as that
  -- transaction commits.
  if p_deployment_id is null or p_from is null or p_to is null or p_to < p_from then
    raise exception 'days_changed needs a deployment and from <= to' using errcode = '22023';
  end if;
  select array_agg(d.day::date order by d.day) into v_days
  from pgrecall.summary_settings(p_deployment_id) s
  cross join lateral generate_series(((p_from - s.activity_gap) at time zone s.time_zone)::date,
                                     ((p_to + s.activity_gap) at time zone s.time_zone)::date, interval '1 day') d(day);
  delete from pgrecall.activities a where a.deployment_id = p_deployment_id and a.day = any (v_days);
  delete from pgrecall.day_summaries d where d.deployment_id = p_deployment_id and d.day = any (v_days);
  perform pgrecall._queue_summaries(array_fill(p_deployment_id, array[cardinality(v_days)]), v_days, interval '0');
  return cardinality(v_days);
end;
$$;
comment on function pgrecall.days_changed(text, timestamptz, timestamptz) is
  'For pgrecall.forget/unforget/purges: frames of a deployment captured between from and to changed (call it before or after changing them, in the same transaction). Drops the summaries of the local days this touches (within activity_gap of the range) and queues their recompute (summarize jobs that run once that transaction commits). Returns how many days.';
