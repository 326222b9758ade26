-- Schema pgrecall as migrations/ and sql/ make it: pg_dump 15 --schema-only --schema=pgrecall
-- --no-owner of a database migrated from nothing, normalized. Generated, do not edit:
-- regenerate with `npm run schema:dump` (or PGRECALL_SCHEMA_DUMP=1 pgrecall migrate).

--
-- Name: pgrecall; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA pgrecall;


--
-- Name: SCHEMA pgrecall; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA pgrecall IS 'pgrecall: screen memory. Insert into pgrecall.frames; read the pending_* views and pgrecall.pipeline.';


--
-- Name: _add_jobs(text[], uuid[], text[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._add_jobs(p_stages text[], p_frame_ids uuid[], p_deployment_ids text[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_specs graphile_worker.job_spec[];
begin
  select array_agg(row(
           j.stage,
           json_build_object('frame_id', j.frame_id),
           null, null,
           coalesce(s.job_max_attempts, d.job_max_attempts),
           pgrecall.job_key(j.stage, j.frame_id),
           null, null
         )::graphile_worker.job_spec)
    into v_specs
  from unnest(p_stages, p_frame_ids, p_deployment_ids) as j(stage, frame_id, deployment_id)
  cross join (select job_max_attempts from pgrecall.settings where deployment_id = '*') as d
  left join pgrecall.settings s on s.deployment_id = j.deployment_id;
  if v_specs is null then
    return 0;
  end if;
  perform graphile_worker.add_jobs(v_specs);
  return cardinality(v_specs);
end;
$$;


--
-- Name: FUNCTION _add_jobs(p_stages text[], p_frame_ids uuid[], p_deployment_ids text[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._add_jobs(p_stages text[], p_frame_ids uuid[], p_deployment_ids text[]) IS 'Internal: queue one graphile-worker job per (stage, frame) in a single add_jobs call, keyed per frame and stage.';


--
-- Name: _check_regex(text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._check_regex(p_regex text, p_what text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _check_regex(p_regex text, p_what text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) IS 'Internal: raises 2201B with PostgreSQL''s reason when a rule''s regex does not compile.';


--
-- Name: _extension_schema(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._extension_schema(p_extension text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select n.nspname::text from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = p_extension $$;


--
-- Name: FUNCTION _extension_schema(p_extension text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._extension_schema(p_extension text) IS 'Internal: the schema an extension (vector, pg_trgm) was installed in, for queries that name its operators.';


--
-- Name: _find_near_duplicate(text, timestamp with time zone, bigint, bigint[], uuid); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[] DEFAULT NULL::bigint[], p_exclude uuid DEFAULT NULL::uuid, OUT frame_id uuid, OUT distance integer) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_threshold smallint;
  v_window interval;
  v_history smallint;
  v_tile_bits smallint;
  v_tile_max smallint;
  v_tiles bigint[];
begin
  if p_phash is null then
    return;
  end if;

  -- 1. The screen just before: most near-duplicates repeat it, and one index probe settles them.
  --    Settings come in the same query: one trip through SPI per frame on this path.
  select st.phash_threshold, st.recent_window, st.history_threshold, st.tile_bit_threshold, st.tile_max_changed,
         f.id, pgrecall.hamming(f.phash, p_phash), f.tile_hashes
    into v_threshold, v_window, v_history, v_tile_bits, v_tile_max, frame_id, distance, v_tiles
  from pgrecall.settings_for(p_deployment_id) st
  left join lateral (
    select f.id, f.phash, f.tile_hashes
    from pgrecall.frames f
    where f.deployment_id = p_deployment_id
      and f.duplicate_of is null
      and f.phash is not null
      and f.captured_at >= p_captured_at - st.recent_window
      and f.captured_at <= p_captured_at
      and f.id is distinct from p_exclude
    order by f.captured_at desc
    limit 1
  ) f on true;
  -- tiles_changed is strict: no tiles on either side means phash-only.
  if frame_id is not null and distance <= v_threshold
     and coalesce(pgrecall.tiles_changed(v_tiles, p_tile_hashes, v_tile_bits) <= v_tile_max, true) then
    return;
  end if;
  frame_id := null;
  distance := null;

  -- 2. Multi-index hashing over the whole history: six bands, so any frame within 5 bits
  --    agrees with this one exactly on at least one band, and each band is an index probe.
  --    Within the recent window phash_threshold applies, before it history_threshold; a
  --    match in the window beats one before it, then the closest, then the most recent.
  select c.id, pgrecall.hamming(c.phash, p_phash)
    into frame_id, distance
  from (
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null
      and f.phash_prefix between ((p_phash >> 53) * 32)::smallint and ((p_phash >> 53) * 32 + 31)::smallint
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null
      and ((f.phash >> 42) & 2047) = ((p_phash >> 42) & 2047)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null
      and ((f.phash >> 31) & 2047) = ((p_phash >> 31) & 2047)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null
      and ((f.phash >> 21) & 1023) = ((p_phash >> 21) & 1023)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null
      and ((f.phash >> 11) & 1023) = ((p_phash >> 11) & 1023)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null
      and (f.phash & 2047) = (p_phash & 2047)
    offset 0 -- a fence: the filters below must not tempt the planner into a time-ordered scan
  ) c
  where c.captured_at <= p_captured_at
    and c.id is distinct from p_exclude
    and pgrecall.hamming(c.phash, p_phash)
        <= case when c.captured_at >= p_captured_at - v_window then v_threshold else v_history end
    and (p_tile_hashes is null or c.tile_hashes is null
         or pgrecall.tiles_changed(c.tile_hashes, p_tile_hashes, v_tile_bits) <= v_tile_max)
  order by c.captured_at >= p_captured_at - v_window desc, 2, c.captured_at desc
  limit 1;
  if frame_id is not null or v_threshold <= 5 then
    return;
  end if;

  -- 3. A phash_threshold above 5 is beyond what six bands guarantee: compare every
  --    canonical frame of the recent window (idx_frames_dedup_window).
  select f.id, pgrecall.hamming(f.phash, p_phash)
    into frame_id, distance
  from pgrecall.frames f
  where f.deployment_id = p_deployment_id
    and f.duplicate_of is null
    and f.phash is not null
    and f.captured_at >= p_captured_at - v_window
    and f.captured_at <= p_captured_at
    and f.id is distinct from p_exclude
    and pgrecall.hamming(f.phash, p_phash) <= v_threshold
    and (p_tile_hashes is null or f.tile_hashes is null
         or pgrecall.tiles_changed(f.tile_hashes, p_tile_hashes, v_tile_bits) <= v_tile_max)
  order by 2, f.captured_at desc
  limit 1;
end;
$$;


--
-- Name: FUNCTION _find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) IS 'Internal: find_near_duplicate without its plan setting; the dedup trigger calls it under the statement''s plan guard.';


--
-- Name: frames; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.frames (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    deployment_id text NOT NULL,
    captured_at timestamp with time zone DEFAULT now() NOT NULL,
    phash bigint,
    phash_prefix smallint,
    image_ref text,
    window_title text,
    app_name text,
    ocr_status smallint DEFAULT 0 NOT NULL,
    ocr_text text,
    vision_status smallint DEFAULT 0 NOT NULL,
    vision_summary text,
    embedding_status smallint DEFAULT 0 NOT NULL,
    embedding public.vector(384),
    inserted_at timestamp with time zone DEFAULT now() NOT NULL,
    tile_hashes bigint[],
    duplicate_of uuid,
    duplicate_distance smallint,
    hash_status smallint DEFAULT 0 NOT NULL,
    hash_message text,
    hash_at timestamp with time zone,
    ocr_message text,
    ocr_at timestamp with time zone,
    vision_message text,
    vision_at timestamp with time zone,
    embedding_message text,
    embedding_at timestamp with time zone,
    ocr_confidence real,
    ocr_words jsonb,
    embedding_model text,
    fts tsvector GENERATED ALWAYS AS (((setweight(to_tsvector('english'::regconfig, "left"(((COALESCE(window_title, ''::text) || ' '::text) || COALESCE(app_name, ''::text)), 2000)), 'A'::"char") || setweight(to_tsvector('english'::regconfig, "left"(COALESCE(vision_summary, ''::text), 20000)), 'B'::"char")) || setweight(to_tsvector('english'::regconfig, translate("left"(COALESCE(ocr_text, ''::text), 200000), '‘’‚‛′“”„‟″'::text, '''''''''''"""""'::text)), 'C'::"char"))) STORED,
    capture_key text,
    excluded_by text,
    redacted_at timestamp with time zone,
    CONSTRAINT frames_capture_key_check CHECK (((length(capture_key) >= 1) AND (length(capture_key) <= 300))),
    CONSTRAINT frames_deployment_id_check CHECK (((length(deployment_id) >= 1) AND (length(deployment_id) <= 200))),
    CONSTRAINT frames_duplicate_check CHECK (((duplicate_of IS NULL) OR (duplicate_of <> id))),
    CONSTRAINT frames_embedding_status_check CHECK (((embedding_status >= 0) AND (embedding_status <= 3))),
    CONSTRAINT frames_hash_status_check CHECK (((hash_status >= 0) AND (hash_status <= 3))),
    CONSTRAINT frames_ocr_status_check CHECK (((ocr_status >= 0) AND (ocr_status <= 3))),
    CONSTRAINT frames_tile_hashes_check CHECK (((tile_hashes IS NULL) OR ((array_ndims(tile_hashes) = 1) AND (cardinality(tile_hashes) = 64)))),
    CONSTRAINT frames_vision_status_check CHECK (((vision_status >= 0) AND (vision_status <= 3)))
);


--
-- Name: TABLE frames; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.frames IS 'One row per screenshot. Insert with any Postgres client; triggers dedup it and queue its work. Status codes: 0 pending, 1 done, 2 error, 3 skipped.';


--
-- Name: COLUMN frames.phash; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.phash IS '64-bit perceptual hash (sharp-phash, as a signed bigint). Null at insert queues a hash job that fills it.';


--
-- Name: COLUMN frames.phash_prefix; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.phash_prefix IS 'Top 16 bits of phash, kept by trigger (seed 000). It is also band 0 of the multi-index hash used by the dedup lookup.';


--
-- Name: COLUMN frames.ocr_status; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.ocr_status IS 'OCR stage: 0 pending, 1 done, 2 error, 3 skipped (near-duplicate).';


--
-- Name: COLUMN frames.vision_status; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.vision_status IS 'Vision stage: 0 pending, 1 done, 2 error, 3 skipped (near-duplicate, or no provider).';


--
-- Name: COLUMN frames.embedding_status; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.embedding_status IS 'Embedding stage: 0 pending (runs after OCR is done), 1 done, 2 error, 3 skipped.';


--
-- Name: COLUMN frames.inserted_at; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.inserted_at IS 'When the row arrived. captured_at may be far in the past (imports), so queue ages are measured from this.';


--
-- Name: COLUMN frames.tile_hashes; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.tile_hashes IS 'Optional 8x8 grid (row-major, 64 tiles) of 64-bit ink maps, one per tile, from the same pass as phash. Lets dedup tell typed text (tiles change) from a blinking cursor or a clock tick (no tile changes enough). Null: phash-only dedup.';


--
-- Name: COLUMN frames.duplicate_of; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.duplicate_of IS 'The earlier, non-duplicate frame this one repeats. Its stages are skipped (3), the row is kept so the capture history stays complete.';


--
-- Name: COLUMN frames.duplicate_distance; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.duplicate_distance IS 'Hamming distance between this phash and that of duplicate_of.';


--
-- Name: COLUMN frames.hash_status; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.hash_status IS 'Hash stage (an addition: it can fail on a bad image like any other stage): 0 pending, 1 done (also when the client supplied phash), 2 error.';


--
-- Name: COLUMN frames.hash_message; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.hash_message IS 'Why the hash stage ended in error; null otherwise.';


--
-- Name: COLUMN frames.hash_at; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.hash_at IS 'When the hash stage reached its final status.';


--
-- Name: COLUMN frames.ocr_message; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.ocr_message IS 'Why OCR ended in error (2) or was skipped (3); null otherwise.';


--
-- Name: COLUMN frames.ocr_at; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.ocr_at IS 'When OCR reached its final status.';


--
-- Name: COLUMN frames.vision_message; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.vision_message IS 'Why vision ended in error (2) or was skipped (3); null otherwise.';


--
-- Name: COLUMN frames.vision_at; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.vision_at IS 'When vision reached its final status.';


--
-- Name: COLUMN frames.embedding_message; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.embedding_message IS 'Why embedding ended in error (2) or was skipped (3); null otherwise.';


--
-- Name: COLUMN frames.embedding_at; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.embedding_at IS 'When embedding reached its final status.';


--
-- Name: COLUMN frames.ocr_confidence; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.ocr_confidence IS 'Mean word confidence of the OCR text, 0-100.';


--
-- Name: COLUMN frames.ocr_words; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.ocr_words IS 'OCR words as [{t: text, c: confidence, b: [x0, y0, x1, y1], o: offset into ocr_text}], so highlights and redaction need no second OCR.';


--
-- Name: COLUMN frames.embedding_model; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.embedding_model IS 'Which model produced embedding (e.g. Xenova/all-MiniLM-L6-v2): vectors from different models are not comparable, so search and re-embedding can tell them apart.';


--
-- Name: COLUMN frames.fts; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.fts IS 'Full-text document: window title + app (weight A), vision summary (B), OCR text with curly quotes straightened (C). Generated; never written directly.';


--
-- Name: COLUMN frames.capture_key; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.capture_key IS 'Optional idempotency key chosen by the client: unique per deployment and captured_at, so a capture retried or ingested twice is stored once (pgrecall.insert_frame).';


--
-- Name: COLUMN frames.excluded_by; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.excluded_by IS 'Set when an exclusion rule matched at insert (its reason and id): the frame keeps only its time, deployment and app; image, title and hashes were dropped and every stage skipped.';


--
-- Name: COLUMN frames.redacted_at; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.redacted_at IS 'When secrets were found on the frame and its text and image redacted (findings in pgrecall.secrets). A later capture of the same screen is not taken for its near-duplicate: it is OCRed and redacted itself.';


--
-- Name: _finish_stage(uuid, text, smallint, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text) RETURNS pgrecall.frames
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
-- The stage's columns are named by the registry, so the update is dynamic (format %I) and
-- plpgsql_check cannot see its result:
-- @plpgsql_check_options: other_warnings = off
declare
  v_stage text := pgrecall._stage(p_stage);
  v_frame pgrecall.frames;
begin
  if p_status not in (2, 3) then
    raise exception 'internal: _finish_stage sets error (2) or skipped (3), not %', p_status;
  end if;
  if p_status = 3 and not (select s.skippable from pgrecall.stages s where s.stage = v_stage) then
    raise exception 'the % stage cannot be skipped (frame %)', v_stage, p_frame_id
      using errcode = '22023', hint = 'Record a failure with pgrecall.frame_stage_failed.';
  end if;
  if nullif(btrim(p_message), '') is null then
    raise exception 'a % of % needs a message saying why (frame %)',
        case p_status when 2 then 'failure' else 'skip' end, v_stage, p_frame_id
      using errcode = '22023';
  end if;
  execute format('update pgrecall.frames f set %1$I = $2, %2$I = left($3, 4000), %3$I = now()
                  where f.id = $1 and f.%1$I = 0 returning f.*', v_stage || '_status', v_stage || '_message', v_stage || '_at')
    into v_frame using p_frame_id, p_status, p_message;
  if v_frame.id is null then
    perform pgrecall._raise_illegal(p_frame_id, v_stage, case p_status when 2 then 'fail' else 'skip' end);
  end if;
  return v_frame;
end;
$_$;


--
-- Name: FUNCTION _finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text) IS 'Internal: moves a pending stage to error (2) or skipped (3) with its message (capped at 4000 chars).';


--
-- Name: _learn_words(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._learn_words() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  insert into pgrecall.search_words (word)
  select w from unnest(tsvector_to_array(new.fts)) as w
  on conflict do nothing;
  return null;
end;
$$;


--
-- Name: FUNCTION _learn_words(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._learn_words() IS 'Internal trigger: adds a frame''s lexemes to pgrecall.search_words.';


--
-- Name: _nearest_words(text, integer, real); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) RETURNS SETOF text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
begin
  -- pg_trgm lives wherever it was installed: its operator and function are named by that schema.
  return query execute format(
    $q$select w.word from (select w.word from pgrecall.search_words w where w.word !~ '\\'
                           order by w.word operator(%1$I.<->) $1 limit $2) w
       where %1$I.similarity(w.word, $1) >= $3$q$,
    pgrecall._extension_schema('pg_trgm'))
  using p_word, p_count, p_min_similarity;
end;
$_$;


--
-- Name: FUNCTION _nearest_words(p_word text, p_count integer, p_min_similarity real); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) IS 'Internal: up to p_count words of the vocabulary closest to p_word by trigram distance, at least p_min_similarity similar.';


--
-- Name: _raise_illegal(uuid, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_status smallint;
begin
  select pgrecall._stage_status(f, p_stage)
    into v_status
  from pgrecall.frames f where f.id = p_frame_id;
  if v_status is null then
    raise exception 'frame % does not exist', p_frame_id using errcode = 'P0002';
  end if;
  raise exception 'cannot % % of frame %: its % status is % (%)',
      p_action, p_stage, p_frame_id, p_stage, v_status, pgrecall.status_name(v_status)
    using errcode = '55000',
          hint = case when p_action = 'requeue' then 'Only a failed (2) or skipped (3) stage, and not one a near-duplicate or an exclusion rule skipped, can be requeued.'
                      else 'Only a pending (0) stage can be finished. To run it again, requeue it first.' end;
end;
$$;


--
-- Name: FUNCTION _raise_illegal(p_frame_id uuid, p_stage text, p_action text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) IS 'Internal: raises the precise error for a transition that is not allowed.';


--
-- Name: _redaction_labels(boolean, uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) IS 'Internal: a snippet of a redacted frame with each masked run shown as [redacted: <kinds found on the frame>].';


--
-- Name: _requeue_status(smallint, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
-- Its fragments are built from registry names with format %I and the values are parameters
-- ($1, $2), which plpgsql_check cannot see through:
-- @plpgsql_check_options: security_warnings = off
declare
  v_stage text := case when p_stage is not null then pgrecall._stage(p_stage) end;
  v_flags text;    -- (f.ocr_status = $1 and f.duplicate_of is null) as r_ocr, …
  v_sets text;     -- ocr_status = case when t.r_ocr then 0 else f.ocr_status end, …
  v_count text;    -- t.r_hash::int + …
  v_where text;    -- (f.hash_status = $1) or (f.ocr_status = $1 and f.duplicate_of is null) or …
  v_n integer;
begin
  -- One statement for every frame and stage: one trigger firing, one add_jobs call.
  -- Near-duplicates keep the stages they skipped; excluded frames keep everything skipped.
  select string_agg(format('(f.%I = $1%s) as %I', s.stage || '_status',
                           case when s.skip_duplicates then ' and f.duplicate_of is null' else '' end, 'r_' || s.stage), ', '),
         string_agg(format('%1$I = case when t.%4$I then 0 else f.%1$I end, %2$I = case when t.%4$I then null else f.%2$I end, '
                           '%3$I = case when t.%4$I then null else f.%3$I end',
                           s.stage || '_status', s.stage || '_message', s.stage || '_at', 'r_' || s.stage), ', '),
         string_agg(format('t.%I::int', 'r_' || s.stage), ' + '),
         string_agg(format('(f.%I = $1%s)', s.stage || '_status',
                           case when s.skip_duplicates then ' and f.duplicate_of is null' else '' end), ' or ')
    into v_flags, v_sets, v_count, v_where
  from pgrecall.stages s
  where v_stage is null or s.stage = v_stage;

  execute format($q$
    with target as (
      select f.id, %1$s from pgrecall.frames f
      where ($2::text is null or f.deployment_id = $2) and f.excluded_by is null and (%4$s)
      for update of f
    ),
    requeued as (
      update pgrecall.frames f set %2$s
      from target t
      where f.id = t.id
      returning %3$s as n
    )
    select coalesce(sum(n), 0)::integer from requeued $q$, v_flags, v_sets, v_count, v_where)
    into v_n using p_status, p_deployment_id;
  return v_n;
end;
$_$;


--
-- Name: FUNCTION _requeue_status(p_status smallint, p_stage text, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) IS 'Internal: requeues, in one statement, every frame whose stage (or every stage, when null) has the given status; near-duplicates stay skipped.';


--
-- Name: _search_check(text, text, timestamp with time zone, timestamp with time zone, integer, integer, text, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text) IS 'Internal: the rules for search_frames'' parameters, one place. Raises 22023 with the parameter in the error''s COLUMN field.';


--
-- Name: _search_cursor(text, timestamp with time zone, text, uuid); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select translate(encode(convert_to(concat_ws('|', 'v1', p_fingerprint,
                                               (extract(epoch from p_asof) * 1000000)::bigint, p_key, p_id), 'UTF8'), 'base64'),
                   E'+/=\n', '-_')
$$;


--
-- Name: FUNCTION _search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid) IS 'Internal: encodes a search position.';


--
-- Name: _search_cursor_parts(text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid) RETURNS record
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid) IS 'Internal: decodes and checks a search cursor.';


--
-- Name: _search_in_range(timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._search_in_range(p_since timestamp with time zone, p_until timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select concat('true',
    case when p_since is not null then format(' and f.captured_at >= %L::timestamptz', p_since) end,
    case when p_until is not null then format(' and f.captured_at < %L::timestamptz', p_until) end)
$$;


--
-- Name: FUNCTION _search_in_range(p_since timestamp with time zone, p_until timestamp with time zone); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._search_in_range(p_since timestamp with time zone, p_until timestamp with time zone) IS 'Internal: the condition on captured_at of the frames a search returns.';


--
-- Name: _search_matchable(text, text, text, timestamp with time zone); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- Frames whose searchable state changed after the first page are left out of later pages,
  -- so pages neither repeat nor skip while frames arrive.
  select concat(
    format('f.duplicate_of is null and greatest(f.inserted_at, f.ocr_at, f.vision_at, f.embedding_at) <= %L::timestamptz', p_asof),
    case when p_deployment_id is not null then format(' and f.deployment_id = %L', p_deployment_id) end,
    case when p_app is not null then format(' and lower(f.app_name) = lower(%L)', p_app) end,
    case when p_window is not null
         then format(' and f.window_title ilike %L', '%' || replace(replace(replace(p_window, '\', '\\'), '%', '\%'), '_', '\_') || '%') end)
$$;


--
-- Name: FUNCTION _search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone) IS 'Internal: the condition on the canonical frames a search may match (deployment, app, window title substring, as of the first page).';


--
-- Name: _sets_pipeline_columns(pgrecall.frames); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._sets_pipeline_columns(f pgrecall.frames) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ select f.hash_status <> 0 or f.ocr_status <> 0 or f.vision_status <> 0 or f.embedding_status <> 0 or num_nonnulls(f.duplicate_of, f.duplicate_distance, f.hash_message, f.hash_at, f.ocr_message, f.ocr_at, f.ocr_text, f.ocr_words, f.ocr_confidence, f.vision_message, f.vision_at, f.vision_summary, f.embedding_message, f.embedding_at, f.embedding, f.embedding_model) > 0 $$;


--
-- Name: FUNCTION _sets_pipeline_columns(f pgrecall.frames); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._sets_pipeline_columns(f pgrecall.frames) IS 'Internal, generated from pgrecall.stages: whether a row sets a column only the pipeline writes (a stage''s status, message, time or results; duplicate_of, duplicate_distance).';


--
-- Name: _stage(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._stage(p_stage text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_stage text;
begin
  -- A stage may be named by itself or by its task (embedding / embed).
  select s.stage into v_stage from pgrecall.stages s where p_stage in (s.stage, s.task);
  if v_stage is null then
    raise exception 'unknown stage "%"', p_stage
      using errcode = '22023',
            hint = 'Stages are ' || (select string_agg(s.stage, ', ' order by s.position) from pgrecall.stages s) || '.';
  end if;
  return v_stage;
end;
$$;


--
-- Name: FUNCTION _stage(p_stage text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._stage(p_stage text) IS 'Internal: the registry''s name of a stage, given it or its task (embed is the embedding stage); raises on anything else.';


--
-- Name: _stage_prereq(pgrecall.frames, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._stage_prereq(f pgrecall.frames, p_stage text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ select case p_stage when 'hash' then 'ready' when 'ocr' then case when f.hash_status in (2, 3) then 'failed' when f.hash_status = 1 then 'ready' else 'waiting' end when 'vision' then case when f.hash_status in (2, 3) or f.ocr_status in (2, 3) then 'failed' when f.hash_status = 1 and f.ocr_status = 1 then 'ready' else 'waiting' end when 'embedding' then case when f.hash_status in (2, 3) or f.ocr_status in (2, 3) then 'failed' when f.hash_status = 1 and f.ocr_status = 1 then 'ready' else 'waiting' end end $$;


--
-- Name: FUNCTION _stage_prereq(f pgrecall.frames, p_stage text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._stage_prereq(f pgrecall.frames, p_stage text) IS 'Internal, generated from pgrecall.stages: whether the stages this one waits for are all done (ready), one failed or was skipped (failed), or not yet (waiting).';


--
-- Name: _stage_status(pgrecall.frames, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._stage_status(f pgrecall.frames, p_stage text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ select case p_stage when 'hash' then f.hash_status when 'ocr' then f.ocr_status when 'vision' then f.vision_status when 'embedding' then f.embedding_status end $$;


--
-- Name: FUNCTION _stage_status(f pgrecall.frames, p_stage text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._stage_status(f pgrecall.frames, p_stage text) IS 'Internal, generated from pgrecall.stages: the status of one stage of a frame.';


--
-- Name: embedding_input(text, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select left(concat_ws(E'\n', nullif(btrim(p_window_title), ''), nullif(btrim(p_app_name), ''), nullif(btrim(p_ocr_text), '')), 8192)
$$;


--
-- Name: FUNCTION embedding_input(p_window_title text, p_app_name text, p_ocr_text text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text) IS 'The text a frame''s embedding is made from: window title, app, OCR text, one per line, capped at 8192 characters (the model truncates further to its token limit).';


--
-- Name: enqueue_pending(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.enqueue_pending(p_deployment_id text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  -- Skips stages whose job is running or still has attempts left: re-adding a running
  -- job's key would start the work twice. An exhausted job is reset by add_jobs.
  return (
    select pgrecall._add_jobs(array_agg(w.stage), array_agg(f.id), array_agg(f.deployment_id))
    from pgrecall.frames f
    cross join lateral unnest(pgrecall.stages_wanted(f)) as w(stage)
    where (p_deployment_id is null or f.deployment_id = p_deployment_id)
      and not exists (
        select 1 from graphile_worker.jobs j
        where j.key = pgrecall.job_key(w.stage, f.id)
          and (j.locked_at is not null or j.attempts < j.max_attempts)
      )
  );
end;
$$;


--
-- Name: FUNCTION enqueue_pending(p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.enqueue_pending(p_deployment_id text) IS 'Queues a job for every pending stage that has none (after jobs were deleted or exhausted their attempts). Returns how many were queued.';


--
-- Name: exclusion_for(text, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.exclusion_for(p_deployment_id text, p_app_name text, p_window_title text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
  select format('%s (exclusion %s)', e.reason, e.id)
  from pgrecall.exclusions e
  where (e.deployment_id is null or e.deployment_id = p_deployment_id)
    and (e.app_regex is null or coalesce(p_app_name, '') ~* e.app_regex)
    and (e.title_regex is null or coalesce(p_window_title, '') ~* e.title_regex)
  order by e.id
  limit 1
$$;


--
-- Name: FUNCTION exclusion_for(p_deployment_id text, p_app_name text, p_window_title text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.exclusion_for(p_deployment_id text, p_app_name text, p_window_title text) IS 'The first exclusion rule a screen of this deployment, app and window title matches, as "reason (exclusion id)", or null. Capture clients ask before storing an image; the insert trigger applies it anyway.';


--
-- Name: find_near_duplicate(text, timestamp with time zone, bigint, bigint[], uuid); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[] DEFAULT NULL::bigint[], p_exclude uuid DEFAULT NULL::uuid, OUT frame_id uuid, OUT distance integer) RETURNS record
    LANGUAGE sql STABLE
    SET plan_cache_mode TO 'force_generic_plan'
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select * from pgrecall._find_near_duplicate(p_deployment_id, p_captured_at, p_phash, p_tile_hashes, p_exclude) $$;


--
-- Name: FUNCTION find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) IS 'The canonical frame of the deployment that a frame with this phash (and tile hashes) repeats, and the distance: the screen just before if it is within phash_threshold, else the closest within phash_threshold in the recent window, else the closest before the window within history_threshold. Null: new content.';


--
-- Name: frame_embedding_done(uuid, public.vector, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text) RETURNS pgrecall.frames
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_frame pgrecall.frames;
begin
  if p_embedding is null then
    raise exception 'frame_embedding_done needs an embedding (frame %)', p_frame_id using errcode = '22004';
  end if;
  if nullif(btrim(p_model), '') is null then
    raise exception 'frame_embedding_done needs the model that made the embedding (frame %)', p_frame_id
      using errcode = '22004', hint = 'Vectors from different models are not comparable; record which one this is.';
  end if;
  update pgrecall.frames
     set embedding = p_embedding, embedding_model = p_model,
         embedding_status = 1, embedding_message = null, embedding_at = now()
   where id = p_frame_id and embedding_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'embedding', 'complete');
  end if;
  return v_frame;
end;
$$;


--
-- Name: FUNCTION frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text) IS 'Records a frame''s text embedding (384 dimensions; another size is rejected by the column type) and the model that made it.';


--
-- Name: frame_embedding_failed(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.frame_stage_failed(p_frame_id, 'embedding', p_message) $$;


--
-- Name: FUNCTION frame_embedding_failed(p_frame_id uuid, p_message text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text) IS 'Records that the embedding stage failed for good (generated from pgrecall.stages).';


--
-- Name: frame_embedding_skipped(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.frame_stage_skipped(p_frame_id, 'embedding', p_reason) $$;


--
-- Name: FUNCTION frame_embedding_skipped(p_frame_id uuid, p_reason text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text) IS 'Records that the embedding stage will not run, and why (generated from pgrecall.stages).';


--
-- Name: frame_hash_done(uuid, bigint, bigint[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[] DEFAULT NULL::bigint[]) RETURNS pgrecall.frames
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_frame pgrecall.frames;
begin
  if p_phash is null then
    raise exception 'frame_hash_done needs a phash (frame %)', p_frame_id using errcode = '22004';
  end if;
  -- Setting phash fires the dedup trigger; the enqueue trigger then queues OCR and vision.
  update pgrecall.frames
     set phash = p_phash, tile_hashes = p_tile_hashes, hash_status = 1, hash_message = null, hash_at = now()
   where id = p_frame_id and hash_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'hash', 'complete');
  end if;
  return v_frame;
end;
$$;


--
-- Name: FUNCTION frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[]) IS 'Records a frame''s phash (and tile hashes). It is then deduplicated like a frame inserted with one: a near-duplicate has its stages skipped, anything else gets OCR and vision queued.';


--
-- Name: frame_hash_failed(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_hash_failed(p_frame_id uuid, p_message text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.frame_stage_failed(p_frame_id, 'hash', p_message) $$;


--
-- Name: FUNCTION frame_hash_failed(p_frame_id uuid, p_message text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_hash_failed(p_frame_id uuid, p_message text) IS 'Records that the hash stage failed for good (generated from pgrecall.stages).';


--
-- Name: frame_ocr_done(uuid, text, real, jsonb, jsonb, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real DEFAULT NULL::real, p_words jsonb DEFAULT NULL::jsonb, p_findings jsonb DEFAULT NULL::jsonb, p_redacted_image_ref text DEFAULT NULL::text) RETURNS text[]
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_old_refs text[];
  v_released text[];
begin
  if p_words is not null and jsonb_typeof(p_words) <> 'array' then
    raise exception 'frame_ocr_done: words must be a JSON array (frame %)', p_frame_id using errcode = '22023';
  end if;
  if p_findings is not null and jsonb_typeof(p_findings) <> 'array' then
    raise exception 'frame_ocr_done: findings must be a JSON array (frame %)', p_frame_id using errcode = '22023';
  end if;
  if jsonb_array_length(coalesce(p_findings, '[]')) > 0 and p_redacted_image_ref is null then
    raise exception 'frame_ocr_done: a frame with findings needs its redacted image (frame %)', p_frame_id
      using errcode = '22023', hint = 'Black out the findings'' boxes, store the image, pass its blob reference.';
  end if;
  if p_redacted_image_ref is not null then
    -- The images that showed the secret: the frame's own and its near-duplicates' (same screen).
    select array_agg(distinct f.image_ref) filter (where f.image_ref is distinct from p_redacted_image_ref) into v_old_refs
    from pgrecall.frames f where f.id = p_frame_id or f.duplicate_of = p_frame_id;
  end if;
  update pgrecall.frames
     set ocr_text = coalesce(p_text, ''), ocr_confidence = p_confidence, ocr_words = p_words,
         image_ref = coalesce(p_redacted_image_ref, image_ref),
         redacted_at = case when p_redacted_image_ref is not null then now() end,
         ocr_status = 1, ocr_message = null, ocr_at = now()
   where id = p_frame_id and ocr_status = 0;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'ocr', 'complete');
  end if;
  if p_redacted_image_ref is null then
    return null;
  end if;
  insert into pgrecall.secrets (frame_id, rule, kind, category, start_offset, end_offset, boxes, fingerprint, preview)
  select p_frame_id, x.rule, x.kind, x.category, x.start, x."end", coalesce(x.boxes, '[]'), x.fingerprint, x.preview
  from jsonb_to_recordset(p_findings) as x(rule text, kind text, category text, start integer, "end" integer,
                                            boxes jsonb, fingerprint text, preview text);
  -- Its near-duplicates, and any frame with the same image bytes, show the redacted screen from now on.
  update pgrecall.frames d set image_ref = p_redacted_image_ref
   where (d.duplicate_of = p_frame_id or d.image_ref = any(v_old_refs)) and d.image_ref is distinct from p_redacted_image_ref;
  -- The caller deletes the files no frame refers to any more.
  select array_agg(r) into v_released
  from unnest(v_old_refs) r
  where not exists (select 1 from pgrecall.frames o where o.image_ref = r);
  return v_released;
end;
$$;


--
-- Name: FUNCTION frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) IS 'Records a frame''s OCR text (redacted; null is stored as empty: the screen had none), its mean confidence and word boxes, and — when secrets were found — the findings (pgrecall.secrets) and the redacted image, which its near-duplicates are pointed at too. Returns the original images (its own, its near-duplicates''), now referenced by no frame, for the caller to delete. Queues the embedding and the vision stage.';


--
-- Name: frame_ocr_failed(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.frame_stage_failed(p_frame_id, 'ocr', p_message) $$;


--
-- Name: FUNCTION frame_ocr_failed(p_frame_id uuid, p_message text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) IS 'Records that the ocr stage failed for good (generated from pgrecall.stages).';


--
-- Name: frame_ocr_skipped(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.frame_stage_skipped(p_frame_id, 'ocr', p_reason) $$;


--
-- Name: FUNCTION frame_ocr_skipped(p_frame_id uuid, p_reason text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) IS 'Records that the ocr stage will not run, and why (generated from pgrecall.stages).';


--
-- Name: frame_stage_failed(uuid, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_stage_failed(p_frame_id uuid, p_stage text, p_message text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall._finish_stage(p_frame_id, p_stage, 2::smallint, p_message) $$;


--
-- Name: FUNCTION frame_stage_failed(p_frame_id uuid, p_stage text, p_message text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_stage_failed(p_frame_id uuid, p_stage text, p_message text) IS 'Records that a pending stage failed for good: status 2 and the message.';


--
-- Name: frame_stage_skipped(uuid, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall._finish_stage(p_frame_id, p_stage, 3::smallint, p_reason) $$;


--
-- Name: FUNCTION frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text) IS 'Records that a pending stage will not run: status 3 and the reason.';


--
-- Name: frame_vision_done(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_vision_done(p_frame_id uuid, p_summary text) RETURNS pgrecall.frames
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_frame pgrecall.frames;
begin
  if nullif(btrim(p_summary), '') is null then
    raise exception 'frame_vision_done needs a summary (frame %)', p_frame_id
      using errcode = '22023', hint = 'With nothing to say, record pgrecall.frame_vision_skipped with the reason.';
  end if;
  update pgrecall.frames
     set vision_summary = p_summary, vision_status = 1, vision_message = null, vision_at = now()
   where id = p_frame_id and vision_status = 0
  returning * into v_frame;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'vision', 'complete');
  end if;
  return v_frame;
end;
$$;


--
-- Name: FUNCTION frame_vision_done(p_frame_id uuid, p_summary text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_vision_done(p_frame_id uuid, p_summary text) IS 'Records a frame''s vision-model description.';


--
-- Name: frame_vision_failed(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_vision_failed(p_frame_id uuid, p_message text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.frame_stage_failed(p_frame_id, 'vision', p_message) $$;


--
-- Name: FUNCTION frame_vision_failed(p_frame_id uuid, p_message text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_vision_failed(p_frame_id uuid, p_message text) IS 'Records that the vision stage failed for good (generated from pgrecall.stages).';


--
-- Name: frame_vision_skipped(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text) RETURNS pgrecall.frames
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.frame_stage_skipped(p_frame_id, 'vision', p_reason) $$;


--
-- Name: FUNCTION frame_vision_skipped(p_frame_id uuid, p_reason text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text) IS 'Records that the vision stage will not run, and why (generated from pgrecall.stages).';


--
-- Name: grant_access(text, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.grant_access(p_kind text, p_role text, p_deployment_id text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if p_kind not in ('capture', 'read', 'worker') then
    raise exception 'unknown access "%"', p_kind using errcode = '22023', hint = 'capture, read or worker.';
  end if;
  if p_kind = 'capture' and p_deployment_id is null then
    raise exception 'capture access needs a deployment' using errcode = '22023',
      hint = 'One capture login per device: pgrecall grant capture ROLE --deployment ID.';
  end if;
  if p_kind = 'worker' and p_deployment_id is not null then
    raise exception 'worker access is to every deployment' using errcode = '22023';
  end if;
  if p_role like 'pgrecall\_%' or p_role in ('postgres', current_user) then
    raise exception 'role "%" cannot be given pgrecall access', p_role using errcode = '22023',
      hint = 'Grant access to a login role of its own (one per device, one for the UI/API).';
  end if;
  if not exists (select 1 from pg_roles where rolname = p_role) then
    execute format('create role %I nologin', p_role);
  end if;
  execute format('grant %I to %I', case p_kind when 'read' then 'pgrecall_reader' else 'pgrecall_' || p_kind end, p_role);
  if p_kind <> 'worker' then
    insert into pgrecall.role_deployments (role, kind, deployment_id) values (p_role, p_kind, p_deployment_id)
    on conflict do nothing;
  end if;
end;
$$;


--
-- Name: FUNCTION grant_access(p_kind text, p_role text, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.grant_access(p_kind text, p_role text, p_deployment_id text) IS 'Gives a role capture access (to one deployment), read access (to one, or every deployment when null) or worker access; creates the role NOLOGIN if it does not exist. Idempotent.';


--
-- Name: hamming(bigint, bigint); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.hamming(a bigint, b bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ select bit_count((a # b)::bit(64))::integer $$;


--
-- Name: FUNCTION hamming(a bigint, b bigint); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.hamming(a bigint, b bigint) IS 'Number of differing bits between two 64-bit hashes.';


--
-- Name: insert_frame(text, timestamp with time zone, text, text, text, text, bigint, bigint[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text DEFAULT NULL::text, p_app_name text DEFAULT NULL::text, p_window_title text DEFAULT NULL::text, p_phash bigint DEFAULT NULL::bigint, p_tile_hashes bigint[] DEFAULT NULL::bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  insert into pgrecall.frames as f
    (deployment_id, captured_at, capture_key, image_ref, app_name, window_title, phash, tile_hashes)
  values
    (p_deployment_id, p_captured_at, p_capture_key, p_image_ref, p_app_name, p_window_title, p_phash, p_tile_hashes)
  on conflict (deployment_id, captured_at, capture_key) where capture_key is not null do nothing
  returning f.id, f.duplicate_of into frame_id, duplicate_of;
  if found then
    existing := false;
    return;
  end if;
  -- Another insert of the same key won (perhaps a moment ago, in another session): a new
  -- statement, a new snapshot, so its committed row is visible here.
  select f.id, f.duplicate_of into frame_id, duplicate_of
  from pgrecall.frames f
  where f.deployment_id = p_deployment_id and f.captured_at = p_captured_at and f.capture_key = p_capture_key;
  existing := true;
end;
$$;


--
-- Name: FUNCTION insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean) IS 'Inserts a frame, or finds the one already stored under the same (deployment, captured_at, capture_key): safe to retry and to run twice at once. Returns its id, what it repeats (near-duplicate) and whether it existed. Without a capture_key it always inserts.';


--
-- Name: job_key(text, uuid); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.job_key(p_stage text, p_frame_id uuid) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ select 'pgrecall:' || p_stage || ':' || p_frame_id $$;


--
-- Name: FUNCTION job_key(p_stage text, p_frame_id uuid); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.job_key(p_stage text, p_frame_id uuid) IS 'graphile-worker job key of a frame''s stage: enqueueing the same stage twice replaces the waiting job instead of adding a second.';


--
-- Name: phash_prefix(bigint); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.phash_prefix(p_phash bigint) RETURNS smallint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ select (p_phash >> 48)::smallint $$;


--
-- Name: FUNCTION phash_prefix(p_phash bigint); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.phash_prefix(p_phash bigint) IS 'Top 16 bits of a phash, signed (seed 000 phash_prefix).';


--
-- Name: release_dead_workers(interval); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.release_dead_workers(p_dead_after interval DEFAULT NULL::interval) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_dead text[];
  v_jobs integer;
begin
  -- skip locked: two workers releasing at once must not wait on each other
  select array_agg(w.worker_id) into v_dead
  from (select worker_id from pgrecall.workers
        where heartbeat_at < now() - coalesce(p_dead_after, dead_after)
        for update skip locked) w;
  if v_dead is null then
    return 0;
  end if;
  select count(*)::integer into v_jobs from graphile_worker.jobs j where j.locked_by = any(v_dead);
  perform graphile_worker.force_unlock_workers(v_dead);
  delete from pgrecall.workers where worker_id = any(v_dead);
  return v_jobs;
end;
$$;


--
-- Name: FUNCTION release_dead_workers(p_dead_after interval); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.release_dead_workers(p_dead_after interval) IS 'Unlocks the jobs of pgrecall workers that have been silent longer than they declared (pgrecall.workers.dead_after), so they run again, and forgets those workers. Returns how many jobs were released. Workers call it without an argument. An operator may pass p_dead_after to judge every registered worker by that interval instead (e.g. ''0 seconds'' once every worker is known to be stopped): a live worker silent longer than it would then lose its jobs, which may run twice.';


--
-- Name: requeue(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.requeue(p_frame_id uuid, p_stage text) RETURNS pgrecall.frames
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
-- The stage's columns are named by the registry, so the update is dynamic (format %I) and
-- plpgsql_check cannot see its result:
-- @plpgsql_check_options: other_warnings = off
declare
  v_stage text := pgrecall._stage(p_stage);
  v_frame pgrecall.frames;
begin
  execute format('update pgrecall.frames f set %1$I = 0, %2$I = null, %3$I = null
                  where f.id = $1 and f.%1$I in (2, 3) and f.excluded_by is null
                    and (f.duplicate_of is null or not (select s.skip_duplicates from pgrecall.stages s where s.stage = $2))
                  returning f.*', v_stage || '_status', v_stage || '_message', v_stage || '_at')
    into v_frame using p_frame_id, v_stage;
  if v_frame.id is null then
    perform pgrecall._raise_illegal(p_frame_id, v_stage, 'requeue');
  end if;
  return v_frame;
end;
$_$;


--
-- Name: FUNCTION requeue(p_frame_id uuid, p_stage text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.requeue(p_frame_id uuid, p_stage text) IS 'Sets a stage in error (2) or skipped (3, not as a near-duplicate) back to pending, which queues its job again.';


--
-- Name: requeue_failed(text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.requeue_failed(p_stage text DEFAULT NULL::text, p_deployment_id text DEFAULT NULL::text) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall._requeue_status(2::smallint, p_stage, p_deployment_id) $$;


--
-- Name: FUNCTION requeue_failed(p_stage text, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.requeue_failed(p_stage text, p_deployment_id text) IS 'Sets every stage in error (2) back to pending, optionally for one stage and one deployment. Returns how many stages were requeued.';


--
-- Name: requeue_skipped(text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.requeue_skipped(p_stage text, p_deployment_id text DEFAULT NULL::text) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall._requeue_status(3::smallint, pgrecall._stage(p_stage), p_deployment_id) $$;


--
-- Name: FUNCTION requeue_skipped(p_stage text, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.requeue_skipped(p_stage text, p_deployment_id text) IS 'Requeues a stage skipped for a reason that no longer holds (vision before a provider was configured, say); near-duplicates stay skipped. Returns how many.';


--
-- Name: revoke_access(text, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.revoke_access(p_kind text, p_role text, p_deployment_id text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_n integer;
  v_group text := case p_kind when 'read' then 'pgrecall_reader' else 'pgrecall_' || p_kind end;
begin
  if p_kind not in ('capture', 'read', 'worker') then
    raise exception 'unknown access "%"', p_kind using errcode = '22023', hint = 'capture, read or worker.';
  end if;
  delete from pgrecall.role_deployments d
  where d.role = p_role and d.kind = p_kind and (p_deployment_id is null or d.deployment_id is not distinct from p_deployment_id);
  get diagnostics v_n = row_count;
  if p_kind = 'worker' or not exists (select 1 from pgrecall.role_deployments d where d.role = p_role and d.kind = p_kind) then
    if exists (select 1 from pg_roles where rolname = p_role) then
      execute format('revoke %I from %I', v_group, p_role);
    end if;
  end if;
  return v_n;
end;
$$;


--
-- Name: FUNCTION revoke_access(p_kind text, p_role text, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.revoke_access(p_kind text, p_role text, p_deployment_id text) IS 'Takes back access granted with grant_access: one deployment, or all of that kind when null (then the group membership too). Returns how many deployment grants were removed.';


--
-- Name: search_frames(text, public.vector, text, text, text, text, timestamp with time zone, timestamp with time zone, boolean, integer, text, text, text, integer); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.search_frames(p_query text DEFAULT NULL::text, p_query_embedding public.vector DEFAULT NULL::public.vector, p_mode text DEFAULT 'hybrid'::text, p_deployment_id text DEFAULT NULL::text, p_app text DEFAULT NULL::text, p_window text DEFAULT NULL::text, p_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_until timestamp with time zone DEFAULT NULL::timestamp with time zone, p_include_duplicates boolean DEFAULT false, p_limit integer DEFAULT 20, p_cursor text DEFAULT NULL::text, p_sort text DEFAULT 'relevance'::text, p_embedding_model text DEFAULT NULL::text, p_candidates integer DEFAULT 200) RETURNS TABLE(frame_id uuid, captured_at timestamp with time zone, deployment_id text, app_name text, window_title text, image_ref text, score double precision, snippet text, matched text, duplicate_of uuid, next_cursor text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET "hnsw.ef_search" TO '200'
    SET "hnsw.iterative_scan" TO 'relaxed_order'
    AS $_$
-- RETURN QUERY fills the OUT columns, which plpgsql_check's extra warnings cannot see:
-- @plpgsql_check_options: extra_warnings = off
declare
  v_mode text := lower(coalesce(p_mode, 'hybrid'));
  v_sort text := lower(coalesce(p_sort, 'relevance'));
  v_limit integer := coalesce(p_limit, 20);
  v_cap integer := coalesce(p_candidates, 200);
  v_dups boolean := coalesce(p_include_duplicates, false);
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
                              p_since, p_until, v_dups, p_embedding_model, v_cap)), 12);
  if nullif(p_cursor, '') is not null then
    select c.asof, c.key, c.id into v_asof, v_after_key, v_after_id from pgrecall._search_cursor_parts(p_cursor, v_fp) c;
  end if;

  v_q_lit := format('%L::tsquery', v_q::text);
  v_emb_lit := format('%L::%s.vector', p_query_embedding::text, v_vector);
  v_matchable := pgrecall._search_matchable(p_deployment_id, p_app, p_window, v_asof);
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
      from (select f.id, f.embedding operator(%1$s.<=>) %2$s as d from pgrecall.frames f
            where f.embedding is not null and %3$s and %4$s
            order by f.embedding operator(%1$s.<=>) %2$s
            limit %5$s) c$f$,
      v_vector, v_emb_lit, v_matchable,
      case when p_embedding_model is not null then format('f.embedding_model = %L', p_embedding_model) else 'true' end,
      v_cap)
  end;
  v_scored := format($f$
      select coalesce(a.id, b.id) as id, (%s)::float8 as score,
             concat_ws('+', case when a.id is not null then 'fts' end, case when b.id is not null then 'vector' end) as matched,
             null::uuid as canonical
      from fts a full join vec b on a.id = b.id$f$,
    case v_mode when 'fts' then 'a.s' when 'vector' then 'b.s'
                else 'coalesce(1.0 / (60 + a.r), 0) + coalesce(1.0 / (60 + b.r), 0)' end);  -- RRF, k = 60
  v_expanded := 'select * from scored'
    || case when v_dups then ' union all select d.id, s.score, s.matched, s.id from scored s join pgrecall.frames d on d.duplicate_of = s.id' else '' end;
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

  return query execute
    'with fts as materialized (' || v_fts || '),'
    || ' vec as materialized (' || v_vec || '),'
    || ' scored as (' || v_scored || '),'
    || ' expanded as (' || v_expanded || '),'
    || ' page as (' || v_page || ') '
    || v_result;
end;
$_$;


--
-- Name: FUNCTION search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer) IS 'Searches frames (see the README, "Search"). Modes: fts (websearch syntax, typo-tolerant, ranked by ts_rank_cd), vector (cosine similarity to p_query_embedding), hybrid (reciprocal rank fusion, k = 60, of both; without an embedding it is fts). Filters: deployment, app (case-insensitive), window title (substring), captured_at in [since, until), near-duplicates of matched frames (off by default). Relevance ranks the p_candidates most recent matches of each branch (bounding the cost of common words); sort time pages through every match by captured_at. Pass a row''s next_cursor as p_cursor for the page after it. Snippets mark matches with « ».';


--
-- Name: search_query(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.search_query(p_query text) RETURNS tsquery
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET client_min_messages TO 'warning'
    AS $$
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


--
-- Name: FUNCTION search_query(p_query text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.search_query(p_query text) IS 'A search string as a tsquery: websearch syntax ("a phrase", -not, or), curly quotes straightened, at most 1,000 characters (longer is an error, SQLSTATE 22023, column "query"), and each word (4+ letters, no digits: numbers and ids match exactly) that no frame contains widened to up to 3 known words with trigram similarity >= 0.4 (one wrong letter). Null when nothing searchable is left.';


--
-- Name: settings; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.settings (
    deployment_id text NOT NULL,
    phash_threshold smallint,
    recent_window interval,
    history_threshold smallint,
    tile_bit_threshold smallint,
    tile_max_changed smallint,
    job_max_attempts smallint,
    CONSTRAINT settings_default_row_complete CHECK (((deployment_id <> '*'::text) OR ((phash_threshold IS NOT NULL) AND (recent_window IS NOT NULL) AND (history_threshold IS NOT NULL) AND (tile_bit_threshold IS NOT NULL) AND (tile_max_changed IS NOT NULL) AND (job_max_attempts IS NOT NULL)))),
    CONSTRAINT settings_history_threshold_check CHECK (((history_threshold >= '-1'::integer) AND (history_threshold <= 5))),
    CONSTRAINT settings_job_max_attempts_check CHECK (((job_max_attempts >= 1) AND (job_max_attempts <= 100))),
    CONSTRAINT settings_phash_threshold_check CHECK (((phash_threshold >= 0) AND (phash_threshold <= 64))),
    CONSTRAINT settings_recent_window_check CHECK ((recent_window >= '00:00:00'::interval)),
    CONSTRAINT settings_tile_bit_threshold_check CHECK (((tile_bit_threshold >= 0) AND (tile_bit_threshold <= 64))),
    CONSTRAINT settings_tile_max_changed_check CHECK (((tile_max_changed >= 0) AND (tile_max_changed <= 64)))
);


--
-- Name: TABLE settings; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.settings IS 'Dedup and queue settings. The ''*'' row holds the defaults and cannot be deleted; a deployment''s own row overrides only the columns it sets (null inherits from ''*''). Read the merged values with pgrecall.settings_for(deployment). Changes apply to the next insert.';


--
-- Name: COLUMN settings.phash_threshold; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.phash_threshold IS 'A frame within this many phash bits of a canonical frame of its deployment in the recent window is a near-duplicate (if its tiles agree).';


--
-- Name: COLUMN settings.recent_window; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.recent_window IS 'How far back phash_threshold applies (before it, history_threshold does).';


--
-- Name: COLUMN settings.history_threshold; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.history_threshold IS 'Beyond the recent window, a return to any earlier screen within this many bits is a duplicate. At most 5: the six-band index finds every match up to 5 bits and no further. -1 turns it off.';


--
-- Name: COLUMN settings.tile_bit_threshold; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.tile_bit_threshold IS 'A tile whose 64-bit ink map differs in more than this many bits has changed.';


--
-- Name: COLUMN settings.tile_max_changed; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.tile_max_changed IS 'A frame with more changed tiles than this is new content, whatever its phash says.';


--
-- Name: COLUMN settings.job_max_attempts; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.job_max_attempts IS 'max_attempts of the graphile-worker jobs queued for a frame.';


--
-- Name: settings_for(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.settings_for(p_deployment_id text) RETURNS SETOF pgrecall.settings
    LANGUAGE sql STABLE ROWS 1 PARALLEL SAFE
    AS $$
  -- Two primary-key probes; one row, whether or not the deployment has a row of its own.
  select coalesce(s.deployment_id, p_deployment_id),
         coalesce(s.phash_threshold, d.phash_threshold),
         coalesce(s.recent_window, d.recent_window),
         coalesce(s.history_threshold, d.history_threshold),
         coalesce(s.tile_bit_threshold, d.tile_bit_threshold),
         coalesce(s.tile_max_changed, d.tile_max_changed),
         coalesce(s.job_max_attempts, d.job_max_attempts)
  from pgrecall.settings d
  left join pgrecall.settings s on s.deployment_id = p_deployment_id and p_deployment_id <> '*'
  where d.deployment_id = '*'
$$;


--
-- Name: FUNCTION settings_for(p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.settings_for(p_deployment_id text) IS 'The settings that apply to a deployment: each column from its own row in pgrecall.settings where set, else from the ''*'' row. A set-returning SQL function so the planner inlines it into the query that uses it.';


--
-- Name: stages_wanted(pgrecall.frames); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.stages_wanted(f pgrecall.frames) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ select array_remove(array[case when  f.hash_status = 0 then 'hash' end, case when f.hash_status = 1 and f.ocr_status = 0 then 'ocr' end, case when f.hash_status = 1 and f.ocr_status = 1 and f.vision_status = 0 then 'vision' end, case when f.hash_status = 1 and f.ocr_status = 1 and f.embedding_status = 0 then 'embed' end], null) $$;


--
-- Name: FUNCTION stages_wanted(f pgrecall.frames); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.stages_wanted(f pgrecall.frames) IS 'Generated from pgrecall.stages: the task identifiers a frame in this state is waiting for (a pending stage whose waits_for are all done).';


--
-- Name: status_name(smallint); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.status_name(p_status smallint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select (array['pending', 'done', 'failed', 'skipped'])[p_status + 1] $$;


--
-- Name: FUNCTION status_name(p_status smallint); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.status_name(p_status smallint) IS 'A stage status in words: 0 pending, 1 done, 2 failed (the seed''s "error"), 3 skipped.';


--
-- Name: straighten_quotes(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.straighten_quotes(p_text text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ select translate(p_text, '‘’‚‛′“”„‟″', '''''''''''"""""') $$;


--
-- Name: FUNCTION straighten_quotes(p_text text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.straighten_quotes(p_text text) IS 'Curly and prime quotes as straight ones (OCR reads '' as ’ on code). Used for queries and snippets; the generated column frames.fts (migration 000005) holds a frozen copy of the same translate(), which must stay equal to this one.';


--
-- Name: tg_exclusions__check(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_exclusions__check() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform pgrecall._check_regex(NEW.app_regex, 'app_regex');
  perform pgrecall._check_regex(NEW.title_regex, 'title_regex');
  return NEW;
end;
$$;


--
-- Name: FUNCTION tg_exclusions__check(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_exclusions__check() IS 'Refuses a rule whose regex does not compile, with the reason.';


--
-- Name: tg_frames__dedup(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__dedup() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_found record;
  v_original uuid;
  v_distance integer;
  v_message text;
begin
  if NEW.phash is null or NEW.duplicate_of is not null then
    return NEW;
  end if;
  -- An expression, not a SELECT: plpgsql evaluates it without a trip through SPI.
  v_found := pgrecall._find_near_duplicate(NEW.deployment_id, NEW.captured_at, NEW.phash, NEW.tile_hashes, NEW.id);
  v_original := v_found.frame_id;
  v_distance := v_found.distance;
  if v_original is null then
    return NEW;
  end if;
  -- A screen that showed a secret is not skipped as a repeat: this capture is OCRed and
  -- redacted itself, so its image is never kept in clear.
  if (select f.redacted_at is not null from pgrecall.frames f where f.id = v_original) then
    return NEW;
  end if;

  v_message := 'near-duplicate of ' || v_original;
  NEW.duplicate_of := v_original;
  NEW.duplicate_distance := v_distance;
  if NEW.ocr_status = 0 then NEW.ocr_status := 3; NEW.ocr_message := v_message; NEW.ocr_at := now(); end if;
  if NEW.vision_status = 0 then NEW.vision_status := 3; NEW.vision_message := v_message; NEW.vision_at := now(); end if;
  if NEW.embedding_status = 0 then NEW.embedding_status := 3; NEW.embedding_message := v_message; NEW.embedding_at := now(); end if;
  return NEW;
end;
$$;


--
-- Name: FUNCTION tg_frames__dedup(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__dedup() IS 'Marks a frame that repeats an earlier canonical frame as its near-duplicate and skips its stages (status 3). Runs when a phash arrives, at insert or later.';


--
-- Name: tg_frames__enqueue_inserted(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__enqueue_inserted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform pgrecall._add_jobs(array_agg(w.stage), array_agg(n.id), array_agg(n.deployment_id))
    from new_frames n
    cross join lateral unnest(pgrecall.stages_wanted(n)) as w(stage);
  return null;
end;
$$;


--
-- Name: FUNCTION tg_frames__enqueue_inserted(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__enqueue_inserted() IS 'Queues the jobs every inserted frame wants, in one add_jobs call per statement.';


--
-- Name: tg_frames__enqueue_updated(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__enqueue_updated() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform pgrecall._add_jobs(array_agg(w.stage), array_agg(n.id), array_agg(n.deployment_id))
    from new_frames n
    join old_frames o on o.id = n.id
    cross join lateral (
      select unnest(pgrecall.stages_wanted(n))
      except
      select unnest(pgrecall.stages_wanted(o))
    ) as w(stage);
  return null;
end;
$$;


--
-- Name: FUNCTION tg_frames__enqueue_updated(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__enqueue_updated() IS 'Queues the jobs that an update made wanted (phash arrived, OCR done, a stage requeued), in one add_jobs call per statement.';


--
-- Name: tg_frames__exclude(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__exclude() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
  NEW.hash_status := 3; NEW.hash_message := v_message; NEW.hash_at := now();
  NEW.ocr_status := 3; NEW.ocr_message := v_message; NEW.ocr_at := now();
  NEW.vision_status := 3; NEW.vision_message := v_message; NEW.vision_at := now();
  NEW.embedding_status := 3; NEW.embedding_message := v_message; NEW.embedding_at := now();
  return NEW;
end;
$$;


--
-- Name: FUNCTION tg_frames__exclude(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__exclude() IS 'Applies pgrecall.exclusions to an inserted frame: on a match it keeps time, deployment and app, drops image_ref, window title and hashes, and skips every stage with the rule as the reason.';


--
-- Name: tg_frames__normalize(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__normalize() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  if TG_OP = 'INSERT' or NEW.captured_at is distinct from OLD.captured_at then
    if not isfinite(NEW.captured_at)
       or NEW.captured_at < timestamptz '2000-01-01 00:00:00+00'
       or NEW.captured_at > now() + interval '1 day' then
      raise exception 'captured_at % is out of range for a frame of deployment %', NEW.captured_at, NEW.deployment_id
        using errcode = '22008',
              hint = 'captured_at must lie between 2000-01-01 and one day after the server clock.';
    end if;
  end if;

  if TG_OP = 'INSERT' then
    -- Stage statuses, results and dedup columns are the pipeline's: a client that presets them
    -- (ocr_status = 1 with no text, duplicate_of another deployment's frame) is refused.
    if pgrecall._sets_pipeline_columns(NEW) then
      raise exception 'a frame of deployment % sets columns that belong to the pipeline', NEW.deployment_id
        using errcode = '42501',
              detail = 'Each stage''s status, message, time and result columns (pgrecall.stages), duplicate_of and duplicate_distance are written by pgrecall''s stages only.',
              hint = 'Insert deployment_id, captured_at, image_ref, app_name, window_title (and phash, tile_hashes, capture_key if you have them).';
    end if;
    NEW.inserted_at := now();
    NEW.hash_status := case when NEW.phash is null then 0 else 1 end;
    NEW.hash_at := case when NEW.phash is null then null else now() end;
  end if;

  NEW.phash_prefix := pgrecall.phash_prefix(NEW.phash);
  -- Control characters in a title are never wanted and can be hostile (ANSI escapes printed
  -- to a terminal). NUL cannot reach the server at all: clients strip it (src/db.ts clientText).
  if NEW.window_title ~ '[\x01-\x1f\x7f-\x9f]' then
    NEW.window_title := regexp_replace(NEW.window_title, '[\x01-\x1f\x7f-\x9f]+', ' ', 'g');
  end if;
  if NEW.app_name ~ '[\x01-\x1f\x7f-\x9f]' then
    NEW.app_name := regexp_replace(NEW.app_name, '[\x01-\x1f\x7f-\x9f]+', ' ', 'g');
  end if;
  -- Titles are context, not content: a runaway client must not bloat every index row.
  if length(NEW.window_title) > 1024 then
    NEW.window_title := left(NEW.window_title, 1023) || '…';
  end if;
  if length(NEW.app_name) > 256 then
    NEW.app_name := left(NEW.app_name, 255) || '…';
  end if;
  return NEW;
end;
$$;


--
-- Name: FUNCTION tg_frames__normalize(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__normalize() IS 'Checks captured_at, refuses pipeline columns set by a client (42501), derives phash_prefix and hash_status, replaces control characters in window_title and app_name with a space and caps them (1024 and 256 chars).';


--
-- Name: tg_frames__plan_guard_begin(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__plan_guard_begin() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform set_config('pgrecall.saved_plan_cache_mode', current_setting('plan_cache_mode'), true);
  perform set_config('plan_cache_mode',
    case when (select c.reltuples from pg_catalog.pg_class c where c.oid = TG_RELID) < 10000
         then 'force_custom_plan' else 'force_generic_plan' end,
    true);
  return null;
end;
$$;


--
-- Name: FUNCTION tg_frames__plan_guard_begin(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__plan_guard_begin() IS 'Sets plan_cache_mode for the statement''s triggers: custom plans while frames holds under 10,000 rows (per its statistics), generic plans after.';


--
-- Name: tg_frames__plan_guard_end(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__plan_guard_end() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
declare
  v_saved text := nullif(current_setting('pgrecall.saved_plan_cache_mode', true), '');
begin
  if v_saved is not null then
    perform set_config('plan_cache_mode', v_saved, true);
    perform set_config('pgrecall.saved_plan_cache_mode', '', true);
  end if;
  return null;
end;
$$;


--
-- Name: FUNCTION tg_frames__plan_guard_end(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__plan_guard_end() IS 'Restores plan_cache_mode after a statement on frames.';


--
-- Name: tg_settings__keep_defaults(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_settings__keep_defaults() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if TG_OP = 'TRUNCATE' or OLD.deployment_id = '*' and (TG_OP = 'DELETE' or NEW.deployment_id <> '*') then
    raise exception 'the ''*'' row of pgrecall.settings holds the defaults of every deployment and cannot be removed'
      using errcode = '23514',
            hint = 'Change its values with UPDATE; delete a deployment''s own row to make it inherit again.';
  end if;
  return case when TG_OP = 'DELETE' then OLD else NEW end;
end;
$$;


--
-- Name: FUNCTION tg_settings__keep_defaults(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_settings__keep_defaults() IS 'Refuses to delete, rename or truncate away the ''*'' settings row.';


--
-- Name: tiles_changed(bigint[], bigint[], integer); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tiles_changed(a bigint[], b bigint[], bit_threshold integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  select count(*)::integer
  from unnest(a, b) as t(x, y)
  where x is distinct from y
    and (x is null or y is null or bit_count((x # y)::bit(64)) > bit_threshold)
$$;


--
-- Name: FUNCTION tiles_changed(a bigint[], b bigint[], bit_threshold integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tiles_changed(a bigint[], b bigint[], bit_threshold integer) IS 'How many tiles of two tile-hash grids differ in more than bit_threshold bits. Grids of different sizes count the missing tiles as changed.';


--
-- Name: worker_heartbeat(text[], text, integer); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.worker_heartbeat(p_worker_ids, p_hostname, p_pid, interval '60 seconds') $$;


--
-- Name: FUNCTION worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) IS 'Heartbeat of a worker that declares no dead-after (workers of earlier pgrecall versions): judged by the default, 60 seconds.';


--
-- Name: worker_heartbeat(text[], text, integer, interval); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  insert into pgrecall.workers (worker_id, hostname, pid, dead_after)
  select w, p_hostname, p_pid, p_dead_after from unnest(p_worker_ids) as w
  on conflict (worker_id) do update set heartbeat_at = now(), dead_after = excluded.dead_after
$$;


--
-- Name: FUNCTION worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) IS 'Records that these graphile-worker workers (and pool) of one process are alive, and how long each may stay silent before it counts as dead (the worker''s --dead-after; it beats every min(10 s, dead_after / 4)).';


--
-- Name: worker_stopped(text[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select pgrecall.worker_stopped(p_worker_ids, '{}'::bigint[], '{}'::bigint[]) $$;


--
-- Name: FUNCTION worker_stopped(p_worker_ids text[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) IS 'Forgets workers that shut down cleanly, unlocking any job they still hold.';


--
-- Name: worker_stopped(text[], bigint[], bigint[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_held bigint[];
  v_again integer;
begin
  -- What these workers still hold: jobs whose end was lost with the connection or with the
  -- stop (graphile-worker does not wait for its complete/fail calls).
  v_held := array(select j.id from graphile_worker.jobs j where j.locked_by = any(p_worker_ids));
  perform graphile_worker.force_unlock_workers(p_worker_ids);
  -- A job whose task succeeded is complete, whether or not graphile-worker got to say so.
  perform graphile_worker.complete_jobs(p_completed_jobs);
  -- A job cut short by the stop did not fail: it gets its attempt back and runs at once.
  perform graphile_worker.reschedule_jobs(array[j.id], run_at => now(), attempts => greatest(j.attempts - 1, 0))
  from graphile_worker.jobs j
  where j.id = any(p_interrupted_jobs);
  delete from pgrecall.workers where worker_id = any(p_worker_ids);
  select count(*)::integer into v_again from graphile_worker.jobs j where j.id = any(v_held || p_interrupted_jobs);
  return v_again;
end;
$$;


--
-- Name: FUNCTION worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) IS 'A worker process (or one graphile-worker pool of it) has stopped: unlocks any job these workers still hold, completes those whose task had succeeded (p_completed_jobs: graphile-worker does not wait for its own completion call), gives the jobs it interrupted (p_interrupted_jobs) their attempt back and runs them at once, and forgets the workers. Returns how many of the jobs it held or interrupted will run again.';


--
-- Name: _sql_applied; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall._sql_applied (
    id boolean DEFAULT true NOT NULL,
    sha256 text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT _sql_applied_id_check CHECK (id)
);


--
-- Name: TABLE _sql_applied; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall._sql_applied IS 'Internal: digest of the sql/ files last applied, so pgrecall migrate does not re-take trigger locks on a busy frames table for nothing.';


--
-- Name: exclusions; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.exclusions (
    id bigint NOT NULL,
    deployment_id text,
    app_regex text,
    title_regex text,
    reason text NOT NULL,
    builtin boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT exclusions_app_regex_check CHECK (((length(app_regex) >= 1) AND (length(app_regex) <= 500))),
    CONSTRAINT exclusions_reason_check CHECK (((length(reason) >= 1) AND (length(reason) <= 200))),
    CONSTRAINT exclusions_something_check CHECK (((app_regex IS NOT NULL) OR (title_regex IS NOT NULL))),
    CONSTRAINT exclusions_title_regex_check CHECK (((length(title_regex) >= 1) AND (length(title_regex) <= 500)))
);


--
-- Name: TABLE exclusions; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.exclusions IS 'Screens not to keep: a frame whose app matches app_regex and whose window title matches title_regex (case-insensitive PostgreSQL regexes; a null one matches anything), of deployment_id (null: every deployment), keeps nothing of what was on screen. Edit with SQL or pgrecall exclude.';


--
-- Name: COLUMN exclusions.builtin; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.exclusions.builtin IS 'Shipped with pgrecall (private browsing windows, password managers); may be removed like any other.';


--
-- Name: exclusions_id_seq; Type: SEQUENCE; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.exclusions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME pgrecall.exclusions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: pending_embedding; Type: VIEW; Schema: pgrecall; Owner: -
--

CREATE VIEW pgrecall.pending_embedding AS
 SELECT f.id,
    f.deployment_id,
    f.captured_at,
    f.inserted_at,
    (now() - GREATEST(f.inserted_at, f.hash_at, f.ocr_at)) AS waiting,
    f.image_ref,
    f.app_name,
    f.window_title,
    pgrecall.embedding_input(f.window_title, f.app_name, f.ocr_text) AS input
   FROM pgrecall.frames f
  WHERE ((f.embedding_status = 0) AND (f.hash_status = 1) AND (f.ocr_status = 1));


--
-- Name: VIEW pending_embedding; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_embedding IS 'Frames waiting for the embedding stage (a 384-dimension text embedding of title, app and OCR text): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages.';


--
-- Name: pending_hash; Type: VIEW; Schema: pgrecall; Owner: -
--

CREATE VIEW pgrecall.pending_hash AS
 SELECT f.id,
    f.deployment_id,
    f.captured_at,
    f.inserted_at,
    (now() - GREATEST(f.inserted_at)) AS waiting,
    f.image_ref,
    f.app_name,
    f.window_title
   FROM pgrecall.frames f
  WHERE (f.hash_status = 0);


--
-- Name: VIEW pending_hash; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_hash IS 'Frames waiting for the hash stage (perceptual hash and tile hashes, when the client gave none; then dedup): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages.';


--
-- Name: pending_ocr; Type: VIEW; Schema: pgrecall; Owner: -
--

CREATE VIEW pgrecall.pending_ocr AS
 SELECT f.id,
    f.deployment_id,
    f.captured_at,
    f.inserted_at,
    (now() - GREATEST(f.inserted_at, f.hash_at)) AS waiting,
    f.image_ref,
    f.app_name,
    f.window_title
   FROM pgrecall.frames f
  WHERE ((f.ocr_status = 0) AND (f.hash_status = 1));


--
-- Name: VIEW pending_ocr; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_ocr IS 'Frames waiting for the ocr stage (text, confidence and word boxes (tesseract.js)): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages.';


--
-- Name: pending_vision; Type: VIEW; Schema: pgrecall; Owner: -
--

CREATE VIEW pgrecall.pending_vision AS
 SELECT f.id,
    f.deployment_id,
    f.captured_at,
    f.inserted_at,
    (now() - GREATEST(f.inserted_at, f.hash_at, f.ocr_at)) AS waiting,
    f.image_ref,
    f.app_name,
    f.window_title
   FROM pgrecall.frames f
  WHERE ((f.vision_status = 0) AND (f.hash_status = 1) AND (f.ocr_status = 1));


--
-- Name: VIEW pending_vision; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_vision IS 'Frames waiting for the vision stage (a description by a vision model (OpenAI-compatible endpoint)): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages.';


--
-- Name: stages; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.stages (
    stage text NOT NULL,
    task text NOT NULL,
    "position" smallint NOT NULL,
    waits_for text[] DEFAULT '{}'::text[] NOT NULL,
    skip_duplicates boolean DEFAULT true NOT NULL,
    skippable boolean DEFAULT true NOT NULL,
    results text[] DEFAULT '{}'::text[] NOT NULL,
    view_columns text DEFAULT ''::text NOT NULL,
    description text NOT NULL,
    CONSTRAINT stages_stage_check CHECK ((stage ~ '^[a-z][a-z0-9_]{0,30}$'::text)),
    CONSTRAINT stages_task_check CHECK ((task ~ '^[a-z][a-z0-9_]{0,30}$'::text))
);


--
-- Name: TABLE stages; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.stages IS 'The pipeline''s stages, in order: the graphile-worker task that runs each, the stages it waits for (all done first), and whether a near-duplicate skips it. Functions and views in sql/ are generated from these rows when sql/ is applied.';


--
-- Name: COLUMN stages.stage; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.stages.stage IS 'The stage''s name, and the prefix of its columns in pgrecall.frames (<stage>_status, _message, _at).';


--
-- Name: COLUMN stages.task; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.stages.task IS 'The graphile-worker task identifier that runs the stage (its file in tasks/).';


--
-- Name: COLUMN stages.waits_for; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.stages.waits_for IS 'Stages that must be done (status 1) before this one runs.';


--
-- Name: COLUMN stages.skip_duplicates; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.stages.skip_duplicates IS 'A near-duplicate has this stage skipped (3): it shows the same screen as the frame it repeats.';


--
-- Name: COLUMN stages.skippable; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.stages.skippable IS 'Whether the stage may be recorded as skipped at all (the hash may not: without it nothing else can run).';


--
-- Name: COLUMN stages.results; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.stages.results IS 'The frames columns the stage writes its result to: only its SQL function may set them (a client that sends them is refused).';


--
-- Name: COLUMN stages.view_columns; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.stages.view_columns IS 'Columns the stage''s pending view adds to the common ones, as SQL select-list items over pgrecall.frames f (e.g. the text to embed).';


--
-- Name: pipeline; Type: VIEW; Schema: pgrecall; Owner: -
--

CREATE VIEW pgrecall.pipeline AS
 WITH per_stage AS (
         SELECT s.stage,
            s.status,
            s.finished_at,
            f.inserted_at,
            pgrecall._stage_prereq(f.*, s.stage) AS prereq,
            (f.excluded_by IS NOT NULL) AS excluded
           FROM (pgrecall.frames f
             CROSS JOIN LATERAL ( VALUES ('hash'::text,f.hash_status,f.hash_at), ('ocr'::text,f.ocr_status,f.ocr_at), ('vision'::text,f.vision_status,f.vision_at), ('embedding'::text,f.embedding_status,f.embedding_at)) s(stage, status, finished_at))
        ), recent AS (
         SELECT per_stage.stage,
            per_stage.status,
            per_stage.finished_at,
            per_stage.inserted_at,
            per_stage.prereq,
            per_stage.excluded
           FROM per_stage
          WHERE ((per_stage.status = ANY (ARRAY[1, 2, 3])) AND (per_stage.finished_at > (now() - '01:00:00'::interval)))
        )
 SELECT st.stage,
    count(p.status) FILTER (WHERE ((p.status = 0) AND (p.prereq = 'ready'::text))) AS pending,
    count(p.status) FILTER (WHERE ((p.status = 0) AND (p.prereq = 'waiting'::text))) AS blocked,
    count(p.status) FILTER (WHERE ((p.status = 0) AND (p.prereq = 'failed'::text))) AS upstream_failed,
    count(p.status) FILTER (WHERE (p.status = 1)) AS done,
    count(p.status) FILTER (WHERE (p.status = 2)) AS failed,
    count(p.status) FILTER (WHERE (p.status = 3)) AS skipped,
    count(p.status) FILTER (WHERE p.excluded) AS excluded,
    (now() - min(p.inserted_at) FILTER (WHERE ((p.status = 0) AND (p.prereq = 'ready'::text)))) AS oldest_pending_age,
    ( SELECT count(*) AS count
           FROM recent r
          WHERE (r.stage = st.stage)) AS finished_last_hour,
    ( SELECT count(*) AS count
           FROM recent r
          WHERE ((r.stage = st.stage) AND (r.status = 2))) AS failed_last_hour,
    ( SELECT round(avg(((r.status = 2))::integer), 4) AS round
           FROM recent r
          WHERE (r.stage = st.stage)) AS failure_rate_last_hour
   FROM (pgrecall.stages st
     LEFT JOIN per_stage p ON ((p.stage = st.stage)))
  GROUP BY st."position", st.stage
  ORDER BY st."position";


--
-- Name: VIEW pipeline; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pipeline IS 'One row per stage of pgrecall.stages: frames pending (runnable), blocked (waiting for an earlier stage), upstream_failed (an earlier stage failed or was skipped: this one runs only once that is requeued), done, failed, skipped (excluded: of those, frames an exclusion rule kept nothing of); the age of the oldest pending frame; stages finished and failed in the last hour and the failure rate among them.';


--
-- Name: role_deployments; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.role_deployments (
    role text NOT NULL,
    kind text NOT NULL,
    deployment_id text,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT role_deployments_kind_check CHECK ((kind = ANY (ARRAY['capture'::text, 'read'::text])))
);


--
-- Name: TABLE role_deployments; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.role_deployments IS 'The deployments a login role may capture for (kind capture) or read (kind read; deployment_id null: every deployment). Kept by pgrecall.grant_access / revoke_access; the row-level security policies of pgrecall.frames read it.';


--
-- Name: search_words; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.search_words (
    word text NOT NULL
);


--
-- Name: TABLE search_words; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.search_words IS 'Every lexeme of every frame''s fts (kept by a trigger): the vocabulary typo correction searches.';


--
-- Name: secret_rules; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.secret_rules (
    name text NOT NULL,
    rule jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT secret_rules_name_check CHECK ((name ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'::text)),
    CONSTRAINT secret_rules_rule_check CHECK (((jsonb_typeof(rule) = 'object'::text) AND ((rule ->> 'name'::text) = name)))
);


--
-- Name: TABLE secret_rules; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.secret_rules IS 'User rules for secret detection (the shape of src/engines/secret-rules.ts SecretRule): a new rule in full, or a built-in''s name with the fields to change. Applied by the worker to frames OCRed after the change.';


--
-- Name: secrets; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.secrets (
    id bigint NOT NULL,
    frame_id uuid NOT NULL,
    rule text NOT NULL,
    kind text NOT NULL,
    category text NOT NULL,
    start_offset integer NOT NULL,
    end_offset integer NOT NULL,
    boxes jsonb DEFAULT '[]'::jsonb NOT NULL,
    fingerprint text NOT NULL,
    preview text NOT NULL,
    found_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT secrets_category_check CHECK ((category = ANY (ARRAY['secret'::text, 'personal'::text]))),
    CONSTRAINT secrets_fingerprint_check CHECK ((fingerprint ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT secrets_preview_check CHECK ((length(preview) <= 40)),
    CONSTRAINT secrets_range_check CHECK (((start_offset >= 0) AND (end_offset > start_offset)))
);


--
-- Name: TABLE secrets; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.secrets IS 'One row per secret or personal datum found on a frame, redacted before its text and image were stored: the character range in ocr_text (now masked), the boxes blacked out in the image, a keyed fingerprint (HMAC-SHA256 of the normalised value, key outside the database) and a masked preview. Never the value.';


--
-- Name: secrets_id_seq; Type: SEQUENCE; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.secrets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME pgrecall.secrets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: workers; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.workers (
    worker_id text NOT NULL,
    hostname text NOT NULL,
    pid integer NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    heartbeat_at timestamp with time zone DEFAULT now() NOT NULL,
    dead_after interval DEFAULT '00:01:00'::interval NOT NULL,
    CONSTRAINT workers_dead_after_check CHECK ((dead_after > '00:00:00'::interval))
);


--
-- Name: TABLE workers; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.workers IS 'pgrecall worker processes and their heartbeats (graphile-worker worker ids). A worker whose heartbeat is older than the dead-after timeout has died: its locked jobs are released instead of waiting graphile-worker''s 4 hours.';


--
-- Name: COLUMN workers.dead_after; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.workers.dead_after IS 'How long this worker may stay silent before it counts as dead (its --dead-after); it beats well within it.';


--
-- Name: _sql_applied _sql_applied_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall._sql_applied
    ADD CONSTRAINT _sql_applied_pkey PRIMARY KEY (id);


--
-- Name: exclusions exclusions_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.exclusions
    ADD CONSTRAINT exclusions_pkey PRIMARY KEY (id);


--
-- Name: frames frames_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.frames
    ADD CONSTRAINT frames_pkey PRIMARY KEY (id);


--
-- Name: search_words search_words_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.search_words
    ADD CONSTRAINT search_words_pkey PRIMARY KEY (word);


--
-- Name: secret_rules secret_rules_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.secret_rules
    ADD CONSTRAINT secret_rules_pkey PRIMARY KEY (name);


--
-- Name: secrets secrets_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.secrets
    ADD CONSTRAINT secrets_pkey PRIMARY KEY (id);


--
-- Name: settings settings_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (deployment_id);


--
-- Name: stages stages_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.stages
    ADD CONSTRAINT stages_pkey PRIMARY KEY (stage);


--
-- Name: stages stages_position_key; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.stages
    ADD CONSTRAINT stages_position_key UNIQUE ("position");


--
-- Name: stages stages_task_key; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.stages
    ADD CONSTRAINT stages_task_key UNIQUE (task);


--
-- Name: workers workers_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.workers
    ADD CONSTRAINT workers_pkey PRIMARY KEY (worker_id);


--
-- Name: idx_frames_capture_key; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE UNIQUE INDEX idx_frames_capture_key ON pgrecall.frames USING btree (deployment_id, captured_at, capture_key) WHERE (capture_key IS NOT NULL);


--
-- Name: idx_frames_captured_at; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_captured_at ON pgrecall.frames USING btree (captured_at);


--
-- Name: idx_frames_dedup_window; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_dedup_window ON pgrecall.frames USING btree (deployment_id, captured_at) INCLUDE (phash) WHERE ((duplicate_of IS NULL) AND (phash IS NOT NULL));


--
-- Name: idx_frames_deployment; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_deployment ON pgrecall.frames USING btree (deployment_id, captured_at);


--
-- Name: idx_frames_duplicate_of; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_duplicate_of ON pgrecall.frames USING btree (duplicate_of) WHERE (duplicate_of IS NOT NULL);


--
-- Name: idx_frames_embedding; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_embedding ON pgrecall.frames USING hnsw (embedding public.vector_cosine_ops) WITH (m='24', ef_construction='128') WHERE (duplicate_of IS NULL);


--
-- Name: INDEX idx_frames_embedding; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON INDEX pgrecall.idx_frames_embedding IS 'HNSW, cosine, m 24, ef_construction 128 (recall@10 1.00 at 1M frames; the defaults reached 0.92-0.96). ivfflat measured faster (p95 8.8 ms, recall 0.998) when built over all the data, but its lists are trained on the rows present at build time, and this index exists from the first migration on an empty table and grows with the screens; HNSW needs no training.';


--
-- Name: idx_frames_embedding_pending; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_embedding_pending ON pgrecall.frames USING btree (embedding_status) WHERE (embedding_status = 0);


--
-- Name: idx_frames_fts; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_fts ON pgrecall.frames USING gin (fts) WHERE (duplicate_of IS NULL);


--
-- Name: INDEX idx_frames_fts; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON INDEX pgrecall.idx_frames_fts IS 'GIN over the stored tsvector (an expression index re-parses every matching row: 30-40x slower for common words). RUM was measured: 3.8x the size, and ordering a common word''s matches by time (p95 602 ms) or by rank (7-9 s) inside the index was far slower than GIN with search_frames'' recency-capped ranking (p95 21 ms). Not adopted.';


--
-- Name: idx_frames_hash_pending; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_hash_pending ON pgrecall.frames USING btree (hash_status) WHERE (hash_status = 0);


--
-- Name: idx_frames_ocr_pending; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_ocr_pending ON pgrecall.frames USING btree (ocr_status) WHERE (ocr_status = 0);


--
-- Name: idx_frames_phash_band1; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_phash_band1 ON pgrecall.frames USING btree (deployment_id, (((phash >> 42) & (2047)::bigint))) WHERE ((duplicate_of IS NULL) AND (phash IS NOT NULL));


--
-- Name: idx_frames_phash_band2; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_phash_band2 ON pgrecall.frames USING btree (deployment_id, (((phash >> 31) & (2047)::bigint))) WHERE ((duplicate_of IS NULL) AND (phash IS NOT NULL));


--
-- Name: idx_frames_phash_band3; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_phash_band3 ON pgrecall.frames USING btree (deployment_id, (((phash >> 21) & (1023)::bigint))) WHERE ((duplicate_of IS NULL) AND (phash IS NOT NULL));


--
-- Name: idx_frames_phash_band4; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_phash_band4 ON pgrecall.frames USING btree (deployment_id, (((phash >> 11) & (1023)::bigint))) WHERE ((duplicate_of IS NULL) AND (phash IS NOT NULL));


--
-- Name: idx_frames_phash_band5; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_phash_band5 ON pgrecall.frames USING btree (deployment_id, ((phash & (2047)::bigint))) WHERE ((duplicate_of IS NULL) AND (phash IS NOT NULL));


--
-- Name: idx_frames_phash_prefix; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_phash_prefix ON pgrecall.frames USING btree (deployment_id, phash_prefix) WHERE ((duplicate_of IS NULL) AND (phash IS NOT NULL));


--
-- Name: idx_frames_vision_pending; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_vision_pending ON pgrecall.frames USING btree (vision_status) WHERE (vision_status = 0);


--
-- Name: idx_role_deployments; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE UNIQUE INDEX idx_role_deployments ON pgrecall.role_deployments USING btree (role, kind, COALESCE(deployment_id, ''::text));


--
-- Name: idx_search_words_trgm; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_search_words_trgm ON pgrecall.search_words USING gist (word public.gist_trgm_ops);


--
-- Name: idx_secrets_fingerprint; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_secrets_fingerprint ON pgrecall.secrets USING btree (fingerprint);


--
-- Name: idx_secrets_frame; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_secrets_frame ON pgrecall.secrets USING btree (frame_id);


--
-- Name: frames _000_plan_guard_begin; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _000_plan_guard_begin BEFORE INSERT OR UPDATE ON pgrecall.frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__plan_guard_begin();


--
-- Name: exclusions _100_check; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_check BEFORE INSERT OR UPDATE ON pgrecall.exclusions FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_exclusions__check();


--
-- Name: settings _100_keep_defaults; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_keep_defaults BEFORE DELETE OR UPDATE OF deployment_id ON pgrecall.settings FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_settings__keep_defaults();


--
-- Name: settings _100_keep_defaults_truncate; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_keep_defaults_truncate BEFORE TRUNCATE ON pgrecall.settings FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_settings__keep_defaults();


--
-- Name: frames _100_normalize; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_normalize BEFORE INSERT OR UPDATE ON pgrecall.frames FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_frames__normalize();


--
-- Name: frames _150_exclude; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _150_exclude BEFORE INSERT ON pgrecall.frames FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_frames__exclude();


--
-- Name: frames _200_dedup_insert; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _200_dedup_insert BEFORE INSERT ON pgrecall.frames FOR EACH ROW WHEN ((new.phash IS NOT NULL)) EXECUTE FUNCTION pgrecall.tg_frames__dedup();


--
-- Name: frames _200_dedup_update; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _200_dedup_update BEFORE UPDATE OF phash ON pgrecall.frames FOR EACH ROW WHEN (((old.phash IS NULL) AND (new.phash IS NOT NULL))) EXECUTE FUNCTION pgrecall.tg_frames__dedup();


--
-- Name: frames _300_learn_words_insert; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _300_learn_words_insert AFTER INSERT ON pgrecall.frames FOR EACH ROW WHEN (((new.duplicate_of IS NULL) AND ((new.ocr_text IS NOT NULL) OR (new.vision_summary IS NOT NULL)))) EXECUTE FUNCTION pgrecall._learn_words();


--
-- Name: frames _300_learn_words_update; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _300_learn_words_update AFTER UPDATE OF ocr_text, vision_summary, window_title, app_name ON pgrecall.frames FOR EACH ROW WHEN (((new.duplicate_of IS NULL) AND (old.fts IS DISTINCT FROM new.fts))) EXECUTE FUNCTION pgrecall._learn_words();


--
-- Name: frames _900_enqueue_inserted; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _900_enqueue_inserted AFTER INSERT ON pgrecall.frames REFERENCING NEW TABLE AS new_frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__enqueue_inserted();


--
-- Name: frames _900_enqueue_updated; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _900_enqueue_updated AFTER UPDATE ON pgrecall.frames REFERENCING OLD TABLE AS old_frames NEW TABLE AS new_frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__enqueue_updated();


--
-- Name: frames _999_plan_guard_end; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _999_plan_guard_end AFTER INSERT OR UPDATE ON pgrecall.frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__plan_guard_end();


--
-- Name: frames frames_duplicate_of_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.frames
    ADD CONSTRAINT frames_duplicate_of_fkey FOREIGN KEY (duplicate_of) REFERENCES pgrecall.frames(id) ON DELETE SET NULL;


--
-- Name: secrets secrets_frame_id_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.secrets
    ADD CONSTRAINT secrets_frame_id_fkey FOREIGN KEY (frame_id) REFERENCES pgrecall.frames(id) ON DELETE CASCADE;


--
-- Name: frames capture_insert; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY capture_insert ON pgrecall.frames FOR INSERT TO pgrecall_capture WITH CHECK ((deployment_id IN ( SELECT d.deployment_id
   FROM pgrecall.role_deployments d
  WHERE ((d.role = CURRENT_USER) AND (d.kind = 'capture'::text)))));


--
-- Name: frames capture_select; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY capture_select ON pgrecall.frames FOR SELECT TO pgrecall_capture USING ((deployment_id IN ( SELECT d.deployment_id
   FROM pgrecall.role_deployments d
  WHERE ((d.role = CURRENT_USER) AND (d.kind = 'capture'::text)))));


--
-- Name: frames; Type: ROW SECURITY; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.frames ENABLE ROW LEVEL SECURITY;

--
-- Name: role_deployments own_rows; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY own_rows ON pgrecall.role_deployments FOR SELECT TO pgrecall_capture, pgrecall_reader USING ((role = CURRENT_USER));


--
-- Name: frames reader_select; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY reader_select ON pgrecall.frames FOR SELECT TO pgrecall_reader USING ((EXISTS ( SELECT 1
   FROM pgrecall.role_deployments d
  WHERE ((d.role = CURRENT_USER) AND (d.kind = 'read'::text) AND ((d.deployment_id IS NULL) OR (d.deployment_id = frames.deployment_id))))));


--
-- Name: role_deployments; Type: ROW SECURITY; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.role_deployments ENABLE ROW LEVEL SECURITY;

--
-- Name: frames worker_all; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY worker_all ON pgrecall.frames TO pgrecall_worker USING (true) WITH CHECK (true);


--
-- Name: SCHEMA pgrecall; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA pgrecall TO pgrecall_capture;
GRANT USAGE ON SCHEMA pgrecall TO pgrecall_reader;
GRANT USAGE ON SCHEMA pgrecall TO pgrecall_worker;


--
-- Name: FUNCTION _add_jobs(p_stages text[], p_frame_ids uuid[], p_deployment_ids text[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._add_jobs(p_stages text[], p_frame_ids uuid[], p_deployment_ids text[]) FROM PUBLIC;


--
-- Name: FUNCTION _check_regex(p_regex text, p_what text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) TO pgrecall_worker;


--
-- Name: FUNCTION _extension_schema(p_extension text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._extension_schema(p_extension text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._extension_schema(p_extension text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._extension_schema(p_extension text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._extension_schema(p_extension text) TO pgrecall_worker;


--
-- Name: FUNCTION _find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) TO pgrecall_worker;


--
-- Name: TABLE frames; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.frames TO pgrecall_capture;
GRANT SELECT ON TABLE pgrecall.frames TO pgrecall_reader;
GRANT SELECT,UPDATE ON TABLE pgrecall.frames TO pgrecall_worker;


--
-- Name: COLUMN frames.id; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(id) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.deployment_id; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(deployment_id) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.captured_at; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(captured_at) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.phash; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(phash) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.image_ref; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(image_ref) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.window_title; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(window_title) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.app_name; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(app_name) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.tile_hashes; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(tile_hashes) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: COLUMN frames.capture_key; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT INSERT(capture_key) ON TABLE pgrecall.frames TO pgrecall_capture;


--
-- Name: FUNCTION _finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._finish_stage(p_frame_id uuid, p_stage text, p_status smallint, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION _learn_words(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._learn_words() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._learn_words() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._learn_words() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._learn_words() TO pgrecall_worker;


--
-- Name: FUNCTION _nearest_words(p_word text, p_count integer, p_min_similarity real); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) TO pgrecall_worker;


--
-- Name: FUNCTION _raise_illegal(p_frame_id uuid, p_stage text, p_action text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) TO pgrecall_worker;


--
-- Name: FUNCTION _redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) TO pgrecall_worker;


--
-- Name: FUNCTION _requeue_status(p_status smallint, p_stage text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) TO pgrecall_worker;


--
-- Name: FUNCTION _search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._search_check(p_mode text, p_sort text, p_since timestamp with time zone, p_until timestamp with time zone, p_limit integer, p_candidates integer, p_deployment_id text, p_app text, p_window text) TO pgrecall_worker;


--
-- Name: FUNCTION _search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._search_cursor(p_fingerprint text, p_asof timestamp with time zone, p_key text, p_id uuid) TO pgrecall_worker;


--
-- Name: FUNCTION _search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._search_cursor_parts(p_cursor text, p_fingerprint text, OUT asof timestamp with time zone, OUT key text, OUT id uuid) TO pgrecall_worker;


--
-- Name: FUNCTION _search_in_range(p_since timestamp with time zone, p_until timestamp with time zone); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._search_in_range(p_since timestamp with time zone, p_until timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._search_in_range(p_since timestamp with time zone, p_until timestamp with time zone) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._search_in_range(p_since timestamp with time zone, p_until timestamp with time zone) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._search_in_range(p_since timestamp with time zone, p_until timestamp with time zone) TO pgrecall_worker;


--
-- Name: FUNCTION _search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone) TO pgrecall_worker;


--
-- Name: FUNCTION _sets_pipeline_columns(f pgrecall.frames); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._sets_pipeline_columns(f pgrecall.frames) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._sets_pipeline_columns(f pgrecall.frames) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._sets_pipeline_columns(f pgrecall.frames) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._sets_pipeline_columns(f pgrecall.frames) TO pgrecall_worker;


--
-- Name: FUNCTION _stage(p_stage text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._stage(p_stage text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._stage(p_stage text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._stage(p_stage text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._stage(p_stage text) TO pgrecall_worker;


--
-- Name: FUNCTION _stage_prereq(f pgrecall.frames, p_stage text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._stage_prereq(f pgrecall.frames, p_stage text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._stage_prereq(f pgrecall.frames, p_stage text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._stage_prereq(f pgrecall.frames, p_stage text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._stage_prereq(f pgrecall.frames, p_stage text) TO pgrecall_worker;


--
-- Name: FUNCTION _stage_status(f pgrecall.frames, p_stage text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._stage_status(f pgrecall.frames, p_stage text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._stage_status(f pgrecall.frames, p_stage text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._stage_status(f pgrecall.frames, p_stage text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._stage_status(f pgrecall.frames, p_stage text) TO pgrecall_worker;


--
-- Name: FUNCTION embedding_input(p_window_title text, p_app_name text, p_ocr_text text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.embedding_input(p_window_title text, p_app_name text, p_ocr_text text) TO pgrecall_worker;


--
-- Name: FUNCTION enqueue_pending(p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.enqueue_pending(p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.enqueue_pending(p_deployment_id text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.enqueue_pending(p_deployment_id text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.enqueue_pending(p_deployment_id text) TO pgrecall_worker;


--
-- Name: FUNCTION exclusion_for(p_deployment_id text, p_app_name text, p_window_title text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.exclusion_for(p_deployment_id text, p_app_name text, p_window_title text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.exclusion_for(p_deployment_id text, p_app_name text, p_window_title text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.exclusion_for(p_deployment_id text, p_app_name text, p_window_title text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.exclusion_for(p_deployment_id text, p_app_name text, p_window_title text) TO pgrecall_worker;


--
-- Name: FUNCTION find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.find_near_duplicate(p_deployment_id text, p_captured_at timestamp with time zone, p_phash bigint, p_tile_hashes bigint[], p_exclude uuid, OUT frame_id uuid, OUT distance integer) TO pgrecall_worker;


--
-- Name: FUNCTION frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_done(p_frame_id uuid, p_embedding public.vector, p_model text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_embedding_failed(p_frame_id uuid, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_failed(p_frame_id uuid, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_embedding_skipped(p_frame_id uuid, p_reason text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_embedding_skipped(p_frame_id uuid, p_reason text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[]) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[]) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_hash_done(p_frame_id uuid, p_phash bigint, p_tile_hashes bigint[]) TO pgrecall_worker;


--
-- Name: FUNCTION frame_hash_failed(p_frame_id uuid, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_hash_failed(p_frame_id uuid, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_hash_failed(p_frame_id uuid, p_message text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_hash_failed(p_frame_id uuid, p_message text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_hash_failed(p_frame_id uuid, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_ocr_failed(p_frame_id uuid, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_ocr_skipped(p_frame_id uuid, p_reason text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_stage_failed(p_frame_id uuid, p_stage text, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_stage_failed(p_frame_id uuid, p_stage text, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_stage_failed(p_frame_id uuid, p_stage text, p_message text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_stage_failed(p_frame_id uuid, p_stage text, p_message text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_stage_failed(p_frame_id uuid, p_stage text, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_stage_skipped(p_frame_id uuid, p_stage text, p_reason text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_vision_done(p_frame_id uuid, p_summary text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_vision_done(p_frame_id uuid, p_summary text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_vision_done(p_frame_id uuid, p_summary text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_vision_done(p_frame_id uuid, p_summary text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_vision_done(p_frame_id uuid, p_summary text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_vision_failed(p_frame_id uuid, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_vision_failed(p_frame_id uuid, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_vision_failed(p_frame_id uuid, p_message text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_vision_failed(p_frame_id uuid, p_message text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_vision_failed(p_frame_id uuid, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_vision_skipped(p_frame_id uuid, p_reason text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_vision_skipped(p_frame_id uuid, p_reason text) TO pgrecall_worker;


--
-- Name: FUNCTION grant_access(p_kind text, p_role text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.grant_access(p_kind text, p_role text, p_deployment_id text) FROM PUBLIC;


--
-- Name: FUNCTION hamming(a bigint, b bigint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.hamming(a bigint, b bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.hamming(a bigint, b bigint) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.hamming(a bigint, b bigint) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.hamming(a bigint, b bigint) TO pgrecall_worker;


--
-- Name: FUNCTION insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.insert_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean) TO pgrecall_worker;


--
-- Name: FUNCTION job_key(p_stage text, p_frame_id uuid); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.job_key(p_stage text, p_frame_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.job_key(p_stage text, p_frame_id uuid) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.job_key(p_stage text, p_frame_id uuid) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.job_key(p_stage text, p_frame_id uuid) TO pgrecall_worker;


--
-- Name: FUNCTION phash_prefix(p_phash bigint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) TO pgrecall_worker;


--
-- Name: FUNCTION release_dead_workers(p_dead_after interval); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.release_dead_workers(p_dead_after interval) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.release_dead_workers(p_dead_after interval) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.release_dead_workers(p_dead_after interval) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.release_dead_workers(p_dead_after interval) TO pgrecall_worker;


--
-- Name: FUNCTION requeue(p_frame_id uuid, p_stage text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.requeue(p_frame_id uuid, p_stage text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.requeue(p_frame_id uuid, p_stage text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.requeue(p_frame_id uuid, p_stage text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.requeue(p_frame_id uuid, p_stage text) TO pgrecall_worker;


--
-- Name: FUNCTION requeue_failed(p_stage text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.requeue_failed(p_stage text, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.requeue_failed(p_stage text, p_deployment_id text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.requeue_failed(p_stage text, p_deployment_id text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.requeue_failed(p_stage text, p_deployment_id text) TO pgrecall_worker;


--
-- Name: FUNCTION requeue_skipped(p_stage text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.requeue_skipped(p_stage text, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.requeue_skipped(p_stage text, p_deployment_id text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.requeue_skipped(p_stage text, p_deployment_id text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.requeue_skipped(p_stage text, p_deployment_id text) TO pgrecall_worker;


--
-- Name: FUNCTION revoke_access(p_kind text, p_role text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.revoke_access(p_kind text, p_role text, p_deployment_id text) FROM PUBLIC;


--
-- Name: FUNCTION search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer) TO pgrecall_worker;


--
-- Name: FUNCTION search_query(p_query text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.search_query(p_query text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.search_query(p_query text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.search_query(p_query text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.search_query(p_query text) TO pgrecall_worker;


--
-- Name: TABLE settings; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.settings TO pgrecall_capture;
GRANT SELECT ON TABLE pgrecall.settings TO pgrecall_worker;


--
-- Name: FUNCTION settings_for(p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.settings_for(p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.settings_for(p_deployment_id text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.settings_for(p_deployment_id text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.settings_for(p_deployment_id text) TO pgrecall_worker;


--
-- Name: FUNCTION stages_wanted(f pgrecall.frames); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.stages_wanted(f pgrecall.frames) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.stages_wanted(f pgrecall.frames) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.stages_wanted(f pgrecall.frames) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.stages_wanted(f pgrecall.frames) TO pgrecall_worker;


--
-- Name: FUNCTION status_name(p_status smallint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.status_name(p_status smallint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.status_name(p_status smallint) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.status_name(p_status smallint) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.status_name(p_status smallint) TO pgrecall_worker;


--
-- Name: FUNCTION straighten_quotes(p_text text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.straighten_quotes(p_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.straighten_quotes(p_text text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.straighten_quotes(p_text text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.straighten_quotes(p_text text) TO pgrecall_worker;


--
-- Name: FUNCTION tg_exclusions__check(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_exclusions__check() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_exclusions__check() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_exclusions__check() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_exclusions__check() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__dedup(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__dedup() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_frames__dedup() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_frames__dedup() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_frames__dedup() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__enqueue_inserted(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__enqueue_inserted() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_frames__enqueue_inserted() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_frames__enqueue_inserted() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_frames__enqueue_inserted() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__enqueue_updated(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__enqueue_updated() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_frames__enqueue_updated() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_frames__enqueue_updated() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_frames__enqueue_updated() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__exclude(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__exclude() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_frames__exclude() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_frames__exclude() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_frames__exclude() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__normalize(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__normalize() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_frames__normalize() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_frames__normalize() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_frames__normalize() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__plan_guard_begin(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__plan_guard_begin() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_frames__plan_guard_begin() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_frames__plan_guard_begin() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_frames__plan_guard_begin() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__plan_guard_end(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__plan_guard_end() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_frames__plan_guard_end() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_frames__plan_guard_end() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_frames__plan_guard_end() TO pgrecall_worker;


--
-- Name: FUNCTION tg_settings__keep_defaults(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_settings__keep_defaults() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_settings__keep_defaults() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_settings__keep_defaults() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_settings__keep_defaults() TO pgrecall_worker;


--
-- Name: FUNCTION tiles_changed(a bigint[], b bigint[], bit_threshold integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tiles_changed(a bigint[], b bigint[], bit_threshold integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tiles_changed(a bigint[], b bigint[], bit_threshold integer) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tiles_changed(a bigint[], b bigint[], bit_threshold integer) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tiles_changed(a bigint[], b bigint[], bit_threshold integer) TO pgrecall_worker;


--
-- Name: FUNCTION worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) TO pgrecall_worker;


--
-- Name: FUNCTION worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) TO pgrecall_worker;


--
-- Name: FUNCTION worker_stopped(p_worker_ids text[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) TO pgrecall_worker;


--
-- Name: FUNCTION worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) TO pgrecall_worker;


--
-- Name: TABLE _sql_applied; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall._sql_applied TO pgrecall_worker;


--
-- Name: TABLE exclusions; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.exclusions TO pgrecall_capture;
GRANT SELECT ON TABLE pgrecall.exclusions TO pgrecall_worker;


--
-- Name: TABLE pending_embedding; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.pending_embedding TO pgrecall_worker;


--
-- Name: TABLE pending_hash; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.pending_hash TO pgrecall_worker;


--
-- Name: TABLE pending_ocr; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.pending_ocr TO pgrecall_worker;


--
-- Name: TABLE pending_vision; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.pending_vision TO pgrecall_worker;


--
-- Name: TABLE stages; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.stages TO pgrecall_capture;
GRANT SELECT ON TABLE pgrecall.stages TO pgrecall_reader;
GRANT SELECT ON TABLE pgrecall.stages TO pgrecall_worker;


--
-- Name: TABLE pipeline; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.pipeline TO pgrecall_reader;
GRANT SELECT ON TABLE pgrecall.pipeline TO pgrecall_worker;


--
-- Name: TABLE role_deployments; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.role_deployments TO pgrecall_capture;
GRANT SELECT ON TABLE pgrecall.role_deployments TO pgrecall_reader;
GRANT SELECT ON TABLE pgrecall.role_deployments TO pgrecall_worker;


--
-- Name: TABLE search_words; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.search_words TO pgrecall_reader;
GRANT SELECT,INSERT ON TABLE pgrecall.search_words TO pgrecall_worker;


--
-- Name: TABLE secret_rules; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.secret_rules TO pgrecall_worker;


--
-- Name: TABLE secrets; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT,INSERT ON TABLE pgrecall.secrets TO pgrecall_worker;


--
-- Name: TABLE workers; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE pgrecall.workers TO pgrecall_worker;
