// The MCP tools: what an assistant may ask of pgrecall. Each tool is one call of the SQL API
// (search_frames, activity_summary, day, list_apps, forget) with its answer as JSON text; text
// is cut to a bounded length per result by default, since an assistant's context is small.
// Only what the database holds leaves: OCR text and images are redacted before they are stored.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import sharp from "sharp";
import { z } from "zod";
import type { Sql } from "../db.js";
import { SEARCH_PARAMS } from "../http/schemas.js";
import { BadSearch, parseSearch, type Searcher } from "../search.js";
import { BadImageRef, type BlobStore } from "../store.js";

export interface ToolDeps {
  /** Lookups, summaries and forget (as the reader role where one is configured). */
  sql: Sql;
  searcher: Searcher;
  store: BlobStore;
  /** Runs a search (or a lookup) within the server's bounded pools; the stdio server runs it at once. */
  run?: <T>(kind: "search" | "lookup", task: () => Promise<T>) => Promise<T>;
  version?: string;
}

/** A refusal the assistant should read: a tool result with isError, never a protocol error. */
class ToolError extends Error {}

const DEFAULT_TEXT_CHARS = 300;
const IMAGE_EDGE = 1280;

const time = (what: string) => z.string().max(100).optional().describe(`${what}: ISO 8601 (2026-11-21T10:00:00Z), now, today, yesterday, or a time ago such as "2h ago", "3 days ago"`);

/** JSON text (counts and ids that are bigint in SQL as numbers). */
const json = (value: unknown): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v), 1) }],
});

/** SQL's refusals (22023, 22P02: a bad value) and BadSearch become the tool's error text. */
async function answer(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (err instanceof ToolError || err instanceof BadSearch || e.code === "22023" || e.code === "22P02" || e.code === "22007" || e.code === "22008") {
      return { content: [{ type: "text", text: e.message ?? String(err) }], isError: true };
    }
    if (e.code === "57014") return { content: [{ type: "text", text: "cancelled: the query took longer than the statement timeout" }], isError: true };
    throw err;
  }
}

