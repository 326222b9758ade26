--! Previous: sha1:0ffc1ac4d6a4f45c1e8cf40afef461782352eb63
--! Hash: sha1:d46d1f365e02050d81c16a46051acc24cf5c6510
--! Message: embedding model per vector

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

alter table pgrecall.frames
  add column embedding_model text;
comment on column pgrecall.frames.embedding_model is
  'Which model produced embedding (e.g. Xenova/all-MiniLM-L6-v2): vectors from different models are not comparable, so search and re-embedding can tell them apart.';

-- frame_embedding_done gains the model (sql/050_transitions.sql); the old signature goes.
drop function if exists pgrecall.frame_embedding_done(uuid, vector);
