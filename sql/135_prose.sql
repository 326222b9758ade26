-- The optional prose summary of a day. A language model writes the words; every number,
-- time, app, title and project in the text is put there by SQL: the model is given facts
-- with tokens ([TOTAL], [A1], [T2], …) and writes a template with those tokens and no
-- digits or number words of its own, which set_day_prose checks and fills in.

----------------------------------------------------------------------------------- format_seconds
create or replace function pgrecall.format_seconds(p_seconds numeric)
returns text
language sql immutable strict parallel safe
set search_path to pg_catalog, pg_temp
as $$
  select case
    when p_seconds < 60 then round(p_seconds)::text || ' s'
    when p_seconds < 3600 then round(p_seconds / 60)::text || ' min'
    else (floor(round(p_seconds / 60) / 60))::text || ' h ' || lpad((round(p_seconds / 60)::bigint % 60)::text, 2, '0') || ' min'
  end
$$;
comment on function pgrecall.format_seconds(numeric) is 'A duration as people read it: 40 s, 12 min, 2 h 05 min (rounded to the minute from one minute on).';

----------------------------------------------------------------------------------- day_prose_facts
create or replace function pgrecall.day_prose_facts(p_deployment_id text, p_day date)
returns jsonb
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- token -> the text SQL puts in its place. Apps and projects by time, the top titles and
  -- focus blocks in their stored order; local clock times in the day's time zone.
  select jsonb_build_object(
    'digest', d.numbers_digest,
    'day', d.day,
    'facts', (
      select jsonb_object_agg(f.token, f.text)
      from (
        select 'TOTAL' as token, pgrecall.format_seconds(d.active_seconds) as text
        union all select 'AWAY', pgrecall.format_seconds(d.away_seconds)
        union all select 'FIRST', to_char(d.first_seen at time zone d.time_zone, 'HH24:MI')
        union all select 'LAST', to_char(d.last_seen at time zone d.time_zone, 'HH24:MI')
        union all
        select 'A' || row_number() over (order by (e.value)::numeric desc, e.key), e.key || ' (' || pgrecall.format_seconds((e.value)::numeric) || ')'
        from jsonb_each(d.by_app) e
        union all
        select 'P' || row_number() over (order by (e.value)::numeric desc, e.key), e.key || ' (' || pgrecall.format_seconds((e.value)::numeric) || ')'
        from jsonb_each(d.by_project) e
        union all
        select 'T' || t.n, '“' || (t.e->>'window_title') || '” (' || coalesce(t.e->>'app_name', '(no app)') || ', ' || pgrecall.format_seconds((t.e->>'seconds')::numeric) || ')'
        from jsonb_array_elements(d.top_titles) with ordinality t(e, n)
        union all
        select 'F' || b.n, coalesce(b.e->>'app_name', '(no app)') || coalesce(' “' || (b.e->>'window_title') || '”', '') || ' from '
               || to_char((b.e->>'started_at')::timestamptz at time zone d.time_zone, 'HH24:MI') || ' to '
               || to_char((b.e->>'ended_at')::timestamptz at time zone d.time_zone, 'HH24:MI') || ' ('
               || pgrecall.format_seconds((b.e->>'active_seconds')::numeric) || ')'
        from jsonb_array_elements(d.focus_blocks) with ordinality b(e, n)
      ) f)
  )
  from pgrecall.day_summaries d
  where d.deployment_id = p_deployment_id and d.day = p_day
$$;
comment on function pgrecall.day_prose_facts(text, date) is
  'What a language model may say about a day: {digest, day, facts: {token: text}} with TOTAL, AWAY, FIRST, LAST, A1… (apps), P1… (projects), T1… (top titles), F1… (focus blocks). Null when the day has no summary.';

----------------------------------------------------------------------------------- check_prose_template
create or replace function pgrecall.check_prose_template(p_template text, p_facts jsonb)
returns text
language plpgsql immutable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_bare text;
  v_token text;
begin
  -- The reason a template is refused, or null when it may be used.
  if p_template is null or length(btrim(p_template)) = 0 then
    return 'the text is empty';
  end if;
  if length(p_template) > 4000 then
    return 'the text is longer than 4000 characters';
  end if;
  for v_token in select m[1] from regexp_matches(p_template, '\[([A-Za-z]+[0-9]*)\]', 'g') as m loop
    if not (p_facts ? v_token) then
      return format('[%s] is not one of the given tokens', v_token);
    end if;
  end loop;
  v_bare := regexp_replace(p_template, '\[[A-Za-z]+[0-9]*\]', ' ', 'g');
  if v_bare ~ '[[:digit:]]' then
    return format('the text has a number of its own ("%s"): use the tokens', substring(v_bare from '\S*[[:digit:]]\S*'));
  end if;
  if v_bare ~* '\m(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|half|quarter|dozen|twice|thrice|several|couple|noon|midnight)\M' then
    return format('the text has a number word of its own ("%s"): use the tokens',
                  substring(v_bare from '(?i)\m(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|half|quarter|dozen|twice|thrice|several|couple|noon|midnight)\M'));
  end if;
  return null;
