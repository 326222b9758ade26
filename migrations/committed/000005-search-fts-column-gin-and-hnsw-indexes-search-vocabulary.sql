--! Previous: sha1:d46d1f365e02050d81c16a46051acc24cf5c6510
--! Hash: sha1:273b11c01d15a740fa3cea11c9a9fc4f8a84e570
--! Message: search: fts column, GIN and HNSW indexes, search vocabulary

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Search (seed 000 Phase 2). What a frame says, as one weighted tsvector kept by PostgreSQL
-- itself: window title and app (A), vision summary (B), OCR text (C). Curly quotes, which OCR
-- reads for straight ones on code, are straightened first; text past 200,000 characters is not
-- indexed (tsvector's own limits would otherwise refuse the row).
alter table pgrecall.frames
  add column fts tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, left(coalesce(window_title, '') || ' ' || coalesce(app_name, ''), 2000)), 'A') ||
    setweight(to_tsvector('english'::regconfig, left(coalesce(vision_summary, ''), 20000)), 'B') ||
    setweight(to_tsvector('english'::regconfig, translate(left(coalesce(ocr_text, ''), 200000), '‘’‚‛′“”„‟″', '''''''''''"""""')), 'C')
  ) stored;
comment on column pgrecall.frames.fts is
  'Full-text document: window title + app (weight A), vision summary (B), OCR text with curly quotes straightened (C). Generated; never written directly.';

-- Only canonical frames are searched (near-duplicates are reached through them), so the
-- search indexes skip the duplicates: most captures are duplicates.
create index idx_frames_fts on pgrecall.frames using gin (fts) where duplicate_of is null;

-- m 24 / ef_construction 128: at 1M frames pgvector's defaults (16 / 64) reached recall@10
-- 0.92-0.96 however large ef_search; these reach 1.00 (bench/search, README).
create index idx_frames_embedding on pgrecall.frames using hnsw (embedding vector_cosine_ops)
  with (m = 24, ef_construction = 128) where duplicate_of is null;

-- Typo tolerance: every lexeme the corpus has, with a trigram index, so a query word that is
-- in no frame can be replaced by its nearest known words.
create extension if not exists pg_trgm;
create table pgrecall.search_words (
  word text primary key
);
comment on table pgrecall.search_words is
  'Every lexeme of every frame''s fts (kept by a trigger): the vocabulary typo correction searches.';
create index idx_search_words_trgm on pgrecall.search_words using gist (word gist_trgm_ops);
insert into pgrecall.search_words (word)
  select distinct unnest(tsvector_to_array(fts)) from pgrecall.frames where duplicate_of is null
  on conflict do nothing;
