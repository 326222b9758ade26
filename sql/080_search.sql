-- Search (seed 000 Phase 2): full-text, vector and hybrid (reciprocal rank fusion) in one
-- function, with filters, snippets and cursor paging. The document is the generated column
-- frames.fts (migration 000005); typo tolerance uses the vocabulary in search_words.

-- Why these indexes (measured at 1M frames by bench/search; figures in the README).
comment on index pgrecall.idx_frames_fts is
  'GIN over the stored tsvector (an expression index re-parses every matching row: 30-40x slower for common words). '
  'RUM was measured: 3.8x the size, and ordering a common word''s matches by time (p95 602 ms) or by rank (7-9 s) inside the index '
  'was far slower than GIN with search_frames'' recency-capped ranking (p95 21 ms). Not adopted.';
comment on index pgrecall.idx_frames_embedding is
  'HNSW, cosine, m 24, ef_construction 128 (recall@10 1.00 at 1M frames; the defaults reached 0.92-0.96). ivfflat measured '
  'faster (p95 8.8 ms, recall 0.998) when built over all the data, but its lists are trained on the rows present at build '
  'time, and this index exists from the first migration on an empty table and grows with the screens; HNSW needs no training.';

-- The vocabulary: every lexeme of a canonical frame's document, learned when its text is set.
create or replace function pgrecall._learn_words()
returns trigger
language plpgsql
as $$
begin
  insert into pgrecall.search_words (word)
  select w from unnest(tsvector_to_array(new.fts)) as w
  on conflict do nothing;
  return null;
end;
$$;
comment on function pgrecall._learn_words() is 'Internal trigger: adds a frame''s lexemes to pgrecall.search_words.';

drop trigger if exists _300_learn_words_insert on pgrecall.frames;
create trigger _300_learn_words_insert
  after insert on pgrecall.frames
  for each row
  when (new.duplicate_of is null and (new.ocr_text is not null or new.vision_summary is not null))
  execute function pgrecall._learn_words();

drop trigger if exists _300_learn_words_update on pgrecall.frames;
create trigger _300_learn_words_update
  after update of ocr_text, vision_summary, window_title, app_name on pgrecall.frames
  for each row
  when (new.duplicate_of is null and old.fts is distinct from new.fts)
  execute function pgrecall._learn_words();

