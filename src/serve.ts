// `pgrecall serve`: a small HTTP API over the SQL one, on fastify. Every route is declared with
// the JSON Schema of its parameters (validated by fastify, published at /openapi.json); every
// refusal is a 4xx with {error: reason}; searches are bounded by statement_timeout and
// cancelled when the client goes away. Parameter names follow Screenpipe's where they fit.
//
// Each kind of work has connections of its own, so one kind cannot starve another: searches
// (PGRECALL_SEARCH_POOL, sized to the machine), frame lookups (2) and /health (1). A request waits at most searchWaitMs for a connection of its kind,
// then gets a 503 with Retry-After: unbounded, that wait grew to seconds, unseen by
// statement_timeout, which starts only when a query does.
import { STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { availableParallelism } from "node:os";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Config } from "./config.js";
import { connect, type Sql } from "./db.js";
import { ClientGone, echo, HttpError } from "./http/errors.js";
import { Gate } from "./http/gate.js";
import { changesState, hostGuard, isLoopback, Refused } from "./http/guard.js";
import { openImage, sendImage } from "./http/image.js";
import { frameParams, noQuery, reasons, SEARCH_PARAMS, searchQuery } from "./http/schemas.js";
import { checkTarget, parseQuery, pathOf } from "./http/target.js";
import { cookieToken, tokenMatches } from "./http/token.js";
import { registerPage } from "./http/page.js";
import { registerSummary } from "./http/summary.js";
import { BadSearch, parseSearch, searchConnection, Searcher } from "./search.js";
import { type HealthCheck, stageCounts } from "./status.js";
import { BlobStore } from "./store.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { mcpServer } from "./mcp/tools.js";

export interface ServeOptions extends Pick<Config, "databaseUrl" | "dataDir" | "embedding" | "searchTimeoutMs"> {
  host: string;
  port: number;
  /** The bearer token every route but /health requires; none (undefined or null) is allowed only on a loopback address. */
  token?: string | null;
  /** Host names answered besides the loopback names and the bound address (Config.allowedHosts). */
  allowedHosts?: readonly string[];
  /** Searches at once, one connection each (PGRECALL_SEARCH_POOL; default defaultSearchPool()). */
  searchPool?: number;
  /** Longest wait for a free connection before a 503 (PGRECALL_SEARCH_WAIT_MS; default 2000; Infinity: no bound). */
  searchWaitMs?: number;
  /** Folders besides the data dir an image_ref path may point into (Config.imageRoots). */
  imageRoots?: readonly string[];
}

export interface RunningServer {
  host: string;
  port: number;
  tokenRequired: boolean;
  close: () => Promise<void>;
}

/**
 * Half the machine's cores, at least one: a search is CPU-bound in PostgreSQL, and the same
 * cores run capture inserts and the worker, which must not wait behind a crowd of searches.
 */
export function defaultSearchPool(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

export const DEFAULT_SEARCH_WAIT_MS = 2000;
/** /health says "unavailable" when `select 1` takes longer than this; its checks are bounded by it too. */
const HEALTH_TIMEOUT_MS = 2000;
const LOOKUP_POOL = 2;
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

/** What a route handler gets besides fastify's request and reply. */
export interface ServeContext {
  readonly o: ServeOptions;
  readonly lookupSql: Sql;
  readonly lookups: Gate;
  readonly searches: Gate;
  readonly store: BlobStore;
  /** Whether the request carries the token (always true when none is required). */
  authorized(req: FastifyRequest): boolean;
  /** Whether `given` is the token (true when none is required). */
  tokenMatches(given: string | undefined): boolean;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Answered without the token (/health, which then says less, and the 405s). */
    public?: boolean;
  }
}

const e0 = (err: unknown) => (err as { code?: string }).code;

