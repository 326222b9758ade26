// A retention pass: pgrecall.retention_batch again and again (each batch its own short
// transaction) until nothing is due, then the images it released are removed (blob gc) and the
// totals logged. What is due is SQL's to say; this only loops.
import { collectGarbage } from "./blob-gc.js";
import type { Sql } from "./db.js";
import type { BlobStore } from "./store.js";

export interface RetentionRow {
  deployment_id: string;
  kind: "frames" | "text" | "images" | "storage";
  frames: number;
  images: number;
  findings: number;
  words: number;
  bytes: string;
  more: boolean;
}

export interface RetentionTotals {
  /** Per deployment and kind: frames affected (purged, emptied of text, or without their image now). */
  rows: { deployment_id: string; kind: string; frames: number; images: number; findings: number; words: number; bytes: number; more: boolean }[];
  /** Image files removed after the pass. */
  files: number;
  /** Batches run; a pass stops after maxBatches and the next one goes on. */
  batches: number;
  eventId: string | null;
}

export async function runRetention(sql: Sql, store: BlobStore, o: { dryRun?: boolean; deployment?: string; batch?: number; maxBatches?: number } = {}): Promise<RetentionTotals> {
  const sums = new Map<string, RetentionTotals["rows"][number]>();
  const maxBatches = o.dryRun ? 1 : (o.maxBatches ?? 1000);
  let batches = 0;
  for (;;) {
    // A dry run changes nothing, so one large batch says what is due (and whether more is).
    const rows = await sql<RetentionRow[]>`
      select * from pgrecall.retention_batch(${o.deployment ?? null}, ${o.dryRun ? 10000 : (o.batch ?? 500)}, ${!!o.dryRun})`;
    batches++;
    for (const r of rows) {
      const key = `${r.deployment_id}\u0000${r.kind}`;
      const s = sums.get(key) ?? { deployment_id: r.deployment_id, kind: r.kind, frames: 0, images: 0, findings: 0, words: 0, bytes: 0, more: false };
      s.frames += r.frames;
      s.images += r.images;
      s.findings += r.findings;
      s.words += r.words;
      s.bytes += Number(r.bytes);
      s.more = r.more;
      sums.set(key, s);
    }
    // Each call does one batch of one deployment and kind; none left when it returns nothing.
    if (o.dryRun || !rows.length || batches >= maxBatches) break;
  }
  const files = o.dryRun ? 0 : (await collectGarbage(sql, store, { releasedOnly: true })).released;
  const rows = [...sums.values()];
  const total = (k: "frames" | "images" | "findings" | "words" | "bytes") => rows.reduce((n, r) => n + r[k], 0);
  const counts = {
    frames_purged: rows.filter((r) => r.kind === "frames").reduce((n, r) => n + r.frames, 0),
    frames_text_removed: rows.filter((r) => r.kind === "text").reduce((n, r) => n + r.frames, 0),
    frames_image_removed: rows.filter((r) => r.kind === "images" || r.kind === "storage").reduce((n, r) => n + r.frames, 0),
    images: total("images"), findings: total("findings"), words: total("words"), bytes: total("bytes"), files, batches,
  };
  const [{ id }] = (await sql`select pgrecall.retention_done(${sql.json(counts)}, ${!!o.dryRun})::text as id`) as unknown as [{ id: string }];
  return { rows, files, batches, eventId: id };
}
