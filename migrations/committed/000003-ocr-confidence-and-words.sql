--! Previous: sha1:6686e04a8d68c4735c7b55478b5332d9faa15bd7
--! Hash: sha1:0ffc1ac4d6a4f45c1e8cf40afef461782352eb63
--! Message: ocr confidence and words

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

alter table pgrecall.frames
  add column ocr_confidence real,
  add column ocr_words jsonb;
comment on column pgrecall.frames.ocr_confidence is 'Mean word confidence of the OCR text, 0-100.';
comment on column pgrecall.frames.ocr_words is
  'OCR words as [{t: text, c: confidence, b: [x0, y0, x1, y1], o: offset into ocr_text}], so highlights and redaction need no second OCR.';

-- frame_ocr_done gains confidence and words (sql/050_transitions.sql); the old signature goes.
drop function if exists pgrecall.frame_ocr_done(uuid, text);