/** A fresh MCP server with pgrecall's tools (one per HTTP request, or one for stdio). */
export function mcpServer(deps: ToolDeps): McpServer {
  const { sql, searcher, store } = deps;
  const run = deps.run ?? (<T>(_kind: string, task: () => Promise<T>) => task());
  const server = new McpServer({ name: "pgrecall", version: deps.version ?? "0.1.0" });

  /** Times as people write them, read by SQL (pgrecall.parse_moment). */
  const moments = async <K extends string>(given: Record<K, string | undefined>): Promise<Record<K, Date | null>> => {
    const out = {} as Record<K, Date | null>;
    for (const [name, v] of Object.entries(given) as [K, string | undefined][]) {
      try {
        const [r] = await run("lookup", () => sql`select pgrecall.parse_moment(${v ?? null}) as t`);
        out[name] = (r!.t as Date | null) ?? null;
      } catch (err) {
        if ((err as { code?: string }).code === "22023") throw new ToolError(`${name}: ${(err as Error).message}`);
        throw err;
      }
    }
    return out;
  };

  server.registerTool(
    "search",
    {
      title: "Search the screen history",
      description:
        "Full-text, vector or hybrid search over what was on screen (OCR text, window titles, vision summaries). Returns frames with id, time, app, window, a snippet with «matches», and the start of the text. Use get_frame for a frame's whole text or image.",
      inputSchema: {
        q: z.string().max(1000).default("").describe("words, \"a phrase\", -excluded; one typo per word is forgiven"),
        app_name: z.string().max(200).optional().describe("only apps whose name contains this (case-insensitive)"),
        window_name: z.string().max(500).optional().describe("only windows whose title contains this"),
        start_time: time("captured at or after"),
        end_time: time("captured before"),
        limit: z.number().int().min(1).max(50).default(10),
        mode: z.enum(["hybrid", "fts", "vector"]).default("hybrid"),
        max_text_chars: z.number().int().min(0).max(4000).default(DEFAULT_TEXT_CHARS).describe("characters of each frame's text to include (0: none)"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      answer(async () => {
        const t = await moments({ start_time: a.start_time, end_time: a.end_time });
        const p = parseSearch(
          { q: a.q, app: a.app_name, window: a.window_name, since: t.start_time?.toISOString(), until: t.end_time?.toISOString(), limit: String(a.limit), mode: a.mode },
          SEARCH_PARAMS,
        );
        const out = await run("search", () => searcher.search(p));
        const ids = out.results.map((r) => r.frame_id);
        const texts = new Map<string, string>();
        if (a.max_text_chars > 0 && ids.length) {
          const rows = await run("lookup", () => sql`select id, left(ocr_text, ${a.max_text_chars + 1}) as text from pgrecall.frames where id = any(${ids}::uuid[])`);
          for (const r of rows) if (r.text) texts.set(r.id as string, r.text as string);
        }
        const cut = (s: string | undefined) => (s === undefined ? undefined : s.length > a.max_text_chars ? s.slice(0, a.max_text_chars) + "…" : s);
        return json({
          mode: out.mode,
          ...(out.notice ? { notice: out.notice } : {}),
          results: out.results.map((r) => ({
            frame_id: r.frame_id, captured_at: r.captured_at, app_name: r.app_name, window_title: r.window_title,
            snippet: r.snippet, matched: r.matched, ...(texts.has(r.frame_id) ? { text: cut(texts.get(r.frame_id)) } : {}),
          })),
        });
      }),
  );

  server.registerTool(
    "get_frame",
    {
      title: "One frame: text, metadata, stages",
      description: "A frame's time, app, window, OCR text (redacted), vision summary, each stage's status and message, and its near-duplicates; with include_image, the (redacted) screenshot as an image.",
      inputSchema: {
        frame_id: z.uuid().describe("a frame_id from search"),
        include_image: z.boolean().default(false).describe(`the screenshot, scaled to at most ${IMAGE_EDGE} px`),
        max_text_chars: z.number().int().min(0).max(50_000).default(4000),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      answer(async () => {
        const [f] = await run("lookup", () => sql`
          select id as frame_id, deployment_id, captured_at, app_name, window_title, image_ref, duplicate_of,
                 left(ocr_text, ${a.max_text_chars + 1}) as ocr_text, ocr_confidence, vision_summary,
                 hash_status, ocr_status, vision_status, embedding_status, hash_message, ocr_message, vision_message, embedding_message
          from pgrecall.frames where id = ${a.frame_id} and tombstoned_at is null`);
        if (!f) throw new ToolError(`no frame ${a.frame_id}`);
        const dups = await run("lookup", () => sql`select frame_id, captured_at from pgrecall.near_duplicates(${a.frame_id}, 20)`);
        const text = f.ocr_text as string | null;
        const { image_ref: ref, ...meta } = f;
        const body = json({ ...meta, ocr_text: text && text.length > a.max_text_chars ? text.slice(0, a.max_text_chars) + "…" : text, near_duplicates: dups });
        if (!a.include_image) return body;
        try {
          const bytes = await store.read(ref as string | null);
          const png = await sharp(bytes).resize({ width: IMAGE_EDGE, height: IMAGE_EDGE, fit: "inside", withoutEnlargement: true }).png().toBuffer();
          body.content.push({ type: "image", data: png.toString("base64"), mimeType: "image/png" });
        } catch (err) {
          if (!(err instanceof BadImageRef)) throw err;
          body.content.push({ type: "text", text: `no image: ${err.message}` });
        }
        return body;
      }),
  );

  server.registerTool(
    "activity_summary",
    {
      title: "Where the time went",
      description: "Apps and projects with minutes, first and last seen, and the top window titles over a time range (at most 31 days; default the last 24 hours), from the same timeline as the day summaries.",
      inputSchema: { start_time: time("from (default 24h ago)"), end_time: time("until (default now)"), app_name: z.string().max(200).optional().describe("one app only (exact name, case-insensitive)"), deployment: z.string().max(200).optional().describe("one deployment (device) only") },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      answer(async () => {
        const t = await moments({ start_time: a.start_time ?? "24h ago", end_time: a.end_time ?? "now" });
        const [r] = await run("lookup", () => sql`select pgrecall.activity_summary(${t.start_time}, ${t.end_time}, ${a.app_name ?? null}, ${a.deployment ?? null}::text) as s`);
        return json(r!.s);
      }),
  );

  server.registerTool(
    "day_summary",
    {
      title: "A day's summary",
      description: "One day per deployment: active and away time, time by app and project, focus blocks, top titles, away gaps, the summary sentence, and the activities in order. Made by the worker's summarize task; a day not summarized yet has none.",
      inputSchema: {
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe("YYYY-MM-DD, the deployment's local day (default today)"),
        deployment: z.string().max(200).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      answer(async () => {
        const rows = await run("lookup", () => sql`
          select pgrecall.day(d.deployment_id, d.day) as day
          from pgrecall.day_summaries d
          where d.day = coalesce(${a.date ?? null}::text::date, current_date) and (${a.deployment ?? null}::text is null or d.deployment_id = ${a.deployment ?? null})
          order by d.deployment_id`);
        if (!rows.length) return json({ date: a.date ?? "today", days: [], notice: "no summary for that day (yet): the worker's summarize task makes one once frames of the day are in" });
        return json({ days: rows.map((r) => r.day) });
      }),
  );

  server.registerTool(
    "list_apps",
    {
      title: "Apps seen",
      description: "The apps seen in a time range (default all time), with frame counts and first and last seen, most recent first.",
      inputSchema: { start_time: time("from"), end_time: time("until"), limit: z.number().int().min(1).max(500).default(100) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (a) =>
      answer(async () => {
        const t = await moments({ start_time: a.start_time, end_time: a.end_time });
        const rows = await run("lookup", () => sql`select * from pgrecall.list_apps(${t.start_time}, ${t.end_time}) limit ${a.limit}`);
        return json({ apps: rows });
      }),
  );

  server.registerTool(
    "forget",
    {
      title: "Forget a range of the screen history",
      description:
        "DESTRUCTIVE: deletes the frames of a time range (and/or an app, a window, given frame ids) with their near-duplicates, text, vectors and findings, for good. Without confirm: true it only counts what would go; ask the user before confirming.",
      inputSchema: {
        start_time: time("from"),
        end_time: time("until"),
        app_name: z.string().max(200).optional(),
        window_name: z.string().max(500).optional(),
        frame_ids: z.array(z.uuid()).max(1000).optional(),
        confirm: z.boolean().default(false).describe("true: delete; otherwise a dry run that counts"),
      },
      annotations: { destructiveHint: true, readOnlyHint: false, idempotentHint: true, openWorldHint: false },
    },
    (a) =>
      answer(async () => {
        const t = await moments({ start_time: a.start_time, end_time: a.end_time });
        if (!t.start_time && !t.end_time && !a.app_name && !a.window_name && !a.frame_ids?.length) {
          throw new ToolError("forget needs a selection: start_time and/or end_time, app_name, window_name or frame_ids");
        }
        const [r] = await run("lookup", () => sql`
          select * from pgrecall.forget(p_since => ${t.start_time}, p_until => ${t.end_time}, p_app => ${a.app_name ?? null},
                                        p_window => ${a.window_name ?? null}, p_frame_ids => ${a.frame_ids ?? null}::uuid[], p_dry_run => ${!a.confirm})`);
        const counts = { frames: r!.frames, near_duplicates: r!.near_duplicates, findings: r!.findings, range_from: r!.range_from, range_to: r!.range_to };
        if (!a.confirm) return json({ dry_run: true, would_forget: counts, notice: "nothing was deleted: call again with confirm: true once the user has agreed" });
        return json({ forgotten: { ...counts, words: r!.words, images: r!.images }, event_id: r!.event_id });
      }),
  );

  return server;
}
