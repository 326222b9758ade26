// `pgrecall import screenpipe`: a Screenpipe history → frames, through the same insert, dedup,
// exclusion and secret-redaction path as a capture. Each Screenpipe frame is named by its id
// (capture_key screenpipe:<id>), so a second run adds nothing and an interrupted one resumes:
// frames already imported are found before any media is read.
import { readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { putClaimed } from "../blob-gc.js";
import { clientText, int8ArrayLiteral, type Sql } from "../db.js";
import { hashImage } from "../engines/hasher.js";
import type { OcrWord } from "../engines/ocr.js";
import type { Redactor } from "../engines/redactor.js";
import type { BlobStore } from "../store.js";
import { ScreenpipeDb, type ScreenpipeFrame } from "./screenpipe-db.js";
import { extractFrames, ToolMissing } from "./video.js";

export interface ImportOptions {
  /** Screenpipe's data folder (db.sqlite, data/). */
  dir: string;
  /** Every frame's deployment; default: the frame's device (monitor), else "screenpipe". */
  deployment?: string;
  /** Leave Screenpipe's text aside: pgrecall's OCR reads each imported frame. */
  reocr?: boolean;
  /** Frames read from SQLite per round (default 200). */
  batch?: number;
  onStart?: (total: number, schema: string) => void;
  onFrame?: (r: ImportedFrame, tally: ImportTally) => void;
}

export interface ImportedFrame {
  screenpipe_id: number;
  frame_id: string | null;
  /** merged: one window of a capture Screenpipe stored as a frame per window; its text is on the capture's frame (frame_id). */
  outcome: "inserted" | "duplicate" | "excluded" | "existing" | "merged" | "failed";
  /** Inserted without an image: why (media gone or unreadable). */
  no_image?: string;
  error?: string;
}

export interface ImportTally {
  total: number;
  seen: number;
  inserted: number;
  duplicates: number;
  excluded: number;
  existing: number;
  /** Screenpipe frames that were other windows of the same capture: their text joined the capture's frame. */
  merged: number;
  failed: number;
  /** Inserted with text and metadata but no image: the media was missing or unreadable. */
  withoutImage: number;
  /** Frames whose Screenpipe text was recorded as their OCR. */
  ocrImported: number;
  /** Of those, frames on which the secret detector masked something. */
  redacted: number;
}

interface Prepared {
  row: ScreenpipeFrame;
  /** The texts of the capture, focused window first (more than one: Screenpipe stored a frame per window). */
  parts: { text: string; textJson: string | null; app: string | null; title: string | null }[];
  /** The other Screenpipe frames of the same capture. */
  merged: number[];
  deployment: string;
  capturedAt: string;
  key: string;
  app: string | null;
  title: string | null;
}

export async function importScreenpipe(sql: Sql, store: BlobStore, redactor: Redactor, o: ImportOptions): Promise<ImportTally> {
  const sp = ScreenpipeDb.open(o.dir);
  try {
    const tally: ImportTally = { total: sp.count(), seen: 0, inserted: 0, duplicates: 0, excluded: 0, existing: 0, merged: 0, failed: 0, withoutImage: 0, ocrImported: 0, redacted: 0 };
    o.onStart?.(tally.total, sp.schema.describe);
    const report = (r: ImportedFrame) => {
      tally.seen++;
      if (r.outcome === "duplicate") tally.inserted++, tally.duplicates++;
      else if (r.outcome === "excluded") tally.inserted++, tally.excluded++;
      else tally[r.outcome]++;
      if (r.no_image) tally.withoutImage++;
      o.onFrame?.(r, tally);
    };
    for (const rows of sp.frames(0, o.batch ?? 200)) {
      const ready: Prepared[] = [];
      for (const row of rows) {
        const capturedAt = screenpipeTime(row.timestamp);
        if (!capturedAt) {
          report({ screenpipe_id: row.id, frame_id: null, outcome: "failed", error: `timestamp ${JSON.stringify(row.timestamp)} is not a time` });
          continue;
        }
        const p: Prepared = {
          row, capturedAt, key: `screenpipe:${row.id}`, parts: row.text ? [{ text: row.text, textJson: row.textJson, app: clientText(row.app), title: clientText(row.window) }] : [], merged: [],
          deployment: o.deployment ?? clientText(row.device) ?? "screenpipe",
          app: clientText(row.app), title: clientText(row.window),
        };
        // Screenpipe (2025) stored one frame per window of a capture: the same image and time. One screen, one frame:
        // the focused window's, with every window's text.
        const prev = ready.at(-1);
        if (prev && sameCapture(prev, p)) {
          const [main, other] = !prev.row.focused && p.row.focused ? [p, prev] : [prev, p];
          main.parts = [...main.parts, ...other.parts].filter((x, i, all) => all.findIndex((y) => y.text === x.text) === i);
          main.merged = [...prev.merged, other.row.id, ...(main === p ? [] : p.merged)];
          if (main === p) ready[ready.length - 1] = p;
          continue;
        }
        ready.push(p);
      }
      const known = await alreadyImported(sql, ready);
      const fresh = ready.filter((p) => {
        const id = known.get(p.key);
        if (id) for (const sid of [p.row.id, ...p.merged]) report({ screenpipe_id: sid, frame_id: id, outcome: "existing" });
        return !id;
      });
      const excluded = await exclusions(sql, fresh.map((p) => ({ deployment: p.deployment, app: p.app, title: p.title, key: p.key })));
      // The text of a window an exclusion rule matches is not kept, whichever window had the focus.
      const partsOut = await exclusions(sql, fresh.flatMap((p) => p.parts.length > 1 ? p.parts.map((x, i) => ({ deployment: p.deployment, app: x.app, title: x.title, key: `${p.key}#${i}` })) : []));
      for (const p of fresh) if (p.parts.length > 1) p.parts = p.parts.filter((_, i) => !partsOut.has(`${p.key}#${i}`));
      const media = await loadMedia(o.dir, fresh.filter((p) => !excluded.has(p.key)));
      for (const p of fresh) {
        const r = await importOne(sql, store, redactor, p, excluded.has(p.key) ? null : media.get(p.key)!, o, tally);
        report(r);
        for (const sid of p.merged) report({ screenpipe_id: sid, frame_id: r.frame_id, outcome: r.outcome === "failed" ? "failed" : "merged", ...(r.error ? { error: r.error } : {}) });
      }
    }
    return tally;
  } finally {
    sp.close();
  }
}

type Media = { data: Buffer; ext: string } | { missing: string };

async function importOne(sql: Sql, store: BlobStore, redactor: Redactor, p: Prepared, media: Media | null, o: ImportOptions, tally: ImportTally): Promise<ImportedFrame> {
  const base = { screenpipe_id: p.row.id };
  try {
    let image: { ref: string; data: Buffer; phash: bigint; tiles: bigint[]; width: number; height: number } | null = null;
    let missing: string | null = null;
    if (media && "data" in media) {
      try {
        const h = await hashImage(media.data);
        const blob = await putClaimed(sql, store, media.data, media.ext);
        image = { ref: blob.ref, data: media.data, phash: h.phash, tiles: h.tileHashes, width: h.width, height: h.height };
      } catch (err) {
        missing = `its image cannot be decoded: ${(err as Error).message}`;
      }
    } else if (media) missing = media.missing;
    const text = o.reocr || !p.parts.length ? null : p.parts.map((x) => x.text).join("\n\n");
    return await sql.begin(async (tx) => {
      const [f] = await tx<{ frame_id: string; duplicate_of: string | null; existing: boolean; excluded_by: string | null; ocr_pending: boolean }[]>`
        select * from pgrecall.import_frame(
          p_deployment_id => ${p.deployment}, p_captured_at => ${p.capturedAt}::text::timestamptz, p_image_ref => ${image?.ref ?? null},
          p_capture_key => ${p.key}, p_app_name => ${p.app}, p_window_title => ${p.title},
          p_phash => ${image?.phash ?? null}, p_tile_hashes => ${int8ArrayLiteral(image?.tiles)}::bigint[],
          p_browser_url => ${clientText(p.row.browserUrl)}, p_missing_image => ${image ? null : missing})`;
      const r: ImportedFrame = {
        ...base, frame_id: f!.frame_id,
        outcome: f!.existing ? "existing" : f!.excluded_by ? "excluded" : f!.duplicate_of ? "duplicate" : "inserted",
        ...(!image && !f!.excluded_by && missing ? { no_image: missing } : {}),
      };
      if (f!.ocr_pending && text !== null && clientText(text) !== null) {
        let at = 0;
        const words = p.parts.flatMap((x) => {
          const ws = wordsOf(x.textJson, x.text, image).map((w) => ({ ...w, o: w.o + at }));
          at += x.text.length + 2;
          return ws;
        });
        const d = await redactor.detect(tx as unknown as Sql, { text: clientText(text)!, confidence: meanConfidence(words), words });
        // A finding is recorded with the image it was blacked out of, or, for a frame without an image, with its masked text alone.
        const redacted = d.findings.length && image ? (await putClaimed(sql, store, await redactor.blackOut(image.data, d), "png")).ref : null;
        const [done] = await tx<{ released: string[] | null }[]>`
          select pgrecall.frame_ocr_imported(${f!.frame_id}, ${"screenpipe: " + (p.row.engine ?? "unknown")}, ${d.text},
            ${meanConfidence(d.words)}, ${tx.json(d.words as never)},
            ${d.findings.length ? tx.json(d.findings as never) : null}, ${redacted}) as released`;
        tally.ocrImported++;
        if (d.findings.length) tally.redacted++;
        for (const ref of done!.released ?? []) await store.remove(ref);
      }
      return r;
    });
  } catch (err) {
    if (err instanceof ToolMissing) throw err;
    return { ...base, frame_id: null, outcome: "failed", error: (err as Error).message };
  }
}

async function alreadyImported(sql: Sql, ps: Prepared[]): Promise<Map<string, string>> {
  if (!ps.length) return new Map();
  const rows = await sql<{ capture_key: string; id: string }[]>`
    select f.capture_key, f.id from pgrecall.frames f
    join unnest(${ps.map((p) => p.deployment)}::text[], ${ps.map((p) => p.capturedAt)}::text[]::timestamptz[], ${ps.map((p) => p.key)}::text[]) as k(d, t, key)
      on f.deployment_id = k.d and f.captured_at = k.t and f.capture_key = k.key`;
  return new Map(rows.map((r) => [r.capture_key, r.id]));
}

function sameCapture(a: Prepared, b: Prepared): boolean {
  return a.capturedAt === b.capturedAt && a.deployment === b.deployment && a.row.snapshotPath === b.row.snapshotPath &&
    a.row.chunkPath === b.row.chunkPath && a.row.offsetIndex === b.row.offsetIndex && (a.row.chunkPath !== null || a.row.snapshotPath !== null);
}

/** The screens (or windows) an exclusion rule matches: their media is never read, their text never kept. */
async function exclusions(sql: Sql, ps: { deployment: string; app: string | null; title: string | null; key: string }[]): Promise<Set<string>> {
  if (!ps.length) return new Set();
  const rows = await sql<{ key: string }[]>`
    select k.key from unnest(${ps.map((p) => p.deployment)}::text[], ${ps.map((p) => p.app)}::text[], ${ps.map((p) => p.title)}::text[], ${ps.map((p) => p.key)}::text[]) as k(d, app, title, key)
    where pgrecall.exclusion_for(k.d, k.app, k.title) is not null`;
  return new Set(rows.map((r) => r.key));
}

/** Each frame's image: its JPEG snapshot if it still has one, else its frame of the video chunk. */
async function loadMedia(dir: string, ps: Prepared[]): Promise<Map<string, Media>> {
  const out = new Map<string, Media>();
  const byChunk = new Map<string, Prepared[]>();
  for (const p of ps) {
    if (p.row.snapshotPath) {
      const path = await locate(dir, p.row.snapshotPath);
      if (path) {
        const data = await readFile(path);
        if (isJpegOrPng(data)) {
          out.set(p.key, { data, ext: data[0] === 0xff ? "jpg" : "png" });
          continue;
        }
        out.set(p.key, { missing: `snapshot ${p.row.snapshotPath} is not a JPEG or PNG image` });
        continue;
      }
      if (!p.row.chunkPath) {
        out.set(p.key, { missing: `snapshot ${p.row.snapshotPath} is gone` });
        continue;
      }
    }
    if (!p.row.chunkPath) {
      out.set(p.key, { missing: "Screenpipe recorded no media for it" });
      continue;
    }
    byChunk.set(p.row.chunkPath, [...(byChunk.get(p.row.chunkPath) ?? []), p]);
  }
  for (const [chunk, frames] of byChunk) {
    const path = await locate(dir, chunk);
    if (!path) {
      for (const p of frames) out.set(p.key, { missing: `video chunk ${chunk} is gone` });
      continue;
    }
    try {
      const got = await extractFrames(path, frames.map((p) => p.row.offsetIndex));
      for (const p of frames) {
        const data = got.frames.get(p.row.offsetIndex);
        out.set(p.key, data ? { data, ext: "png" } : { missing: `video chunk ${chunk} has ${got.decoded} of the wanted frames; frame ${p.row.offsetIndex} is past its end` });
      }
    } catch (err) {
      if (err instanceof ToolMissing) throw err;
      for (const p of frames) out.set(p.key, { missing: `video chunk ${chunk} is unreadable: ${(err as Error).message}` });
    }
  }
  return out;
}

/** A media path as Screenpipe recorded it (absolute, on the machine that captured), else the same file under DIR/data/. */
async function locate(dir: string, recorded: string): Promise<string | null> {
  for (const candidate of [recorded, join(dir, "data", basename(recorded)), join(dir, basename(recorded))]) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not there: try the next place
    }
  }
  return null;
}

