-- Forgetting (issue 11.1): pgrecall.forget purges the frames a selection names — text, word
-- boxes, vectors, findings, vision descriptions, their near-duplicates, the words of the
-- vocabulary no remaining frame contains, and (through gc) the images no remaining frame
-- shows — or, with p_soft, tombstones them: hidden at once, restorable with pgrecall.unforget
-- until tombstone_grace has passed, then purged by gc. Every call is logged in pgrecall.events.

----------------------------------------------------------------------------------- _lexeme_query
create or replace function pgrecall._lexeme_query(p_lexeme text)
returns tsquery
language sql immutable strict parallel safe
set search_path to pg_catalog, pg_temp
as $$ select ('''' || replace(replace(p_lexeme, '\', '\\'), '''', '''''') || '''')::tsquery $$;
comment on function pgrecall._lexeme_query(text) is 'Internal: a tsquery matching exactly this lexeme (as stored in a tsvector), whatever characters it holds.';

----------------------------------------------------------------------------------- _may_forget
create or replace function pgrecall._may_forget(p_caller text, p_deployment_id text)
returns boolean
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- The owner (who migrates) may forget anything; a reader or capture login, the deployments it was granted.
  select pg_has_role(p_caller, (select n.nspowner from pg_namespace n where n.nspname = 'pgrecall'), 'member')
      or exists (select 1 from pgrecall.role_deployments d
                 where d.role = p_caller and d.kind in ('read', 'capture')
                   and (d.deployment_id is null or d.deployment_id = p_deployment_id))
$$;
comment on function pgrecall._may_forget(text, text) is
  'Internal: whether a role may forget (and unforget) frames of a deployment: the schema owner always, a login its read or capture grant covers.';

----------------------------------------------------------------------------------- _select_frames
create or replace function pgrecall._select_frames(
  p_deployment_id text, p_since timestamptz, p_until timestamptz, p_last interval, p_app text, p_window text,
  p_frame_ids uuid[], p_tombstoned boolean
)
returns setof uuid
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_caller text := pgrecall._caller();
  -- the owner may forget everything: asked once, not per row
  v_all boolean := pg_has_role(v_caller, (select n.nspowner from pg_namespace n where n.nspname = 'pgrecall'), 'member');
  v_since timestamptz := p_since;
  v_missing uuid;
begin
  if p_deployment_id is null and p_since is null and p_until is null and p_last is null and p_app is null
     and p_window is null and p_frame_ids is null then
    raise exception 'say what to forget: a time range (last, since, until), an app, a window title, a deployment or frame ids'
      using errcode = '22023', hint = 'For everything of one deployment, name the deployment.';
  end if;
  if p_last is not null and p_since is not null then
    raise exception 'last and since both give the start of the range: use one' using errcode = '22023', column = 'last';
  end if;
  if p_last is not null and p_last <= interval '0' then
    raise exception 'last must be a positive interval (got %)', p_last using errcode = '22023', column = 'last';
  end if;
  if p_last is not null then
    v_since := now() - p_last;
  end if;
  if v_since is not null and p_until is not null and p_until < v_since then
    raise exception 'until (%) is before since (%)', p_until, v_since using errcode = '22023', column = 'until';
  end if;
  if cardinality(p_frame_ids) = 0 then
    raise exception 'frame ids: the list is empty' using errcode = '22023', column = 'frame';
  end if;
  -- Every frame named must exist (and be the caller's to forget): a typo forgets nothing.
  select i into v_missing from unnest(p_frame_ids) i
  where not exists (select 1 from pgrecall.frames f where f.id = i and (v_all or pgrecall._may_forget(v_caller, f.deployment_id)))
  limit 1;
  if v_missing is not null then
    raise exception 'frame % does not exist', v_missing using errcode = 'P0002', column = 'frame';
  end if;

  return query
    with picked as (
      select f.id from pgrecall.frames f
      where (p_deployment_id is null or f.deployment_id = p_deployment_id)
        and (v_since is null or f.captured_at >= v_since)
        and (p_until is null or f.captured_at < p_until)
        and (p_app is null or lower(f.app_name) = lower(p_app))
        and (p_window is null or f.window_title ilike '%' || replace(replace(replace(p_window, '\', '\\'), '%', '\%'), '_', '\_') || '%')
        and (p_frame_ids is null or f.id = any(p_frame_ids))
        and (p_tombstoned is null or (f.tombstoned_at is not null) = p_tombstoned)
        and (v_all or pgrecall._may_forget(v_caller, f.deployment_id))
    )
    select p.id from picked p
    union
    -- their near-duplicates show the same screen
    select d.id from pgrecall.frames d
    where d.duplicate_of in (select p.id from picked p)
      and (p_tombstoned is null or (d.tombstoned_at is not null) = p_tombstoned);
end;
$$;
comment on function pgrecall._select_frames(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean) is
  'Internal: the frames a forget or unforget selection names (every filter given must match: deployment, captured_at in [since or now() - last, until), app (case-insensitive), window title substring, frame ids; tombstoned or not when p_tombstoned is set), with their near-duplicates, among the deployments the caller may forget. Checks the selection (22023, P0002 for a frame id that does not exist).';

----------------------------------------------------------------------------------- _forget_words
create or replace function pgrecall._gin_flush()
returns void
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
begin
  -- Every GIN search reads the index's whole pending list (fastupdate); after a busy hour of
  -- OCR a probe took 15 ms instead of 0.1 ms. Merged once before thousands of probes.
  if to_regclass('pgrecall.idx_frames_fts') is not null then
    perform gin_clean_pending_list('pgrecall.idx_frames_fts'::regclass);
  end if;
end;
$$;
comment on function pgrecall._gin_flush() is 'Internal: merges the pending list of idx_frames_fts into the index (as autovacuum would) before a vocabulary check probes it word by word.';

create or replace function pgrecall._forget_words(p_words text[])
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_n integer;
begin
  -- The vocabulary must not remember what was forgotten: a word goes when no frame left contains it
  -- (the vocabulary is learnt from canonical frames, as idx_frames_fts covers). A GIN probe for a
  -- common word reads its whole posting list (a bitmap scan cannot stop at the first match): at
  -- millions of frames, milliseconds a word, seconds a batch. So the words of a few of the newest
  -- canonical frames are kept without a probe (they are contained, and the common words are among
  -- them); only the rest, whose posting lists are short, are probed. A handful of words is probed
  -- directly.
  if coalesce(cardinality(p_words), 0) <= 200 then  -- a few words (a rescan's): probed directly
    delete from pgrecall.search_words w
    where w.word = any(p_words)
      and not exists (select 1 from pgrecall.frames f
                      where f.duplicate_of is null and f.fts @@ pgrecall._lexeme_query(w.word));
    get diagnostics v_n = row_count;
    return v_n;
  end if;
  with sample as materialized (
    select distinct w.word
    from (select f.fts, f.duplicate_of from pgrecall.frames f order by f.captured_at desc limit 2000) r
    cross join lateral unnest(tsvector_to_array(r.fts)) w(word)
    where r.duplicate_of is null
  ),
  unsure as materialized (
    select u.word from unnest(p_words) u(word) where u.word is not null
    except
    select s.word from sample s
  )
  delete from pgrecall.search_words w
  using unsure u
  where w.word = u.word
    and not exists (select 1 from pgrecall.frames f
                    where f.duplicate_of is null and f.fts @@ pgrecall._lexeme_query(w.word));
  get diagnostics v_n = row_count;
  return v_n;
end;
$$;
comment on function pgrecall._forget_words(text[]) is 'Internal: removes from pgrecall.search_words the words given that no remaining frame contains; returns how many.';

----------------------------------------------------------------------------------- _release_images
create or replace function pgrecall._release_images(p_refs text[])
returns integer
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_n integer;
begin
  -- Queued in the caller's transaction: gc removes the files only once it has committed.
  insert into pgrecall.blob_releases (ref)
  select distinct r from unnest(p_refs) r
  where r ~ '^blob:sha256:[0-9a-f]{64}$'
    and not exists (select 1 from pgrecall.frames f where f.image_ref = r)
  on conflict (ref) do update set released_at = excluded.released_at;
  get diagnostics v_n = row_count;
  return v_n;
end;
$$;
comment on function pgrecall._release_images(text[]) is
  'Internal: queues for gc the blobs given that no frame references any more (in the caller''s transaction); returns how many.';

----------------------------------------------------------------------------------- _purge_frames
create or replace function pgrecall._purge_frames(p_ids uuid[],
  out frames integer, out findings integer, out words integer, out images integer)
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_words text[];
  v_refs text[];
begin
  select count(*) into findings from pgrecall.secrets s where s.frame_id = any(p_ids);
  select array_agg(distinct w) into v_words
  from pgrecall.frames f cross join lateral unnest(tsvector_to_array(f.fts)) w
  where f.id = any(p_ids) and f.duplicate_of is null;
  select array_agg(distinct f.image_ref) into v_refs from pgrecall.frames f where f.id = any(p_ids) and f.image_ref is not null;
  -- Findings go with their frames (on delete cascade); near-duplicates are in p_ids.
  delete from pgrecall.frames f where f.id = any(p_ids);
  get diagnostics frames = row_count;
  perform pgrecall._gin_flush();
  words := coalesce(pgrecall._forget_words(v_words), 0);
  images := coalesce(pgrecall._release_images(v_refs), 0);
end;
$$;
comment on function pgrecall._purge_frames(uuid[]) is
  'Internal: deletes frames for good (findings cascade), then the vocabulary words and the images (queued for gc) no remaining frame has. Returns the counts.';

----------------------------------------------------------------------------------- _days_changed
create or replace function pgrecall._days_changed(p_ids uuid[])
returns void
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
-- pgrecall.days_changed is the summaries' (issue 12): called when it exists, so it is named in a
-- format() that plpgsql_check does not resolve.
declare
  v record;
begin
  if to_regprocedure('pgrecall.days_changed(text, timestamp with time zone, timestamp with time zone)') is null then
    return;
  end if;
  for v in select f.deployment_id, min(f.captured_at) as from_at, max(f.captured_at) as to_at
           from pgrecall.frames f where f.id = any(p_ids) group by f.deployment_id loop
    execute format('select %s($1, $2, $3)', 'pgrecall.days_changed') using v.deployment_id, v.from_at, v.to_at;
  end loop;
end;
$$;
comment on function pgrecall._days_changed(uuid[]) is
  'Internal: tells the day summaries (pgrecall.days_changed(deployment, from, to), when it exists) which days a forget, unforget or purge of these frames touches. Call it before the frames are deleted.';

----------------------------------------------------------------------------------- forget
create or replace function pgrecall.forget(
  p_deployment_id text default null,
  p_since timestamptz default null,
  p_until timestamptz default null,
  p_last interval default null,
  p_app text default null,
  p_window text default null,
  p_frame_ids uuid[] default null,
  p_soft boolean default false,
  p_dry_run boolean default false,
  out frames integer, out near_duplicates integer, out findings integer, out words integer, out images integer,
  out range_from timestamptz, out range_to timestamptz, out deployments text[], out event_id bigint
)
language plpgsql volatile
-- readers and capture logins forget the deployments they were granted (pgrecall._may_forget)
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_ids uuid[];
  v_soft boolean := coalesce(p_soft, false);
  v_purged record;
begin
  -- Soft forgets what is not tombstoned yet; a purge takes tombstoned frames too (forget them now).
  select array_agg(s.id order by s.id) into v_ids
  from pgrecall._select_frames(p_deployment_id, p_since, p_until, p_last, p_app, p_window, p_frame_ids,
                               case when v_soft then false end) s(id);
  v_ids := coalesce(v_ids, '{}');
  -- Lock them: a stage finishing on one of them waits, then finds it gone (or tombstoned).
  perform 1 from pgrecall.frames f where f.id = any(v_ids) order by f.id for update;
  select count(*)::int, count(*) filter (where f.duplicate_of is not null)::int, min(f.captured_at), max(f.captured_at),
         coalesce(array_agg(distinct f.deployment_id), '{}')
    into frames, near_duplicates, range_from, range_to, deployments
  from pgrecall.frames f where f.id = any(v_ids);
  select count(*)::int into findings from pgrecall.secrets s where s.frame_id = any(v_ids);
  words := 0;
  images := 0;
  if coalesce(p_dry_run, false) or frames = 0 then
    if v_soft then findings := 0; end if;
    return;
  end if;

  perform pgrecall._days_changed(v_ids);
  if v_soft then
    update pgrecall.frames f set tombstoned_at = now() where f.id = any(v_ids);
    findings := 0;
  else
    v_purged := pgrecall._purge_frames(v_ids);
    words := v_purged.words;
    images := v_purged.images;
  end if;
  event_id := pgrecall.log_event(
    case when v_soft then 'forget.soft' else 'forget' end,
    case when cardinality(deployments) = 1 then deployments[1] end, range_from, range_to,
    jsonb_build_object('frames', frames, 'near_duplicates', near_duplicates, 'findings', findings, 'words', words, 'images', images),
    jsonb_strip_nulls(jsonb_build_object(
      'deployments', case when cardinality(deployments) > 1 then to_jsonb(deployments) end,
      'filters', jsonb_strip_nulls(jsonb_build_object(
        -- whether an app or title filter was given, not what it said (a title can be content)
        'deployment', p_deployment_id, 'since', p_since, 'until', p_until, 'last', p_last::text,
        'app', nullif(p_app is not null, false), 'window', nullif(p_window is not null, false),
        'frame_ids', cardinality(p_frame_ids))))));
end;
$$;
comment on function pgrecall.forget(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean, boolean) is
  'Forgets the frames a selection names (every filter given must match: deployment, captured_at in [since or now() - last, until), app, window title substring, frame ids) and their near-duplicates. '
  'Default: purged at once — text, word boxes, vectors, findings, vision descriptions, the vocabulary words no remaining frame contains; the images no remaining frame shows are queued for gc (pgrecall gc removes the files after this commits). '
  'p_soft: tombstoned instead (hidden from search, views and readers; pgrecall.unforget restores them until tombstone_grace, then gc purges them). p_dry_run: only counts. '
  'Logged in pgrecall.events (counts and range, never content). Readers and capture logins may forget the deployments they were granted.';

----------------------------------------------------------------------------------- unforget
create or replace function pgrecall.unforget(
  p_deployment_id text default null,
  p_since timestamptz default null,
  p_until timestamptz default null,
  p_last interval default null,
  p_app text default null,
  p_window text default null,
  p_frame_ids uuid[] default null,
  p_dry_run boolean default false,
  out frames integer, out range_from timestamptz, out range_to timestamptz, out deployments text[], out event_id bigint
)
language plpgsql volatile
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_ids uuid[];
  v_restored jsonb;
begin
  select array_agg(s.id) into v_ids
  from pgrecall._select_frames(p_deployment_id, p_since, p_until, p_last, p_app, p_window, p_frame_ids, true) s(id);
  v_ids := coalesce(v_ids, '{}');
  select count(*)::int, min(f.captured_at), max(f.captured_at), coalesce(array_agg(distinct f.deployment_id), '{}')
    into frames, range_from, range_to, deployments
  from pgrecall.frames f where f.id = any(v_ids);
  if coalesce(p_dry_run, false) or frames = 0 then
    return;
  end if;
  -- How many frames of each soft forget this restores (a soft forget's frames carry its time as tombstoned_at):
  -- pgrecall.forgotten_ranges stops drawing a forget once all of its frames were restored.
  select jsonb_object_agg(e.id::text, x.n) into v_restored
  from (select f.tombstoned_at, count(*) as n from pgrecall.frames f where f.id = any(v_ids) group by f.tombstoned_at) x
  join pgrecall.events e on e.action = 'forget.soft' and e.at = x.tombstoned_at;
  update pgrecall.frames f set tombstoned_at = null where f.id = any(v_ids);
  -- Their pending stages were left alone while hidden: queue them again.
  perform pgrecall._add_jobs(array_agg(w.stage), array_agg(f.id), array_agg(f.deployment_id))
  from pgrecall.frames f
  cross join lateral unnest(pgrecall.stages_wanted(f)) as w(stage)
  where f.id = any(v_ids)
    and not exists (select 1 from graphile_worker.jobs j
                    where j.key = pgrecall.job_key(w.stage, f.id) and (j.locked_at is not null or j.attempts < j.max_attempts));
  perform pgrecall._days_changed(v_ids);
  event_id := pgrecall.log_event('unforget', case when cardinality(deployments) = 1 then deployments[1] end, range_from, range_to,
    jsonb_build_object('frames', frames),
    jsonb_strip_nulls(jsonb_build_object('deployments', case when cardinality(deployments) > 1 then to_jsonb(deployments) end,
                                         'restored', v_restored)));
end;
$$;
comment on function pgrecall.unforget(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean) is
  'Restores tombstoned (soft-forgotten, not yet purged) frames a selection names, as pgrecall.forget selects, and queues their pending stages. Logged in pgrecall.events, with how many frames of each soft forget it restored (details.restored: forget event id → frames).';

----------------------------------------------------------------------------------- purge_tombstoned
create or replace function pgrecall.purge_tombstoned(p_limit integer default 1000, p_dry_run boolean default false,
  out frames integer, out findings integer, out words integer, out images integer, out event_id bigint)
language plpgsql volatile
-- gc and the retention task (worker role) purge
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_ids uuid[];
  v_purged record;
  v_from timestamptz;
  v_to timestamptz;
begin
  -- Tombstoned longer than their deployment's tombstone_grace, oldest first, at most p_limit a call.
  select array_agg(t.id) into v_ids from (
    select f.id from pgrecall.frames f
    cross join lateral pgrecall.settings_for(f.deployment_id) st
    where f.tombstoned_at is not null and f.tombstoned_at <= now() - st.tombstone_grace
    order by f.tombstoned_at
    limit greatest(coalesce(p_limit, 1000), 1)
    for update of f skip locked) t;
  v_ids := coalesce(v_ids, '{}');
  select count(*)::int, min(f.captured_at), max(f.captured_at) into frames, v_from, v_to from pgrecall.frames f where f.id = any(v_ids);
  select count(*)::int into findings from pgrecall.secrets s where s.frame_id = any(v_ids);
  words := 0;
  images := 0;
  if coalesce(p_dry_run, false) or frames = 0 then
    return;
  end if;
  perform pgrecall._days_changed(v_ids);
  v_purged := pgrecall._purge_frames(v_ids);
  words := v_purged.words;
  images := v_purged.images;
  event_id := pgrecall.log_event('purge', null, v_from, v_to,
    jsonb_build_object('frames', frames, 'findings', findings, 'words', words, 'images', images));
end;
$$;
comment on function pgrecall.purge_tombstoned(integer, boolean) is
  'Purges (as pgrecall.forget does) up to p_limit frames tombstoned longer than their deployment''s tombstone_grace, oldest first. Run by gc and the retention task. Logged in pgrecall.events.';

----------------------------------------------------------------------------------- hide tombstones from readers
-- A tombstoned frame is gone for readers (the HTTP API, MCP, psql as a reader) at once; a
-- search that asks for them (p_include_tombstoned) turns the pgrecall.include_tombstoned
-- setting on for its own statement. Not a security boundary: they may read the deployment.
drop policy if exists hide_tombstoned on pgrecall.frames;
create policy hide_tombstoned on pgrecall.frames as restrictive for select to pgrecall_reader
  using (tombstoned_at is null or current_setting('pgrecall.include_tombstoned', true) = 'on');

----------------------------------------------------------------------------------- grants
revoke all on function pgrecall._lexeme_query(text), pgrecall._may_forget(text, text), pgrecall._gin_flush(),
  pgrecall._select_frames(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean),
  pgrecall._forget_words(text[]), pgrecall._release_images(text[]), pgrecall._purge_frames(uuid[]),
  pgrecall._days_changed(uuid[]),
  pgrecall.forget(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean, boolean),
  pgrecall.unforget(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean),
  pgrecall.purge_tombstoned(integer, boolean)
  from public, pgrecall_capture, pgrecall_reader, pgrecall_worker;
grant execute on function pgrecall._lexeme_query(text) to pgrecall_reader, pgrecall_worker;
grant execute on function pgrecall.purge_tombstoned(integer, boolean) to pgrecall_worker;
-- A rescan (sql/095_secrets.sql, run by the worker) forgets the words of a secret it masked.
grant execute on function pgrecall._forget_words(text[]) to pgrecall_worker;
grant execute on function pgrecall.forget(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean, boolean),
                          pgrecall.unforget(text, timestamptz, timestamptz, interval, text, text, uuid[], boolean)
  to pgrecall_reader, pgrecall_capture;
