-- Browsing: what the web page and the MCP tools read besides search and the summaries —
-- times as people write them, the apps seen, a day's timeline across deployments, where a
-- query's words are on a screen, a frame's near-duplicates, a day's forgotten periods.
-- Invoker's rights (a reader sees what row-level security lets it see; tombstoned frames are
-- left out), but forgotten_ranges, which reads the owner's event log for the caller's
-- deployments and says only when and how much was forgotten.

----------------------------------------------------------------------------------- parse_moment
create or replace function pgrecall._moment_forms(p_text text)
returns text
language sql immutable
set search_path to pg_catalog, pg_temp
as $$
  select format('%s is not a time: use ISO 8601 (2026-11-21T10:00:00Z), now, today, yesterday, or a time ago such as 2h ago, 30 minutes ago, 3 days ago',
                left(p_text, 80))
$$;
comment on function pgrecall._moment_forms(text) is 'Internal: the message parse_moment refuses a time with, naming the forms it takes.';

create or replace function pgrecall.parse_moment(p_text text)
returns timestamptz
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_ago interval;
begin
  if p_text is null or btrim(p_text) = '' then
    return null;
  end if;
  if p_text ~* '^\s*(now|today|yesterday)\s*$' then
    return lower(btrim(p_text))::timestamptz;
  end if;
  if p_text ~* '^\s*[0-9].*\mago\s*$' then
    v_ago := p_text::interval;  -- '2h ago' is -2 hours
    if v_ago > interval '0' then
      raise exception using message = format('%s is not a time in the past', p_text), errcode = '22023';
    end if;
    return now() + v_ago;
  end if;
  if p_text ~ '^\s*\d{4}-\d{2}-\d{2}' then
    return p_text::timestamptz;
  end if;
  raise exception using errcode = '22023', message = pgrecall._moment_forms(p_text);
exception
  when invalid_datetime_format or datetime_field_overflow then
    raise exception using errcode = '22023', message = pgrecall._moment_forms(p_text);
end;
$$;
comment on function pgrecall.parse_moment(text) is
  'A time as a person or an assistant writes it: ISO 8601, now, today, yesterday (local midnight of the session''s time zone), or an interval followed by ago (2h ago, 30 minutes ago, 1 day 3 hours ago). Null for null or blank; 22023 with the accepted forms otherwise.';

----------------------------------------------------------------------------------- list_apps
create or replace function pgrecall.list_apps(p_since timestamptz default null, p_until timestamptz default null,
                                              p_deployment_id text default null)
returns table (app_name text, frames bigint, first_seen timestamptz, last_seen timestamptz)
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  select f.app_name, count(*), min(f.captured_at), max(f.captured_at)
  from pgrecall.frames f
  where f.app_name is not null and f.tombstoned_at is null and f.excluded_by is null
    and (p_since is null or f.captured_at >= p_since)
    and (p_until is null or f.captured_at < p_until)
    and (p_deployment_id is null or f.deployment_id = p_deployment_id)
  group by f.app_name
  order by max(f.captured_at) desc, f.app_name
$$;
comment on function pgrecall.list_apps(timestamptz, timestamptz, text) is
  'The apps seen in [since, until) (either open), with how many frames and when first and last seen, most recent first; excluded and forgotten screens left out.';

----------------------------------------------------------------------------------- timeline
create or replace function pgrecall.timeline(p_day date, p_deployment_id text default null)
returns table (deployment_id text, frame_id uuid, captured_at timestamptz, app_name text, window_title text,
               starts_at timestamptz, ends_at timestamptz, seconds numeric, away_after boolean,
               duplicate boolean, excluded boolean, activity_seq integer, image_ref text)
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- Deployments with a frame within a day of it (their local days differ by their time zones).
  with deps as (
    select distinct f.deployment_id from pgrecall.frames f
    where (p_deployment_id is null or f.deployment_id = p_deployment_id)
      and f.captured_at >= p_day - 1 and f.captured_at < p_day + 2 and f.tombstoned_at is null
  )
  select d.deployment_id, t.frame_id, t.captured_at, t.app_name, t.window_title, t.starts_at, t.ends_at, t.seconds,
         t.away_after, t.duplicate, t.excluded, t.activity_seq, f.image_ref
  from deps d
  cross join lateral pgrecall.day_timeline(d.deployment_id, p_day) t
  join pgrecall.frames f on f.id = t.frame_id
  order by t.captured_at, d.deployment_id, t.frame_id
