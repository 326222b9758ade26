--! Previous: sha1:8284dbd8535e359fe9dfe1cfc7ebcb6c34334ecd
--! Hash: sha1:3feda54ecd39f2c395c7dda4ae91a1747f0f7447
--! Message: frames.ocr_engine: pgrecall OCR names its engine and model; frame_ocr_done takes p_engine

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- pgrecall's own OCR names the engine and model that read a frame too (frame_ocr_done takes
-- p_engine): ocr_engine is no longer null for pgrecall's OCR. Frames read before keep null.
drop function if exists pgrecall.frame_ocr_done(uuid, text, real, jsonb, jsonb, text);
comment on column pgrecall.frames.ocr_engine is 'Which engine and model produced ocr_text: pgrecall''s own ("pgrecall: tesseract.js 7.0.0, tessdata_fast, second look 70/60"), or another program''s for an imported history ("screenpipe: Tesseract"); null when not recorded (OCR not done, or done before this was recorded, or by a caller that did not say).';