/** Answers a request that failed; a response it cannot finish is cut. */
function fail(o: ServeOptions, err: unknown, req: FastifyRequest, reply: FastifyReply): void {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (reply.sent || reply.raw.headersSent) return void reply.raw.destroy();
    void reply.code(status).headers({ "cache-control": "no-store", ...headers }).send(body);
  };
  if (err instanceof ClientGone) {
    reply.hijack();
    return void reply.raw.destroy();
  }
  if (err instanceof HttpError) return json(err.status, { error: err.message }, err.headers);
  if (err instanceof Refused) return json(err.status, { error: err.message });
  if (err instanceof BadSearch) return json(400, { error: err.message });
  // SQL refusing a value (a day that does not exist, a bad range): the caller's to fix
  if (e0(err) === "22023" || e0(err) === "22007" || e0(err) === "22008") return json(400, { error: (err as Error).message });
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code === "57014") return json(req.raw.socket.destroyed ? 499 : 504, { error: `search cancelled: took longer than ${o.searchTimeoutMs} ms or the client left` });
  if (e.code === "ECONNREFUSED" || e.code === "57P01" || e.code === "CONNECTION_CLOSED" || e.code === "CONNECT_TIMEOUT") {
    return json(503, { error: "database unreachable" }, { "retry-after": "5" });
  }
  // fastify's own 4xx (a body that is not JSON, one too large, a content type it cannot parse)
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) return json(e.statusCode, { error: e.message });
  console.error(`pgrecall serve: ${req.method} ${req.url.slice(0, 300)}: ${(err as Error).stack ?? err}`);
  json(500, { error: "internal error (logged by the server)" });
}

/** Requests Node's parser refuses get the reason too, then the connection closes. */
function clientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const [status, reason] =
    err.code === "HPE_HEADER_OVERFLOW" ? [431, "the request line and headers are over 16 KiB"]
    : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? [408, "the request did not arrive in time"]
    : err.code === "HPE_INVALID_URL" ? [400, "the request target is not a path: spaces, control and non-ASCII bytes must be percent-encoded"]
    : [400, `malformed HTTP request (${err.code ?? "parse error"}: ${err.message})`];
  const body = JSON.stringify({ error: reason });
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + body, () => socket.destroy());
}

