// What `pgrecall search` and `GET /search` share: parameters checked once, the query embedded
// with the worker's model (hybrid falls back to full text, and says so, when there is none),
// then one call of pgrecall.search_frames. Ranking, filters and paging are SQL's.
import type { EmbeddingConfig } from "./config.js";
import { connect, type Sql } from "./db.js";
import { Embedder, ModelUnavailable } from "./engines/embedder.js";

export type Mode = "fts" | "vector" | "hybrid";

export interface SearchParams {
  q: string;
  /** Checked by SQL (pgrecall._search_check), like every other rule on these values. */
  mode: string;
  sort: string;
  deployment?: string;
  app?: string;
  window?: string;
  since?: Date;
  until?: Date;
  limit: number;
  cursor?: string;
  includeDuplicates: boolean;
  /** Soft-forgotten (tombstoned) frames too (pgrecall search --include-tombstoned). */
  includeTombstoned?: boolean;
  /** How the caller names each parameter (--limit, ?limit=): SQL's errors are reported in these words. */
  names: ParamNames;
}

export type ParamNames = Record<Exclude<keyof SearchParams, "names" | "includeTombstoned">, string>;

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

/**
 * Turns raw strings (CLI options, query parameters) into typed values; throws BadSearch when one
 * is not of its type (a limit that is not a number, a time that is not a time). What values are
 * allowed is SQL's to say (pgrecall._search_check, pgrecall.search_query): see Searcher.search.
 */
export function parseSearch(raw: Record<string, string | undefined>, names: ParamNames = DEFAULT_NAMES): SearchParams {
  const given = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
  const time = (name: string, v: string | undefined): Date | undefined => {
    if (given(v) === undefined) return undefined;
    const d = new Date(v!);
    if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v!)) throw new BadSearch(`${name} must be an ISO 8601 time such as 2026-11-21T10:00:00Z (got "${v}")`);
    return d;
  };
  // PostgreSQL cannot receive a NUL character in text at all: refused here, with the reason.
  for (const [key, v] of Object.entries(raw)) {
    if (v?.includes("\0")) throw new BadSearch(`${names[key as keyof ParamNames] ?? key} must not contain a NUL character`);
  }
  const limitRaw = given(raw.limit);
  const limit = limitRaw === undefined ? 20 : Number(limitRaw);
  if (!Number.isInteger(limit)) throw new BadSearch(`${names.limit} must be a whole number (got "${raw.limit}")`);
  const dup = given(raw.includeDuplicates);
  if (dup !== undefined && !["true", "false", "1", "0"].includes(dup)) throw new BadSearch(`${names.includeDuplicates} must be true or false (got "${dup}")`);
  return {
    q: raw.q ?? "",
    mode: given(raw.mode) ?? "hybrid",
    sort: given(raw.sort) ?? "relevance",
    deployment: given(raw.deployment),
    app: given(raw.app),
    window: given(raw.window),
    since: time(names.since, raw.since),
    until: time(names.until, raw.until),
    limit,
    cursor: given(raw.cursor),
    includeDuplicates: dup === "true" || dup === "1",
    names,
  };
}

/** SQL's name of each search parameter (the COLUMN field of its 22023 errors) → the SearchParams key. */
const SQL_PARAMS: Record<string, keyof ParamNames> = {
  query: "q", mode: "mode", sort: "sort", limit: "limit", deployment: "deployment", app: "app", window: "window", since: "since",
};

/** A parameter SQL refused (SQLSTATE 22023), in the words of the caller. */
function badSearchFrom(err: { message: string; column_name?: string }, names: ParamNames): BadSearch {
  const column = err.column_name;
  const key = column ? SQL_PARAMS[column] : undefined;
  // SQL says "limit must be …"; the CLI says "--limit must be …", HTTP "limit must be …".
  if (!key || !err.message.startsWith(`${column} `)) return new BadSearch(err.message);
  const rest = err.message.slice(column!.length);
  return new BadSearch(names[key] + (key === "since" ? rest.replace(/^ is after until/, ` is after ${names.until}`) : rest));
}

const DEFAULT_NAMES: ParamNames = {
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
    let mode = p.mode;
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
        p_embedding_model => ${embedding ? this.embedder.modelName : null}, p_include_tombstoned => ${p.includeTombstoned ?? false})`;
    onQuery?.(query);
    let results: SearchHit[];
    try {
      results = [...(await query)];
    } catch (err) {
      const e = err as { code?: string; message: string; column_name?: string };
      if (e.code === "22023") throw badSearchFrom(e, p.names);
      throw err;
    }
    return { results, mode: mode as Mode, notice, next_cursor: results.length === p.limit ? results.at(-1)!.next_cursor : null };
  }
}
