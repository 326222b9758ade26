// Screenpipe's SQLite store, read in place. Its schema changed often; what matters here, by
// Screenpipe's own migrations:
//   2024-07  frames(id, video_chunk_id, offset_index, timestamp), video_chunks(id, file_path),
//            ocr_text(frame_id, text, text_json, app_name, ocr_engine), later window_name, focused
//   2024-10  video_chunks.device_name;  2025-01  frames.device_name
//   2025-02  frames.browser_url, then app_name/window_name/focused moved onto frames (old rows
//            keep them on ocr_text only: a background copy that never ran)
//   2026-02  video_chunks.fps (backfilled with a default on old rows: never used for seeking)
//   2026     event-driven capture: frames.snapshot_path (a JPEG; video_chunk_id null until a
//            compaction moves it into a chunk), frames.full_text, frames.text_json; then the
//            ocr_text table is dropped
// The database runs in WAL mode: it is opened read-only in place, so rows still in
// db.sqlite-wal are read too (a copy of db.sqlite alone, or an immutable open, misses them).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";

// better-sqlite3 is CommonJS and native: loaded on first use, so other commands never need it.
const require = createRequire(import.meta.url);

export interface ScreenpipeFrame {
  id: number;
  /** Screenpipe's timestamp, as stored (text, or a number of seconds/milliseconds). */
  timestamp: string | number;
  offsetIndex: number;
  chunkPath: string | null;
  snapshotPath: string | null;
  device: string | null;
  app: string | null;
  window: string | null;
  browserUrl: string | null;
  text: string | null;
  /** JSON words with boxes (Tesseract's fields as strings; Apple's boxes normalized to 0-1). */
  textJson: string | null;
  engine: string | null;
  /** 1 when Screenpipe marked the window focused (one frame per window of a capture, 2025). */
  focused: number | null;
}

export interface ScreenpipeSchema {
  /** What this database's shape says about the Screenpipe version that wrote it. */
  describe: string;
  hasOcrTable: boolean;
  frameColumns: Set<string>;
  ocrColumns: Set<string>;
  chunkColumns: Set<string>;
}

export class ScreenpipeDb {
  readonly schema: ScreenpipeSchema;
  private readonly select: BetterSqlite3.Statement;

  private constructor(readonly path: string, private readonly db: BetterSqlite3.Database) {
    this.schema = readSchema(db);
    this.select = db.prepare(frameQuery(this.schema));
  }

  /** Opens DIR/db.sqlite (or a .sqlite file given directly) read-only, in place. */
  static open(dirOrFile: string): ScreenpipeDb {
    const path = dirOrFile.endsWith(".sqlite") || dirOrFile.endsWith(".db") ? dirOrFile : join(dirOrFile, "db.sqlite");
    if (!existsSync(path)) throw new Error(`no Screenpipe database at ${path} (give Screenpipe's data folder, default ~/.screenpipe)`);
    const Database = require("better-sqlite3") as typeof BetterSqlite3;
    let db: BetterSqlite3.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma("query_only = true");
      db.pragma("busy_timeout = 5000");
    } catch (err) {
      throw new Error(`cannot open ${path} read-only: ${(err as Error).message} (SQLite needs to write ${path}-shm beside a WAL database: is the folder writable?)`, { cause: err });
    }
    try {
      return new ScreenpipeDb(path, db);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** How many frames have an id above `afterId`. */
  count(afterId = 0): number {
    return (this.db.prepare("select count(*) as n from frames where id > ?").get(afterId) as { n: number }).n;
  }

  /** Frames in id order, `batch` at a time, from above `afterId`; each batch is read in one snapshot. */
  *frames(afterId = 0, batch = 200): Generator<ScreenpipeFrame[]> {
    let last = afterId;
    for (;;) {
      const rows = this.select.all(last, batch) as ScreenpipeFrame[];
      if (!rows.length) return;
      last = rows[rows.length - 1]!.id;
      yield rows;
    }
  }

  close(): void {
    this.db.close();
  }
}

function readSchema(db: BetterSqlite3.Database): ScreenpipeSchema {
  const tables = new Set((db.prepare("select name from sqlite_master where type in ('table', 'view')").all() as { name: string }[]).map((r) => r.name));
  if (!tables.has("frames")) throw new Error("not a Screenpipe database: it has no frames table");
  const cols = (t: string) => new Set((db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name));
  const frameColumns = cols("frames");
  for (const c of ["id", "timestamp", "offset_index"]) {
    if (!frameColumns.has(c)) throw new Error(`not a Screenpipe database this importer knows: frames has no ${c} column`);
  }
  const hasOcrTable = tables.has("ocr_text");
  const ocrColumns = hasOcrTable ? cols("ocr_text") : new Set<string>();
  const chunkColumns = tables.has("video_chunks") ? cols("video_chunks") : new Set<string>();
  const traits = [
    frameColumns.has("snapshot_path") ? "JPEG snapshots" : "video chunks only",
    hasOcrTable ? "ocr_text table" : "text on frames (no ocr_text table)",
    frameColumns.has("app_name") ? "app/window on frames" : "app/window on ocr_text",
    frameColumns.has("browser_url") ? "browser URLs" : "no browser URLs",
    chunkColumns.has("fps") ? "chunk fps recorded (not used)" : null,
  ].filter(Boolean);
  return { describe: traits.join(", "), hasOcrTable, frameColumns, ocrColumns, chunkColumns };
}

/** One query for every schema version: columns a version lacks read as null. */
function frameQuery(s: ScreenpipeSchema): string {
  const f = (c: string) => (s.frameColumns.has(c) ? `f.${c}` : "null");
  const o = (c: string) => (s.ocrColumns.has(c) ? `o.${c}` : "null");
  const nonEmpty = (...xs: string[]) => `coalesce(${xs.map((x) => `nullif(${x}, '')`).join(", ")}, null)`;
  const ocrJoin = s.hasOcrTable
    ? "left join ocr_text o on o.rowid = (select min(x.rowid) from ocr_text x where x.frame_id = f.id)"
    : "";
  const chunkJoin = s.frameColumns.has("video_chunk_id") && s.chunkColumns.has("file_path") ? "left join video_chunks c on c.id = f.video_chunk_id" : "";
  const chunk = (c: string) => (chunkJoin && s.chunkColumns.has(c) ? `c.${c}` : "null");
  return `
    select f.id as id, f.timestamp as timestamp, f.offset_index as offsetIndex,
           ${chunk("file_path")} as chunkPath, ${f("snapshot_path")} as snapshotPath,
           ${nonEmpty(f("device_name"), chunk("device_name"))} as device,
           ${nonEmpty(f("app_name"), o("app_name"))} as app,
           ${nonEmpty(f("window_name"), o("window_name"))} as window,
           ${nonEmpty(f("browser_url"))} as browserUrl,
           coalesce(${o("text")}, ${f("full_text")}, null) as text,
           coalesce(${o("text_json")}, ${f("text_json")}, null) as textJson,
           case when ${o("text")} is not null then coalesce(${o("ocr_engine")}, 'unknown')
                when ${f("full_text")} is not null then coalesce(${f("text_source")}, 'full_text') end as engine,
           coalesce(${f("focused")}, ${o("focused")}, null) as focused
    from frames f ${chunkJoin} ${ocrJoin}
    where f.id > ? order by f.id limit ?`;
}