end;
$$;
comment on function pgrecall.check_prose_template(text, jsonb) is
  'Why a model''s template cannot be used (unknown token, a digit or number word outside the tokens, empty, too long), or null.';

----------------------------------------------------------------------------------- set_day_prose
create or replace function pgrecall.set_day_prose(p_deployment_id text, p_day date, p_template text, p_model text, p_digest text)
returns text
language plpgsql volatile
set search_path to pg_catalog, pg_temp
as $$
declare
  v_facts jsonb;
  v_reason text;
  v_text text;
  v_token text;
begin
  select pgrecall.day_prose_facts(p_deployment_id, p_day) into v_facts;
  if v_facts is null then
    raise exception 'no summary of % for deployment %', p_day, p_deployment_id using errcode = 'P0002';
  end if;
  if v_facts->>'digest' is distinct from p_digest then
    raise exception 'the numbers of % changed while the text was written', p_day
      using errcode = '40001', hint = 'Ask for the facts again (pgrecall.day_prose_facts) and write again.';
  end if;
  v_reason := pgrecall.check_prose_template(p_template, v_facts->'facts');
  if v_reason is not null then
    raise exception 'prose refused: %', v_reason using errcode = '22023';
  end if;
  v_text := p_template;
  for v_token in select m[1] from regexp_matches(p_template, '\[([A-Za-z]+[0-9]*)\]', 'g') as m loop
    v_text := replace(v_text, '[' || v_token || ']', v_facts->'facts'->>v_token);
  end loop;
  update pgrecall.day_summaries d
  set summary = btrim(v_text), summary_template = p_template, summary_model = p_model, summary_at = now(), summary_message = null
  where d.deployment_id = p_deployment_id and d.day = p_day;
  return btrim(v_text);
end;
$$;
comment on function pgrecall.set_day_prose(text, date, text, text, text) is
  'Stores a model''s prose for a day: the template is checked (pgrecall.check_prose_template), refused when the day''s numbers changed since its facts were read (digest), and its tokens replaced by SQL''s text. Returns the summary.';

----------------------------------------------------------------------------------- day_prose_failed
create or replace function pgrecall.day_prose_failed(p_deployment_id text, p_day date, p_message text)
returns void
language sql volatile
set search_path to pg_catalog, pg_temp
as $$
  update pgrecall.day_summaries d set summary_message = left(p_message, 1000)
  where d.deployment_id = p_deployment_id and d.day = p_day
$$;
comment on function pgrecall.day_prose_failed(text, date, text) is 'Records why no prose was written for a day (the summary stays the structured one).';

----------------------------------------------------------------------------------- days_due_prose
create or replace function pgrecall.queue_days_due_prose()
returns integer
language sql volatile
set search_path to pg_catalog, pg_temp
as $$
  -- Days that have ended (in their own time zone) and have no prose yet, from the last week.
  select coalesce(pgrecall._queue_summaries(array_agg(d.deployment_id), array_agg(d.day), interval '0'), 0)
  from pgrecall.day_summaries d
  where d.summary is null and d.summary_message is null and d.day_end <= now() and d.day_end > now() - interval '7 days'
$$;
comment on function pgrecall.queue_days_due_prose() is
  'Queues a summarize job for each day of the last week that has ended and has no prose (for the hourly cron task; the task writes prose only for ended days, and only with a provider). Returns how many.';

----------------------------------------------------------------------------------- day_wants_prose
create or replace function pgrecall.day_wants_prose(p_deployment_id text, p_day date)
returns boolean
language sql stable
set search_path to pg_catalog, pg_temp
as $$
  -- Prose is written once a day has ended (a day still being captured would be rewritten
  -- every couple of minutes), and not again after a refusal or a failure was recorded.
  select coalesce((select d.summary is null and d.summary_message is null and d.day_end <= now()
                   from pgrecall.day_summaries d where d.deployment_id = p_deployment_id and d.day = p_day), false)
$$;
comment on function pgrecall.day_wants_prose(text, date) is 'Whether the summarize task should have prose written for this day: it has ended and has neither prose nor a recorded failure.';