----------------------------------------------------------------------------------- straighten_quotes
create or replace function pgrecall.straighten_quotes(p_text text)
returns text
language sql immutable strict parallel safe
as $$ select translate(p_text, '‘’‚‛′“”„‟″', '''''''''''"""""') $$;
comment on function pgrecall.straighten_quotes(text) is
  'Curly and prime quotes as straight ones (OCR reads '' as ’ on code). Used for queries and snippets; the generated column '
  'frames.fts (migration 000005) holds a frozen copy of the same translate(), which must stay equal to this one.';

----------------------------------------------------------------------------------- _extension_schema
create or replace function pgrecall._extension_schema(p_extension text)
returns text
language sql stable strict parallel safe
set search_path to pg_catalog, pg_temp
as $$ select n.nspname::text from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = p_extension $$;
comment on function pgrecall._extension_schema(text) is
  'Internal: the schema an extension (vector, pg_trgm) was installed in, for queries that name its operators.';

----------------------------------------------------------------------------------- _nearest_words
create or replace function pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real)
returns setof text
language plpgsql stable
set search_path to pg_catalog, pg_temp
as $$
begin
  -- pg_trgm lives wherever it was installed: its operator and function are named by that schema.
  return query execute format(
    $q$select w.word from (select w.word from pgrecall.search_words w where w.word !~ '\\'
                           order by w.word operator(%1$I.<->) $1 limit $2) w
       where %1$I.similarity(w.word, $1) >= $3$q$,
    pgrecall._extension_schema('pg_trgm'))
  using p_word, p_count, p_min_similarity;
end;
$$;
comment on function pgrecall._nearest_words(text, integer, real) is
  'Internal: up to p_count words of the vocabulary closest to p_word by trigram distance, at least p_min_similarity similar.';

----------------------------------------------------------------------------------- _redaction_labels
create or replace function pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text)
returns text
language plpgsql stable
-- a reader may not read pgrecall.secrets; the kinds found on a frame it may see are what it gets
security definer
set search_path to pg_catalog, pg_temp
as $$
declare
  v_kinds text;
begin
  -- A masked run (█, the worker's mask) says what it hides; one kind per frame is the common case.
  if not p_redacted or p_snippet !~ '█' then
    return p_snippet;
  end if;
  select string_agg(distinct s.kind, ', ' order by s.kind) into v_kinds from pgrecall.secrets s where s.frame_id = p_frame_id;
  return regexp_replace(p_snippet, '█[█[:space:]]*█|█', '[redacted: ' || coalesce(v_kinds, 'secret') || ']', 'g');
end;
$$;
comment on function pgrecall._redaction_labels(boolean, uuid, text) is
  'Internal: a snippet of a redacted frame with each masked run shown as [redacted: <kinds found on the frame>].';

----------------------------------------------------------------------------------- search_query
create or replace function pgrecall.search_query(p_query text)
returns tsquery
language plpgsql stable
set search_path to pg_catalog, pg_temp
set client_min_messages = warning
as $$
declare
  v_q tsquery;
  v_lex text;
  v_alts text;
begin
  if length(p_query) > 1000 then
    raise exception 'query is % characters; at most 1000', length(p_query) using errcode = '22023', column = 'query';
  end if;
  -- websearch syntax ("phrase", -word, or): never a syntax error, whatever the input.
  v_q := websearch_to_tsquery('english'::regconfig, pgrecall.straighten_quotes(coalesce(p_query, '')));
  if numnode(v_q) = 0 then
    return null;
  end if;
  -- Typo tolerance: a word no frame contains is widened to the nearest words that some frame does.
  for v_lex in
    select distinct replace(m[1], '''''', '''') from regexp_matches(v_q::text, '''((?:[^'']|'''')+)''', 'g') as m
  loop
    continue when length(v_lex) < 4 or v_lex ~ '[\\0-9]'
               or exists (select 1 from pgrecall.search_words w where w.word = v_lex);
    select string_agg(quote_literal(n.word), ' | ') into v_alts from pgrecall._nearest_words(v_lex, 3, 0.4) as n(word);
    continue when v_alts is null;
    v_q := ts_rewrite(v_q, quote_literal(v_lex)::tsquery, (quote_literal(v_lex) || ' | ' || v_alts)::tsquery);
  end loop;
  return v_q;
end;
$$;
comment on function pgrecall.search_query(text) is
  'A search string as a tsquery: websearch syntax ("a phrase", -not, or), curly quotes straightened, at most 1,000 characters (longer is an error, SQLSTATE 22023, column "query"), and each word (4+ letters, no digits: numbers and ids match exactly) that no frame contains widened to up to 3 known words with trigram similarity >= 0.4 (one wrong letter). Null when nothing searchable is left.';

-- Cursors: opaque to clients, checked on the way back in.
create or replace function pgrecall._search_cursor(p_fingerprint text, p_asof timestamptz, p_key text, p_id uuid)
returns text
language sql immutable
set search_path to pg_catalog, pg_temp
as $$
  select translate(encode(convert_to(concat_ws('|', 'v1', p_fingerprint,
                                               (extract(epoch from p_asof) * 1000000)::bigint, p_key, p_id), 'UTF8'), 'base64'),
                   E'+/=\n', '-_')
$$;
comment on function pgrecall._search_cursor(text, timestamptz, text, uuid) is 'Internal: encodes a search position.';

create or replace function pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text,
  out asof timestamptz, out key text, out id uuid)
language plpgsql immutable
set search_path to pg_catalog, pg_temp
as $$
declare
  v_parts text[];
  v_b64 text := translate(p_cursor, '-_', '+/');
begin
  v_b64 := v_b64 || repeat('=', (4 - length(v_b64) % 4) % 4);
  v_parts := string_to_array(convert_from(decode(v_b64, 'base64'), 'UTF8'), '|');
  if array_length(v_parts, 1) <> 5 or v_parts[1] <> 'v1' then
    raise exception using errcode = '22023';
  end if;
  if v_parts[2] <> p_fingerprint then
    raise exception 'this cursor belongs to another search (query, mode, sort or filters differ)'
      using errcode = '22023', hint = 'Pass a cursor only with the search that returned it.';
  end if;
  asof := timestamptz 'epoch' + v_parts[3]::bigint * interval '1 microsecond';
  key := v_parts[4];
  id := v_parts[5]::uuid;
exception
  when sqlstate '22023' then
    if sqlerrm like 'this cursor%' then raise; end if;
    raise exception 'invalid search cursor' using errcode = '22023', hint = 'Use the next_cursor value of a search result as it was returned.';
  when others then
    raise exception 'invalid search cursor' using errcode = '22023', hint = 'Use the next_cursor value of a search result as it was returned.';
end;
$$;
comment on function pgrecall._search_cursor_parts(text, text) is 'Internal: decodes and checks a search cursor.';

----------------------------------------------------------------------------------- search_frames
-- search_frames is one statement assembled from named fragments below. Values reach the
-- statement as literals (format's %L, the same quoting as quote_literal): nothing a user
-- typed is ever spliced in unquoted, and the planner sees the real filter values.

create or replace function pgrecall._search_check(
  p_mode text, p_sort text, p_since timestamptz, p_until timestamptz, p_limit integer, p_candidates integer,
  p_deployment_id text, p_app text, p_window text
)
returns void
language plpgsql immutable
set search_path to pg_catalog, pg_temp
as $$
begin
  -- column names the parameter, so each client can say it in its own words (--limit, ?limit=).
  if p_mode not in ('fts', 'vector', 'hybrid') then
    raise exception 'mode must be one of fts, vector, hybrid (got "%")', p_mode using errcode = '22023', column = 'mode';
  end if;
  if p_sort not in ('relevance', 'time') then
    raise exception 'sort must be one of relevance, time (got "%")', p_sort using errcode = '22023', column = 'sort';
  end if;
  if p_limit not between 1 and 200 then
    raise exception 'limit must be a whole number from 1 to 200 (got %)', p_limit using errcode = '22023', column = 'limit';
  end if;
  if p_candidates not between 1 and 10000 then
    raise exception 'candidates must be a whole number from 1 to 10000 (got %)', p_candidates using errcode = '22023', column = 'candidates';
  end if;
  if length(p_deployment_id) > 200 then
    raise exception 'deployment must be at most 200 characters' using errcode = '22023', column = 'deployment';
  end if;
  if length(p_app) > 500 then
    raise exception 'app must be at most 500 characters' using errcode = '22023', column = 'app';
  end if;
  if length(p_window) > 500 then
    raise exception 'window must be at most 500 characters' using errcode = '22023', column = 'window';
  end if;
  if p_since > p_until then
    raise exception 'since is after until (% > %)', p_since, p_until using errcode = '22023', column = 'since';
  end if;
end;
$$;
comment on function pgrecall._search_check(text, text, timestamptz, timestamptz, integer, integer, text, text, text) is
  'Internal: the rules for search_frames'' parameters, one place. Raises 22023 with the parameter in the error''s COLUMN field.';

drop function if exists pgrecall._search_matchable(text, text, text, timestamptz);
create or replace function pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamptz,
                                                      p_include_tombstoned boolean)
returns text
language sql immutable
set search_path to pg_catalog, pg_temp
as $$
  -- Frames whose searchable state changed after the first page are left out of later pages,
  -- so pages neither repeat nor skip while frames arrive.
  select concat(
    format('f.duplicate_of is null and greatest(f.inserted_at, f.ocr_at, f.vision_at, f.embedding_at) <= %L::timestamptz', p_asof),
    case when not p_include_tombstoned then ' and f.tombstoned_at is null' end,
    case when p_deployment_id is not null then format(' and f.deployment_id = %L', p_deployment_id) end,
    case when p_app is not null then format(' and lower(f.app_name) = lower(%L)', p_app) end,
    case when p_window is not null
         then format(' and f.window_title ilike %L', '%' || replace(replace(replace(p_window, '\', '\\'), '%', '\%'), '_', '\_') || '%') end)
$$;
comment on function pgrecall._search_matchable(text, text, text, timestamptz, boolean) is
  'Internal: the condition on the canonical frames a search may match (deployment, app, window title substring, not tombstoned unless asked, as of the first page).';

create or replace function pgrecall._search_in_range(p_since timestamptz, p_until timestamptz)
returns text
language sql immutable
set search_path to pg_catalog, pg_temp
as $$
  select concat('true',
    case when p_since is not null then format(' and f.captured_at >= %L::timestamptz', p_since) end,
    case when p_until is not null then format(' and f.captured_at < %L::timestamptz', p_until) end)
$$;
comment on function pgrecall._search_in_range(timestamptz, timestamptz) is 'Internal: the condition on captured_at of the frames a search returns.';

----------------------------------------------------------------------------------- _nearest
create or replace function pgrecall._nearest(p_query text)
returns table (id uuid, d double precision)
language plpgsql stable
set search_path to pg_catalog, pg_temp
-- The vector branch's candidates through the HNSW index, always. Most frames hold no vector
-- (near-duplicates, frames without text), and the planner multiplies "embedding is not null",
-- "duplicate_of is null" and the model's filter as if unrelated: at 10M frames (3% with a
-- vector) it expected 700 rows where 333,000 matched, and read the whole table and sorted it
-- (5-7 s a search, bench/scale) instead of walking the index; with a deployment filter it
-- walked idx_frames_deployment and sorted. With sorting off for this one query, the HNSW
-- index (the only path that yields rows in distance order) is the plan; pgvector's iterative
-- scan (search_frames' hnsw.iterative_scan) keeps going past filtered-out rows.
set enable_sort = off
set enable_incremental_sort = off
as $$
-- RETURN QUERY fills the OUT columns, which the extra warnings cannot see; the query is
-- search_frames' own, built with format(%L) from its arguments (and runs as the caller):
-- @plpgsql_check_options: extra_warnings = off, security_warnings = off
begin
  return query execute p_query;
end;
$$;
comment on function pgrecall._nearest(text) is
  'Internal to search_frames: runs its vector branch (id, cosine distance; ordered by distance, limited) with sorting off, so that the HNSW index is used however the planner misjudges the filters. Runs as the caller: nothing a caller could not run itself.';

-- p_include_tombstoned (issue 11) changed the signature: the old one goes.
drop function if exists pgrecall.search_frames(text, vector, text, text, text, text, timestamptz, timestamptz, boolean, integer, text, text, text, integer);
create or replace function pgrecall.search_frames(
  p_query text default null,
  p_query_embedding vector default null,
  p_mode text default 'hybrid',
  p_deployment_id text default null,
  p_app text default null,
  p_window text default null,
  p_since timestamptz default null,
  p_until timestamptz default null,
  p_include_duplicates boolean default false,
  p_limit integer default 20,
  p_cursor text default null,
  p_sort text default 'relevance',
  p_embedding_model text default null,
  p_candidates integer default 200,
  p_include_tombstoned boolean default false
)
returns table (
  frame_id uuid,
  captured_at timestamptz,
  deployment_id text,
  app_name text,
  window_title text,
  image_ref text,
  score double precision,
  snippet text,
  matched text,
  duplicate_of uuid,
  next_cursor text
)
language plpgsql stable
set search_path to pg_catalog, pg_temp
set hnsw.ef_search = 200
set hnsw.iterative_scan = 'relaxed_order'
as $$
-- RETURN QUERY fills the OUT columns, which plpgsql_check's extra warnings cannot see:
-- @plpgsql_check_options: extra_warnings = off
declare
  v_mode text := lower(coalesce(p_mode, 'hybrid'));
  v_sort text := lower(coalesce(p_sort, 'relevance'));
  v_limit integer := coalesce(p_limit, 20);
  v_cap integer := coalesce(p_candidates, 200);
  v_dups boolean := coalesce(p_include_duplicates, false);
  v_tomb boolean := coalesce(p_include_tombstoned, false);
  v_tomb_setting text := current_setting('pgrecall.include_tombstoned', true);
  v_vector text := quote_ident(pgrecall._extension_schema('vector'));
  v_q tsquery;
  v_fp text;
  v_asof timestamptz := now();
  v_after_key text;
  v_after_id uuid;
  v_after_time timestamptz;
  -- the named fragments of the statement, in the order it uses them
  v_q_lit text;                  -- the tsquery, as a literal
  v_emb_lit text;                -- the query embedding, as a literal
  v_matchable text;              -- which canonical frames may match
  v_in_range text;               -- which frames may be returned (captured_at)
  v_fts_after text := 'true';    -- sorted by time: full-text matches older than the cursor
  v_fts text;                    -- full-text branch: id, s(core), r(ank)
  v_vec text;                    -- vector branch: id, s, r
  v_scored text;                 -- both branches fused
  v_expanded text;               -- and the near-duplicates of each, when asked for
  v_after text := 'true';        -- the cursor: rows after the previous page
  v_page_order text;
  v_page text;
  v_score text := 'p.score';     -- the score shown
  v_cursor_key text;             -- what the cursor remembers of a row
  v_result text;
begin
  perform pgrecall._search_check(v_mode, v_sort, p_since, p_until, v_limit, v_cap, p_deployment_id, p_app, p_window);
  if v_mode = 'vector' and p_query_embedding is null then
    raise exception 'vector search needs a query embedding' using errcode = '22023',
      hint = 'Pass p_query_embedding (the same model as the frames''), or use mode fts.';
  end if;
  if v_mode = 'hybrid' and p_query_embedding is null then
    v_mode := 'fts';  -- nothing to fuse with; the callers say so
  end if;
  if v_mode in ('fts', 'hybrid') then
    v_q := pgrecall.search_query(p_query);
    if v_q is null and v_mode = 'hybrid' then
      v_mode := 'vector';
    elsif v_q is null then
      v_sort := 'time';  -- nothing to rank by: list the frames the filters select, newest first
    end if;
  end if;

  v_fp := left(md5(concat_ws('|', v_mode, v_sort, v_q::text, p_query_embedding::text, p_deployment_id, p_app, p_window,
                              p_since, p_until, v_dups, p_embedding_model, v_cap, v_tomb)), 12);
  if nullif(p_cursor, '') is not null then
    select c.asof, c.key, c.id into v_asof, v_after_key, v_after_id from pgrecall._search_cursor_parts(p_cursor, v_fp) c;
  end if;

  v_q_lit := format('%L::tsquery', v_q::text);
  v_emb_lit := format('%L::%s.vector', p_query_embedding::text, v_vector);
  v_matchable := pgrecall._search_matchable(p_deployment_id, p_app, p_window, v_asof, v_tomb);
  v_in_range := pgrecall._search_in_range(p_since, p_until);
  if not v_dups then
    -- without duplicates, the frames matched are the frames shown: filter them in the branches
    v_matchable := v_matchable || ' and ' || v_in_range;
  end if;

  if v_sort = 'time' then
    v_page_order := 'at desc, id desc';
    v_cursor_key := '(extract(epoch from p.at) * 1000000)::bigint::text';
    if v_after_id is not null then
      v_after_time := timestamptz 'epoch' + v_after_key::bigint * interval '1 microsecond';
      v_after := format('(f.captured_at, e.id) < (%L::timestamptz, %L::uuid)', v_after_time, v_after_id);
      v_fts_after := format('(f.captured_at, f.id) < (%L::timestamptz, %L::uuid)', v_after_time, v_after_id);
    end if;
    if v_mode = 'fts' and v_q is not null then
      v_score := format('ts_rank_cd(f.fts, %s, 1)::float8', v_q_lit);  -- informative: the page is by time
    end if;
  else
    v_page_order := 'score desc, id';
    v_cursor_key := 'p.score::text';
    if v_after_id is not null then
      v_after := format('(e.score < %1$L::float8 or (e.score = %1$L::float8 and e.id > %2$L::uuid))', v_after_key, v_after_id);
    end if;
  end if;

  -- Full text ranks the p_candidates most recent matches (a common word matches most frames);
  -- sorted by time it walks captured_at past the cursor and ranks nothing.
  v_fts := case
    when v_mode not in ('fts', 'hybrid') then 'select null::uuid as id, null::float8 as s, null::bigint as r where false'
    else format($f$
      select x.id, x.s, row_number() over (order by x.s desc, x.id) as r
      from (select c.id, %1$s::float8 as s  -- ranked outside the limit: only the candidates are ranked
            from (select f.id, f.fts from pgrecall.frames f
                  where %2$s and %3$s and %4$s
                  order by f.captured_at desc, f.id desc
                  limit %5$s) c) x$f$,
      case when v_sort = 'time' or v_q is null then '0' else format('ts_rank_cd(c.fts, %s, 1)', v_q_lit) end,
      case when v_q is null then 'true' else format('f.fts @@ %s', v_q_lit) end,
      v_matchable, v_fts_after, v_cap)
  end;
  v_vec := case
    when v_mode not in ('vector', 'hybrid') then 'select null::uuid as id, null::float8 as s, null::bigint as r where false'
    else format($f$
      select c.id, (1 - c.d)::float8 as s, row_number() over (order by c.d, c.id) as r
      from pgrecall._nearest(%L) c$f$,
      format($n$select f.id, (f.embedding operator(%1$s.<=>) %2$s)::float8 as d from pgrecall.frames f
            where f.embedding is not null and %3$s and %4$s
            order by f.embedding operator(%1$s.<=>) %2$s
            limit %5$s$n$,
        v_vector, v_emb_lit, v_matchable,
        case when p_embedding_model is not null then format('f.embedding_model = %L', p_embedding_model) else 'true' end,
        v_cap))
  end;
  v_scored := format($f$
      select coalesce(a.id, b.id) as id, (%s)::float8 as score,
             concat_ws('+', case when a.id is not null then 'fts' end, case when b.id is not null then 'vector' end) as matched,
             null::uuid as canonical
      from fts a full join vec b on a.id = b.id$f$,
    case v_mode when 'fts' then 'a.s' when 'vector' then 'b.s'
                else 'coalesce(1.0 / (60 + a.r), 0) + coalesce(1.0 / (60 + b.r), 0)' end);  -- RRF, k = 60
  v_expanded := 'select * from scored'
    || case when v_dups then ' union all select d.id, s.score, s.matched, s.id from scored s join pgrecall.frames d on d.duplicate_of = s.id'
                             || case when not v_tomb then ' and d.tombstoned_at is null' else '' end else '' end;
  v_page := format($f$
      select e.*, f.captured_at as at from expanded e join pgrecall.frames f on f.id = e.id
      where %s and %s
      order by %s
      limit %s$f$,
    v_in_range, v_after, v_page_order, v_limit);
  v_result := format($f$
    select p.id, f.captured_at, f.deployment_id, f.app_name, f.window_title, f.image_ref, %1$s,
           pgrecall._redaction_labels(coalesce(f.redacted_at, c.redacted_at) is not null, coalesce(c.id, f.id),
             case when %2$s is not null and coalesce(f.ocr_text, c.ocr_text, '') <> ''
                  then ts_headline('english'::regconfig, pgrecall.straighten_quotes(left(coalesce(f.ocr_text, c.ocr_text), 200000)), %2$s,
                         'StartSel=«, StopSel=», MaxFragments=2, MaxWords=18, MinWords=6, FragmentDelimiter=" … "')
                  else left(coalesce(f.ocr_text, c.ocr_text, f.vision_summary, ''), 200) end),
           p.matched, f.duplicate_of,
           pgrecall._search_cursor(%3$L, %4$L::timestamptz, %5$s, p.id)
    from page p
    join pgrecall.frames f on f.id = p.id
    left join pgrecall.frames c on c.id = p.canonical
    order by %6$s$f$,
    v_score, v_q_lit, v_fp, v_asof, v_cursor_key,
    case when v_sort = 'time' then 'p.at desc, p.id desc' else 'p.score desc, p.id' end);

  -- A reader's row-level security hides tombstoned frames unless this setting is on (sql/105_forget.sql).
  if v_tomb then
    perform set_config('pgrecall.include_tombstoned', 'on', true);
  end if;
  return query execute
    'with fts as materialized (' || v_fts || '),'
    || ' vec as materialized (' || v_vec || '),'
    || ' scored as (' || v_scored || '),'
    || ' expanded as (' || v_expanded || '),'
    || ' page as (' || v_page || ') '
    || v_result;
  if v_tomb then
    perform set_config('pgrecall.include_tombstoned', coalesce(v_tomb_setting, ''), true);
  end if;
end;
$$;
comment on function pgrecall.search_frames(text, vector, text, text, text, text, timestamptz, timestamptz, boolean, integer, text, text, text, integer, boolean) is
  'Searches frames (see the README, "Search"). Modes: fts (websearch syntax, typo-tolerant, ranked by ts_rank_cd), vector (cosine similarity to p_query_embedding), '
  'hybrid (reciprocal rank fusion, k = 60, of both; without an embedding it is fts). Filters: deployment, app (case-insensitive), window '
  'title (substring), captured_at in [since, until), near-duplicates of matched frames (off by default). Relevance ranks the '
  'p_candidates most recent matches of each branch (bounding the cost of common words); sort time pages through every match by '
  'captured_at. Tombstoned (soft-forgotten) frames are left out unless p_include_tombstoned. Pass a row''s next_cursor as p_cursor for the page after it. Snippets mark matches with « ».';
