// Frames with text (and optionally an embedding) made through the SQL API, for search tests.
import pgvector from "pgvector";
import type { Sql } from "../../src/db.js";
import { randomPhash } from "./db.js";

export interface FrameSpec {
  deployment?: string;
  app?: string | null;
  window?: string | null;
  text?: string;
  summary?: string;
  at?: Date;
  /** A 384-dimension vector, or a short one padded with zeros. */
  vector?: number[];
  phash?: bigint;
}

export const TEST_MODEL = "test-model";

export function vec384(v: number[]): string {
  const full = [...v, ...Array(384 - v.length).fill(0)];
  return pgvector.toSql(full);
}

/** Inserts a frame as a capture client would, then records its OCR text (and vector) as the worker would. */
export async function addFrame(sql: Sql, f: FrameSpec): Promise<string> {
  const [row] = await sql`
    insert into pgrecall.frames (deployment_id, phash, app_name, window_title, captured_at)
    values (${f.deployment ?? "desk"}, ${f.phash ?? randomPhash()}, ${f.app ?? "Code"}, ${f.window ?? "editor"}, ${f.at ?? new Date()})
    returning id, duplicate_of`;
  const id = row!.id as string;
  if (row!.duplicate_of) return id;
  if (f.text !== undefined) await sql`select pgrecall.frame_ocr_done(${id}, ${f.text})`;
  if (f.summary !== undefined) await sql`select pgrecall.frame_vision_done(${id}, ${f.summary})`;
  if (f.vector) await sql`select pgrecall.frame_embedding_done(${id}, ${vec384(f.vector)}::vector, ${TEST_MODEL})`;
  return id;
}