function isJpegOrPng(d: Buffer): boolean {
  return (d[0] === 0xff && d[1] === 0xd8 && d[2] === 0xff) || d.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
}

/**
 * Screenpipe's timestamps as PostgreSQL reads them: sqlx wrote chrono's UTC times as text
 * ("2025-03-01 10:00:00.123456789+00:00" or RFC 3339), a zone-less time is UTC; a number is
 * Unix seconds (or milliseconds). Null when it is no time at all.
 */
export function screenpipeTime(ts: string | number | null): string | null {
  if (typeof ts === "number" && Number.isFinite(ts)) return new Date(ts > 1e11 ? ts : ts * 1000).toISOString();
  if (typeof ts !== "string") return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(ts.trim());
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}${m[3] ? "." + m[3].slice(0, 6) : ""}${!m[4] || m[4].toUpperCase() === "Z" ? "Z" : m[4]}`;
  return Number.isNaN(new Date(iso.replace(/(\.\d{3})\d+/, "$1")).getTime()) ? null : iso;
}

/**
 * Screenpipe's text_json as OCR words: each entry's text, confidence and box (pixels, or
 * fractions of the screen as Apple's engine gives them), placed at its offset in the text so
 * the secret detector can black out what it finds.
 */
export function wordsOf(textJson: string | null, text: string, image: { width: number; height: number } | null): OcrWord[] {
  if (!textJson) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(textJson);
  } catch {
    return [];
  }
  if (!Array.isArray(entries)) return [];
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);
  const parsed = entries.flatMap((e) => {
    if (!e || typeof e !== "object") return [];
    const r = e as Record<string, unknown>;
    const t = typeof r.text === "string" ? r.text.trim() : "";
    const box = [num(r.left), num(r.top), num(r.width), num(r.height)];
    if (!t || box.some((x) => !Number.isFinite(x))) return [];
    return [{ t, c: Number.isFinite(num(r.conf)) ? num(r.conf) : -1, box }];
  });
  const normalized = parsed.length > 0 && parsed.every((w) => w.box.every((x) => x >= 0 && x <= 1));
  const sx = normalized ? image?.width ?? 0 : 1;
  const sy = normalized ? image?.height ?? 0 : 1;
  const words: OcrWord[] = [];
  let cursor = 0;
  for (const w of parsed) {
    const at = text.indexOf(w.t, cursor);
    if (at < 0) continue;
    cursor = at + w.t.length;
    const [l, t, wd, h] = w.box as [number, number, number, number];
    // Apple's confidence is 0-1, Tesseract's 0-100.
    const c = w.c < 0 ? 0 : w.c <= 1 && normalized ? w.c * 100 : Math.min(100, w.c);
    words.push({ t: w.t, c, b: [Math.round(l * sx), Math.round(t * sy), Math.round((l + wd) * sx), Math.round((t + h) * sy)], o: at });
  }
  return words;
}

function meanConfidence(words: OcrWord[]): number | null {
  return words.length ? words.reduce((s, w) => s + w.c, 0) / words.length : null;
}
