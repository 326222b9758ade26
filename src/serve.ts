// `pgrecall serve`: a small HTTP API over the SQL one. GET only, JSON out, every parameter
// checked (a bad one is a 400 with the reason), searches bounded by statement_timeout and
// cancelled when the client goes away. Parameter names follow Screenpipe's where they fit.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";
import { timingSafeEqual } from "node:crypto";
import type { Config } from "./config.js";
import { BadSearch, parseSearch, searchConnection, Searcher } from "./search.js";
import { pipeline } from "./status.js";
import { BadImageRef, BlobStore } from "./store.js";

export interface ServeOptions extends Pick<Config, "databaseUrl" | "dataDir" | "embedding" | "searchTimeoutMs"> {
  host: string;
  port: number;
  token?: string;
}

export interface RunningServer {
  host: string;
  port: number;
  tokenRequired: boolean;
  close: () => Promise<void>;
}

/** /search parameter → SearchParams field. */
const SEARCH_PARAMS = {
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

const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif",
  ".tif": "image/tiff", ".tiff": "image/tiff", ".avif": "image/avif", ".heic": "image/heic",
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function serve(o: ServeOptions): Promise<RunningServer> {
  const sql = searchConnection(o.databaseUrl, o.searchTimeoutMs, 8);
  const searcher = new Searcher(sql, o.embedding);
  const store = new BlobStore(o.dataDir);
  const token = o.token ? Buffer.from(o.token) : null;

  const authorized = (req: IncomingMessage): boolean => {
    if (!token) return true;
    const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "");
    return given.length === token.length && timingSafeEqual(given, token);
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(text);
  };

  async function search(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const known = new Set<string>(Object.values(SEARCH_PARAMS));
    const unknown = [...url.searchParams.keys()].filter((k) => !known.has(k));
    if (unknown.length) throw new HttpError(400, `unknown parameter(s) ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
    for (const k of known) if (url.searchParams.getAll(k).length > 1) throw new HttpError(400, `${k} given more than once`);
    const raw = Object.fromEntries(Object.entries(SEARCH_PARAMS).map(([field, name]) => [field, url.searchParams.get(name) ?? undefined]));
    const params = parseSearch(raw, SEARCH_PARAMS);
    let running: { cancel: () => void } | undefined;
    const cancel = () => running?.cancel();
    req.socket.once("close", cancel);
    try {
      const out = await searcher.search(params, (q) => (running = q));
      json(res, 200, {
        data: out.results,
        pagination: { limit: params.limit, next_cursor: out.next_cursor },
        mode: out.mode,
        ...(out.notice ? { notice: out.notice } : {}),
      });
    } finally {
      req.socket.off("close", cancel);
    }
  }

  async function frame(id: string, res: ServerResponse): Promise<void> {
    const [f] = await sql`
      select id as frame_id, deployment_id, captured_at, inserted_at, app_name, window_title, image_ref, duplicate_of,
             ocr_text, ocr_confidence, vision_summary, embedding_model,
             hash_status, ocr_status, vision_status, embedding_status,
             hash_message, ocr_message, vision_message, embedding_message
      from pgrecall.frames where id = ${id}`;
    if (!f) throw new HttpError(404, `no frame ${id}`);
    json(res, 200, f);
  }

  async function image(id: string, res: ServerResponse): Promise<void> {
    const [f] = await sql`select image_ref from pgrecall.frames where id = ${id}`;
    if (!f) throw new HttpError(404, `no frame ${id}`);
    let path: string;
    try {
      path = await store.resolve(f.image_ref);
      await stat(path);
    } catch (err) {
      if (err instanceof BadImageRef || (err as NodeJS.ErrnoException).code === "ENOENT") throw new HttpError(404, `frame ${id} has no readable image`);
      throw err;
    }
    const size = (await stat(path)).size;
    res.writeHead(200, { "content-type": IMAGE_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream", "content-length": size, "cache-control": "private, max-age=86400" });
    await new Promise<void>((resolve, reject) => createReadStream(path).on("error", reject).pipe(res).on("finish", resolve).on("close", resolve));
  }

  async function health(res: ServerResponse): Promise<void> {
    try {
      json(res, 200, { status: "ok", pipeline: await pipeline(sql) });
    } catch (err) {
      json(res, 503, { status: "unavailable", error: `database unreachable: ${(err as Error).message}` });
    }
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = url.pathname.replace(/\/+$/, "") || "/";
      if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, "only GET is supported");
      if (path === "/health") return health(res);
      if (!authorized(req)) {
        res.setHeader("www-authenticate", "Bearer");
        throw new HttpError(401, "missing or wrong bearer token");
      }
      if (path === "/search") return search(url, req, res);
      const m = /^\/frames\/([^/]+)(\/image)?$/.exec(path);
      if (m) {
        const id = decodeURIComponent(m[1]!);
        if (!UUID.test(id)) throw new HttpError(400, `frame id must be a UUID (got "${id.slice(0, 80)}")`);
        return m[2] ? image(id, res) : frame(id, res);
      }
      throw new HttpError(404, `no route ${path}; routes: /search, /frames/:id, /frames/:id/image, /health`);
    })().catch((err: unknown) => {
      if (err instanceof HttpError) return json(res, err.status, { error: err.message });
      if (err instanceof BadSearch) return json(res, 400, { error: err.message });
      const code = (err as { code?: string }).code;
      if (code === "57014") return json(res, req.socket.destroyed ? 499 : 504, { error: `search cancelled: took longer than ${o.searchTimeoutMs} ms or the client left` });
      if (code === "ECONNREFUSED" || code === "57P01" || code === "CONNECTION_CLOSED") return json(res, 503, { error: "database unreachable" });
      console.error(`pgrecall serve: ${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
      json(res, 500, { error: "internal error (logged by the server)" });
    });
  });
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(o.port, o.host, resolve));
  const addr = server.address() as AddressInfo;
  return {
    host: o.host,
    port: addr.port,
    tokenRequired: !!token,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await sql.end({ timeout: 5 });
    },
  };
}
