--! Previous: sha1:8a81af2c9e9c8c1db037432d12c834e5d57a6c4a
--! Hash: sha1:6299858d3fde5ef4d7e338b94aafdda9c55184ab
--! Message: secrets: findings, user rules, vision after ocr

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Secrets (seed 000 Phase 4). The worker finds them in the OCR text before anything is stored;
-- what reaches the database is the redacted text and image, and one row per finding here:
-- where it was, what kind, a keyed fingerprint (HMAC, key outside the database) and a masked
-- preview. Never the secret itself.
create table pgrecall.secrets (
    id           bigint generated always as identity primary key,
    frame_id     uuid not null references pgrecall.frames (id) on delete cascade,
    rule         text not null,
    kind         text not null,
    category     text not null constraint secrets_category_check check (category in ('secret', 'personal')),
    start_offset integer not null,
    end_offset   integer not null,
    boxes        jsonb not null default '[]',
    fingerprint  text not null constraint secrets_fingerprint_check check (fingerprint ~ '^[0-9a-f]{64}$'),
    preview      text not null constraint secrets_preview_check check (length(preview) <= 40),
    found_at     timestamptz not null default now(),
    constraint secrets_range_check check (start_offset >= 0 and end_offset > start_offset)
);
comment on table pgrecall.secrets is
  'One row per secret or personal datum found on a frame, redacted before its text and image were stored: the character range in ocr_text (now masked), the boxes blacked out in the image, a keyed fingerprint (HMAC-SHA256 of the normalised value, key outside the database) and a masked preview. Never the value.';
create index idx_secrets_frame on pgrecall.secrets (frame_id);
create index idx_secrets_fingerprint on pgrecall.secrets (fingerprint);

-- User rules for the detector, as data: a new rule, or a built-in's name with what to change
-- (e.g. {"name": "email", "enabled": true}). The worker checks each (RE2 patterns, no
-- lookaround or backreferences) and skips a refused one with the reason; pgrecall secrets
-- rule add refuses it before it is stored.
create table pgrecall.secret_rules (
    name        text primary key constraint secret_rules_name_check check (name ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    rule        jsonb not null constraint secret_rules_rule_check check (jsonb_typeof(rule) = 'object' and rule ->> 'name' = name),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
comment on table pgrecall.secret_rules is
  'User rules for secret detection (the shape of src/engines/secret-rules.ts SecretRule): a new rule in full, or a built-in''s name with the fields to change. Applied by the worker to frames OCRed after the change.';

alter table pgrecall.frames add column redacted_at timestamptz;
comment on column pgrecall.frames.redacted_at is
  'When secrets were found on the frame and its text and image redacted (findings in pgrecall.secrets). A later capture of the same screen is not taken for its near-duplicate: it is OCRed and redacted itself.';

-- Vision waits for OCR now: the vision model is sent the redacted image, never the original.
update pgrecall.stages set waits_for = '{hash,ocr}' where stage = 'vision';

-- frame_ocr_done records findings and the redacted image too (sql/050_transitions.sql).
drop function if exists pgrecall.frame_ocr_done(uuid, text, real, jsonb);
