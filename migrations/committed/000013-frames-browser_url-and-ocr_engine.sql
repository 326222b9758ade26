--! Previous: sha1:438f8cfd5773ec1e8e7858e838e970d5af4ec9e0
--! Hash: sha1:02b839b0bdf33dc67d21c189ba9e1de3220479ad
--! Message: frames: browser_url and ocr_engine

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- Where a frame came from, beyond app and window: the browser page it showed (an importer
-- or capture client that knows it sets it) and, for text recorded by another program (an
-- imported Screenpipe history), which OCR engine read it. Null ocr_engine: pgrecall's own.
alter table pgrecall.frames add column browser_url text
  constraint frames_browser_url_check check (length(browser_url) <= 4096);
alter table pgrecall.frames add column ocr_engine text
  constraint frames_ocr_engine_check check (length(ocr_engine) between 1 and 200);
comment on column pgrecall.frames.browser_url is 'The page the frame''s browser window showed, when the capture client knew it (Screenpipe records it).';
comment on column pgrecall.frames.ocr_engine is 'Which engine produced ocr_text when it was not pgrecall''s own OCR (an imported history: "screenpipe: Tesseract"); null for pgrecall''s.';
