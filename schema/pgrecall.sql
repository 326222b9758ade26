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
-- Name: _blob_lock(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._blob_lock(p_ref text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select hashtext(p_ref) $$;


--
-- Name: FUNCTION _blob_lock(p_ref text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._blob_lock(p_ref text) IS 'Internal: the second key of a blob''s advisory lock; the first is 1886545260 (''pgrl''). gc holds it exclusively while it removes the file, claim_blob shares it.';


--
-- Name: _caller(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._caller() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select case when current_setting('role') = 'none' then session_user::text else current_setting('role') end $$;


--
-- Name: FUNCTION _caller(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._caller() IS 'Internal: the role that called a security definer function (SET ROLE''s, else the session user).';


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
-- Name: _days_changed(uuid[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._days_changed(p_ids uuid[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


--
-- Name: FUNCTION _days_changed(p_ids uuid[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._days_changed(p_ids uuid[]) IS 'Internal: tells the day summaries (pgrecall.days_changed(deployment, from, to), when it exists) which days a forget, unforget or purge of these frames touches. Call it before the frames are deleted.';


--
-- Name: _days_of_frames(text, timestamp with time zone[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._days_of_frames(p_deployment_id text, p_hours timestamp with time zone[]) RETURNS date[]
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- A frame changes its own day and, within activity_gap of midnight, the neighbouring one.
  select array_agg(distinct d.day)
  from pgrecall.summary_settings(p_deployment_id) s
  cross join unnest(p_hours) as h(hour)
  cross join lateral generate_series(((h.hour - s.activity_gap) at time zone s.time_zone)::date,
                                     ((h.hour + interval '1 hour' + s.activity_gap) at time zone s.time_zone)::date,
                                     interval '1 day') as d(day)
$$;


--
-- Name: FUNCTION _days_of_frames(p_deployment_id text, p_hours timestamp with time zone[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._days_of_frames(p_deployment_id text, p_hours timestamp with time zone[]) IS 'Internal: the local days that frames captured in these hours can change.';


--
-- Name: _drop_images(uuid[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._drop_images(p_ids uuid[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_refs text[];
begin
  select array_agg(distinct f.image_ref) into v_refs from pgrecall.frames f where f.id = any(p_ids) and f.image_ref is not null;
  update pgrecall.frames f set image_ref = null where f.id = any(p_ids) and f.image_ref is not null;
  return coalesce(pgrecall._release_images(v_refs), 0);
end;
$$;


--
-- Name: FUNCTION _drop_images(p_ids uuid[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._drop_images(p_ids uuid[]) IS 'Internal: frames keep their text but lose their image; the blobs no frame shows any more are queued for gc. Returns how many.';


--
-- Name: _drop_text(uuid[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._drop_text(p_ids uuid[], OUT findings integer, OUT words integer) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_words text[];
begin
  select array_agg(distinct w) into v_words
  from pgrecall.frames f cross join lateral unnest(tsvector_to_array(f.fts)) w
  where f.id = any(p_ids) and f.duplicate_of is null;
  delete from pgrecall.secrets s where s.frame_id = any(p_ids);
  get diagnostics findings = row_count;
  update pgrecall.frames f
     set ocr_text = null, ocr_words = null, vision_summary = null, embedding = null, embedding_model = null
   where f.id = any(p_ids);
  perform pgrecall._gin_flush();
  words := coalesce(pgrecall._forget_words(v_words), 0);
end;
$$;


--
-- Name: FUNCTION _drop_text(p_ids uuid[], OUT findings integer, OUT words integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._drop_text(p_ids uuid[], OUT findings integer, OUT words integer) IS 'Internal: removes the OCR text, word boxes, vision description, vector and findings of frames (their time, app, title and statuses stay), and the vocabulary words no frame contains any more.';


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
      and f.tombstoned_at is null
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
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and f.phash_prefix between ((p_phash >> 53) * 32)::smallint and ((p_phash >> 53) * 32 + 31)::smallint
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 42) & 2047) = ((p_phash >> 42) & 2047)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 31) & 2047) = ((p_phash >> 31) & 2047)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 21) & 1023) = ((p_phash >> 21) & 1023)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
      and ((f.phash >> 11) & 1023) = ((p_phash >> 11) & 1023)
    union all
    select f.id, f.phash, f.captured_at, f.tile_hashes from pgrecall.frames f
    where f.deployment_id = p_deployment_id and f.duplicate_of is null and f.phash is not null and f.tombstoned_at is null
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
    and f.tombstoned_at is null
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
    tombstoned_at timestamp with time zone,
    browser_url text,
    ocr_engine text,
    CONSTRAINT frames_browser_url_check CHECK ((length(browser_url) <= 4096)),
    CONSTRAINT frames_capture_key_check CHECK (((length(capture_key) >= 1) AND (length(capture_key) <= 300))),
    CONSTRAINT frames_deployment_id_check CHECK (((length(deployment_id) >= 1) AND (length(deployment_id) <= 200))),
    CONSTRAINT frames_duplicate_check CHECK (((duplicate_of IS NULL) OR (duplicate_of <> id))),
    CONSTRAINT frames_embedding_status_check CHECK (((embedding_status >= 0) AND (embedding_status <= 3))),
    CONSTRAINT frames_hash_status_check CHECK (((hash_status >= 0) AND (hash_status <= 3))),
    CONSTRAINT frames_ocr_engine_check CHECK (((length(ocr_engine) >= 1) AND (length(ocr_engine) <= 200))),
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
-- Name: COLUMN frames.tombstoned_at; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.tombstoned_at IS 'Set by pgrecall.forget(p_soft => true): the frame is hidden from search, views and readers, restorable with pgrecall.unforget until tombstone_grace has passed, then purged.';


--
-- Name: COLUMN frames.browser_url; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.browser_url IS 'The page the frame''s browser window showed, when the capture client knew it (Screenpipe records it).';


--
-- Name: COLUMN frames.ocr_engine; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.frames.ocr_engine IS 'Which engine and model produced ocr_text: pgrecall''s own ("pgrecall: tesseract.js 7.0.0, tessdata_fast, second look 70/60"), or another program''s for an imported history ("screenpipe: Tesseract"); null when not recorded (OCR not done, or done before this was recorded, or by a caller that did not say).';


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
-- Name: _forget_words(text[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._forget_words(p_words text[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _forget_words(p_words text[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._forget_words(p_words text[]) IS 'Internal: removes from pgrecall.search_words the words given that no remaining frame contains; returns how many.';


--
-- Name: _gin_flush(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._gin_flush() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  -- Every GIN search reads the index's whole pending list (fastupdate); after a busy hour of
  -- OCR a probe took 15 ms instead of 0.1 ms. Merged once before thousands of probes.
  if to_regclass('pgrecall.idx_frames_fts') is not null then
    perform gin_clean_pending_list('pgrecall.idx_frames_fts'::regclass);
  end if;
end;
$$;


--
-- Name: FUNCTION _gin_flush(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._gin_flush() IS 'Internal: merges the pending list of idx_frames_fts into the index (as autovacuum would) before a vocabulary check probes it word by word.';


--
-- Name: _image_busy(pgrecall.frames); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._image_busy(f pgrecall.frames) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- A stage still to run on the image keeps it (the hash, OCR and vision stages read it).
  select f.hash_status = 0 or f.ocr_status = 0 or f.vision_status = 0
$$;


--
-- Name: FUNCTION _image_busy(f pgrecall.frames); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._image_busy(f pgrecall.frames) IS 'Internal: whether a stage that reads the image is still pending on the frame (retention leaves such an image for now).';


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
-- Name: _lexeme_query(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._lexeme_query(p_lexeme text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select ('''' || replace(replace(p_lexeme, '\', '\\'), '''', '''''') || '''')::tsquery $$;


--
-- Name: FUNCTION _lexeme_query(p_lexeme text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._lexeme_query(p_lexeme text) IS 'Internal: a tsquery matching exactly this lexeme (as stored in a tsvector), whatever characters it holds.';


--
-- Name: _may_forget(text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._may_forget(p_caller text, p_deployment_id text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- The owner (who migrates) may forget anything; a reader or capture login, the deployments it was granted.
  select pg_has_role(p_caller, (select n.nspowner from pg_namespace n where n.nspname = 'pgrecall'), 'member')
      or exists (select 1 from pgrecall.role_deployments d
                 where d.role = p_caller and d.kind in ('read', 'capture')
                   and (d.deployment_id is null or d.deployment_id = p_deployment_id))
$$;


--
-- Name: FUNCTION _may_forget(p_caller text, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._may_forget(p_caller text, p_deployment_id text) IS 'Internal: whether a role may forget (and unforget) frames of a deployment: the schema owner always, a login its read or capture grant covers.';


--
-- Name: _moment_forms(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._moment_forms(p_text text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select format('%s is not a time: use ISO 8601 (2026-11-21T10:00:00Z), now, today, yesterday, or a time ago such as 2h ago, 30 minutes ago, 3 days ago',
                left(p_text, 80))
$$;


--
-- Name: FUNCTION _moment_forms(p_text text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._moment_forms(p_text text) IS 'Internal: the message parse_moment refuses a time with, naming the forms it takes.';


--
-- Name: _nearest(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._nearest(p_query text) RETURNS TABLE(id uuid, d double precision)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET enable_sort TO 'off'
    SET enable_incremental_sort TO 'off'
    AS $$
-- RETURN QUERY fills the OUT columns, which the extra warnings cannot see; the query is
-- search_frames' own, built with format(%L) from its arguments (and runs as the caller):
-- @plpgsql_check_options: extra_warnings = off, security_warnings = off
begin
  return query execute p_query;
end;
$$;


--
-- Name: FUNCTION _nearest(p_query text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._nearest(p_query text) IS 'Internal to search_frames: runs its vector branch (id, cosine distance; ordered by distance, limited) with sorting off, so that the HNSW index is used however the planner misjudges the filters. Runs as the caller: nothing a caller could not run itself.';


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
-- Name: _ocr_version(timestamp with time zone); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._ocr_version(p_ocr_at timestamp with time zone) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select (extract(epoch from p_ocr_at) * 1000000)::bigint $$;


--
-- Name: FUNCTION _ocr_version(p_ocr_at timestamp with time zone); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._ocr_version(p_ocr_at timestamp with time zone) IS 'Internal: when a frame was OCRed, in microseconds, exact through JSON (a rescan result applies only to the OCR it read).';


--
-- Name: _purge_frames(uuid[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._purge_frames(p_ids uuid[], OUT frames integer, OUT findings integer, OUT words integer, OUT images integer) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _purge_frames(p_ids uuid[], OUT frames integer, OUT findings integer, OUT words integer, OUT images integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._purge_frames(p_ids uuid[], OUT frames integer, OUT findings integer, OUT words integer, OUT images integer) IS 'Internal: deletes frames for good (findings cascade), then the vocabulary words and the images (queued for gc) no remaining frame has. Returns the counts.';


--
-- Name: _queue_summaries(text[], date[], interval); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._queue_summaries(p_deployment_ids text[], p_days date[], p_delay interval) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _queue_summaries(p_deployment_ids text[], p_days date[], p_delay interval); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._queue_summaries(p_deployment_ids text[], p_days date[], p_delay interval) IS 'Internal: queues one summarize job per (deployment, day), keyed so a day has at most one waiting job; with a delay, a waiting job keeps its run_at (debounce).';


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
-- Name: _record_findings(uuid, jsonb, text, text[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]) RETURNS text[]
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_released text[];
begin
  insert into pgrecall.secrets (frame_id, rule, kind, category, start_offset, end_offset, boxes, fingerprint, preview)
  select p_frame_id, x.rule, x.kind, x.category, x.start, x."end", coalesce(x.boxes, '[]'), x.fingerprint, x.preview
  from jsonb_to_recordset(p_findings) as x(rule text, kind text, category text, start integer, "end" integer,
                                            boxes jsonb, fingerprint text, preview text);
  if p_redacted_image_ref is null then
    return null; -- no image to redact (a rescan that could not read it)
  end if;
  -- Its near-duplicates, and any frame with the same image bytes, show the redacted screen from now on.
  update pgrecall.frames d set image_ref = p_redacted_image_ref
   where (d.duplicate_of = p_frame_id or d.image_ref = any(p_old_refs)) and d.image_ref is distinct from p_redacted_image_ref;
  -- The caller deletes the files no frame refers to any more.
  select array_agg(r) into v_released
  from unnest(p_old_refs) r
  where not exists (select 1 from pgrecall.frames o where o.image_ref = r);
  return v_released;
end;
$$;


--
-- Name: FUNCTION _record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]) IS 'Internal: records a frame''s findings (pgrecall.secrets) and points its near-duplicates and the frames with the same original image (p_old_refs) at the redacted one. Returns the originals no frame refers to any more.';


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
-- Name: _refresh_by_project(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._refresh_by_project(p_deployment_id text, p_day date) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update pgrecall.day_summaries d
  set by_project = coalesce(x.by_project, '{}'::jsonb),
      unassigned_seconds = d.active_seconds - coalesce(x.assigned, 0),
      focus_blocks = coalesce((
        select jsonb_agg(e || jsonb_build_object('project', p.name) order by e->>'started_at')
        from jsonb_array_elements(d.focus_blocks) e
        join pgrecall.activities a on a.id = (e->>'activity_id')::uuid
        left join pgrecall.projects p on p.id = a.project_id), '[]'::jsonb)
  from (
    select jsonb_object_agg(y.name, y.seconds order by y.name) as by_project, sum(y.seconds) as assigned
    from (select p.name, sum(a.active_seconds) as seconds
          from pgrecall.activities a join pgrecall.projects p on p.id = a.project_id
          where a.deployment_id = p_deployment_id and a.day = p_day
          group by p.name) y
  ) x
  where d.deployment_id = p_deployment_id and d.day = p_day
$$;


--
-- Name: FUNCTION _refresh_by_project(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._refresh_by_project(p_deployment_id text, p_day date) IS 'Internal: recomputes by_project, unassigned_seconds and the focus blocks'' projects of one day from its activities.';


--
-- Name: _release_images(text[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._release_images(p_refs text[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


--
-- Name: FUNCTION _release_images(p_refs text[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._release_images(p_refs text[]) IS 'Internal: queues for gc the blobs given that no frame references any more (in the caller''s transaction); returns how many.';


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
-- Name: _rescan_job(bigint, uuid); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._rescan_job(p_rescan_id bigint, p_after_id uuid) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- Below the stages' priority (0): the screens being captured now are read first.
  -- Keyed by the cursor: a retried batch queues the same next job, not a second chain.
  select graphile_worker.add_job(
           'rescan', json_build_object('rescan_id', p_rescan_id),
           max_attempts => (select s.job_max_attempts from pgrecall.settings_for('*') s),
           job_key => format('pgrecall:rescan:%s:%s', p_rescan_id, coalesce(p_after_id::text, 'start')),
           priority => 10) is not null
$$;


--
-- Name: FUNCTION _rescan_job(p_rescan_id bigint, p_after_id uuid); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._rescan_job(p_rescan_id bigint, p_after_id uuid) IS 'Internal: queues the rescan''s next batch (task rescan, priority 10: after the stages'' jobs).';


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
-- Name: _search_matchable(text, text, text, timestamp with time zone, boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean) IS 'Internal: the condition on the canonical frames a search may match (deployment, app, window title substring, not tombstoned unless asked, as of the first page).';


--
-- Name: _select_frames(text, timestamp with time zone, timestamp with time zone, interval, text, text, uuid[], boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall._select_frames(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_tombstoned boolean) RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION _select_frames(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_tombstoned boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall._select_frames(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_tombstoned boolean) IS 'Internal: the frames a forget or unforget selection names (every filter given must match: deployment, captured_at in [since or now() - last, until), app (case-insensitive), window title substring, frame ids; tombstoned or not when p_tombstoned is set), with their near-duplicates, among the deployments the caller may forget. Checks the selection (22023, P0002 for a frame id that does not exist).';


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
-- Name: activity_frames(uuid); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.activity_frames(p_activity_id uuid) RETURNS TABLE(frame_id uuid, captured_at timestamp with time zone, starts_at timestamp with time zone, ends_at timestamp with time zone, seconds numeric, away_after boolean, duplicate boolean, excluded boolean)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select t.frame_id, t.captured_at, t.starts_at, t.ends_at, t.seconds, t.away_after, t.duplicate, t.excluded
  from pgrecall.activities a
  cross join lateral pgrecall.day_timeline(a.deployment_id, a.day) t
  where a.id = p_activity_id and t.activity_seq = a.seq
  order by t.captured_at, t.frame_id
$$;


--
-- Name: FUNCTION activity_frames(p_activity_id uuid); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.activity_frames(p_activity_id uuid) IS 'The frames behind an activity and the seconds each accounts for: their sum is the activity''s active_seconds (as long as the day''s frames have not changed since it was summarized).';


--
-- Name: activity_summary(timestamp with time zone, timestamp with time zone, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.activity_summary(p_start timestamp with time zone, p_end timestamp with time zone, p_app_name text DEFAULT NULL::text, p_deployment_id text DEFAULT NULL::text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION activity_summary(p_start timestamp with time zone, p_end timestamp with time zone, p_app_name text, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.activity_summary(p_start timestamp with time zone, p_end timestamp with time zone, p_app_name text, p_deployment_id text) IS 'Screenpipe''s /activity-summary over pgrecall''s timeline: apps and projects with minutes, first and last seen, top titles, for [start, end) (at most 31 days), optionally one app (case-insensitive) and one deployment. Minutes are frame spans cut to the range, so they add up to the time present.';


--
-- Name: add_project(text, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.add_project(p_name text, p_app_regex text DEFAULT NULL::text, p_title_regex text DEFAULT NULL::text) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_project bigint;
begin
  insert into pgrecall.projects (name) values (p_name)
  on conflict (name) do update set name = excluded.name
  returning id into v_project;
  if p_app_regex is not null or p_title_regex is not null then
    insert into pgrecall.project_rules (project_id, app_regex, title_regex)
    values (v_project, p_app_regex, p_title_regex);
  end if;
  perform pgrecall.assign_projects();
  return v_project;
end;
$$;


--
-- Name: FUNCTION add_project(p_name text, p_app_regex text, p_title_regex text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.add_project(p_name text, p_app_regex text, p_title_regex text) IS 'Creates the project if it is new, adds a rule (app and/or title regex) if one is given, and re-assigns every summarized activity. Returns the project id.';


--
-- Name: assign_projects(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.assign_projects() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_changed integer;
begin
  -- Activities are few (tens to hundreds a day), so a rule change re-judges all of them and
  -- refreshes by_project of the days that changed.
  with judged as (
    select a.id, a.deployment_id, a.day, p.project_id, p.rule_id
    from pgrecall.activities a
    left join lateral pgrecall.project_for(a.app_name, a.window_title) p on true
  ), changed as (
    update pgrecall.activities a
    set project_id = j.project_id, project_rule_id = j.rule_id,
        suggested_project_id = case when j.project_id is null then a.suggested_project_id end,
        suggestion_confidence = case when j.project_id is null then a.suggestion_confidence end
    from judged j
    where j.id = a.id and (a.project_id, a.project_rule_id) is distinct from (j.project_id, j.rule_id)
    returning a.deployment_id, a.day
  ), days as (
    select distinct deployment_id, day from changed
  )
  select count(*) into v_changed from days d, lateral pgrecall._refresh_by_project(d.deployment_id, d.day);
  return v_changed;
end;
$$;


--
-- Name: FUNCTION assign_projects(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.assign_projects() IS 'Gives every summarized activity the project of its first matching rule and refreshes by_project of the days that changed. Returns how many days changed.';


--
-- Name: check_prose_template(text, jsonb); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.check_prose_template(p_template text, p_facts jsonb) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION check_prose_template(p_template text, p_facts jsonb); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.check_prose_template(p_template text, p_facts jsonb) IS 'Why a model''s template cannot be used (unknown token, a digit or number word outside the tokens, empty, too long), or null.';


--
-- Name: claim_blob(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.claim_blob(p_ref text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
begin
  if p_ref is null or p_ref !~ '^blob:sha256:[0-9a-f]{64}$' then
    raise exception 'not a blob reference: "%"', left(p_ref, 100) using errcode = '22023';
  end if;
  -- Waits while gc is removing this blob's file: after that, the writer writes it anew.
  perform pg_advisory_xact_lock_shared(1886545260, pgrecall._blob_lock(p_ref));
  insert into pgrecall.blob_claims (ref) values (p_ref)
  on conflict (ref) do update set claimed_at = excluded.claimed_at;
end;
$_$;


--
-- Name: FUNCTION claim_blob(p_ref text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.claim_blob(p_ref text) IS 'Call before storing (or reusing) a blob a frame is about to reference, in its own transaction: gc then leaves the blob alone until a frame references it (which consumes the claim) or the orphan grace (at least 10 minutes) passes. Waits while gc is removing that blob.';


--
-- Name: collect_blob(text, interval, interval, boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.collect_blob(p_ref text, p_file_age interval, p_orphan_grace interval, p_dry_run boolean DEFAULT false) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_released timestamptz;
  v_claimed timestamptz;
begin
  -- The caller holds the blob's advisory lock (pg_advisory_lock(1886545260, pgrecall._blob_lock(ref))).
  select r.released_at into v_released from pgrecall.blob_releases r where r.ref = p_ref;
  select c.claimed_at into v_claimed from pgrecall.blob_claims c where c.ref = p_ref;
  if exists (select 1 from pgrecall.frames f where f.image_ref = p_ref) then
    if not p_dry_run then
      delete from pgrecall.blob_releases r where r.ref = p_ref;  -- referenced again: nothing to do
    end if;
    return 'referenced';
  end if;
  -- A writer is about to reference it: a claim holds for the orphan grace, and never less than
  -- 10 minutes (a short grace for old orphans must not cut a capture in progress short).
  if v_claimed > now() - greatest(p_orphan_grace, interval '10 minutes') then
    return 'claimed';
  end if;
  -- A blob a forget or retention released goes at once; one never referenced (a crash between
  -- write and insert) only after the orphan grace.
  if v_released is null and p_file_age is not null and p_file_age < p_orphan_grace then
    return 'young';
  end if;
  if not p_dry_run then
    delete from pgrecall.blob_releases r where r.ref = p_ref;
    delete from pgrecall.blob_claims c where c.ref = p_ref;
    delete from pgrecall.blob_sizes s where s.ref = p_ref;
  end if;
  return case when v_released is null then 'orphan' else 'released' end;
end;
$$;


--
-- Name: FUNCTION collect_blob(p_ref text, p_file_age interval, p_orphan_grace interval, p_dry_run boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.collect_blob(p_ref text, p_file_age interval, p_orphan_grace interval, p_dry_run boolean) IS 'gc''s decision for one blob, under its advisory lock: referenced (a frame shows it: kept, its release dropped), claimed (a writer is about to use it), young (never referenced, younger than the orphan grace), or released / orphan: the blob is forgotten here, and the caller removes the file once this has committed.';


--
-- Name: day(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.day(p_deployment_id text, p_day date) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION day(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.day(p_deployment_id text, p_day date) IS 'One summarized day as jsonb, for the CLI, the HTTP API and the web page: the day_summaries row (active_seconds, away_seconds, first_seen, last_seen, by_app {app: seconds}, by_project {name: seconds}, unassigned_seconds, focus_blocks, top_titles, away [{from, until, seconds}], summary, summary_model, computed_at) and its activities in order (lanes: app_name, window_title, started_at, ended_at, active_seconds, project, interrupts, suggested_project with suggestion_confidence). Null when the day has no summary. Seconds are exact sums of frame spans (numeric).';


--
-- Name: day_bounds(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.day_bounds(p_deployment_id text, p_day date, OUT day_start timestamp with time zone, OUT day_end timestamp with time zone) RETURNS record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select p_day::timestamp at time zone s.time_zone, (p_day + 1)::timestamp at time zone s.time_zone
  from pgrecall.summary_settings(p_deployment_id) s
$$;


--
-- Name: FUNCTION day_bounds(p_deployment_id text, p_day date, OUT day_start timestamp with time zone, OUT day_end timestamp with time zone); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.day_bounds(p_deployment_id text, p_day date, OUT day_start timestamp with time zone, OUT day_end timestamp with time zone) IS 'The instants a deployment''s local day starts and ends (local midnights in its time_zone; 23 or 25 hours apart on a DST change).';


--
-- Name: day_prose_facts(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.day_prose_facts(p_deployment_id text, p_day date) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION day_prose_facts(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.day_prose_facts(p_deployment_id text, p_day date) IS 'What a language model may say about a day: {digest, day, facts: {token: text}} with TOTAL, AWAY, FIRST, LAST, A1… (apps), P1… (projects), T1… (top titles), F1… (focus blocks). Null when the day has no summary.';


--
-- Name: day_prose_failed(text, date, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.day_prose_failed(p_deployment_id text, p_day date, p_message text) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update pgrecall.day_summaries d set summary_message = left(p_message, 1000)
  where d.deployment_id = p_deployment_id and d.day = p_day
$$;


--
-- Name: FUNCTION day_prose_failed(p_deployment_id text, p_day date, p_message text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.day_prose_failed(p_deployment_id text, p_day date, p_message text) IS 'Records why no prose was written for a day (the summary stays the structured one).';


--
-- Name: day_timeline(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.day_timeline(p_deployment_id text, p_day date) RETURNS TABLE(frame_id uuid, captured_at timestamp with time zone, app_name text, window_title text, starts_at timestamp with time zone, ends_at timestamp with time zone, seconds numeric, away_after boolean, duplicate boolean, excluded boolean, activity_seq integer, interrupts_seq integer)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION day_timeline(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.day_timeline(p_deployment_id text, p_day date) IS 'pgrecall.frame_spans with each frame''s activity: activity_seq numbers the day''s activities in the order they start; interrupts_seq is the activity a short interruption (< 30 s) interrupted.';


--
-- Name: day_wants_prose(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.day_wants_prose(p_deployment_id text, p_day date) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- Prose is written once a day has ended (a day still being captured would be rewritten
  -- every couple of minutes), and not again after a refusal or a failure was recorded.
  select coalesce((select d.summary is null and d.summary_message is null and d.day_end <= now()
                   from pgrecall.day_summaries d where d.deployment_id = p_deployment_id and d.day = p_day), false)
$$;


--
-- Name: FUNCTION day_wants_prose(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.day_wants_prose(p_deployment_id text, p_day date) IS 'Whether the summarize task should have prose written for this day: it has ended and has neither prose nor a recorded failure.';


--
-- Name: days_changed(text, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.days_changed(p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION days_changed(p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.days_changed(p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone) IS 'For pgrecall.forget/unforget/purges: frames of a deployment captured between from and to changed (call it before or after changing them, in the same transaction). Drops the summaries of the local days this touches (within activity_gap of the range) and queues their recompute (summarize jobs that run once that transaction commits). Returns how many days.';


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
-- Name: forget(text, timestamp with time zone, timestamp with time zone, interval, text, text, uuid[], boolean, boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.forget(p_deployment_id text DEFAULT NULL::text, p_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_until timestamp with time zone DEFAULT NULL::timestamp with time zone, p_last interval DEFAULT NULL::interval, p_app text DEFAULT NULL::text, p_window text DEFAULT NULL::text, p_frame_ids uuid[] DEFAULT NULL::uuid[], p_soft boolean DEFAULT false, p_dry_run boolean DEFAULT false, OUT frames integer, OUT near_duplicates integer, OUT findings integer, OUT words integer, OUT images integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION forget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_soft boolean, p_dry_run boolean, OUT frames integer, OUT near_duplicates integer, OUT findings integer, OUT words integer, OUT images integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.forget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_soft boolean, p_dry_run boolean, OUT frames integer, OUT near_duplicates integer, OUT findings integer, OUT words integer, OUT images integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) IS 'Forgets the frames a selection names (every filter given must match: deployment, captured_at in [since or now() - last, until), app, window title substring, frame ids) and their near-duplicates. Default: purged at once — text, word boxes, vectors, findings, vision descriptions, the vocabulary words no remaining frame contains; the images no remaining frame shows are queued for gc (pgrecall gc removes the files after this commits). p_soft: tombstoned instead (hidden from search, views and readers; pgrecall.unforget restores them until tombstone_grace, then gc purges them). p_dry_run: only counts. Logged in pgrecall.events (counts and range, never content). Readers and capture logins may forget the deployments they were granted.';


--
-- Name: forgotten_ranges(date, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.forgotten_ranges(p_day date, p_deployment_id text DEFAULT NULL::text) RETURNS TABLE(event_id bigint, forgotten_at timestamp with time zone, kind text, deployment_id text, band_from timestamp with time zone, band_to timestamp with time zone, range_from timestamp with time zone, range_to timestamp with time zone, frames integer, whole_range boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION forgotten_ranges(p_day date, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.forgotten_ranges(p_day date, p_deployment_id text) IS 'The forgets (pgrecall.forget, purged or tombstoned) whose span overlaps a deployment''s local day, for the deployments the caller may read (a reader: those granted to it, and a forget only when it may read every deployment the forget touched; the owner: all): when, the band (the selection''s since/until when it chose by time only, else the forgotten frames'' first and last capture; cut to the day), the frames'' span and count, and whether the whole band was forgotten (false: an app, window or frame selection); a soft forget is tombstoned while some of its frames are still hidden (frames: those), then purged (frames: those gc or retention purged), and no longer listed once unforget restored them all. Never what was on screen.';


--
-- Name: format_seconds(numeric); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.format_seconds(p_seconds numeric) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select case
    when p_seconds < 60 then round(p_seconds)::text || ' s'
    when p_seconds < 3600 then round(p_seconds / 60)::text || ' min'
    else (floor(round(p_seconds / 60) / 60))::text || ' h ' || lpad((round(p_seconds / 60)::bigint % 60)::text, 2, '0') || ' min'
  end
$$;


--
-- Name: FUNCTION format_seconds(p_seconds numeric); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.format_seconds(p_seconds numeric) IS 'A duration as people read it: 40 s, 12 min, 2 h 05 min (rounded to the minute from one minute on).';


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
-- Name: frame_ocr_done(uuid, text, real, jsonb, jsonb, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real DEFAULT NULL::real, p_words jsonb DEFAULT NULL::jsonb, p_findings jsonb DEFAULT NULL::jsonb, p_redacted_image_ref text DEFAULT NULL::text, p_engine text DEFAULT NULL::text) RETURNS text[]
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_old_refs text[];
begin
  if p_words is not null and jsonb_typeof(p_words) <> 'array' then
    raise exception 'frame_ocr_done: words must be a JSON array (frame %)', p_frame_id using errcode = '22023';
  end if;
  if p_findings is not null and jsonb_typeof(p_findings) <> 'array' then
    raise exception 'frame_ocr_done: findings must be a JSON array (frame %)', p_frame_id using errcode = '22023';
  end if;
  if jsonb_array_length(coalesce(p_findings, '[]')) > 0 and p_redacted_image_ref is null
     and exists (select 1 from pgrecall.frames f where f.id = p_frame_id and f.image_ref is not null) then
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
         ocr_status = 1, ocr_message = null, ocr_at = now(),
         ocr_engine = left(nullif(btrim(p_engine), ''), 200)
   where id = p_frame_id and ocr_status = 0;
  if not found then
    perform pgrecall._raise_illegal(p_frame_id, 'ocr', 'complete');
  end if;
  if jsonb_array_length(coalesce(p_findings, '[]')) = 0 then
    return null;
  end if;
  -- (no redacted image: a frame without an image, whose findings are its masked text's)
  return pgrecall._record_findings(p_frame_id, p_findings, p_redacted_image_ref, v_old_refs);
end;
$$;


--
-- Name: FUNCTION frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text, p_engine text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text, p_engine text) IS 'Records a frame''s OCR text (redacted; null is stored as empty: the screen had none), its mean confidence and word boxes, the engine and model that read it (ocr_engine; null: not said), and — when secrets were found — the findings (pgrecall.secrets) and the redacted image (required when the frame has an image; a frame without one records its findings alone), which its near-duplicates are pointed at too. Returns the original images (its own, its near-duplicates''), now referenced by no frame, for the caller to delete. Queues the embedding and the vision stage.';


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
-- Name: frame_ocr_imported(uuid, text, text, real, jsonb, jsonb, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real DEFAULT NULL::real, p_words jsonb DEFAULT NULL::jsonb, p_findings jsonb DEFAULT NULL::jsonb, p_redacted_image_ref text DEFAULT NULL::text) RETURNS text[]
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if nullif(btrim(p_engine), '') is null then
    raise exception 'frame_ocr_imported needs the engine that read the text (frame %)', p_frame_id using errcode = '22023';
  end if;
  return pgrecall.frame_ocr_done(p_frame_id, p_text, p_confidence, p_words, p_findings, p_redacted_image_ref, p_engine);
end;
$$;


--
-- Name: FUNCTION frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) IS 'Records OCR text another program produced (already passed through the secret detector, like pgrecall''s own) as the frame''s OCR, done, with the engine named in ocr_engine. Same rules and result as pgrecall.frame_ocr_done.';


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
-- Name: frame_spans(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.frame_spans(p_deployment_id text, p_day date) RETURNS TABLE(frame_id uuid, captured_at timestamp with time zone, app_name text, window_title text, starts_at timestamp with time zone, ends_at timestamp with time zone, seconds numeric, away_after boolean, duplicate boolean, excluded boolean)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION frame_spans(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.frame_spans(p_deployment_id text, p_day date) IS 'The timeline of one deployment''s local day: each frame with the span of time it accounts for (starts_at, ends_at, seconds, cut at the day''s bounds) and whether time away follows it. A frame of the previous day whose span reaches past midnight comes first.';


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
-- Name: gc_candidates(text[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.gc_candidates(p_refs text[]) RETURNS SETOF text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- Of the blobs found in the store, those no frame references (one index probe each).
  select r from unnest(p_refs) r
  where not exists (select 1 from pgrecall.frames f where f.image_ref = r)
$$;


--
-- Name: FUNCTION gc_candidates(p_refs text[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.gc_candidates(p_refs text[]) IS 'Of these blob references, those no frame references: gc looks at them more closely (collect_blob).';


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
  if p_kind = 'worker' and not pg_has_role(p_role, 'pgrecall_worker', 'member') then
    -- No role_deployments row (whose trigger logs capture and read grants): logged here.
    perform pgrecall.log_event('grant.added', null, null, null, '{}', jsonb_build_object('role', p_role, 'kind', 'worker'));
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
-- Name: health(interval, numeric, interval); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.health(p_max_pending_age interval DEFAULT '01:00:00'::interval, p_max_failure_rate numeric DEFAULT 0.5, p_max_retention_age interval DEFAULT '01:00:00'::interval) RETURNS TABLE(check_name text, ok boolean, value text, detail text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
-- The per-stage columns are named by the registry (format %I), which plpgsql_check cannot see through:
-- @plpgsql_check_options: other_warnings = off, extra_warnings = off, security_warnings = off
declare
  s record;
  v_age interval;
  v_done bigint;
  v_failed bigint;
  v_live integer;
  v_pending bigint := 0;
  v_at timestamptz;
  v_bytes numeric;
  v_n bigint;
begin
  check_name := 'database_bytes'; ok := true; value := pg_database_size(current_database())::text;
  detail := pg_size_pretty(pg_database_size(current_database())) || ' (whole database)';
  return next;

  select coalesce(sum(b.bytes), 0), count(*) into v_bytes, v_n from pgrecall.blob_sizes b;
  check_name := 'blob_bytes'; ok := true; value := v_bytes::text;
  detail := format('%s in %s blob(s), as measured by the last gc (an estimate between runs)', pg_size_pretty(v_bytes), v_n);
  return next;

  check_name := 'frames_estimate'; ok := true;
  value := (select greatest(c.reltuples, 0)::bigint from pg_class c where c.oid = 'pgrecall.frames'::regclass)::text;
  detail := value || ' frames, the planner''s estimate (pg_class.reltuples, as of the last analyze)';
  return next;

  for s in select c.stage, c.pending, c.oldest_pending_age, c.capped from pgrecall.stage_counts() c loop
    -- The oldest runnable pending frame, from the stage's partial index over pending rows (pgrecall.stage_counts).
    -- Runnable frames only: one waiting for an earlier stage is that stage's delay (and one behind a
    -- failure is pgrecall status's upstream_failed).
    v_age := s.oldest_pending_age;
    v_n := s.pending;
    v_pending := v_pending + v_n;
    check_name := s.stage || '_oldest_pending'; ok := v_age is null or v_age <= p_max_pending_age;
    value := coalesce(extract(epoch from v_age)::bigint::text, '0');
    detail := case when v_age is null then 'nothing pending'
                   when s.capped then format('over %s pending, the oldest of those read for %s (limit %s)', v_n - 1, date_trunc('second', v_age), p_max_pending_age)
                   else format('%s pending, the oldest for %s (limit %s)', v_n, date_trunc('second', v_age), p_max_pending_age) end;
    return next;
    -- Failures among the frames captured in the last hour (the captured_at index).
    execute format('select count(*) filter (where f.%1$I = 1), count(*) filter (where f.%1$I = 2) from pgrecall.frames f
                    where f.captured_at >= now() - interval ''1 hour''', s.stage || '_status') into v_done, v_failed;
    check_name := s.stage || '_failure_rate'; ok := v_done + v_failed < 10 or v_failed::numeric / (v_done + v_failed) <= p_max_failure_rate;
    value := case when v_done + v_failed = 0 then '0' else round(v_failed::numeric / (v_done + v_failed), 4)::text end;
    detail := format('%s failed, %s done of the frames captured in the last hour (limit %s, judged from 10 finished)', v_failed, v_done, p_max_failure_rate);
    return next;
  end loop;

  select count(*) into v_live from pgrecall.workers w where w.heartbeat_at > now() - w.dead_after;
  check_name := 'workers'; ok := v_live > 0 or v_pending = 0; value := v_live::text;
  detail := format('%s live worker process pool(s); %s stage(s) pending', v_live, v_pending);
  return next;

  select max(e.at) into v_at from pgrecall.events e where e.action = 'retention';
  check_name := 'last_retention';
  ok := coalesce(v_at > now() - p_max_retention_age, false)
        or not exists (select 1 from pgrecall.settings st
                       where st.keep_images_for is not null or st.keep_text_for is not null or st.keep_frames_for is not null or st.max_storage is not null);
  value := coalesce(v_at::text, 'never');
  detail := case when v_at is null then 'no retention pass yet' else format('%s ago (the worker runs one every 10 minutes; limit %s when a deployment has retention settings)', date_trunc('second', now() - v_at), p_max_retention_age) end;
  return next;

  select max(e.at) into v_at from pgrecall.events e where e.action = 'gc';
  select count(*) into v_n from pgrecall.blob_releases;
  check_name := 'last_gc'; ok := true; value := coalesce(v_at::text, 'never');
  detail := format('%s; %s released image(s) waiting for it', coalesce(date_trunc('second', now() - v_at)::text || ' ago', 'never run'), v_n);
  return next;
end;
$_$;


--
-- Name: FUNCTION health(p_max_pending_age interval, p_max_failure_rate numeric, p_max_retention_age interval); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.health(p_max_pending_age interval, p_max_failure_rate numeric, p_max_retention_age interval) IS 'Health figures, each with ok: database and blob bytes (blob bytes as the last gc measured them), an estimate of the frames, per stage the oldest runnable pending frame (unhealthy past p_max_pending_age) and the failure rate of the frames captured in the last hour (unhealthy past p_max_failure_rate, from 10 finished), live workers (unhealthy when work is pending and none is alive), the last retention pass (unhealthy when older than p_max_retention_age and a deployment has retention settings) and the last gc. Cheap at any size: index probes, catalog estimates, the event log.';


--
-- Name: import_frame(text, timestamp with time zone, text, text, text, text, bigint, bigint[], text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text DEFAULT NULL::text, p_window_title text DEFAULT NULL::text, p_phash bigint DEFAULT NULL::bigint, p_tile_hashes bigint[] DEFAULT NULL::bigint[], p_browser_url text DEFAULT NULL::text, p_missing_image text DEFAULT NULL::text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if p_capture_key is null then
    raise exception 'import_frame needs a capture_key (what names the frame in its source)' using errcode = '22023';
  end if;
  if p_image_ref is null and nullif(btrim(p_missing_image), '') is null and p_phash is not null then
    raise exception 'import_frame: hashes without an image (frame %)', p_capture_key using errcode = '22023';
  end if;
  select i.frame_id, i.duplicate_of, i.existing into frame_id, duplicate_of, existing
  from pgrecall.insert_frame(p_deployment_id, p_captured_at, p_image_ref, p_capture_key, p_app_name, p_window_title,
                             p_phash, p_tile_hashes) i;
  select f.excluded_by into excluded_by from pgrecall.frames f where f.id = frame_id;
  if not existing and excluded_by is null then
    if p_browser_url is not null then
      update pgrecall.frames f set browser_url = left(p_browser_url, 4096) where f.id = frame_id;
    end if;
    -- Its media is gone: the hash stage cannot run (failed, with the reason), nor can vision;
    -- the text the source recorded is still worth keeping.
    if p_image_ref is null then
      perform pgrecall.frame_stage_failed(frame_id, 'hash', 'no image: ' || p_missing_image);
      perform pgrecall.frame_stage_skipped(frame_id, 'vision', 'no image: ' || p_missing_image);
    end if;
  end if;
  select f.ocr_status = 0 into ocr_pending from pgrecall.frames f where f.id = frame_id;
end;
$$;


--
-- Name: FUNCTION import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], p_browser_url text, p_missing_image text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], p_browser_url text, p_missing_image text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean) IS 'Inserts a frame imported from another program through pgrecall.insert_frame (idempotent on its capture_key, deduplicated, exclusion rules applied), with its browser URL; a frame whose media is gone (p_missing_image: why) keeps its metadata, its hash stage failed and vision skipped with the reason. ocr_pending says whether the source''s OCR text may be recorded (pgrecall.frame_ocr_imported): not for an excluded frame, a near-duplicate or a frame imported before.';


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
-- Name: list_apps(timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.list_apps(p_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_until timestamp with time zone DEFAULT NULL::timestamp with time zone, p_deployment_id text DEFAULT NULL::text) RETURNS TABLE(app_name text, frames bigint, first_seen timestamp with time zone, last_seen timestamp with time zone)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select f.app_name, count(*), min(f.captured_at), max(f.captured_at)
  from pgrecall.frames f
  where f.app_name is not null and f.tombstoned_at is null and f.excluded_by is null
    and (p_since is null or f.captured_at >= p_since)
    and (p_until is null or f.captured_at < p_until)
    and (p_deployment_id is null or f.deployment_id = p_deployment_id)
  group by f.app_name
  order by max(f.captured_at) desc, f.app_name
$$;


--
-- Name: FUNCTION list_apps(p_since timestamp with time zone, p_until timestamp with time zone, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.list_apps(p_since timestamp with time zone, p_until timestamp with time zone, p_deployment_id text) IS 'The apps seen in [since, until) (either open), with how many frames and when first and last seen, most recent first; excluded and forgotten screens left out.';


--
-- Name: local_day(text, timestamp with time zone); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.local_day(p_deployment_id text, p_at timestamp with time zone) RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ select (p_at at time zone s.time_zone)::date from pgrecall.summary_settings(p_deployment_id) s $$;


--
-- Name: FUNCTION local_day(p_deployment_id text, p_at timestamp with time zone); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.local_day(p_deployment_id text, p_at timestamp with time zone) IS 'The deployment''s local day an instant falls in.';


--
-- Name: log_event(text, text, timestamp with time zone, timestamp with time zone, jsonb, jsonb); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.log_event(p_action text, p_deployment_id text DEFAULT NULL::text, p_from timestamp with time zone DEFAULT NULL::timestamp with time zone, p_to timestamp with time zone DEFAULT NULL::timestamp with time zone, p_counts jsonb DEFAULT '{}'::jsonb, p_details jsonb DEFAULT '{}'::jsonb) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  insert into pgrecall.events (action, actor, deployment_id, range_from, range_to, counts, details)
  values (p_action, pgrecall._caller(), p_deployment_id, p_from, p_to, coalesce(p_counts, '{}'), coalesce(p_details, '{}'))
  returning id
$$;


--
-- Name: FUNCTION log_event(p_action text, p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone, p_counts jsonb, p_details jsonb); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.log_event(p_action text, p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone, p_counts jsonb, p_details jsonb) IS 'Appends an event to pgrecall.events (actor: the calling role). Counts and details are JSON objects of numbers and names, never screen content.';


--
-- Name: match_boxes(uuid, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.match_boxes(p_frame_id uuid, p_query text) RETURNS TABLE(word text, box integer[], char_offset integer, kind text)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


--
-- Name: FUNCTION match_boxes(p_frame_id uuid, p_query text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.match_boxes(p_frame_id uuid, p_query text) IS 'Where a query''s words are on a frame''s screen: the OCR word boxes ([x0, y0, x1, y1] in image pixels) of every word that matches one of the query''s terms as search_frames matches them (stemmed, one typo forgiven), kind ''match''; and the boxes of redacted words, kind ''redacted''.';


--
-- Name: near_duplicates(uuid, integer); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.near_duplicates(p_frame_id uuid, p_limit integer DEFAULT 50) RETURNS TABLE(frame_id uuid, captured_at timestamp with time zone, duplicate_of uuid, duplicate_distance integer)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- The frame's original (when it is a near-duplicate) and the other near-duplicates of that original.
  with o as (select coalesce(f.duplicate_of, f.id) as id from pgrecall.frames f where f.id = p_frame_id)
  select f.id, f.captured_at, f.duplicate_of, f.duplicate_distance::integer
  from pgrecall.frames f, o
  where (f.id = o.id or f.duplicate_of = o.id) and f.id <> p_frame_id and f.tombstoned_at is null
  order by f.captured_at, f.id
  limit least(greatest(coalesce(p_limit, 50), 1), 500)
$$;


--
-- Name: FUNCTION near_duplicates(p_frame_id uuid, p_limit integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.near_duplicates(p_frame_id uuid, p_limit integer) IS 'The frames that show the same screen as this one: its original and that original''s other near-duplicates, in capture order (at most p_limit, 1-500).';


--
-- Name: normalize_title(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.normalize_title(p_title text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $_$
  select nullif(btrim(
    regexp_replace(
      regexp_replace(
        regexp_replace(
          btrim(regexp_replace(p_title, '\s+', ' ', 'g')),
          '^([●•*]\s*)+', ''),
        ' [●•](?= |$)', '', 'g'),
      '( ?([(\[](modified|edited|unsaved)[)\]]|[-–—] ?(edited|modified)|\*))+$', '', 'i')
  ), '')
$_$;


--
-- Name: FUNCTION normalize_title(p_title text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.normalize_title(p_title text) IS 'A window title as activities group it: whitespace runs made one space and trimmed; the dirty markers editors add and remove dropped: leading ●, • or *, a standalone ● or • (Sublime''s "file • - Sublime Text"), a trailing " (modified)", " [modified]", " (edited)", " (unsaved)", " — Edited" or " *". Empty becomes null.';


--
-- Name: parse_moment(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.parse_moment(p_text text) RETURNS timestamp with time zone
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


--
-- Name: FUNCTION parse_moment(p_text text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.parse_moment(p_text text) IS 'A time as a person or an assistant writes it: ISO 8601, now, today, yesterday (local midnight of the session''s time zone), or an interval followed by ago (2h ago, 30 minutes ago, 1 day 3 hours ago). Null for null or blank; 22023 with the accepted forms otherwise.';


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
-- Name: project_for(text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.project_for(p_app_name text, p_window_title text, OUT project_id bigint, OUT rule_id bigint) RETURNS record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select r.project_id, r.id
  from pgrecall.project_rules r
  where (r.app_regex is null or coalesce(p_app_name, '') ~* r.app_regex)
    and (r.title_regex is null or (p_window_title is not null and p_window_title ~* r.title_regex))
  order by r.id
  limit 1
$$;


--
-- Name: FUNCTION project_for(p_app_name text, p_window_title text, OUT project_id bigint, OUT rule_id bigint); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.project_for(p_app_name text, p_window_title text, OUT project_id bigint, OUT rule_id bigint) IS 'The project (and the rule) of an activity''s app and normalized window title: the first rule by id that matches, case-insensitively. A title rule never matches a frame without a title (excluded screens).';


--
-- Name: purge_tombstoned(integer, boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.purge_tombstoned(p_limit integer DEFAULT 1000, p_dry_run boolean DEFAULT false, OUT frames integer, OUT findings integer, OUT words integer, OUT images integer, OUT event_id bigint) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION purge_tombstoned(p_limit integer, p_dry_run boolean, OUT frames integer, OUT findings integer, OUT words integer, OUT images integer, OUT event_id bigint); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.purge_tombstoned(p_limit integer, p_dry_run boolean, OUT frames integer, OUT findings integer, OUT words integer, OUT images integer, OUT event_id bigint) IS 'Purges (as pgrecall.forget does) up to p_limit frames tombstoned longer than their deployment''s tombstone_grace, oldest first. Run by gc and the retention task. Logged in pgrecall.events.';


--
-- Name: queue_days_due_prose(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.queue_days_due_prose() RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- Days that have ended (in their own time zone) and have no prose yet, from the last week.
  select coalesce(pgrecall._queue_summaries(array_agg(d.deployment_id), array_agg(d.day), interval '0'), 0)
  from pgrecall.day_summaries d
  where d.summary is null and d.summary_message is null and d.day_end <= now() and d.day_end > now() - interval '7 days'
$$;


--
-- Name: FUNCTION queue_days_due_prose(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.queue_days_due_prose() IS 'Queues a summarize job for each day of the last week that has ended and has no prose (for the hourly cron task; the task writes prose only for ended days, and only with a provider). Returns how many.';


--
-- Name: record_blob_sizes(text[], bigint[]); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.record_blob_sizes(p_refs text[], p_bytes bigint[]) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  insert into pgrecall.blob_sizes (ref, bytes)
  select r, b from unnest(p_refs, p_bytes) as x(r, b)
  on conflict (ref) do update set bytes = excluded.bytes, seen_at = excluded.seen_at
$$;


--
-- Name: FUNCTION record_blob_sizes(p_refs text[], p_bytes bigint[]); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.record_blob_sizes(p_refs text[], p_bytes bigint[]) IS 'Records the sizes gc saw while walking the store (for max_storage and status).';


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
-- Name: remove_project(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.remove_project(p_name text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_deployments text[];
  v_days date[];
  v_found boolean;
begin
  -- Its activities lose it (on delete set null), then get the next matching rule; the days
  -- it was in are refreshed whether or not another rule took them.
  select array_agg(x.deployment_id), array_agg(x.day) into v_deployments, v_days
  from (select distinct a.deployment_id, a.day
        from pgrecall.activities a join pgrecall.projects p on p.id = a.project_id
        where p.name = p_name) x;
  delete from pgrecall.projects p where p.name = p_name;
  v_found := found;
  if not v_found then
    return false;
  end if;
  perform pgrecall.assign_projects();
  perform pgrecall._refresh_by_project(x.deployment_id, x.day) from unnest(v_deployments, v_days) as x(deployment_id, day);
  return true;
end;
$$;


--
-- Name: FUNCTION remove_project(p_name text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.remove_project(p_name text) IS 'Removes a project and its rules; its activities fall to the next matching rule or none. False when there is no such project.';


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
-- Name: rescan_batch(bigint, integer); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.rescan_batch(p_rescan_id bigint, p_limit integer DEFAULT 50) RETURNS TABLE(id uuid, ocr_text text, ocr_words jsonb, image_ref text, ocr_version bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  -- Canonical frames with text, OCRed before the rescan began (later ones met the new rules),
  -- after the cursor. Nothing once the rescan is finished or superseded.
  select f.id, f.ocr_text, f.ocr_words, f.image_ref, pgrecall._ocr_version(f.ocr_at)
  from pgrecall.secret_rescans r
  join pgrecall.frames f on f.id > coalesce(r.after_id, '00000000-0000-0000-0000-000000000000')
  where r.id = p_rescan_id and r.finished_at is null
    and (r.deployment_id is null or f.deployment_id = r.deployment_id)
    and f.duplicate_of is null and f.ocr_status = 1 and f.ocr_at <= r.started_at and f.ocr_text <> ''
  order by f.id
  limit greatest(1, least(p_limit, 1000))
$$;


--
-- Name: FUNCTION rescan_batch(p_rescan_id bigint, p_limit integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.rescan_batch(p_rescan_id bigint, p_limit integer) IS 'The next frames (at most 1000) a rescan reads: canonical, OCRed before it began, with text, after its cursor. Empty when it is finished or superseded.';


--
-- Name: rescan_batch_done(bigint, uuid, integer, jsonb); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.rescan_batch_done(p_rescan_id bigint, p_after_id uuid, p_scanned integer, p_results jsonb DEFAULT '[]'::jsonb) RETURNS text[]
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_r record;
  v_old_refs text[];
  v_old_words text[];
  v_released text[] := '{}'::text[];
  v_redacted integer := 0;
  v_findings integer := 0;
  v_missing integer := 0;
  v_more boolean;
begin
  if jsonb_typeof(coalesce(p_results, '[]')) <> 'array' then
    raise exception 'rescan_batch_done: results must be a JSON array (rescan %)', p_rescan_id using errcode = '22023';
  end if;
  perform 1 from pgrecall.secret_rescans r where r.id = p_rescan_id for update;
  if not found then
    raise exception 'no rescan %', p_rescan_id using errcode = '22023';
  end if;
  for v_r in
    select x.frame_id, x.text, x.words, x.findings, x.redacted_image_ref, x.ocr_version
    from jsonb_to_recordset(coalesce(p_results, '[]')) as x(frame_id uuid, text text, words jsonb, findings jsonb,
                                                            redacted_image_ref text, ocr_version bigint)
  loop
    if jsonb_array_length(coalesce(v_r.findings, '[]')) = 0 then
      raise exception 'rescan_batch_done: a result without findings (frame %)', v_r.frame_id using errcode = '22023',
        hint = 'Pass only the frames on which the rescan found something.';
    end if;
    -- The frame as the batch read it; OCRed again since (a requeue), its new text met the current rules.
    select array_agg(distinct f.image_ref) filter (where f.image_ref is distinct from v_r.redacted_image_ref and v_r.redacted_image_ref is not null),
           (select tsvector_to_array(c.fts) from pgrecall.frames c where c.id = v_r.frame_id)
      into v_old_refs, v_old_words
    from pgrecall.frames f where f.id = v_r.frame_id or f.duplicate_of = v_r.frame_id;
    update pgrecall.frames
       set ocr_text = v_r.text, ocr_words = v_r.words,
           image_ref = coalesce(v_r.redacted_image_ref, image_ref), redacted_at = now(),
           -- Made from the text or image before it was redacted: made again.
           embedding = case when embedding_status = 1 then null else embedding end,
           embedding_model = case when embedding_status = 1 then null else embedding_model end,
           embedding_at = case when embedding_status = 1 then null else embedding_at end,
           embedding_status = case when embedding_status = 1 then 0 else embedding_status end,
           vision_summary = case when vision_status = 1 then null else vision_summary end,
           vision_at = case when vision_status = 1 then null else vision_at end,
           vision_status = case when vision_status = 1 then 0 else vision_status end
     where id = v_r.frame_id and ocr_status = 1 and pgrecall._ocr_version(ocr_at) = v_r.ocr_version and duplicate_of is null;
    continue when not found;
    v_redacted := v_redacted + 1;
    v_findings := v_findings + jsonb_array_length(v_r.findings);
    v_missing := v_missing + (v_r.redacted_image_ref is null)::int;
    v_released := v_released || coalesce(pgrecall._record_findings(v_r.frame_id, v_r.findings, v_r.redacted_image_ref, v_old_refs), '{}');
    perform pgrecall._forget_words(array(select unnest(v_old_words) except
                                         select unnest(tsvector_to_array(f.fts)) from pgrecall.frames f where f.id = v_r.frame_id));
  end loop;
  update pgrecall.secret_rescans r
     set after_id = coalesce(p_after_id, r.after_id), frames_scanned = r.frames_scanned + greatest(p_scanned, 0),
         frames_redacted = r.frames_redacted + v_redacted, findings = r.findings + v_findings,
         images_missing = r.images_missing + v_missing
   where r.id = p_rescan_id and r.finished_at is null;
  if found then
    v_more := exists (select 1 from pgrecall.rescan_batch(p_rescan_id, 1));
    if v_more then
      perform pgrecall._rescan_job(p_rescan_id, p_after_id);
    else
      update pgrecall.secret_rescans r set finished_at = now() where r.id = p_rescan_id;
    end if;
  end if;
  return v_released;
end;
$$;


--
-- Name: FUNCTION rescan_batch_done(p_rescan_id bigint, p_after_id uuid, p_scanned integer, p_results jsonb); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.rescan_batch_done(p_rescan_id bigint, p_after_id uuid, p_scanned integer, p_results jsonb) IS 'Records one rescan batch: for each frame with findings (results: [{frame_id, text, words, findings, redacted_image_ref, ocr_version}], text and words masked), the masked text, the redacted image (null when the image could not be read: counted as images_missing), the findings; its embedding and vision description queued again; the secret''s words gone from the vocabulary. Moves the cursor to after_id and queues the next batch, or finishes the rescan. Returns the original images no frame refers to any more, for the caller to delete.';


--
-- Name: retention_batch(text, integer, boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.retention_batch(p_deployment_id text DEFAULT NULL::text, p_batch integer DEFAULT 500, p_dry_run boolean DEFAULT false) RETURNS TABLE(deployment_id text, kind text, frames integer, images integer, findings integer, words integer, bytes bigint, more boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
-- RETURN NEXT fills the OUT columns, which plpgsql_check's extra warnings cannot see:
-- @plpgsql_check_options: extra_warnings = off
declare
  v_batch integer := least(greatest(coalesce(p_batch, 500), 1), 10000);
  v_dry boolean := coalesce(p_dry_run, false);
  d record;
  v_ids uuid[];
  v_refs text[];
  v_r record;
begin
  -- Nothing to do without a retention setting (the cron task's pass is then free).
  if not exists (select 1 from pgrecall.settings st
                 where st.keep_images_for is not null or st.keep_text_for is not null or st.keep_frames_for is not null or st.max_storage is not null) then
    return;
  end if;
  -- Every deployment that has frames, with the settings that apply to it: found by skipping
  -- through idx_frames_deployment (a distinct over frames read the whole table every batch).
  for d in
    with recursive deps(id) as (
      select min(f.deployment_id) from pgrecall.frames f
      union all
      select (select min(f.deployment_id) from pgrecall.frames f where f.deployment_id > deps.id)
      from deps where deps.id is not null
    )
    select x.deployment_id, st.keep_images_for, st.keep_text_for, st.keep_frames_for, st.max_storage
    from (select deps.id as deployment_id from deps
          where deps.id is not null and p_deployment_id is null
          union all
          select p_deployment_id where exists (select 1 from pgrecall.frames f where f.deployment_id = p_deployment_id)) x
    cross join lateral pgrecall.settings_for(x.deployment_id) st
    where st.keep_images_for is not null or st.keep_text_for is not null or st.keep_frames_for is not null or st.max_storage is not null
    order by x.deployment_id
  loop
    deployment_id := d.deployment_id;
    -- 1. Frames past keep_frames_for: purged as a forget would.
    if d.keep_frames_for is not null then
      select array_agg(t.id) into v_ids from (
        select f.id from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.captured_at < now() - d.keep_frames_for
        order by f.captured_at limit v_batch + 1
        for update of f skip locked) t;
      kind := 'frames'; frames := coalesce(cardinality(v_ids), 0); more := frames > v_batch;
      v_ids := v_ids[1:v_batch]; frames := least(frames, v_batch);
      images := 0; findings := 0; words := 0; bytes := 0;
      if frames > 0 then
        select coalesce(sum(s.bytes), 0) into bytes from pgrecall.blob_sizes s
        where s.ref in (select f.image_ref from pgrecall.frames f where f.id = any(v_ids));
        if not v_dry then
          perform pgrecall._days_changed(v_ids);
          v_r := pgrecall._purge_frames(v_ids);
          images := v_r.images; findings := v_r.findings; words := v_r.words;
        end if;
        return next;
        if not v_dry then return; end if;  -- one batch per call: one short transaction
      end if;
    end if;
    -- 2. Text past keep_text_for: the frame stays (time, app, title), its text goes.
    if d.keep_text_for is not null then
      select array_agg(t.id) into v_ids from (
        select f.id from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.captured_at < now() - d.keep_text_for
          and (d.keep_frames_for is null or f.captured_at >= now() - d.keep_frames_for)  -- purged above (a dry run counts them once)
          -- (idx_frames_retention_text's very predicate: see migration 000016 for why this form)
          and num_nonnulls(f.ocr_text, f.ocr_words, f.vision_summary, f.embedding) > 0
        order by f.captured_at limit v_batch + 1
        for update of f skip locked) t;
      kind := 'text'; frames := coalesce(cardinality(v_ids), 0); more := frames > v_batch;
      v_ids := v_ids[1:v_batch]; frames := least(frames, v_batch);
      images := 0; findings := 0; words := 0; bytes := 0;
      if frames > 0 then
        if not v_dry then
          v_r := pgrecall._drop_text(v_ids);
          findings := v_r.findings; words := v_r.words;
        end if;
        return next;
        if not v_dry then return; end if;  -- one batch per call: one short transaction
      end if;
    end if;
    -- 3. Images past keep_images_for: the frame stays findable by its words.
    if d.keep_images_for is not null then
      select array_agg(t.id) into v_ids from (
        select f.id from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.captured_at < now() - d.keep_images_for
          and (d.keep_frames_for is null or f.captured_at >= now() - d.keep_frames_for)  -- purged above (a dry run counts them once)
          and f.image_ref is not null and not pgrecall._image_busy(f)
        order by f.captured_at limit v_batch + 1
        for update of f skip locked) t;
      kind := 'images'; frames := coalesce(cardinality(v_ids), 0); more := frames > v_batch;
      v_ids := v_ids[1:v_batch]; frames := least(frames, v_batch);
      images := 0; findings := 0; words := 0; bytes := 0;
      if frames > 0 then
        select coalesce(sum(s.bytes), 0) into bytes from pgrecall.blob_sizes s
        where s.ref in (select f.image_ref from pgrecall.frames f where f.id = any(v_ids));
        if not v_dry then
          images := pgrecall._drop_images(v_ids);
        end if;
        return next;
        if not v_dry then return; end if;  -- one batch per call: one short transaction
      end if;
    end if;
    -- 4. max_storage: the images of this deployment, most recently shown first, are kept up to
    --    the cap (sizes as gc last measured them); the rest go, least recently shown first.
    if d.max_storage is not null then
      select array_agg(z.ref order by z.last_shown), coalesce(sum(z.bytes), 0) into v_refs, bytes from (
        select y.ref, y.last_shown, y.bytes from (
          select u.ref, u.last_shown, u.bytes, sum(u.bytes) over (order by u.last_shown desc, u.ref) as kept
          from (select f.image_ref as ref, max(f.captured_at) as last_shown, max(s.bytes) as bytes
                from pgrecall.frames f join pgrecall.blob_sizes s on s.ref = f.image_ref
                where f.deployment_id = d.deployment_id
                group by f.image_ref) u) y
        where y.kept > d.max_storage
        order by y.last_shown
        limit v_batch + 1) z;
      kind := 'storage'; more := coalesce(cardinality(v_refs), 0) > v_batch; v_refs := v_refs[1:v_batch];
      images := 0; findings := 0; words := 0;
      if cardinality(v_refs) > 0 then
        select array_agg(f.id) into v_ids from pgrecall.frames f
        where f.deployment_id = d.deployment_id and f.image_ref = any(v_refs) and not pgrecall._image_busy(f);
        frames := coalesce(cardinality(v_ids), 0);
        if frames > 0 then  -- (none when every frame showing them still has a stage to run)
          if not v_dry then
            images := pgrecall._drop_images(v_ids);
          end if;
          return next;
          if not v_dry then return; end if;
        end if;
      end if;
    end if;
  end loop;
end;
$$;


--
-- Name: FUNCTION retention_batch(p_deployment_id text, p_batch integer, p_dry_run boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.retention_batch(p_deployment_id text, p_batch integer, p_dry_run boolean) IS 'One small batch of retention (at most p_batch frames of one deployment and kind; a dry run counts every deployment and kind, up to p_batch each) for the deployments with a retention setting (or one): frames past keep_frames_for purged, text past keep_text_for removed, images past keep_images_for removed, images past max_storage removed least recently shown first (sizes from pgrecall.blob_sizes, which gc keeps). The row says what was done (more: that kind has more due). Images are queued for gc. Call again until it returns no row.';


--
-- Name: retention_done(jsonb, boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.retention_done(p_counts jsonb, p_dry_run boolean DEFAULT false) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select pgrecall.log_event(case when p_dry_run then 'retention.dry_run' else 'retention' end, null, null, null,
                            (select coalesce(jsonb_object_agg(k, v), '{}') from jsonb_each(p_counts) as e(k, v) where jsonb_typeof(v) = 'number'))
$$;


--
-- Name: FUNCTION retention_done(p_counts jsonb, p_dry_run boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.retention_done(p_counts jsonb, p_dry_run boolean) IS 'Logs a finished retention pass (its totals: numbers only) in pgrecall.events.';


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
      if p_kind = 'worker' and pg_has_role(p_role, 'pgrecall_worker', 'member') then
        perform pgrecall.log_event('grant.removed', null, null, null, '{}', jsonb_build_object('role', p_role, 'kind', 'worker'));
      end if;
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
-- Name: search_frames(text, public.vector, text, text, text, text, timestamp with time zone, timestamp with time zone, boolean, integer, text, text, text, integer, boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.search_frames(p_query text DEFAULT NULL::text, p_query_embedding public.vector DEFAULT NULL::public.vector, p_mode text DEFAULT 'hybrid'::text, p_deployment_id text DEFAULT NULL::text, p_app text DEFAULT NULL::text, p_window text DEFAULT NULL::text, p_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_until timestamp with time zone DEFAULT NULL::timestamp with time zone, p_include_duplicates boolean DEFAULT false, p_limit integer DEFAULT 20, p_cursor text DEFAULT NULL::text, p_sort text DEFAULT 'relevance'::text, p_embedding_model text DEFAULT NULL::text, p_candidates integer DEFAULT 200, p_include_tombstoned boolean DEFAULT false) RETURNS TABLE(frame_id uuid, captured_at timestamp with time zone, deployment_id text, app_name text, window_title text, image_ref text, score double precision, snippet text, matched text, duplicate_of uuid, next_cursor text)
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
$_$;


--
-- Name: FUNCTION search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer, p_include_tombstoned boolean); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer, p_include_tombstoned boolean) IS 'Searches frames (see the README, "Search"). Modes: fts (websearch syntax, typo-tolerant, ranked by ts_rank_cd), vector (cosine similarity to p_query_embedding), hybrid (reciprocal rank fusion, k = 60, of both; without an embedding it is fts). Filters: deployment, app (case-insensitive), window title (substring), captured_at in [since, until), near-duplicates of matched frames (off by default). Relevance ranks the p_candidates most recent matches of each branch (bounding the cost of common words); sort time pages through every match by captured_at. Tombstoned (soft-forgotten) frames are left out unless p_include_tombstoned. Pass a row''s next_cursor as p_cursor for the page after it. Snippets mark matches with « ».';


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
-- Name: secrets_rescan(text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.secrets_rescan(p_deployment_id text DEFAULT NULL::text, p_reason text DEFAULT NULL::text) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_id bigint;
begin
  insert into pgrecall.secret_rescans (deployment_id, reason)
  values (p_deployment_id, coalesce(nullif(btrim(p_reason), ''), 'requested'))
  returning id into v_id;
  -- An unfinished rescan this one covers would only repeat its work: this one starts from the first frame.
  update pgrecall.secret_rescans r set superseded_by = v_id, finished_at = now()
   where r.finished_at is null and r.id < v_id
     and (p_deployment_id is null or r.deployment_id is not distinct from p_deployment_id);
  perform pgrecall._rescan_job(v_id, null);
  return v_id;
end;
$$;


--
-- Name: FUNCTION secrets_rescan(p_deployment_id text, p_reason text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.secrets_rescan(p_deployment_id text, p_reason text) IS 'Starts a rescan of the OCRed frames of one deployment (all when null) for secrets, with the current rules; supersedes an unfinished rescan it covers. Returns its id (pgrecall.secret_rescans).';


--
-- Name: set_day_prose(text, date, text, text, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.set_day_prose(p_deployment_id text, p_day date, p_template text, p_model text, p_digest text) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION set_day_prose(p_deployment_id text, p_day date, p_template text, p_model text, p_digest text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.set_day_prose(p_deployment_id text, p_day date, p_template text, p_model text, p_digest text) IS 'Stores a model''s prose for a day: the template is checked (pgrecall.check_prose_template), refused when the day''s numbers changed since its facts were read (digest), and its tokens replaced by SQL''s text. Returns the summary.';


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
    tombstone_grace interval,
    keep_images_for interval,
    keep_text_for interval,
    keep_frames_for interval,
    max_storage bigint,
    activity_gap interval,
    time_zone text,
    CONSTRAINT settings_activity_gap_check CHECK (((activity_gap > '00:00:00'::interval) AND (activity_gap <= '1 day'::interval))),
    CONSTRAINT settings_default_row_complete CHECK (((deployment_id <> '*'::text) OR ((phash_threshold IS NOT NULL) AND (recent_window IS NOT NULL) AND (history_threshold IS NOT NULL) AND (tile_bit_threshold IS NOT NULL) AND (tile_max_changed IS NOT NULL) AND (job_max_attempts IS NOT NULL) AND (tombstone_grace IS NOT NULL)))),
    CONSTRAINT settings_default_row_summaries CHECK (((deployment_id <> '*'::text) OR ((activity_gap IS NOT NULL) AND (time_zone IS NOT NULL)))),
    CONSTRAINT settings_history_threshold_check CHECK (((history_threshold >= '-1'::integer) AND (history_threshold <= 5))),
    CONSTRAINT settings_job_max_attempts_check CHECK (((job_max_attempts >= 1) AND (job_max_attempts <= 100))),
    CONSTRAINT settings_keep_frames_for_check CHECK ((keep_frames_for > '00:00:00'::interval)),
    CONSTRAINT settings_keep_images_for_check CHECK ((keep_images_for > '00:00:00'::interval)),
    CONSTRAINT settings_keep_text_for_check CHECK ((keep_text_for > '00:00:00'::interval)),
    CONSTRAINT settings_max_storage_check CHECK ((max_storage > 0)),
    CONSTRAINT settings_phash_threshold_check CHECK (((phash_threshold >= 0) AND (phash_threshold <= 64))),
    CONSTRAINT settings_recent_window_check CHECK ((recent_window >= '00:00:00'::interval)),
    CONSTRAINT settings_tile_bit_threshold_check CHECK (((tile_bit_threshold >= 0) AND (tile_bit_threshold <= 64))),
    CONSTRAINT settings_tile_max_changed_check CHECK (((tile_max_changed >= 0) AND (tile_max_changed <= 64))),
    CONSTRAINT settings_time_zone_check CHECK (((length(time_zone) >= 1) AND (length(time_zone) <= 100))),
    CONSTRAINT settings_tombstone_grace_check CHECK ((tombstone_grace >= '00:00:00'::interval))
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
-- Name: COLUMN settings.tombstone_grace; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.tombstone_grace IS 'How long a soft-forgotten (tombstoned) frame can be restored before gc purges it (default 7 days).';


--
-- Name: COLUMN settings.keep_images_for; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.keep_images_for IS 'Retention: images of frames older than this are removed (text stays searchable). Null: inherit, and in the ''*'' row keep forever.';


--
-- Name: COLUMN settings.keep_text_for; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.keep_text_for IS 'Retention: OCR text, word boxes, vision descriptions, vectors and findings of frames older than this are removed. Null: inherit / forever.';


--
-- Name: COLUMN settings.keep_frames_for; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.keep_frames_for IS 'Retention: frames older than this are purged entirely. Null: inherit / forever.';


--
-- Name: COLUMN settings.max_storage; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.max_storage IS 'Retention: bytes of images a deployment''s frames may reference; past it the oldest images go first. Null: inherit / no cap.';


--
-- Name: COLUMN settings.activity_gap; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.activity_gap IS 'Summaries: consecutive frames at most this far apart are presence; a longer gap is time away and ends the activity (default 5 minutes).';


--
-- Name: COLUMN settings.time_zone; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.settings.time_zone IS 'Summaries: the IANA time zone (pg_timezone_names) whose local midnight starts a day of this deployment (default UTC).';


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


--
-- Name: FUNCTION settings_for(p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.settings_for(p_deployment_id text) IS 'The settings that apply to a deployment: each column from its own row in pgrecall.settings where set, else from the ''*'' row. A set-returning SQL function so the planner inlines it into the query that uses it.';


--
-- Name: stage_counts(integer); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.stage_counts(p_cap integer DEFAULT 100000) RETURNS TABLE(stage text, pending bigint, blocked bigint, upstream_failed bigint, failed bigint, done bigint, skipped bigint, oldest_pending_age interval, capped boolean, estimated boolean)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
-- The per-stage columns are named by the registry (format %I), which plpgsql_check cannot see through:
-- @plpgsql_check_options: other_warnings = off, extra_warnings = off, security_warnings = off
declare
  s record;
  v_rows numeric;
  v_col text;
begin
  if p_cap is null or p_cap < 1 or p_cap > 10000000 then
    raise exception 'pgrecall.stage_counts: p_cap must be between 1 and 10000000, not %', coalesce(p_cap::text, 'null')
      using errcode = '22023';
  end if;
  select greatest(c.reltuples, 0) into v_rows from pg_class c where c.oid = 'pgrecall.frames'::regclass;
  -- Never analyzed (reltuples -1 → 0) or small: count exactly, it is as cheap as the estimate.
  estimated := v_rows > p_cap;
  for s in select st.stage from pgrecall.stages st order by st.position loop
    stage := s.stage;
    v_col := s.stage || '_status';
    -- Pending frames, by what they wait for: the stage's partial index over pending rows, at most p_cap + 1 of them.
    execute format('select count(*) filter (where x.prereq = ''ready''), count(*) filter (where x.prereq = ''waiting''),
                           count(*) filter (where x.prereq = ''failed''), now() - min(x.inserted_at) filter (where x.prereq = ''ready''),
                           count(*) > %2$s
                    from (select f.inserted_at, pgrecall._stage_prereq(f, %1$L) as prereq from pgrecall.frames f
                          where f.%3$I = 0 and f.tombstoned_at is null limit %2$s + 1) x',
                   s.stage, p_cap, v_col)
      into pending, blocked, upstream_failed, oldest_pending_age, capped;
    -- Failed frames: idx_frames_failed, at most p_cap + 1.
    execute format('select count(*) from (select from pgrecall.frames f where f.%1$I = 2 and f.tombstoned_at is null limit %2$s + 1) x',
                   v_col, p_cap)
      into failed;
    capped := capped or failed > p_cap;
    if estimated then
      -- The planner's statistics (as of the last analyze): the share of each status among all frames.
      select round(v_rows * coalesce(sum(u.freq) filter (where u.val = 1), 0)),
             round(v_rows * coalesce(sum(u.freq) filter (where u.val = 3), 0))
        into done, skipped
        from pg_stats ps
        cross join lateral unnest(ps.most_common_vals::text::smallint[], ps.most_common_freqs) as u(val, freq)
       where ps.schemaname = 'pgrecall' and ps.tablename = 'frames' and ps.attname = v_col;
    else
      execute format('select count(*) filter (where f.%1$I = 1), count(*) filter (where f.%1$I = 3)
                      from pgrecall.frames f where f.tombstoned_at is null', v_col)
        into done, skipped;
    end if;
    return next;
  end loop;
end;
$_$;


--
-- Name: FUNCTION stage_counts(p_cap integer); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.stage_counts(p_cap integer) IS 'Per stage of pgrecall.stages, cheaply at any size: pending (runnable), blocked (waiting for an earlier stage), upstream_failed and failed, counted exactly from small partial indexes: the three kinds of pending frames together up to p_cap, failed up to p_cap (capped says a count stopped there: then the figures are of the frames read, and oldest_pending_age is the oldest of those); done and skipped, counted exactly while the table holds at most p_cap frames, else estimated from the planner''s statistics as of the last analyze (estimated). Tombstoned frames are not counted (the estimates include them). pgrecall.pipeline is the exact view (it reads every frame).';


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
-- Name: suggest_projects(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.suggest_projects(p_deployment_id text, p_day date) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  c_neighbours constant integer := 5;
  c_lookback constant interval := interval '60 days';
  v_count integer;
begin
  -- For each unassigned activity with an embedding: the 5 nearest labelled activities (same
  -- deployment and embedding model, the last 60 days) vote with their cosine similarity; the
  -- winner is suggested with confidence = its votes / 5 (near and agreeing neighbours give
  -- a high one). Nothing is assigned: a person turns a suggestion into a rule.
  execute format($q$
  with s as (
    select a.id, v.project_id, v.confidence
    from pgrecall.activities a
    cross join lateral (
      select n.project_id, least(1, greatest(0, sum(n.similarity) / $3))::real as confidence
      from (select b.project_id, 1 - (b.embedding operator(%1$s.<=>) a.embedding) as similarity
            from pgrecall.activities b
            where b.deployment_id = a.deployment_id and b.project_id is not null and b.embedding is not null
              and b.embedding_model is not distinct from a.embedding_model
              and b.started_at >= a.started_at - $4 and b.id <> a.id
            order by b.embedding operator(%1$s.<=>) a.embedding
            limit $3) n
      group by n.project_id
      order by sum(n.similarity) desc, n.project_id
      limit 1
    ) v
    where a.deployment_id = $1 and a.day = $2 and a.project_id is null and a.embedding is not null
  )
  update pgrecall.activities a set suggested_project_id = s.project_id, suggestion_confidence = s.confidence
  from s where s.id = a.id
  $q$, quote_ident(pgrecall._extension_schema('vector'))) using p_deployment_id, p_day, c_neighbours, c_lookback;
  get diagnostics v_count = row_count;
  return v_count;
end;
$_$;


--
-- Name: FUNCTION suggest_projects(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.suggest_projects(p_deployment_id text, p_day date) IS 'Suggests a project for the day''s unassigned activities that have an embedding (the mean of their frames'' vectors) from their 5 nearest labelled activities, with a confidence in [0, 1]. Returns how many got a suggestion.';


--
-- Name: summarize_day(text, date); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.summarize_day(p_deployment_id text, p_day date) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;


--
-- Name: FUNCTION summarize_day(p_deployment_id text, p_day date); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.summarize_day(p_deployment_id text, p_day date) IS 'Recomputes one deployment''s local day from its frames: its activities (same ids every run) and its day_summaries row (none for a day without frames). Idempotent; concurrent calls for one day wait for each other. Returns pgrecall.day(deployment, day).';


--
-- Name: summary_settings(text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.summary_settings(p_deployment_id text, OUT activity_gap interval, OUT time_zone text) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.activity_gap, s.time_zone from pgrecall.settings_for(p_deployment_id) s
$$;


--
-- Name: FUNCTION summary_settings(p_deployment_id text, OUT activity_gap interval, OUT time_zone text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.summary_settings(p_deployment_id text, OUT activity_gap interval, OUT time_zone text) IS 'The activity_gap and time_zone that apply to a deployment (its own row, else the ''*'' row).';


--
-- Name: tg__log_rule_change(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg__log_rule_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_row jsonb := to_jsonb(case when TG_OP = 'DELETE' then OLD else NEW end);
  v_what text := case TG_TABLE_NAME when 'exclusions' then 'exclusion' when 'secret_rules' then 'secret_rule' else 'grant' end;
begin
  perform pgrecall.log_event(
    v_what || '.' || case TG_OP when 'INSERT' then 'added' when 'UPDATE' then 'changed' else 'removed' end,
    v_row ->> 'deployment_id', null, null, '{}',
    jsonb_strip_nulls(jsonb_build_object('id', v_row -> 'id', 'name', v_row -> 'name', 'builtin', v_row -> 'builtin',
                                         'role', v_row -> 'role', 'kind', v_row -> 'kind')));
  return null;
end;
$$;


--
-- Name: FUNCTION tg__log_rule_change(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg__log_rule_change() IS 'Logs an exclusion rule, secret rule or access grant added, changed or removed (its id or name, kind and deployment; never a regex).';


--
-- Name: tg_events__append_only(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_events__append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  raise exception 'pgrecall.events is append-only: % is refused', lower(TG_OP)
    using errcode = '42501', hint = 'Events are never changed or removed; a correction is a new event.';
end;
$$;


--
-- Name: FUNCTION tg_events__append_only(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_events__append_only() IS 'Refuses UPDATE, DELETE and TRUNCATE on pgrecall.events.';


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
-- Name: tg_frames__consume_claims(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__consume_claims() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  -- The frame now holds the blob: no claim needed. Statement-level on insert (one probe of a
  -- small table per statement), row-level on an image change.
  if TG_LEVEL = 'STATEMENT' then
    delete from pgrecall.blob_claims c using new_frames n where c.ref = n.image_ref;
  else
    delete from pgrecall.blob_claims c where c.ref = NEW.image_ref;
  end if;
  return null;
end;
$$;


--
-- Name: FUNCTION tg_frames__consume_claims(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__consume_claims() IS 'Internal trigger: a frame that references a claimed blob ends the claim.';


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
-- Name: tg_frames__summaries(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_frames__summaries() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION tg_frames__summaries(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_frames__summaries() IS 'Queues a debounced summarize job (2 minutes) for each (deployment, local day) that inserted or deleted frames change.';


--
-- Name: tg_secret_rules__rescan(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_secret_rules__rescan() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform pgrecall.secrets_rescan(null, 'rule ' || string_agg(n.name, ', ' order by n.name))
  from new_rules n having count(*) > 0;
  return null;
end;
$$;


--
-- Name: FUNCTION tg_secret_rules__rescan(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_secret_rules__rescan() IS 'Starts a rescan of all history when rules are added or changed.';


--
-- Name: tg_settings__check_time_zone(); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.tg_settings__check_time_zone() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION tg_settings__check_time_zone(); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.tg_settings__check_time_zone() IS 'Refuses a settings.time_zone that is not an IANA time zone name.';


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
-- Name: timeline(date, text); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.timeline(p_day date, p_deployment_id text DEFAULT NULL::text) RETURNS TABLE(deployment_id text, frame_id uuid, captured_at timestamp with time zone, app_name text, window_title text, starts_at timestamp with time zone, ends_at timestamp with time zone, seconds numeric, away_after boolean, duplicate boolean, excluded boolean, activity_seq integer, image_ref text)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION timeline(p_day date, p_deployment_id text); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.timeline(p_day date, p_deployment_id text) IS 'A local day''s frames in capture order, for every deployment (or one) with frames that day: day_timeline''s spans, away gaps, duplicates, exclusions and activity numbers, with the image_ref thumbnails are made from.';


--
-- Name: unforget(text, timestamp with time zone, timestamp with time zone, interval, text, text, uuid[], boolean); Type: FUNCTION; Schema: pgrecall; Owner: -
--

CREATE FUNCTION pgrecall.unforget(p_deployment_id text DEFAULT NULL::text, p_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_until timestamp with time zone DEFAULT NULL::timestamp with time zone, p_last interval DEFAULT NULL::interval, p_app text DEFAULT NULL::text, p_window text DEFAULT NULL::text, p_frame_ids uuid[] DEFAULT NULL::uuid[], p_dry_run boolean DEFAULT false, OUT frames integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


--
-- Name: FUNCTION unforget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_dry_run boolean, OUT frames integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint); Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON FUNCTION pgrecall.unforget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_dry_run boolean, OUT frames integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) IS 'Restores tombstoned (soft-forgotten, not yet purged) frames a selection names, as pgrecall.forget selects, and queues their pending stages. Logged in pgrecall.events, with how many frames of each soft forget it restored (details.restored: forget event id → frames).';


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
-- Name: activities; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.activities (
    id uuid NOT NULL,
    deployment_id text NOT NULL,
    day date NOT NULL,
    seq integer NOT NULL,
    app_name text,
    window_title text,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    active_seconds numeric NOT NULL,
    frame_count integer NOT NULL,
    first_frame_id uuid NOT NULL,
    last_frame_id uuid NOT NULL,
    interrupts uuid,
    project_id bigint,
    project_rule_id bigint,
    suggested_project_id bigint,
    suggestion_confidence real,
    embedding public.vector(384),
    embedding_model text,
    CONSTRAINT activities_seconds_check CHECK ((active_seconds >= (0)::numeric)),
    CONSTRAINT activities_suggestion_check CHECK (((suggestion_confidence >= (0)::double precision) AND (suggestion_confidence <= (1)::double precision))),
    CONSTRAINT activities_times_check CHECK ((ended_at >= started_at))
);


--
-- Name: TABLE activities; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.activities IS 'A maximal run of one deployment''s frames on one app and normalized window title, without a gap longer than activity_gap; short interruptions (< 30 s) do not split it. Written only by pgrecall.summarize_day; pgrecall.activity_frames(id) lists the frames behind it.';


--
-- Name: blob_claims; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.blob_claims (
    ref text NOT NULL,
    claimed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT blob_claims_ref_check CHECK ((ref ~ '^blob:sha256:[0-9a-f]{64}$'::text))
);


--
-- Name: TABLE blob_claims; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.blob_claims IS 'Blobs a writer is about to reference (pgrecall.claim_blob, before it writes or reuses the file): gc does not remove a blob claimed within the orphan grace period.';


--
-- Name: blob_releases; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.blob_releases (
    ref text NOT NULL,
    released_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT blob_releases_ref_check CHECK ((ref ~ '^blob:sha256:[0-9a-f]{64}$'::text))
);


--
-- Name: TABLE blob_releases; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.blob_releases IS 'Blobs no frame referenced any more when a forget, retention pass or purge committed: gc removes their files (unless a frame referenced them again meanwhile).';


--
-- Name: blob_sizes; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.blob_sizes (
    ref text NOT NULL,
    bytes bigint NOT NULL,
    seen_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT blob_sizes_bytes_check CHECK ((bytes >= 0)),
    CONSTRAINT blob_sizes_ref_check CHECK ((ref ~ '^blob:sha256:[0-9a-f]{64}$'::text))
);


--
-- Name: TABLE blob_sizes; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.blob_sizes IS 'Bytes of each blob in the store, as gc last saw it (it walks the store): retention''s max_storage and pgrecall status read it.';


--
-- Name: day_summaries; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.day_summaries (
    deployment_id text NOT NULL,
    day date NOT NULL,
    time_zone text NOT NULL,
    activity_gap interval NOT NULL,
    day_start timestamp with time zone NOT NULL,
    day_end timestamp with time zone NOT NULL,
    active_seconds numeric NOT NULL,
    away_seconds numeric NOT NULL,
    frame_count integer NOT NULL,
    activity_count integer NOT NULL,
    first_seen timestamp with time zone,
    last_seen timestamp with time zone,
    by_app jsonb NOT NULL,
    by_project jsonb NOT NULL,
    unassigned_seconds numeric NOT NULL,
    focus_blocks jsonb NOT NULL,
    top_titles jsonb NOT NULL,
    away jsonb NOT NULL,
    numbers_digest text NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    summary text,
    summary_template text,
    summary_model text,
    summary_at timestamp with time zone,
    summary_message text
);


--
-- Name: TABLE day_summaries; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.day_summaries IS 'One row per deployment and local day (settings.time_zone): totals, time per app and project, focus blocks, top titles, away periods, all computed by pgrecall.summarize_day from frames; summary is optional prose whose numbers are filled in by SQL.';


--
-- Name: events; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.events (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    action text NOT NULL,
    actor text DEFAULT SESSION_USER NOT NULL,
    deployment_id text,
    range_from timestamp with time zone,
    range_to timestamp with time zone,
    counts jsonb DEFAULT '{}'::jsonb NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT events_action_check CHECK ((action ~ '^[a-z][a-z_.]{0,40}$'::text)),
    CONSTRAINT events_counts_check CHECK ((jsonb_typeof(counts) = 'object'::text)),
    CONSTRAINT events_details_check CHECK ((jsonb_typeof(details) = 'object'::text))
);


--
-- Name: TABLE events; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.events IS 'Append-only log of lifecycle actions (forget, unforget, purge, retention, gc, exclusion and secret-rule changes, grants, restore): counts, time ranges, who and when, never screen content. UPDATE, DELETE and TRUNCATE are refused by trigger.';


--
-- Name: events_id_seq; Type: SEQUENCE; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME pgrecall.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


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
  WHERE ((f.embedding_status = 0) AND (f.tombstoned_at IS NULL) AND (f.hash_status = 1) AND (f.ocr_status = 1));


--
-- Name: VIEW pending_embedding; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_embedding IS 'Frames waiting for the embedding stage (a 384-dimension text embedding of title, app and OCR text): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages. Tombstoned frames wait until they are restored.';


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
  WHERE ((f.hash_status = 0) AND (f.tombstoned_at IS NULL));


--
-- Name: VIEW pending_hash; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_hash IS 'Frames waiting for the hash stage (perceptual hash and tile hashes, when the client gave none; then dedup): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages. Tombstoned frames wait until they are restored.';


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
  WHERE ((f.ocr_status = 0) AND (f.tombstoned_at IS NULL) AND (f.hash_status = 1));


--
-- Name: VIEW pending_ocr; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_ocr IS 'Frames waiting for the ocr stage (text, confidence and word boxes (tesseract.js)): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages. Tombstoned frames wait until they are restored.';


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
  WHERE ((f.vision_status = 0) AND (f.tombstoned_at IS NULL) AND (f.hash_status = 1) AND (f.ocr_status = 1));


--
-- Name: VIEW pending_vision; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.pending_vision IS 'Frames waiting for the vision stage (a description by a vision model (OpenAI-compatible endpoint)): pending, and every stage it waits for done; waiting = since it became runnable. Generated from pgrecall.stages. Tombstoned frames wait until they are restored.';


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
          WHERE (f.tombstoned_at IS NULL)
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

COMMENT ON VIEW pgrecall.pipeline IS 'One row per stage of pgrecall.stages: frames pending (runnable), blocked (waiting for an earlier stage), upstream_failed (an earlier stage failed or was skipped: this one runs only once that is requeued), done, failed, skipped (excluded: of those, frames an exclusion rule kept nothing of); the age of the oldest pending frame; stages finished and failed in the last hour and the failure rate among them. Tombstoned frames are not counted.';


--
-- Name: project_rules; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.project_rules (
    id bigint NOT NULL,
    project_id bigint NOT NULL,
    app_regex text,
    title_regex text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_rules_app_regex_check CHECK (((length(app_regex) >= 1) AND (length(app_regex) <= 500))),
    CONSTRAINT project_rules_something_check CHECK (((app_regex IS NOT NULL) OR (title_regex IS NOT NULL))),
    CONSTRAINT project_rules_title_regex_check CHECK (((length(title_regex) >= 1) AND (length(title_regex) <= 500)))
);


--
-- Name: TABLE project_rules; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.project_rules IS 'An activity whose app matches app_regex and whose normalized window title matches title_regex (case-insensitive PostgreSQL regexes; a null one matches anything) belongs to project_id. The first matching rule by id wins.';


--
-- Name: project_rules_id_seq; Type: SEQUENCE; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.project_rules ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME pgrecall.project_rules_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: projects; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.projects (
    id bigint NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT projects_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);


--
-- Name: TABLE projects; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.projects IS 'What activities are about. An activity gets the project of the first rule (pgrecall.project_rules, by id) that matches it; pgrecall project add/list/remove.';


--
-- Name: projects_id_seq; Type: SEQUENCE; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.projects ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME pgrecall.projects_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


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
-- Name: secret_counts; Type: VIEW; Schema: pgrecall; Owner: -
--

CREATE VIEW pgrecall.secret_counts AS
 SELECT f.deployment_id,
    s.kind,
    s.category,
    (count(*))::integer AS findings,
    (count(DISTINCT s.frame_id))::integer AS frames,
    max(f.captured_at) AS last_seen
   FROM (pgrecall.secrets s
     JOIN pgrecall.frames f ON ((f.id = s.frame_id)))
  WHERE ((NOT (EXISTS ( SELECT 1
           FROM ((pg_auth_members m
             JOIN pg_roles g ON ((g.oid = m.roleid)))
             JOIN pg_roles u ON ((u.oid = m.member)))
          WHERE ((g.rolname = 'pgrecall_reader'::name) AND (u.rolname = CURRENT_USER))))) OR (EXISTS ( SELECT 1
           FROM pgrecall.role_deployments d
          WHERE ((d.role = CURRENT_USER) AND (d.kind = 'read'::text) AND ((d.deployment_id IS NULL) OR (d.deployment_id = f.deployment_id))))))
  GROUP BY f.deployment_id, s.kind, s.category;


--
-- Name: VIEW secret_counts; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON VIEW pgrecall.secret_counts IS 'Findings per deployment and kind (count, frames, last seen) for the deployments the current role may read: a reader''s own (pgrecall grant read), everything for the owner and the worker. Never a value.';


--
-- Name: secret_rescans; Type: TABLE; Schema: pgrecall; Owner: -
--

CREATE TABLE pgrecall.secret_rescans (
    id bigint NOT NULL,
    deployment_id text,
    reason text NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    after_id uuid,
    frames_scanned bigint DEFAULT 0 NOT NULL,
    frames_redacted bigint DEFAULT 0 NOT NULL,
    findings bigint DEFAULT 0 NOT NULL,
    images_missing bigint DEFAULT 0 NOT NULL,
    finished_at timestamp with time zone,
    superseded_by bigint
);


--
-- Name: TABLE secret_rescans; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON TABLE pgrecall.secret_rescans IS 'Rescans of OCRed history for secrets (pgrecall secrets rescan; started too by a change to pgrecall.secret_rules): scope (one deployment, or all when null), progress (after_id: the last frame id scanned, frames are taken in id order) and counts. Never a value.';


--
-- Name: COLUMN secret_rescans.images_missing; Type: COMMENT; Schema: pgrecall; Owner: -
--

COMMENT ON COLUMN pgrecall.secret_rescans.images_missing IS 'Frames whose text had a finding but whose image could not be read to black it out (gone, or unreadable): their text is masked, the image reference is kept, and the worker logs the frame.';


--
-- Name: secret_rescans_id_seq; Type: SEQUENCE; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.secret_rescans ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME pgrecall.secret_rescans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


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
-- Name: activities activities_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.activities
    ADD CONSTRAINT activities_pkey PRIMARY KEY (id);


--
-- Name: activities activities_seq_key; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.activities
    ADD CONSTRAINT activities_seq_key UNIQUE (deployment_id, day, seq);


--
-- Name: blob_claims blob_claims_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.blob_claims
    ADD CONSTRAINT blob_claims_pkey PRIMARY KEY (ref);


--
-- Name: blob_releases blob_releases_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.blob_releases
    ADD CONSTRAINT blob_releases_pkey PRIMARY KEY (ref);


--
-- Name: blob_sizes blob_sizes_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.blob_sizes
    ADD CONSTRAINT blob_sizes_pkey PRIMARY KEY (ref);


--
-- Name: day_summaries day_summaries_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.day_summaries
    ADD CONSTRAINT day_summaries_pkey PRIMARY KEY (deployment_id, day);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


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
-- Name: project_rules project_rules_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.project_rules
    ADD CONSTRAINT project_rules_pkey PRIMARY KEY (id);


--
-- Name: projects projects_name_key; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.projects
    ADD CONSTRAINT projects_name_key UNIQUE (name);


--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);


--
-- Name: search_words search_words_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.search_words
    ADD CONSTRAINT search_words_pkey PRIMARY KEY (word);


--
-- Name: secret_rescans secret_rescans_pkey; Type: CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.secret_rescans
    ADD CONSTRAINT secret_rescans_pkey PRIMARY KEY (id);


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
-- Name: activities_deployment_started_idx; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX activities_deployment_started_idx ON pgrecall.activities USING btree (deployment_id, started_at);


--
-- Name: activities_project_idx; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX activities_project_idx ON pgrecall.activities USING btree (project_id) WHERE (project_id IS NOT NULL);


--
-- Name: idx_events_action_at; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_events_action_at ON pgrecall.events USING btree (action, at);


--
-- Name: idx_events_at; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_events_at ON pgrecall.events USING btree (at);


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
-- Name: idx_frames_failed; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_failed ON pgrecall.frames USING btree (captured_at) WHERE ((hash_status = 2) OR (ocr_status = 2) OR (vision_status = 2) OR (embedding_status = 2));


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
-- Name: idx_frames_image_ref; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_image_ref ON pgrecall.frames USING btree (image_ref) WHERE (image_ref IS NOT NULL);


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
-- Name: idx_frames_retention_image; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_retention_image ON pgrecall.frames USING btree (deployment_id, captured_at) WHERE (image_ref IS NOT NULL);


--
-- Name: idx_frames_retention_text; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_retention_text ON pgrecall.frames USING btree (deployment_id, captured_at) WHERE (num_nonnulls(ocr_text, ocr_words, vision_summary, embedding) > 0);


--
-- Name: idx_frames_tombstoned; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_frames_tombstoned ON pgrecall.frames USING btree (tombstoned_at) WHERE (tombstoned_at IS NOT NULL);


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
-- Name: idx_secret_rescans_open; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_secret_rescans_open ON pgrecall.secret_rescans USING btree (id) WHERE (finished_at IS NULL);


--
-- Name: idx_secrets_fingerprint; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_secrets_fingerprint ON pgrecall.secrets USING btree (fingerprint);


--
-- Name: idx_secrets_frame; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX idx_secrets_frame ON pgrecall.secrets USING btree (frame_id);


--
-- Name: project_rules_project_id_idx; Type: INDEX; Schema: pgrecall; Owner: -
--

CREATE INDEX project_rules_project_id_idx ON pgrecall.project_rules USING btree (project_id);


--
-- Name: frames _000_plan_guard_begin; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _000_plan_guard_begin BEFORE INSERT OR UPDATE ON pgrecall.frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__plan_guard_begin();


--
-- Name: events _100_append_only; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_append_only BEFORE DELETE OR UPDATE ON pgrecall.events FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_events__append_only();


--
-- Name: events _100_append_only_truncate; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_append_only_truncate BEFORE TRUNCATE ON pgrecall.events FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_events__append_only();


--
-- Name: exclusions _100_check; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_check BEFORE INSERT OR UPDATE ON pgrecall.exclusions FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_exclusions__check();


--
-- Name: project_rules _100_check; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _100_check BEFORE INSERT OR UPDATE ON pgrecall.project_rules FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_exclusions__check();


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
-- Name: settings _120_check_time_zone; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _120_check_time_zone BEFORE INSERT OR UPDATE OF time_zone ON pgrecall.settings FOR EACH ROW EXECUTE FUNCTION pgrecall.tg_settings__check_time_zone();


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
-- Name: frames _800_consume_claims_inserted; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _800_consume_claims_inserted AFTER INSERT ON pgrecall.frames REFERENCING NEW TABLE AS new_frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__consume_claims();


--
-- Name: frames _800_consume_claims_updated; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _800_consume_claims_updated AFTER UPDATE OF image_ref ON pgrecall.frames FOR EACH ROW WHEN (((new.image_ref IS DISTINCT FROM old.image_ref) AND (new.image_ref IS NOT NULL))) EXECUTE FUNCTION pgrecall.tg_frames__consume_claims();


--
-- Name: frames _900_enqueue_inserted; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _900_enqueue_inserted AFTER INSERT ON pgrecall.frames REFERENCING NEW TABLE AS new_frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__enqueue_inserted();


--
-- Name: frames _900_enqueue_updated; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _900_enqueue_updated AFTER UPDATE ON pgrecall.frames REFERENCING OLD TABLE AS old_frames NEW TABLE AS new_frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__enqueue_updated();


--
-- Name: exclusions _900_log_event; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _900_log_event AFTER INSERT OR DELETE OR UPDATE ON pgrecall.exclusions FOR EACH ROW EXECUTE FUNCTION pgrecall.tg__log_rule_change();


--
-- Name: role_deployments _900_log_event; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _900_log_event AFTER INSERT OR DELETE ON pgrecall.role_deployments FOR EACH ROW EXECUTE FUNCTION pgrecall.tg__log_rule_change();


--
-- Name: secret_rules _900_log_event; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _900_log_event AFTER INSERT OR DELETE OR UPDATE ON pgrecall.secret_rules FOR EACH ROW EXECUTE FUNCTION pgrecall.tg__log_rule_change();


--
-- Name: frames _910_summaries_deleted; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _910_summaries_deleted AFTER DELETE ON pgrecall.frames REFERENCING OLD TABLE AS changed_frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__summaries();


--
-- Name: frames _910_summaries_inserted; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _910_summaries_inserted AFTER INSERT ON pgrecall.frames REFERENCING NEW TABLE AS changed_frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__summaries();


--
-- Name: frames _999_plan_guard_end; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER _999_plan_guard_end AFTER INSERT OR UPDATE ON pgrecall.frames FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_frames__plan_guard_end();


--
-- Name: secret_rules rescan_inserted; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER rescan_inserted AFTER INSERT ON pgrecall.secret_rules REFERENCING NEW TABLE AS new_rules FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_secret_rules__rescan();


--
-- Name: secret_rules rescan_updated; Type: TRIGGER; Schema: pgrecall; Owner: -
--

CREATE TRIGGER rescan_updated AFTER UPDATE ON pgrecall.secret_rules REFERENCING NEW TABLE AS new_rules FOR EACH STATEMENT EXECUTE FUNCTION pgrecall.tg_secret_rules__rescan();


--
-- Name: activities activities_project_id_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.activities
    ADD CONSTRAINT activities_project_id_fkey FOREIGN KEY (project_id) REFERENCES pgrecall.projects(id) ON DELETE SET NULL;


--
-- Name: activities activities_project_rule_id_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.activities
    ADD CONSTRAINT activities_project_rule_id_fkey FOREIGN KEY (project_rule_id) REFERENCES pgrecall.project_rules(id) ON DELETE SET NULL;


--
-- Name: activities activities_suggested_project_id_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.activities
    ADD CONSTRAINT activities_suggested_project_id_fkey FOREIGN KEY (suggested_project_id) REFERENCES pgrecall.projects(id) ON DELETE SET NULL;


--
-- Name: frames frames_duplicate_of_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.frames
    ADD CONSTRAINT frames_duplicate_of_fkey FOREIGN KEY (duplicate_of) REFERENCES pgrecall.frames(id) ON DELETE SET NULL;


--
-- Name: project_rules project_rules_project_id_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.project_rules
    ADD CONSTRAINT project_rules_project_id_fkey FOREIGN KEY (project_id) REFERENCES pgrecall.projects(id) ON DELETE CASCADE;


--
-- Name: secret_rescans secret_rescans_superseded_by_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.secret_rescans
    ADD CONSTRAINT secret_rescans_superseded_by_fkey FOREIGN KEY (superseded_by) REFERENCES pgrecall.secret_rescans(id);


--
-- Name: secrets secrets_frame_id_fkey; Type: FK CONSTRAINT; Schema: pgrecall; Owner: -
--

ALTER TABLE ONLY pgrecall.secrets
    ADD CONSTRAINT secrets_frame_id_fkey FOREIGN KEY (frame_id) REFERENCES pgrecall.frames(id) ON DELETE CASCADE;


--
-- Name: activities; Type: ROW SECURITY; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.activities ENABLE ROW LEVEL SECURITY;

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
-- Name: day_summaries; Type: ROW SECURITY; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.day_summaries ENABLE ROW LEVEL SECURITY;

--
-- Name: frames; Type: ROW SECURITY; Schema: pgrecall; Owner: -
--

ALTER TABLE pgrecall.frames ENABLE ROW LEVEL SECURITY;

--
-- Name: frames hide_tombstoned; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY hide_tombstoned ON pgrecall.frames AS RESTRICTIVE FOR SELECT TO pgrecall_reader USING (((tombstoned_at IS NULL) OR (current_setting('pgrecall.include_tombstoned'::text, true) = 'on'::text)));


--
-- Name: role_deployments own_rows; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY own_rows ON pgrecall.role_deployments FOR SELECT TO pgrecall_capture, pgrecall_reader USING ((role = CURRENT_USER));


--
-- Name: activities reader_select; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY reader_select ON pgrecall.activities FOR SELECT TO pgrecall_reader USING ((EXISTS ( SELECT 1
   FROM pgrecall.role_deployments d
  WHERE ((d.role = CURRENT_USER) AND (d.kind = 'read'::text) AND ((d.deployment_id IS NULL) OR (d.deployment_id = activities.deployment_id))))));


--
-- Name: day_summaries reader_select; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY reader_select ON pgrecall.day_summaries FOR SELECT TO pgrecall_reader USING ((EXISTS ( SELECT 1
   FROM pgrecall.role_deployments d
  WHERE ((d.role = CURRENT_USER) AND (d.kind = 'read'::text) AND ((d.deployment_id IS NULL) OR (d.deployment_id = day_summaries.deployment_id))))));


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
-- Name: activities worker_all; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY worker_all ON pgrecall.activities TO pgrecall_worker USING (true) WITH CHECK (true);


--
-- Name: day_summaries worker_all; Type: POLICY; Schema: pgrecall; Owner: -
--

CREATE POLICY worker_all ON pgrecall.day_summaries TO pgrecall_worker USING (true) WITH CHECK (true);


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
-- Name: FUNCTION _blob_lock(p_ref text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._blob_lock(p_ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._blob_lock(p_ref text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._blob_lock(p_ref text) TO pgrecall_worker;


--
-- Name: FUNCTION _caller(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._caller() FROM PUBLIC;


--
-- Name: FUNCTION _check_regex(p_regex text, p_what text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._check_regex(p_regex text, p_what text) TO pgrecall_worker;


--
-- Name: FUNCTION _days_changed(p_ids uuid[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._days_changed(p_ids uuid[]) FROM PUBLIC;


--
-- Name: FUNCTION _days_of_frames(p_deployment_id text, p_hours timestamp with time zone[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._days_of_frames(p_deployment_id text, p_hours timestamp with time zone[]) FROM PUBLIC;


--
-- Name: FUNCTION _drop_images(p_ids uuid[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._drop_images(p_ids uuid[]) FROM PUBLIC;


--
-- Name: FUNCTION _drop_text(p_ids uuid[], OUT findings integer, OUT words integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._drop_text(p_ids uuid[], OUT findings integer, OUT words integer) FROM PUBLIC;


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
-- Name: FUNCTION _forget_words(p_words text[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._forget_words(p_words text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._forget_words(p_words text[]) TO pgrecall_worker;


--
-- Name: FUNCTION _gin_flush(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._gin_flush() FROM PUBLIC;


--
-- Name: FUNCTION _image_busy(f pgrecall.frames); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._image_busy(f pgrecall.frames) FROM PUBLIC;


--
-- Name: FUNCTION _learn_words(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._learn_words() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._learn_words() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._learn_words() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._learn_words() TO pgrecall_worker;


--
-- Name: FUNCTION _lexeme_query(p_lexeme text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._lexeme_query(p_lexeme text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._lexeme_query(p_lexeme text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._lexeme_query(p_lexeme text) TO pgrecall_worker;


--
-- Name: FUNCTION _may_forget(p_caller text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._may_forget(p_caller text, p_deployment_id text) FROM PUBLIC;


--
-- Name: FUNCTION _moment_forms(p_text text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._moment_forms(p_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._moment_forms(p_text text) TO pgrecall_reader;


--
-- Name: FUNCTION _nearest(p_query text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._nearest(p_query text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._nearest(p_query text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._nearest(p_query text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._nearest(p_query text) TO pgrecall_worker;


--
-- Name: FUNCTION _nearest_words(p_word text, p_count integer, p_min_similarity real); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._nearest_words(p_word text, p_count integer, p_min_similarity real) TO pgrecall_worker;


--
-- Name: FUNCTION _ocr_version(p_ocr_at timestamp with time zone); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._ocr_version(p_ocr_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._ocr_version(p_ocr_at timestamp with time zone) TO pgrecall_worker;


--
-- Name: FUNCTION _purge_frames(p_ids uuid[], OUT frames integer, OUT findings integer, OUT words integer, OUT images integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._purge_frames(p_ids uuid[], OUT frames integer, OUT findings integer, OUT words integer, OUT images integer) FROM PUBLIC;


--
-- Name: FUNCTION _queue_summaries(p_deployment_ids text[], p_days date[], p_delay interval); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._queue_summaries(p_deployment_ids text[], p_days date[], p_delay interval) FROM PUBLIC;


--
-- Name: FUNCTION _raise_illegal(p_frame_id uuid, p_stage text, p_action text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._raise_illegal(p_frame_id uuid, p_stage text, p_action text) TO pgrecall_worker;


--
-- Name: FUNCTION _record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._record_findings(p_frame_id uuid, p_findings jsonb, p_redacted_image_ref text, p_old_refs text[]) TO pgrecall_worker;


--
-- Name: FUNCTION _redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._redaction_labels(p_redacted boolean, p_frame_id uuid, p_snippet text) TO pgrecall_worker;


--
-- Name: FUNCTION _refresh_by_project(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._refresh_by_project(p_deployment_id text, p_day date) FROM PUBLIC;


--
-- Name: FUNCTION _release_images(p_refs text[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._release_images(p_refs text[]) FROM PUBLIC;


--
-- Name: FUNCTION _requeue_status(p_status smallint, p_stage text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._requeue_status(p_status smallint, p_stage text, p_deployment_id text) TO pgrecall_worker;


--
-- Name: FUNCTION _rescan_job(p_rescan_id bigint, p_after_id uuid); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._rescan_job(p_rescan_id bigint, p_after_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._rescan_job(p_rescan_id bigint, p_after_id uuid) TO pgrecall_worker;


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
-- Name: FUNCTION _search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall._search_matchable(p_deployment_id text, p_app text, p_window text, p_asof timestamp with time zone, p_include_tombstoned boolean) TO pgrecall_worker;


--
-- Name: FUNCTION _select_frames(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_tombstoned boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall._select_frames(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_tombstoned boolean) FROM PUBLIC;


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
-- Name: FUNCTION activity_frames(p_activity_id uuid); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.activity_frames(p_activity_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.activity_frames(p_activity_id uuid) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.activity_frames(p_activity_id uuid) TO pgrecall_worker;


--
-- Name: FUNCTION activity_summary(p_start timestamp with time zone, p_end timestamp with time zone, p_app_name text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.activity_summary(p_start timestamp with time zone, p_end timestamp with time zone, p_app_name text, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.activity_summary(p_start timestamp with time zone, p_end timestamp with time zone, p_app_name text, p_deployment_id text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.activity_summary(p_start timestamp with time zone, p_end timestamp with time zone, p_app_name text, p_deployment_id text) TO pgrecall_worker;


--
-- Name: FUNCTION add_project(p_name text, p_app_regex text, p_title_regex text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.add_project(p_name text, p_app_regex text, p_title_regex text) FROM PUBLIC;


--
-- Name: FUNCTION assign_projects(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.assign_projects() FROM PUBLIC;


--
-- Name: FUNCTION check_prose_template(p_template text, p_facts jsonb); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.check_prose_template(p_template text, p_facts jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.check_prose_template(p_template text, p_facts jsonb) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.check_prose_template(p_template text, p_facts jsonb) TO pgrecall_worker;


--
-- Name: FUNCTION claim_blob(p_ref text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.claim_blob(p_ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.claim_blob(p_ref text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.claim_blob(p_ref text) TO pgrecall_worker;


--
-- Name: FUNCTION collect_blob(p_ref text, p_file_age interval, p_orphan_grace interval, p_dry_run boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.collect_blob(p_ref text, p_file_age interval, p_orphan_grace interval, p_dry_run boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.collect_blob(p_ref text, p_file_age interval, p_orphan_grace interval, p_dry_run boolean) TO pgrecall_worker;


--
-- Name: FUNCTION day(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.day(p_deployment_id text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.day(p_deployment_id text, p_day date) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.day(p_deployment_id text, p_day date) TO pgrecall_worker;


--
-- Name: FUNCTION day_bounds(p_deployment_id text, p_day date, OUT day_start timestamp with time zone, OUT day_end timestamp with time zone); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.day_bounds(p_deployment_id text, p_day date, OUT day_start timestamp with time zone, OUT day_end timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.day_bounds(p_deployment_id text, p_day date, OUT day_start timestamp with time zone, OUT day_end timestamp with time zone) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.day_bounds(p_deployment_id text, p_day date, OUT day_start timestamp with time zone, OUT day_end timestamp with time zone) TO pgrecall_worker;


--
-- Name: FUNCTION day_prose_facts(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.day_prose_facts(p_deployment_id text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.day_prose_facts(p_deployment_id text, p_day date) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.day_prose_facts(p_deployment_id text, p_day date) TO pgrecall_worker;


--
-- Name: FUNCTION day_prose_failed(p_deployment_id text, p_day date, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.day_prose_failed(p_deployment_id text, p_day date, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.day_prose_failed(p_deployment_id text, p_day date, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION day_timeline(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.day_timeline(p_deployment_id text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.day_timeline(p_deployment_id text, p_day date) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.day_timeline(p_deployment_id text, p_day date) TO pgrecall_worker;


--
-- Name: FUNCTION day_wants_prose(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.day_wants_prose(p_deployment_id text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.day_wants_prose(p_deployment_id text, p_day date) TO pgrecall_worker;


--
-- Name: FUNCTION days_changed(p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.days_changed(p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.days_changed(p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone) TO pgrecall_worker;


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
-- Name: FUNCTION forget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_soft boolean, p_dry_run boolean, OUT frames integer, OUT near_duplicates integer, OUT findings integer, OUT words integer, OUT images integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.forget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_soft boolean, p_dry_run boolean, OUT frames integer, OUT near_duplicates integer, OUT findings integer, OUT words integer, OUT images integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.forget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_soft boolean, p_dry_run boolean, OUT frames integer, OUT near_duplicates integer, OUT findings integer, OUT words integer, OUT images integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.forget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_soft boolean, p_dry_run boolean, OUT frames integer, OUT near_duplicates integer, OUT findings integer, OUT words integer, OUT images integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) TO pgrecall_capture;


--
-- Name: FUNCTION forgotten_ranges(p_day date, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.forgotten_ranges(p_day date, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.forgotten_ranges(p_day date, p_deployment_id text) TO pgrecall_reader;


--
-- Name: FUNCTION format_seconds(p_seconds numeric); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.format_seconds(p_seconds numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.format_seconds(p_seconds numeric) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.format_seconds(p_seconds numeric) TO pgrecall_worker;


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
-- Name: FUNCTION frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text, p_engine text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text, p_engine text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text, p_engine text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text, p_engine text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_done(p_frame_id uuid, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text, p_engine text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_ocr_failed(p_frame_id uuid, p_message text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_failed(p_frame_id uuid, p_message text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_imported(p_frame_id uuid, p_engine text, p_text text, p_confidence real, p_words jsonb, p_findings jsonb, p_redacted_image_ref text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_ocr_skipped(p_frame_id uuid, p_reason text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_ocr_skipped(p_frame_id uuid, p_reason text) TO pgrecall_worker;


--
-- Name: FUNCTION frame_spans(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.frame_spans(p_deployment_id text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.frame_spans(p_deployment_id text, p_day date) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.frame_spans(p_deployment_id text, p_day date) TO pgrecall_worker;


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
-- Name: FUNCTION gc_candidates(p_refs text[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.gc_candidates(p_refs text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.gc_candidates(p_refs text[]) TO pgrecall_worker;


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
-- Name: FUNCTION health(p_max_pending_age interval, p_max_failure_rate numeric, p_max_retention_age interval); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.health(p_max_pending_age interval, p_max_failure_rate numeric, p_max_retention_age interval) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.health(p_max_pending_age interval, p_max_failure_rate numeric, p_max_retention_age interval) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.health(p_max_pending_age interval, p_max_failure_rate numeric, p_max_retention_age interval) TO pgrecall_worker;


--
-- Name: FUNCTION import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], p_browser_url text, p_missing_image text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], p_browser_url text, p_missing_image text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], p_browser_url text, p_missing_image text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], p_browser_url text, p_missing_image text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.import_frame(p_deployment_id text, p_captured_at timestamp with time zone, p_image_ref text, p_capture_key text, p_app_name text, p_window_title text, p_phash bigint, p_tile_hashes bigint[], p_browser_url text, p_missing_image text, OUT frame_id uuid, OUT duplicate_of uuid, OUT existing boolean, OUT excluded_by text, OUT ocr_pending boolean) TO pgrecall_worker;


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
-- Name: FUNCTION list_apps(p_since timestamp with time zone, p_until timestamp with time zone, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.list_apps(p_since timestamp with time zone, p_until timestamp with time zone, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.list_apps(p_since timestamp with time zone, p_until timestamp with time zone, p_deployment_id text) TO pgrecall_reader;


--
-- Name: FUNCTION local_day(p_deployment_id text, p_at timestamp with time zone); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.local_day(p_deployment_id text, p_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.local_day(p_deployment_id text, p_at timestamp with time zone) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.local_day(p_deployment_id text, p_at timestamp with time zone) TO pgrecall_worker;


--
-- Name: FUNCTION log_event(p_action text, p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone, p_counts jsonb, p_details jsonb); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.log_event(p_action text, p_deployment_id text, p_from timestamp with time zone, p_to timestamp with time zone, p_counts jsonb, p_details jsonb) FROM PUBLIC;


--
-- Name: FUNCTION match_boxes(p_frame_id uuid, p_query text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.match_boxes(p_frame_id uuid, p_query text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.match_boxes(p_frame_id uuid, p_query text) TO pgrecall_reader;


--
-- Name: FUNCTION near_duplicates(p_frame_id uuid, p_limit integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.near_duplicates(p_frame_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.near_duplicates(p_frame_id uuid, p_limit integer) TO pgrecall_reader;


--
-- Name: FUNCTION normalize_title(p_title text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.normalize_title(p_title text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.normalize_title(p_title text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.normalize_title(p_title text) TO pgrecall_worker;


--
-- Name: FUNCTION parse_moment(p_text text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.parse_moment(p_text text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.parse_moment(p_text text) TO pgrecall_reader;


--
-- Name: FUNCTION phash_prefix(p_phash bigint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.phash_prefix(p_phash bigint) TO pgrecall_worker;


--
-- Name: FUNCTION project_for(p_app_name text, p_window_title text, OUT project_id bigint, OUT rule_id bigint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.project_for(p_app_name text, p_window_title text, OUT project_id bigint, OUT rule_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.project_for(p_app_name text, p_window_title text, OUT project_id bigint, OUT rule_id bigint) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.project_for(p_app_name text, p_window_title text, OUT project_id bigint, OUT rule_id bigint) TO pgrecall_worker;


--
-- Name: FUNCTION purge_tombstoned(p_limit integer, p_dry_run boolean, OUT frames integer, OUT findings integer, OUT words integer, OUT images integer, OUT event_id bigint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.purge_tombstoned(p_limit integer, p_dry_run boolean, OUT frames integer, OUT findings integer, OUT words integer, OUT images integer, OUT event_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.purge_tombstoned(p_limit integer, p_dry_run boolean, OUT frames integer, OUT findings integer, OUT words integer, OUT images integer, OUT event_id bigint) TO pgrecall_worker;


--
-- Name: FUNCTION queue_days_due_prose(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.queue_days_due_prose() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.queue_days_due_prose() TO pgrecall_worker;


--
-- Name: FUNCTION record_blob_sizes(p_refs text[], p_bytes bigint[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.record_blob_sizes(p_refs text[], p_bytes bigint[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.record_blob_sizes(p_refs text[], p_bytes bigint[]) TO pgrecall_worker;


--
-- Name: FUNCTION release_dead_workers(p_dead_after interval); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.release_dead_workers(p_dead_after interval) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.release_dead_workers(p_dead_after interval) TO pgrecall_worker;


--
-- Name: FUNCTION remove_project(p_name text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.remove_project(p_name text) FROM PUBLIC;


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
-- Name: FUNCTION rescan_batch(p_rescan_id bigint, p_limit integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.rescan_batch(p_rescan_id bigint, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.rescan_batch(p_rescan_id bigint, p_limit integer) TO pgrecall_worker;


--
-- Name: FUNCTION rescan_batch_done(p_rescan_id bigint, p_after_id uuid, p_scanned integer, p_results jsonb); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.rescan_batch_done(p_rescan_id bigint, p_after_id uuid, p_scanned integer, p_results jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.rescan_batch_done(p_rescan_id bigint, p_after_id uuid, p_scanned integer, p_results jsonb) TO pgrecall_worker;


--
-- Name: FUNCTION retention_batch(p_deployment_id text, p_batch integer, p_dry_run boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.retention_batch(p_deployment_id text, p_batch integer, p_dry_run boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.retention_batch(p_deployment_id text, p_batch integer, p_dry_run boolean) TO pgrecall_worker;


--
-- Name: FUNCTION retention_done(p_counts jsonb, p_dry_run boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.retention_done(p_counts jsonb, p_dry_run boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.retention_done(p_counts jsonb, p_dry_run boolean) TO pgrecall_worker;


--
-- Name: FUNCTION revoke_access(p_kind text, p_role text, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.revoke_access(p_kind text, p_role text, p_deployment_id text) FROM PUBLIC;


--
-- Name: FUNCTION search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer, p_include_tombstoned boolean); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer, p_include_tombstoned boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer, p_include_tombstoned boolean) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer, p_include_tombstoned boolean) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.search_frames(p_query text, p_query_embedding public.vector, p_mode text, p_deployment_id text, p_app text, p_window text, p_since timestamp with time zone, p_until timestamp with time zone, p_include_duplicates boolean, p_limit integer, p_cursor text, p_sort text, p_embedding_model text, p_candidates integer, p_include_tombstoned boolean) TO pgrecall_worker;


--
-- Name: FUNCTION search_query(p_query text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.search_query(p_query text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.search_query(p_query text) TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.search_query(p_query text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.search_query(p_query text) TO pgrecall_worker;


--
-- Name: FUNCTION secrets_rescan(p_deployment_id text, p_reason text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.secrets_rescan(p_deployment_id text, p_reason text) FROM PUBLIC;


--
-- Name: FUNCTION set_day_prose(p_deployment_id text, p_day date, p_template text, p_model text, p_digest text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.set_day_prose(p_deployment_id text, p_day date, p_template text, p_model text, p_digest text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.set_day_prose(p_deployment_id text, p_day date, p_template text, p_model text, p_digest text) TO pgrecall_worker;


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
-- Name: FUNCTION stage_counts(p_cap integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.stage_counts(p_cap integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.stage_counts(p_cap integer) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.stage_counts(p_cap integer) TO pgrecall_worker;


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
-- Name: FUNCTION suggest_projects(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.suggest_projects(p_deployment_id text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.suggest_projects(p_deployment_id text, p_day date) TO pgrecall_worker;


--
-- Name: FUNCTION summarize_day(p_deployment_id text, p_day date); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.summarize_day(p_deployment_id text, p_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.summarize_day(p_deployment_id text, p_day date) TO pgrecall_worker;


--
-- Name: FUNCTION summary_settings(p_deployment_id text, OUT activity_gap interval, OUT time_zone text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.summary_settings(p_deployment_id text, OUT activity_gap interval, OUT time_zone text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.summary_settings(p_deployment_id text, OUT activity_gap interval, OUT time_zone text) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.summary_settings(p_deployment_id text, OUT activity_gap interval, OUT time_zone text) TO pgrecall_worker;


--
-- Name: FUNCTION tg__log_rule_change(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg__log_rule_change() FROM PUBLIC;


--
-- Name: FUNCTION tg_events__append_only(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_events__append_only() FROM PUBLIC;


--
-- Name: FUNCTION tg_exclusions__check(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_exclusions__check() FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.tg_exclusions__check() TO pgrecall_capture;
GRANT ALL ON FUNCTION pgrecall.tg_exclusions__check() TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.tg_exclusions__check() TO pgrecall_worker;


--
-- Name: FUNCTION tg_frames__consume_claims(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__consume_claims() FROM PUBLIC;


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
-- Name: FUNCTION tg_frames__summaries(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_frames__summaries() FROM PUBLIC;


--
-- Name: FUNCTION tg_secret_rules__rescan(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_secret_rules__rescan() FROM PUBLIC;


--
-- Name: FUNCTION tg_settings__check_time_zone(); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.tg_settings__check_time_zone() FROM PUBLIC;


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
-- Name: FUNCTION timeline(p_day date, p_deployment_id text); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.timeline(p_day date, p_deployment_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.timeline(p_day date, p_deployment_id text) TO pgrecall_reader;


--
-- Name: FUNCTION unforget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_dry_run boolean, OUT frames integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.unforget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_dry_run boolean, OUT frames integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.unforget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_dry_run boolean, OUT frames integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) TO pgrecall_reader;
GRANT ALL ON FUNCTION pgrecall.unforget(p_deployment_id text, p_since timestamp with time zone, p_until timestamp with time zone, p_last interval, p_app text, p_window text, p_frame_ids uuid[], p_dry_run boolean, OUT frames integer, OUT range_from timestamp with time zone, OUT range_to timestamp with time zone, OUT deployments text[], OUT event_id bigint) TO pgrecall_capture;


--
-- Name: FUNCTION worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer) TO pgrecall_worker;


--
-- Name: FUNCTION worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_heartbeat(p_worker_ids text[], p_hostname text, p_pid integer, p_dead_after interval) TO pgrecall_worker;


--
-- Name: FUNCTION worker_stopped(p_worker_ids text[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[]) TO pgrecall_worker;


--
-- Name: FUNCTION worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]); Type: ACL; Schema: pgrecall; Owner: -
--

REVOKE ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) FROM PUBLIC;
GRANT ALL ON FUNCTION pgrecall.worker_stopped(p_worker_ids text[], p_completed_jobs bigint[], p_interrupted_jobs bigint[]) TO pgrecall_worker;


--
-- Name: TABLE _sql_applied; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall._sql_applied TO pgrecall_worker;


--
-- Name: TABLE activities; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE pgrecall.activities TO pgrecall_worker;
GRANT SELECT ON TABLE pgrecall.activities TO pgrecall_reader;


--
-- Name: TABLE blob_claims; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.blob_claims TO pgrecall_worker;


--
-- Name: TABLE blob_releases; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.blob_releases TO pgrecall_worker;


--
-- Name: TABLE blob_sizes; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.blob_sizes TO pgrecall_worker;


--
-- Name: TABLE day_summaries; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE pgrecall.day_summaries TO pgrecall_worker;
GRANT SELECT ON TABLE pgrecall.day_summaries TO pgrecall_reader;


--
-- Name: TABLE events; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.events TO pgrecall_worker;


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
-- Name: TABLE project_rules; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.project_rules TO pgrecall_worker;
GRANT SELECT ON TABLE pgrecall.project_rules TO pgrecall_reader;


--
-- Name: TABLE projects; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.projects TO pgrecall_worker;
GRANT SELECT ON TABLE pgrecall.projects TO pgrecall_reader;


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
GRANT SELECT,INSERT,DELETE ON TABLE pgrecall.search_words TO pgrecall_worker;


--
-- Name: TABLE secrets; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT,INSERT ON TABLE pgrecall.secrets TO pgrecall_worker;


--
-- Name: TABLE secret_counts; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.secret_counts TO pgrecall_reader;
GRANT SELECT ON TABLE pgrecall.secret_counts TO pgrecall_worker;


--
-- Name: TABLE secret_rescans; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT,UPDATE ON TABLE pgrecall.secret_rescans TO pgrecall_worker;


--
-- Name: TABLE secret_rules; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT ON TABLE pgrecall.secret_rules TO pgrecall_worker;


--
-- Name: TABLE workers; Type: ACL; Schema: pgrecall; Owner: -
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE pgrecall.workers TO pgrecall_worker;
