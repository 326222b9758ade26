// The routes' parameters as JSON Schema: fastify validates requests with them and
// @fastify/swagger publishes them at /openapi.json. Only names and types are checked here;
// what values are allowed (limits, modes, times) is SQL's to say (pgrecall._search_check).
import type { FastifySchemaValidationError } from "fastify";

type SchemaErrorFormatter = (errors: FastifySchemaValidationError[], dataVar: string) => Error;
import { echo, HttpError } from "./errors.js";

const text = (description: string) => ({ type: "string", description }) as const;

/** /search parameters, Screenpipe's names where they fit → SearchParams field. */
export const SEARCH_PARAMS = {
  q: "q",
  mode: "mode",
  sort: "sort",
  deployment: "deployment",
  app: "app_name",
  window: "window_name",
  since: "start_time",
  until: "end_time",
  limit: "limit",
  cursor: "cursor",
  includeDuplicates: "include_duplicates",
} as const;

export const searchQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    q: text("the query: words, \"a phrase\", -not, or (websearch syntax); one typo per word forgiven; at most 1,000 characters"),
    mode: text("fts, vector or hybrid (default hybrid; hybrid runs as fts, and says so, without an embedding model)"),
    sort: text("relevance (default) or time"),
    deployment: text("only this deployment's frames"),
    app_name: text("app name contains this (case-insensitive)"),
    window_name: text("window title contains this (case-insensitive)"),
    start_time: text("ISO 8601 time: captured at or after"),
    end_time: text("ISO 8601 time: captured before"),
    limit: text("results per page, 1-200 (default 20)"),
    cursor: text("next_cursor of the previous page"),
    include_duplicates: text("true: near-duplicate frames too (default false)"),
  },
} as const;

export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

export const frameParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", pattern: UUID_PATTERN, description: "frame id (a UUID)" } },
} as const;

export const noQuery = { type: "object", additionalProperties: false, properties: {} } as const;

/**
 * Turns the schema's findings into one reason in the words of the API: unknown parameters are
 * named (with the known ones), a repeated one is "given more than once", a malformed id says so.
 * (Ajv runs with verbose: true, so each finding carries the value it refused.)
 */
export function reasons(route: string, known: readonly string[] = []): SchemaErrorFormatter {
  return (found, dataVar) => {
    const errors = found as (FastifySchemaValidationError & { data?: unknown })[];
    if (dataVar === "params") {
      const e = errors.find((x) => x.instancePath === "/id");
      if (e) return new HttpError(400, `frame id must be a UUID (got ${echo(String(e.data))})`);
    }
    const unknown = [...new Set(errors.filter((e) => e.keyword === "additionalProperties").map((e) => String(e.params.additionalProperty)))];
    if (unknown.length && (dataVar === "querystring" || dataVar === "body")) {
      if (!known.length) return new HttpError(400, `${route} takes no parameters (got ${unknown.slice(0, 5).map((k) => echo(k, 40)).join(", ")})`);
      return new HttpError(400, `unknown parameter(s) ${unknown.slice(0, 10).map((k) => (/^[\w-]{1,40}$/.test(k) ? k : echo(k, 40))).join(", ")}; known: ${known.join(", ")}`);
    }
    const repeated = errors.find((e) => e.keyword === "type" && Array.isArray(e.data));
    if (repeated) return new HttpError(400, `${repeated.instancePath.slice(1)} given more than once`);
    return new HttpError(400, errors.map((e) => `${e.instancePath.slice(1) || dataVar} ${e.message ?? "is invalid"}`).join("; "));
  };
}
