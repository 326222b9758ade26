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

create or replace function pgrecall.search_query(p_query text)
returns tsquery
language plpgsql stable
set client_min_messages = warning
as $$
declare
  v_q tsquery;
  v_lex text;
  v_alts text;
begin
  -- websearch syntax ("phrase", -word, or): never a syntax error, whatever the input.
  v_q := websearch_to_tsquery('english'::regconfig,
           translate(left(coalesce(p_query, ''), 1000), '‘’‚‛′“”„‟″', '''''''''''"""""'));
  if numnode(v_q) = 0 then
    return null;
  end if;
  -- Typo tolerance: a word no frame contains is widened to the nearest words that some frame does.
  for v_lex in
    select distinct replace(m[1], '''''', '''') from regexp_matches(v_q::text, '''((?:[^'']|'''')+)''', 'g') as m
  loop
    continue when length(v_lex) < 4 or v_lex ~ '[\\0-9]'
               or exists (select 1 from pgrecall.search_words w where w.word = v_lex);
    select string_agg(quote_literal(n.word), ' | ') into v_alts
    from (select w.word from pgrecall.search_words w
          where w.word !~ '\\'
          order by w.word operator(public.<->) v_lex
          limit 3) n
    where public.similarity(n.word, v_lex) >= 0.4;
    continue when v_alts is null;
    v_q := ts_rewrite(v_q, quote_literal(v_lex)::tsquery, (quote_literal(v_lex) || ' | ' || v_alts)::tsquery);
  end loop;
  return v_q;
end;
$$;
comment on function pgrecall.search_query(text) is
  'A search string as a tsquery: websearch syntax ("a phrase", -not, or), curly quotes straightened, at most 1,000 characters, and each word (4+ letters, no digits: numbers and ids match exactly) that no frame contains widened to up to 3 known words with trigram similarity >= 0.4 (one wrong letter). Null when nothing searchable is left.';

-- Cursors: opaque to clients, checked on the way back in.
create or replace function pgrecall._search_cursor(p_fingerprint text, p_asof timestamptz, p_key text, p_id uuid)
returns text
language sql immutable
as $$
  select translate(encode(convert_to(concat_ws('|', 'v1', p_fingerprint,
                                               (extract(epoch from p_asof) * 1000000)::bigint, p_key, p_id), 'UTF8'), 'base64'),
                   E'+/=\n', '-_')
$$;
comment on function pgrecall._search_cursor(text, timestamptz, text, uuid) is 'Internal: encodes a search position.';

create or replace function pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text,
  out asof timestamptz, out key text, out id uuid)
language plpgsql immutable
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
  p_candidates integer default 200
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
set hnsw.ef_search = 200
set hnsw.iterative_scan = 'relaxed_order'
as $$
-- RETURN QUERY fills the OUT columns, which plpgsql_check's extra warnings cannot see:
-- @plpgsql_check_options: extra_warnings = off
declare
  v_mode text := lower(coalesce(p_mode, 'hybrid'));
  v_sort text := lower(coalesce(p_sort, 'relevance'));
  v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 200);
  v_cap integer := least(greatest(coalesce(p_candidates, 200), 1), 10000);
  v_q tsquery;
  v_fp text;
  v_asof timestamptz := now();
  v_after_key text;
  v_after_id uuid;
  v_after_time timestamptz;
  v_match text := '';   -- filters on the matched (canonical) frames
  v_shown text := '';   -- filters on the frames returned
  v_window text;
  v_sql text;
begin
  if v_mode not in ('fts', 'vector', 'hybrid') then
    raise exception 'unknown search mode "%"', p_mode using errcode = '22023', hint = 'Modes are fts, vector and hybrid.';
  end if;
  if v_sort not in ('relevance', 'time') then
    raise exception 'unknown sort "%"', p_sort using errcode = '22023', hint = 'Sorts are relevance and time.';
  end if;
  if p_since is not null and p_until is not null and p_since > p_until then
    raise exception 'since (%) is after until (%)', p_since, p_until using errcode = '22023';
  end if;
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
                              p_since, p_until, p_include_duplicates, p_embedding_model, v_cap)), 12);
  if p_cursor is not null and p_cursor <> '' then
    select c.asof, c.key, c.id into v_asof, v_after_key, v_after_id from pgrecall._search_cursor_parts(p_cursor, v_fp) c;
  end if;

  -- Filters, as SQL text with parameters ($n, see USING below): no user input is ever spliced in.
  -- Frames whose searchable state changed after the first page are left out of later pages,
  -- so pages neither repeat nor skip while frames arrive.
  v_match := ' and f.duplicate_of is null and greatest(f.inserted_at, f.ocr_at, f.vision_at, f.embedding_at) <= $8';
  if p_deployment_id is not null then v_match := v_match || ' and f.deployment_id = $3'; end if;
  if p_app is not null then v_match := v_match || ' and lower(f.app_name) = lower($4)'; end if;
  if p_window is not null then
    v_window := '%' || replace(replace(replace(p_window, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    v_match := v_match || ' and f.window_title ilike $5';
  end if;
  if p_since is not null then v_shown := v_shown || ' and f.captured_at >= $6'; end if;
  if p_until is not null then v_shown := v_shown || ' and f.captured_at < $7'; end if;
  if not coalesce(p_include_duplicates, false) then
    v_match := v_match || v_shown;
  end if;

  if v_after_id is not null and v_sort = 'time' then
    v_after_time := timestamptz 'epoch' + v_after_key::bigint * interval '1 microsecond';
  end if;

  v_sql := format($q$
    with
    fts as materialized (
      select x.id, x.s, row_number() over (order by x.s desc, x.id) as r
      from (select c.id, %14$s::float8 as s
            from (select f.id, f.fts from pgrecall.frames f
                  where %1$s %2$s %12$s
                  order by f.captured_at desc, f.id desc
                  limit $9) c) x
    ),
    vec as materialized (
      select c.id, (1 - c.d)::float8 as s, row_number() over (order by c.d, c.id) as r
      from (select f.id, f.embedding <=> $2 as d from pgrecall.frames f
            where %3$s and f.embedding is not null %2$s %4$s
            order by f.embedding <=> $2
            limit $9) c
    ),
    scored as (
      select coalesce(a.id, b.id) as id,
             case %5$L when 'fts' then a.s when 'vector' then b.s
                  else coalesce(1.0 / (60 + a.r), 0) + coalesce(1.0 / (60 + b.r), 0) end::float8 as score,
             concat_ws('+', case when a.id is not null then 'fts' end, case when b.id is not null then 'vector' end) as matched,
             null::uuid as canonical
      from fts a full join vec b on a.id = b.id
    ),
    expanded as (
      select * from scored
      union all
      select d.id, s.score, s.matched, s.id from scored s join pgrecall.frames d on d.duplicate_of = s.id
      where %6$s
    ),
    page as (
      select e.*, f.captured_at as at from expanded e join pgrecall.frames f on f.id = e.id
      where true %7$s %8$s
      order by %9$s
      limit %10$s
    )
    select p.id, f.captured_at, f.deployment_id, f.app_name, f.window_title, f.image_ref, %15$s,
           case when $1 is not null and coalesce(f.ocr_text, c.ocr_text, '') <> ''
                then ts_headline('english'::regconfig,
                       translate(left(coalesce(f.ocr_text, c.ocr_text), 200000), '‘’‚‛′“”„‟″', '''''''''''"""""'), $1,
                       'StartSel=«, StopSel=», MaxFragments=2, MaxWords=18, MinWords=6, FragmentDelimiter=" … "')
                else left(coalesce(f.ocr_text, c.ocr_text, f.vision_summary, ''), 200) end,
           p.matched, f.duplicate_of,
           pgrecall._search_cursor($10, $8, %11$s, p.id)
    from page p
    join pgrecall.frames f on f.id = p.id
    left join pgrecall.frames c on c.id = p.canonical
    order by %13$s
    $q$,
    /* 1 */ case when v_mode not in ('fts', 'hybrid') then 'false' when v_q is null then 'true' else 'f.fts @@ $1' end,
    /* 2 */ v_match,
    /* 3 */ case when v_mode in ('vector', 'hybrid') then 'true' else 'false' end,
    /* 4 */ case when p_embedding_model is not null then ' and f.embedding_model = $11' else '' end,
    /* 5 */ v_mode,
    /* 6 */ case when coalesce(p_include_duplicates, false) then 'true' else 'false' end,
    /* 7 */ v_shown,
    /* 8 */ case when v_after_id is null then ''
                 when v_sort = 'time' then ' and (f.captured_at, e.id) < ($14, $13)'
                 else ' and (e.score < $12::float8 or (e.score = $12::float8 and e.id > $13))' end,
    /* 9 */ case when v_sort = 'time' then 'at desc, id desc' else 'score desc, id' end,
    /* 10 */ v_limit,
    /* 11 */ case when v_sort = 'time' then '(extract(epoch from p.at) * 1000000)::bigint::text' else 'p.score::text' end,
    /* 12 */ case when v_after_id is not null and v_sort = 'time' then ' and (f.captured_at, f.id) < ($14, $13)' else '' end,
    /* 13 */ case when v_sort = 'time' then 'p.at desc, p.id desc' else 'p.score desc, p.id' end,
    -- Sorted by time, full text ranks only the rows of the page (score is then informative).
    /* 14 */ case when v_sort = 'time' or v_q is null then '0' else 'ts_rank_cd(c.fts, $1, 1)' end,
    /* 15 */ case when v_sort = 'time' and v_mode = 'fts' and v_q is not null then 'ts_rank_cd(f.fts, $1, 1)::float8' else 'p.score' end
  );
  return query execute v_sql
    using v_q, p_query_embedding, p_deployment_id, p_app, v_window, p_since, p_until, v_asof, v_cap, v_fp,
          p_embedding_model, v_after_key, v_after_id, v_after_time;
end;
$$;
comment on function pgrecall.search_frames(text, vector, text, text, text, text, timestamptz, timestamptz, boolean, integer, text, text, text, integer) is
  'Searches frames (see the README, "Search"). Modes: fts (websearch syntax, typo-tolerant, ranked by ts_rank_cd), vector (cosine similarity to p_query_embedding), '
  'hybrid (reciprocal rank fusion, k = 60, of both; without an embedding it is fts). Filters: deployment, app (case-insensitive), window '
  'title (substring), captured_at in [since, until), near-duplicates of matched frames (off by default). Relevance ranks the '
  'p_candidates most recent matches of each branch (bounding the cost of common words); sort time pages through every match by '
  'captured_at. Pass a row''s next_cursor as p_cursor for the page after it. Snippets mark matches with « ».';
