// What `pgrecall search` and `GET /search` share: parameters checked once, the query embedded
// with the worker's model (hybrid falls back to full text, and says so, when there is none),
// then one call of pgrecall.search_frames. Ranking, filters and paging are SQL's.
import type { EmbeddingConfig } from "./config.js";
import { connect, type Sql } from "./db.js";
import { Embedder, ModelUnavailable } from "./engines/embedder.js";

export const MODES = ["fts", "vector", "hybrid"] as const;
export const SORTS = ["relevance", "time"] as const;
export type Mode = (typeof MODES)[number];
export type Sort = (typeof SORTS)[number];

export interface SearchParams {
  q: string;
  mode: Mode;
  sort: Sort;
  deployment?: string;
  app?: string;
  window?: string;
  since?: Date;
  until?: Date;
  limit: number;
  cursor?: string;
  includeDuplicates: boolean;
}

export interface SearchHit {
  frame_id: string;
  captured_at: Date;
  deployment_id: string;
  app_name: string | null;
  window_title: string | null;
  image_ref: string | null;
  score: number;
  snippet: string;
  matched: string;
  duplicate_of: string | null;
  next_cursor: string;
}

export interface SearchOutcome {
  results: SearchHit[];
  /** The mode that ran (hybrid becomes fts without an embedding model). */
  mode: Mode;
  /** Said to the user when the search is not quite what was asked (a fallback). */
  notice?: string;
  next_cursor: string | null;
}

/** A parameter a user got wrong: reported as a 400 or a one-line CLI error, never a crash. */
export class BadSearch extends Error {}

export const MAX_QUERY_CHARS = 1000;
export const MAX_LIMIT = 200;

/** Checks raw strings (CLI options, query parameters) into SearchParams; throws BadSearch with the reason. */
export function parseSearch(raw: Record<string, string | undefined>, names: Record<keyof SearchParams, string> = DEFAULT_NAMES): SearchParams {
  const q = (raw.q ?? "").replace(/\0/g, "");
  if (q.length > MAX_QUERY_CHARS) throw new BadSearch(`${names.q} is ${q.length} characters; at most ${MAX_QUERY_CHARS}`);
  const oneOf = <T extends string>(name: string, v: string | undefined, allowed: readonly T[], fallback: T): T => {
    if (v === undefined || v === "") return fallback;
    if (!(allowed as readonly string[]).includes(v)) throw new BadSearch(`${name} must be one of ${allowed.join(", ")} (got "${v}")`);
    return v as T;
  };
  const time = (name: string, v: string | undefined): Date | undefined => {
    if (v === undefined || v === "") return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw new BadSearch(`${name} must be an ISO 8601 time such as 2026-11-21T10:00:00Z (got "${v}")`);
    return d;
  };
  const text = (name: string, v: string | undefined, max = 500): string | undefined => {
    if (v === undefined || v === "") return undefined;
    if (v.length > max || v.includes("\0")) throw new BadSearch(`${name} must be at most ${max} characters, without NUL`);
    return v;
  };
  let limit = 20;
  if (raw.limit !== undefined && raw.limit !== "") {
    limit = Number(raw.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new BadSearch(`${names.limit} must be a whole number from 1 to ${MAX_LIMIT} (got "${raw.limit}")`);
  }
  const dup = raw.includeDuplicates;
  if (dup !== undefined && !["", "true", "false", "1", "0"].includes(dup)) throw new BadSearch(`${names.includeDuplicates} must be true or false (got "${dup}")`);
  const since = time(names.since, raw.since);
  const until = time(names.until, raw.until);
  if (since && until && since > until) throw new BadSearch(`${names.since} is after ${names.until}`);
  const cursor = text(names.cursor, raw.cursor, 1000);
  if (cursor && !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new BadSearch(`${names.cursor} is not a cursor returned by a search`);
  return {
    q,
    mode: oneOf(names.mode, raw.mode, MODES, "hybrid"),
    sort: oneOf(names.sort, raw.sort, SORTS, "relevance"),
    deployment: text(names.deployment, raw.deployment, 200),
    app: text(names.app, raw.app),
    window: text(names.window, raw.window),
    since,
    until,
    limit,
    cursor,
    includeDuplicates: dup === "true" || dup === "1",
  };
}

const DEFAULT_NAMES: Record<keyof SearchParams, string> = {
  q: "query",
  mode: "--mode",
  sort: "--sort",
  deployment: "--deployment",
  app: "--app",
  window: "--window",
  since: "--since",
  until: "--until",
  limit: "--limit",
  cursor: "--cursor",
  includeDuplicates: "--include-duplicates",
};

/** A database connection for searching: every statement bounded, and cancelled when the client is gone. */
export function searchConnection(databaseUrl: string, timeoutMs: number, max = 4): Sql {
  return connect(databaseUrl, {
    max,
    connection: { application_name: "pgrecall search", statement_timeout: timeoutMs, client_connection_check_interval: 1000 } as never,
  });
}

export class Searcher {
  private readonly embedder: Embedder;

  constructor(readonly sql: Sql, embedding: EmbeddingConfig) {
    this.embedder = new Embedder(embedding);
  }

  /** Runs a search; `onQuery` receives the running query so a caller can cancel it (a client that went away). */
  async search(p: SearchParams, onQuery?: (q: { cancel: () => void }) => void): Promise<SearchOutcome> {
    let mode: Mode = p.mode;
    let notice: string | undefined;
    let embedding: string | null = null;
    if (mode !== "fts" && p.q.trim()) {
      try {
        embedding = `[${Array.from(await this.embedder.embed(p.q)).join(",")}]`;
      } catch (err) {
        if (!(err instanceof ModelUnavailable)) throw err;
        if (mode === "vector") throw new BadSearch(`vector search needs the embedding model: ${err.message}`);
        mode = "fts";
        notice = `hybrid search fell back to full-text only: ${err.message}`;
      }
    }
    if (mode === "vector" && !embedding) throw new BadSearch("vector search needs a query");
    const query = this.sql<SearchHit[]>`
      select * from pgrecall.search_frames(
        p_query => ${p.q}, p_query_embedding => ${embedding}::vector, p_mode => ${mode},
        p_deployment_id => ${p.deployment ?? null}, p_app => ${p.app ?? null}, p_window => ${p.window ?? null},
        p_since => ${p.since ?? null}, p_until => ${p.until ?? null}, p_include_duplicates => ${p.includeDuplicates},
        p_limit => ${p.limit}, p_cursor => ${p.cursor ?? null}, p_sort => ${p.sort},
        p_embedding_model => ${embedding ? this.embedder.modelName : null})`;
    onQuery?.(query);
    let results: SearchHit[];
    try {
      results = [...(await query)];
    } catch (err) {
      const e = err as { code?: string; message: string };
      if (e.code === "22023") throw new BadSearch(e.message);
      throw err;
    }
    return { results, mode, notice, next_cursor: results.length === p.limit ? results.at(-1)!.next_cursor : null };
  }
}
