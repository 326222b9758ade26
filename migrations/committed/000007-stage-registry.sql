--! Previous: sha1:a100e2ae811683d3c77c7ca97ac342e1942a7006
--! Hash: sha1:55c6d8b32018525ca065334675849f73e37d5950
--! Message: stage registry

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- The stage registry: every stage of the pipeline, once. Enqueueing, transitions, the pending
-- views, the pipeline view and the worker are built from it (sql/ generates its functions and
-- views from these rows). A stage's columns in pgrecall.frames are <stage>_status,
-- <stage>_message and <stage>_at; adding a stage is a migration that adds them and its row
-- here, a task file, and the SQL function that records its result.
create table pgrecall.stages (
    stage            text primary key
                     constraint stages_stage_check check (stage ~ '^[a-z][a-z0-9_]{0,30}$'),
    task             text not null unique
                     constraint stages_task_check check (task ~ '^[a-z][a-z0-9_]{0,30}$'),
    position         smallint not null unique,
    waits_for        text[] not null default '{}',
    skip_duplicates  boolean not null default true,
    skippable        boolean not null default true,
    results          text[] not null default '{}',
    view_columns     text not null default '',
    description      text not null
);
comment on table pgrecall.stages is
  'The pipeline''s stages, in order: the graphile-worker task that runs each, the stages it waits for (all done first), and whether a near-duplicate skips it. Functions and views in sql/ are generated from these rows when sql/ is applied.';
comment on column pgrecall.stages.stage is 'The stage''s name, and the prefix of its columns in pgrecall.frames (<stage>_status, _message, _at).';
comment on column pgrecall.stages.task is 'The graphile-worker task identifier that runs the stage (its file in tasks/).';
comment on column pgrecall.stages.waits_for is 'Stages that must be done (status 1) before this one runs.';
comment on column pgrecall.stages.skippable is 'Whether the stage may be recorded as skipped at all (the hash may not: without it nothing else can run).';
comment on column pgrecall.stages.results is 'The frames columns the stage writes its result to: only its SQL function may set them (a client that sends them is refused).';
comment on column pgrecall.stages.view_columns is 'Columns the stage''s pending view adds to the common ones, as SQL select-list items over pgrecall.frames f (e.g. the text to embed).';
comment on column pgrecall.stages.skip_duplicates is 'A near-duplicate has this stage skipped (3): it shows the same screen as the frame it repeats.';

insert into pgrecall.stages (stage, task, position, waits_for, skip_duplicates, skippable, results, description) values
  ('hash',      'hash',   1, '{}',         false, false, '{}',
   'perceptual hash and tile hashes, when the client gave none; then dedup'),
  ('ocr',       'ocr',    2, '{hash}',     true,  true,  '{ocr_text,ocr_words,ocr_confidence}',
   'text, confidence and word boxes (tesseract.js)'),
  ('vision',    'vision', 3, '{hash}',     true,  true,  '{vision_summary}',
   'a description by a vision model (OpenAI-compatible endpoint)'),
  ('embedding', 'embed',  4, '{hash,ocr}', true,  true,  '{embedding,embedding_model}',
   'a 384-dimension text embedding of title, app and OCR text');
update pgrecall.stages set view_columns = 'pgrecall.embedding_input(f.window_title, f.app_name, f.ocr_text) as input'
 where stage = 'embedding';

-- Built from the registry now (sql/040_enqueue.sql): the old one took one status per stage.
drop function if exists pgrecall.stages_wanted(smallint, smallint, smallint, smallint);
drop function if exists pgrecall._stage_status(smallint, smallint, smallint, smallint, text);