$$;
comment on function pgrecall.timeline(date, text) is
  'A local day''s frames in capture order, for every deployment (or one) with frames that day: day_timeline''s spans, away gaps, duplicates, exclusions and activity numbers, with the image_ref thumbnails are made from.';

----------------------------------------------------------------------------------- match_boxes
create or replace function pgrecall.match_boxes(p_frame_id uuid, p_query text)
returns table (word text, box integer[], char_offset integer, kind text)
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- The query's lexemes as search_frames matches them (typo alternatives included), negated ones left out.
  with q as (
    select coalesce(array_agg(m[2]) filter (where m[1] = ''), '{}') as lexemes
    from regexp_matches(coalesce(querytree(pgrecall.search_query(coalesce(p_query, '')))::text, ''),
                        '(!?)''((?:[^'']|'''')+)''', 'g') as m
  ), w as (
    select e.value ->> 't' as t, e.value -> 'b' as b, (e.value ->> 'o')::integer as o
    from pgrecall.frames f, jsonb_array_elements(coalesce(f.ocr_words, '[]')) e
    where f.id = p_frame_id and f.tombstoned_at is null and jsonb_typeof(e.value -> 'b') = 'array'
  )
  select w.t, array(select jsonb_array_elements_text(w.b)::numeric::integer), w.o,
         case when w.t ~ '^█+$' then 'redacted' else 'match' end
  from w, q
  where w.t ~ '^█+$'
     or exists (select 1 from unnest(tsvector_to_array(to_tsvector('english', pgrecall.straighten_quotes(w.t)))) l
                where replace(l, '''', '''''') = any(q.lexemes))
  order by w.o nulls last
$$;
comment on function pgrecall.match_boxes(uuid, text) is
  'Where a query''s words are on a frame''s screen: the OCR word boxes ([x0, y0, x1, y1] in image pixels) of every word that matches one of the query''s terms as search_frames matches them (stemmed, one typo forgiven), kind ''match''; and the boxes of redacted words, kind ''redacted''.';

----------------------------------------------------------------------------------- near_duplicates
create or replace function pgrecall.near_duplicates(p_frame_id uuid, p_limit integer default 50)
returns table (frame_id uuid, captured_at timestamptz, duplicate_of uuid, duplicate_distance integer)
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- The frame's original (when it is a near-duplicate) and the other near-duplicates of that original.
  with o as (select coalesce(f.duplicate_of, f.id) as id from pgrecall.frames f where f.id = p_frame_id)
  select f.id, f.captured_at, f.duplicate_of, f.duplicate_distance::integer
  from pgrecall.frames f, o
  where (f.id = o.id or f.duplicate_of = o.id) and f.id <> p_frame_id and f.tombstoned_at is null
  order by f.captured_at, f.id
  limit least(greatest(coalesce(p_limit, 50), 1), 500)
$$;
comment on function pgrecall.near_duplicates(uuid, integer) is
  'The frames that show the same screen as this one: its original and that original''s other near-duplicates, in capture order (at most p_limit, 1-500).';

----------------------------------------------------------------------------------- forgotten_ranges
create or replace function pgrecall.forgotten_ranges(p_day date, p_deployment_id text default null)
returns table (event_id bigint, forgotten_at timestamptz, kind text, deployment_id text,
               band_from timestamptz, band_to timestamptz, range_from timestamptz, range_to timestamptz,
               frames integer, whole_range boolean)
language sql stable
-- pgrecall.events is the owner's (it names every deployment): this reads the forgets of the
-- deployments the caller may read, and only when and how much, never what was on screen.
security definer
set search_path to pg_catalog, pg_temp
as $$
  with me as (
    select pgrecall._caller() as role,
           pg_has_role(pgrecall._caller(), (select n.nspowner from pg_namespace n where n.nspname = 'pgrecall'), 'member') as owner
  ), e as (
    select e.id, e.at, e.action, e.range_from, e.range_to, e.counts, e.details -> 'filters' as filters,
           case when e.deployment_id is not null then array[e.deployment_id]
                else array(select jsonb_array_elements_text(coalesce(e.details -> 'deployments', '[]'))) end as deps
    from pgrecall.events e
    where e.action in ('forget', 'forget.soft') and e.range_from is not null and e.range_to is not null
      -- a day of any time zone overlaps [p_day - 1, p_day + 2) in UTC
      and e.range_from < p_day + 2 and e.range_to >= p_day - 1
  ), readable as (
    -- every deployment the forget touched must be the caller's to read: the range spans them all
    select e.* from e, me
    where cardinality(e.deps) > 0
      and (me.owner or not exists (
            select 1 from unnest(e.deps) x(dep)
            where not exists (select 1 from pgrecall.role_deployments d
                              where d.role = me.role and d.kind = 'read'
                                and (d.deployment_id is null or d.deployment_id = x.dep))))
  )
  select r.id, r.at, case when t.hidden > 0 then 'tombstoned' else 'purged' end, x.dep,
         greatest(b.day_start, w.band_from), least(b.day_end, w.band_to),
         r.range_from, r.range_to, case when t.hidden > 0 then t.hidden else t.frames - t.restored end, w.whole
  from readable r
  cross join lateral unnest(r.deps) x(dep)
  cross join lateral (
    -- A soft forget: its frames still hidden (they carry its time as tombstoned_at: idx_frames_tombstoned) and
    -- those unforget restored (its events' details.restored); the rest were purged since.
    select (r.counts ->> 'frames')::integer as frames,
           (select count(*)::integer from pgrecall.frames f
            where r.action = 'forget.soft' and f.tombstoned_at = r.at and f.deployment_id = any(r.deps)
              and f.captured_at >= r.range_from and f.captured_at <= r.range_to) as hidden,
           (select coalesce(sum((u.details -> 'restored' ->> r.id::text)::integer), 0)::integer from pgrecall.events u
            where r.action = 'forget.soft' and u.action = 'unforget' and u.at >= r.at and u.details -> 'restored' ? r.id::text) as restored
  ) t
  cross join lateral (
    -- a selection by time only: nothing of [since, until) is left; otherwise: some frames of the span
    select not (r.filters ? 'app' or r.filters ? 'window' or r.filters ? 'frame_ids') as whole
  ) s
  cross join lateral (
    select case when s.whole then least(r.range_from, coalesce((r.filters ->> 'since')::timestamptz, r.range_from)) else r.range_from end as band_from,
           case when s.whole then greatest(r.range_to, coalesce((r.filters ->> 'until')::timestamptz, r.range_to)) else r.range_to end as band_to,
           s.whole
  ) w
  cross join lateral pgrecall.day_bounds(x.dep, p_day) b
  where (p_deployment_id is null or x.dep = p_deployment_id)
    and (t.hidden > 0 or t.frames > t.restored)
    and w.band_from < b.day_end and w.band_to >= b.day_start
  order by 5, 4, 1
$$;
comment on function pgrecall.forgotten_ranges(date, text) is
  'The forgets (pgrecall.forget, purged or tombstoned) whose span overlaps a deployment''s local day, for the deployments the caller may read (a reader: those granted to it, and a forget only when it may read every deployment the forget touched; the owner: all): when, the band (the selection''s since/until when it chose by time only, else the forgotten frames'' first and last capture; cut to the day), the frames'' span and count, and whether the whole band was forgotten (false: an app, window or frame selection); a soft forget is tombstoned while some of its frames are still hidden (frames: those), then purged (frames: those gc or retention purged), and no longer listed once unforget restored them all. Never what was on screen.';

----------------------------------------------------------------------------------- grants
revoke all on function pgrecall._moment_forms(text), pgrecall.parse_moment(text), pgrecall.list_apps(timestamptz, timestamptz, text),
  pgrecall.timeline(date, text), pgrecall.match_boxes(uuid, text), pgrecall.near_duplicates(uuid, integer),
  pgrecall.forgotten_ranges(date, text)
  from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant execute on function pgrecall._moment_forms(text), pgrecall.parse_moment(text), pgrecall.list_apps(timestamptz, timestamptz, text),
  pgrecall.timeline(date, text), pgrecall.match_boxes(uuid, text), pgrecall.near_duplicates(uuid, integer),
  pgrecall.forgotten_ranges(date, text)
  to pgrecall_reader;