export async function serve(o: ServeOptions): Promise<RunningServer> {
  const searchPool = o.searchPool ?? defaultSearchPool();
  const waitMs = o.searchWaitMs ?? DEFAULT_SEARCH_WAIT_MS;
  if (!Number.isInteger(searchPool) || searchPool < 1) throw new RangeError(`searchPool must be a whole number of at least 1 (got ${searchPool})`);
  if (!(waitMs >= 0)) throw new RangeError(`searchWaitMs must be 0 or more (got ${waitMs})`);
  const token = o.token ? Buffer.from(o.token) : null;
  if (!token && !isLoopback(o.host)) {
    throw new RangeError(`serving ${o.host} without a token would let anyone who can reach it read every screen: bind a loopback address (127.0.0.1) or keep the token`);
  }
  const guard = hostGuard(o.host, o.allowedHosts);

  const searchSql = searchConnection(o.databaseUrl, o.searchTimeoutMs, searchPool);
  const lookupSql = connect(o.databaseUrl, { max: LOOKUP_POOL, connection: { application_name: "pgrecall serve", statement_timeout: o.searchTimeoutMs } as never });
  const healthSql = connect(o.databaseUrl, { max: 1, connect_timeout: 5, connection: { application_name: "pgrecall health", statement_timeout: HEALTH_TIMEOUT_MS } as never });
  const searches = new Gate("searches", searchPool, waitMs);
  const lookups = new Gate("frame lookups", LOOKUP_POOL, waitMs);
  const searcher = new Searcher(searchSql, o.embedding);
  const store = new BlobStore(o.dataDir, o.imageRoots);

  const ctx: ServeContext = {
    o, lookupSql, lookups, searches, store,
    authorized(req) {
      if (!token) return true;
      // The page's own requests (images included) carry the cookie GET /?token=… set.
      return tokenMatches(token, /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? "")?.[1]) || tokenMatches(token, cookieToken(req.headers.cookie));
    },
    tokenMatches: (given) => (token ? tokenMatches(token, given) : true),
  };

  const app = Fastify({
    logger: false,
    requestTimeout: 60_000,
    forceCloseConnections: true,
    clientErrorHandler: clientError,
    rewriteUrl: (req) => pathOf(req.url ?? "/"),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 100, querystringParser: parseQuery },
    // The schemas say what each parameter is; nothing is coerced, defaulted or silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: true, verbose: true } },
    // A path that does not decode (find-my-way gives up on it): the reason, as for the query.
    frameworkErrors: (err, req, reply) => {
      try {
        guard.checkHost(req.headers.host);
        checkTarget(req.raw.url ?? "/");
        fail(o, new HttpError(400, `malformed request target: ${err.message}`), req, reply);
      } catch (refused) {
        fail(o, refused, req, reply);
      }
    },
  });
  app.setErrorHandler((err, req, reply) => fail(o, err, req, reply));

  // Host first (against DNS rebinding), then Origin on what changes state, the target's
  // decoding, and the token.
  app.addHook("onRequest", async (req) => {
    guard.checkHost(req.headers.host);
    if (changesState(req.method) || req.url.startsWith("/mcp")) guard.checkOrigin(req.headers.origin, req.raw.socket.localPort ?? o.port);
    checkTarget(req.raw.url ?? "/");
    if (!req.routeOptions.config?.public && !ctx.authorized(req)) throw new HttpError(401, "missing or wrong bearer token", { "www-authenticate": "Bearer" });
  });
  // JSON answers are never cached: they hold screen text.
  app.addHook("onSend", async (_req, reply, payload) => {
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });

  await app.register(swagger, {
    openapi: {
      info: { title: "pgrecall", version: "1", description: "A screen memory in PostgreSQL: search, frames, images. Every route but /health needs Authorization: Bearer <token>." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });

  /** Declares the methods a path answers; the others get a 405 with Allow. */
  const only = (url: string, methods: string[]) => {
    const allow = methods.includes("GET") ? [...methods, "HEAD"] : methods;
    const others = METHODS.filter((m) => !allow.includes(m));
    app.route({
      method: others as unknown as string[],
      url,
      config: { public: true },
      schema: { hide: true } as never,
      handler: async () => {
        throw new HttpError(405, `${url} takes only ${allow.join(" and ")}`, { allow: allow.join(", ") });
      },
    });
  };

  registerApi(app, ctx, { searcher, healthSql, only });
  only("/mcp", ["POST"]);
  registerMcp(app, ctx, searcher);
  registerPage(app, ctx, only);
  registerSummary(app, ctx, only);
  app.get("/openapi.json", { schema: { hide: true } as never }, async () => app.swagger());
  only("/openapi.json", ["GET"]);

  app.setNotFoundHandler(async (req) => {
    const path = req.url.split("?", 1)[0]!;
    throw new HttpError(404, `no route ${echo(path, 200)}; the API: /search, /frames/:id, /frames/:id/image, /activity-summary, /timeline, /health, /mcp; every route: /openapi.json`);
  });

  await app.listen({ port: o.port, host: o.host });
  const addr = app.server.address() as AddressInfo;
  return {
    host: o.host,
    port: addr.port,
    tokenRequired: !!token,
    close: async () => {
      await app.close();
      await Promise.all([searchSql, lookupSql, healthSql].map((sql) => sql.end({ timeout: 5 })));
    },
  };
}

interface ApiParts {
  searcher: Searcher;
  healthSql: Sql;
  only: (url: string, methods: string[]) => void;
}

/** GET /search, /frames/:id, /frames/:id/image, /health. */
function registerApi(app: FastifyInstance, ctx: ServeContext, { searcher, healthSql, only }: ApiParts): void {
  const { lookupSql, lookups, searches, store } = ctx;

  app.get(
    "/search",
    {
      schema: { summary: "Search the screens' text (full text, vector or hybrid)", querystring: searchQuery },
      schemaErrorFormatter: reasons("/search", Object.values(SEARCH_PARAMS)),
    },
    async (req) => {
      const given = req.query as Record<string, string>;
      const raw = Object.fromEntries(Object.entries(SEARCH_PARAMS).map(([field, name]) => [field, given[name]]));
      const p = parseSearch(raw, SEARCH_PARAMS);
      const socket = req.raw.socket;
      const out = await searches.run(req.raw, async () => {
        let running: { cancel: () => void } | undefined;
        const cancel = () => running?.cancel();
        socket.once("close", cancel);
        try {
          return await searcher.search(p, (q) => (running = q));
        } finally {
          socket.off("close", cancel);
        }
      });
      return {
        data: out.results,
        pagination: { limit: p.limit, next_cursor: out.next_cursor },
        mode: out.mode,
        ...(out.notice ? { notice: out.notice } : {}),
      };
    },
  );
  only("/search", ["GET"]);

  app.get(
    "/frames/:id",
    {
      schema: { summary: "A frame: metadata, OCR text (redacted), vision summary, each stage's status and message", params: frameParams, querystring: noQuery },
      schemaErrorFormatter: reasons("/frames/:id"),
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const [f] = await lookups.run(
        req.raw,
        () => lookupSql`
          select id as frame_id, deployment_id, captured_at, inserted_at, app_name, window_title, image_ref, duplicate_of,
                 ocr_text, ocr_confidence, vision_summary, embedding_model,
                 hash_status, ocr_status, vision_status, embedding_status,
                 hash_message, ocr_message, vision_message, embedding_message
          from pgrecall.frames where id = ${id}`,
      );
      if (!f) throw new HttpError(404, `no frame ${id}`);
      return f;
    },
  );
  only("/frames/:id", ["GET"]);

  app.get(
    "/frames/:id/image",
    {
      schema: { summary: "A frame's image (redacted), streamed from the blob store or an image root", params: frameParams, querystring: noQuery },
      schemaErrorFormatter: reasons("/frames/:id/image"),
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const [f] = await lookups.run(req.raw, () => lookupSql`select image_ref from pgrecall.frames where id = ${id}`);
      if (!f) throw new HttpError(404, `no frame ${id}`);
      const img = await openImage(store, id, f.image_ref as string | null);
      reply.hijack();
      await sendImage(req.raw, reply.raw, img, `the image of frame ${id}`);
    },
  );
  only("/frames/:id/image", ["GET"]);

  app.get(
    "/health",
    {
      config: { public: true },
      schema: { summary: "Database reachable; with the token also the health checks, stage counts and search load", querystring: noQuery, security: [] },
      schemaErrorFormatter: reasons("/health"),
    },
    async (req, reply) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          healthSql`select 1`,
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS))),
        ]);
      } catch (err) {
        return reply.code(503).send({ status: "unavailable", error: `database unreachable: ${(err as Error).message}` });
      } finally {
        clearTimeout(timer);
      }
      // Without the token (when one is required) /health says only whether the database answers.
      if (!ctx.authorized(req)) return { status: "ok" };
      const searchLoad = { running: searches.running, waiting: searches.waiting, connections: searches.size };
      // Cheap at any size (index probes, catalog estimates): pgrecall.health's checks and pgrecall.stage_counts.
      try {
        const [checks, stages] = await Promise.all([
          healthSql<HealthCheck[]>`select check_name, ok, value, detail from pgrecall.health()`,
          stageCounts(healthSql),
        ]);
        const unhealthy = checks.filter((c) => !c.ok).map((c) => c.check_name);
        return { status: unhealthy.length ? "unhealthy" : "ok", unhealthy, checks, stages, searches: searchLoad };
      } catch (err) {
        return { status: "ok", checks_error: `the health checks failed: ${(err as Error).message}`, searches: searchLoad };
      }
    },
  );
  only("/health", ["GET"]);
}

/**
 * POST /mcp: MCP over Streamable HTTP, stateless (a fresh server and transport per request,
 * answered as JSON), behind the same Host, Origin and token checks as every route. There is
 * no session, so no GET stream and no DELETE: those are 405s.
 */
function registerMcp(app: FastifyInstance, ctx: ServeContext, searcher: Searcher): void {
  const run = <T>(kind: "search" | "lookup", task: () => Promise<T>, req: FastifyRequest) => (kind === "search" ? ctx.searches : ctx.lookups).run(req.raw, task);
  app.post("/mcp", { schema: { summary: "MCP (Streamable HTTP, stateless): tools search, get_frame, activity_summary, day_summary, list_apps, forget", body: { type: "object" } } }, async (req, reply) => {
    const server = mcpServer({ sql: ctx.lookupSql, searcher, store: ctx.store, run: (kind, task) => run(kind, task, req) });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    reply.raw.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req.raw, reply.raw, req.body);
  });
}
