// `pgrecall serve`: a small HTTP API over the SQL one. GET only, JSON out, every parameter
// checked (a bad one is a 400 with the reason), searches bounded by statement_timeout and
// cancelled when the client goes away. Parameter names follow Screenpipe's where they fit.
//
// Each kind of work has connections of its own, so one kind cannot starve another: searches
// (PGRECALL_SEARCH_POOL, sized to the machine), frame lookups (2), /health (1) and its
// pipeline counts (1). A request waits at most searchWaitMs for a connection of its kind,
// then gets a 503 with Retry-After: unbounded, that wait grew to seconds, unseen by
// statement_timeout, which starts only when a query does.
import { constants as fsConstants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { Transform } from "node:stream";
import { pipeline as pipe } from "node:stream/promises";
import PQueue from "p-queue";
import type { Config } from "./config.js";
import { connect, type Sql } from "./db.js";
import { BadSearch, parseSearch, searchConnection, Searcher } from "./search.js";
import { pipeline, type StageRow } from "./status.js";
import { changesState, hostGuard, isLoopback, Refused } from "./http/guard.js";
import { tokenMatches } from "./http/token.js";
import { BadImageRef, BlobStore, IMAGE_TYPES } from "./store.js";

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
  /** How old the pipeline counts /health returns may be before it counts again (default 30 s; at least 20 times what the last count took). */
  pipelineMaxAgeMs?: number;
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
const DEFAULT_PIPELINE_MAX_AGE_MS = 30_000;
/** /health says "unavailable" when `select 1` takes longer than this. */
const HEALTH_TIMEOUT_MS = 2000;
/** The first /health after start waits this long for the first pipeline count, then answers without it. */
const FIRST_COUNT_WAIT_MS = 1000;
const LOOKUP_POOL = 2;

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

const ROUTES = "/search, /frames/:id, /frames/:id/image, /health";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The client left before its turn came: nothing to answer. */
class ClientGone extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value from the request, fit to be quoted in an error message. */
const echo = (s: string, max = 80) => JSON.stringify(s.length > max ? s.slice(0, max) + "…" : s);

/**
 * The path segments and query parameters of a request target, percent-decoded strictly: a
 * malformed escape (`%`, `%zz`, bytes that are not UTF-8) is a 400, not a guess.
 */
function parseTarget(raw: string): { segments: string[]; params: [string, string][] } {
  // absolute-form (GET http://host/path), which HTTP/1.1 servers must accept
  const target = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "") || "/";
  if (!target.startsWith("/")) throw new HttpError(400, `request target must be a path such as /search?q=… (got ${echo(target)})`);
  if (/[^\x21-\x7e]/.test(target)) throw new HttpError(400, "request target holds a raw space, control or non-ASCII character: percent-encode it");
  const [pathPart, queryPart = ""] = target.split("#", 1)[0]!.split(/\?(.*)/s, 2) as [string, string?];
  const decode = (s: string, where: () => string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new HttpError(400, `malformed percent-encoding in ${where()}: each % must start an escape such as %25 (%) or %C3%A9 (é) of UTF-8 bytes`);
    }
  };
  const segments = pathPart
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decode(s, () => `the path segment ${echo(s)}`));
  const params = queryPart
    .split("&")
    .filter((p) => p !== "")
    .map((p): [string, string] => {
      const eq = p.indexOf("=");
      const [k, v] = eq < 0 ? [p, ""] : [p.slice(0, eq), p.slice(eq + 1)];
      const name = decode(k.replace(/\+/g, " "), () => `a parameter name (${echo(k)})`);
      return [name, decode(v.replace(/\+/g, " "), () => `the value of ${echo(name)}`)];
    });
  return { segments, params };
}

/**
 * At most `size` tasks at once, one per connection of their pool, so postgres.js never queues
 * (or pipelines) a query behind another. A task waits at most `waitMs` for its turn, then is
 * refused with a 503; a task whose client left is dropped from the queue.
 */
class Gate {
  private readonly queue: PQueue;

  constructor(
    readonly what: string,
    readonly size: number,
    readonly waitMs: number,
  ) {
    this.queue = new PQueue({ concurrency: size });
  }

  get running(): number {
    return this.queue.pending;
  }

  get waiting(): number {
    return this.queue.size;
  }

  async run<T>(req: IncomingMessage, task: () => Promise<T>): Promise<T> {
    if (req.socket.destroyed) throw new ClientGone();
    const turn = new AbortController();
    let started = false;
    // Only a task still waiting is aborted: p-queue would release the slot of a running one early.
    const timer = Number.isFinite(this.waitMs) ? setTimeout(() => !started && turn.abort(this.busy()), this.waitMs) : undefined;
    const gone = () => !started && turn.abort(new ClientGone());
    req.socket.once("close", gone);
    try {
      return await this.queue.add(
        () => {
          started = true;
          clearTimeout(timer);
          return task();
        },
        { signal: turn.signal },
      );
    } finally {
      clearTimeout(timer);
      req.socket.off("close", gone);
    }
  }

  private busy(): HttpError {
    const retry = Math.max(1, Math.ceil(this.waitMs / 1000));
    return new HttpError(
      503,
      `busy: ${this.running} ${this.what} running on ${this.size} connection(s), ${this.waiting} waiting; none free within ${this.waitMs} ms. Retry in ${retry} s.`,
      { "retry-after": String(retry) },
    );
  }
}

/** A pipeline count may take at most this share of one connection's time: 1/20, 5 %. */
const COUNT_DUTY = 20;

/**
 * The pipeline view (a scan of every frame: 0.7 s at 30,000 frames), counted on its own
 * connection when /health asks and the last count is older than maxAgeMs, and at most
 * every 20 times as long as the last count took; never while a request waits, but the first.
 */
class PipelineCounts {
  private last: { rows: StageRow[]; at: Date; tookMs: number } | null = null;
  private error: string | null = null;
  private counting: Promise<void> | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly maxAgeMs: number,
  ) {}

  async get(): Promise<{ rows: StageRow[]; at: Date } | { rows: null; error: string }> {
    if (!this.last || Date.now() - this.last.at.getTime() > Math.max(this.maxAgeMs, COUNT_DUTY * this.last.tookMs)) this.count();
    if (!this.last && this.counting) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.counting, new Promise((r) => (timer = setTimeout(r, FIRST_COUNT_WAIT_MS)))]);
      clearTimeout(timer);
    }
    return this.last ?? { rows: null, error: this.error ?? `still counting (takes over ${FIRST_COUNT_WAIT_MS} ms)` };
  }

  private count(): void {
    if (this.counting) return;
    const at = new Date();
    this.counting = pipeline(this.sql)
      .then(
        (rows) => void ((this.last = { rows, at, tookMs: Date.now() - at.getTime() }), (this.error = null)),
        (err: Error) => void (this.error = `counting failed: ${err.message}`),
      )
      .finally(() => (this.counting = null));
  }
}

/** Passes `size` bytes through and fails if the stream holds more or fewer (a file that changed while it was sent). */
function exactly(size: number, path: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > size ? new Error(`${path} grew while it was sent`) : null, chunk);
    },
    flush(done) {
      done(seen < size ? new Error(`${path} shrank while it was sent (${seen} of ${size} bytes)`) : null);
    },
  });
}

export async function serve(o: ServeOptions): Promise<RunningServer> {
  const searchPool = o.searchPool ?? defaultSearchPool();
  const waitMs = o.searchWaitMs ?? DEFAULT_SEARCH_WAIT_MS;
  if (!Number.isInteger(searchPool) || searchPool < 1) throw new RangeError(`searchPool must be a whole number of at least 1 (got ${searchPool})`);
  if (!(waitMs >= 0)) throw new RangeError(`searchWaitMs must be 0 or more (got ${waitMs})`);

  const searchSql = searchConnection(o.databaseUrl, o.searchTimeoutMs, searchPool);
  const lookupSql = connect(o.databaseUrl, { max: LOOKUP_POOL, connection: { application_name: "pgrecall serve", statement_timeout: o.searchTimeoutMs } as never });
  const healthSql = connect(o.databaseUrl, { max: 1, connect_timeout: 5, connection: { application_name: "pgrecall health", statement_timeout: HEALTH_TIMEOUT_MS } as never });
  const countSql = connect(o.databaseUrl, { max: 1, connection: { application_name: "pgrecall health" } });
  const searches = new Gate("searches", searchPool, waitMs);
  const lookups = new Gate("frame lookups", LOOKUP_POOL, waitMs);
  const counts = new PipelineCounts(countSql, o.pipelineMaxAgeMs ?? DEFAULT_PIPELINE_MAX_AGE_MS);
  const searcher = new Searcher(searchSql, o.embedding);
  const store = new BlobStore(o.dataDir, o.imageRoots);
  const token = o.token ? Buffer.from(o.token) : null;
  if (!token && !isLoopback(o.host)) {
    throw new RangeError(`serving ${o.host} without a token would let anyone who can reach it read every screen: bind a loopback address (127.0.0.1) or keep the token`);
  }
  const guard = hostGuard(o.host, o.allowedHosts);

  const authorized = (req: IncomingMessage): boolean => {
    if (!token) return true;
    return tokenMatches(token, /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? "")?.[1]);
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers }).end(text);
  };

  const noParams = (route: string, params: [string, string][]) => {
    if (params.length) throw new HttpError(400, `${route} takes no parameters (got ${params.slice(0, 5).map(([k]) => echo(k, 40)).join(", ")})`);
  };

  async function search(params: [string, string][], req: IncomingMessage, res: ServerResponse): Promise<void> {
    const known = new Set<string>(Object.values(SEARCH_PARAMS));
    const unknown = [...new Set(params.map(([k]) => k).filter((k) => !known.has(k)))];
    if (unknown.length) throw new HttpError(400, `unknown parameter(s) ${unknown.slice(0, 10).map((k) => (/^[\w-]{1,40}$/.test(k) ? k : echo(k, 40))).join(", ")}; known: ${[...known].join(", ")}`);
    const given = new Map<string, string>();
    for (const [k, v] of params) {
      if (given.has(k)) throw new HttpError(400, `${k} given more than once`);
      given.set(k, v);
    }
    const raw = Object.fromEntries(Object.entries(SEARCH_PARAMS).map(([field, name]) => [field, given.get(name)]));
    const p = parseSearch(raw, SEARCH_PARAMS);
    const out = await searches.run(req, async () => {
      let running: { cancel: () => void } | undefined;
      const cancel = () => running?.cancel();
      req.socket.once("close", cancel);
      try {
        return await searcher.search(p, (q) => (running = q));
      } finally {
        req.socket.off("close", cancel);
      }
    });
    json(res, 200, {
      data: out.results,
      pagination: { limit: p.limit, next_cursor: out.next_cursor },
      mode: out.mode,
      ...(out.notice ? { notice: out.notice } : {}),
    });
  }

  async function frame(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [f] = await lookups.run(
      req,
      () => lookupSql`
        select id as frame_id, deployment_id, captured_at, inserted_at, app_name, window_title, image_ref, duplicate_of,
               ocr_text, ocr_confidence, vision_summary, embedding_model,
               hash_status, ocr_status, vision_status, embedding_status,
               hash_message, ocr_message, vision_message, embedding_message
        from pgrecall.frames where id = ${id}`,
    );
    if (!f) throw new HttpError(404, `no frame ${id}`);
    json(res, 200, f);
  }

  /** The frame's image file, open and checked to be a non-empty regular file; a 404 with the reason otherwise. */
  async function openImage(id: string, ref: string | null): Promise<{ fh: FileHandle; path: string; size: number }> {
    const unreadable = (why: string) => new HttpError(404, `frame ${id} has no readable image: ${why}`);
    let path: string;
    try {
      path = await store.resolve(ref);
    } catch (err) {
      if (err instanceof BadImageRef) throw unreadable(err.message);
      throw err;
    }
    let fh: FileHandle;
    try {
      // O_NONBLOCK: opening a FIFO would otherwise wait for a writer, holding a libuv thread.
      fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why: Record<string, string> = {
        ENOENT: "does not exist", ENOTDIR: "does not exist (a parent is not a directory)", EACCES: "cannot be read (permission denied)",
        EPERM: "cannot be read (not permitted)", ELOOP: "is a loop of symbolic links", ENAMETOOLONG: "is a path too long to open",
      };
      if (code && why[code]) throw unreadable(`${path} ${why[code]}`);
      if (code === "EMFILE" || code === "ENFILE") throw new HttpError(503, "too many files open in the server at once; retry in a second", { "retry-after": "1" });
      throw new Error(`opening the image of frame ${id} at ${path} failed`, { cause: err });
    }
    try {
      const info = await fh.stat();
      if (info.isDirectory()) throw unreadable(`${path} is a directory`);
      if (!info.isFile()) throw unreadable(`${path} is not a regular file`);
      if (info.size === 0) throw unreadable(`${path} is empty (0 bytes)`);
      return { fh, path, size: info.size };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async function image(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [f] = await lookups.run(req, () => lookupSql`select image_ref from pgrecall.frames where id = ${id}`);
    if (!f) throw new HttpError(404, `no frame ${id}`);
    const { fh, path, size: stored } = await openImage(id, f.image_ref as string | null);
    // A blob encrypted at rest is decrypted and authenticated whole before the headers (store.ts).
    const { size, stream } = await store.servable(f.image_ref as string | null, fh, stored).catch((err) => {
      throw err instanceof BadImageRef ? new HttpError(err.reason === "key" ? 500 : 404, `frame ${id} has no readable image: ${err.message}`) : err;
    });
    const socket = res.socket;
    res.writeHead(200, {
      "content-type": IMAGE_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
      "content-length": size,
      "cache-control": "private, max-age=86400",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") {
      await fh.close();
      res.end();
      return;
    }
    try {
      await pipe(stream(), exactly(size, path), res);
    } catch (err) {
      // Headers are gone: the only way left to say "this body is wrong" is to cut the connection.
      socket?.destroy();
      if (req.socket.destroyed && (err as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") return; // the client left
      console.error(`pgrecall serve: sending the image of frame ${id} from ${path} failed after the headers: ${(err as Error).message}`);
    }
  }

  /** Without the token (when one is required) /health says only whether the database answers. */
  async function health(res: ServerResponse, full: boolean): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        healthSql`select 1`,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS))),
      ]);
    } catch (err) {
      return json(res, 503, { status: "unavailable", error: `database unreachable: ${(err as Error).message}` });
    } finally {
      clearTimeout(timer);
    }
    if (!full) return json(res, 200, { status: "ok" });
    const p = await counts.get();
    json(res, 200, {
      status: "ok",
      pipeline: p.rows,
      ...("at" in p ? { pipeline_as_of: p.at.toISOString() } : { pipeline_as_of: null, pipeline_error: p.error }),
      searches: { running: searches.running, waiting: searches.waiting, connections: searches.size },
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    guard.checkHost(req.headers.host);
    if (changesState(req.method)) guard.checkOrigin(req.headers.origin, req.socket.localPort ?? o.port);
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, "only GET (and HEAD) are supported", { allow: "GET, HEAD" });
    const { segments, params } = parseTarget(req.url ?? "/");
    const [first, id, sub, ...more] = segments;
    if (first === "health" && !id) {
      noParams("/health", params);
      return health(res, authorized(req));
    }
    if (!authorized(req)) throw new HttpError(401, "missing or wrong bearer token", { "www-authenticate": "Bearer" });
    if (first === "search" && !id) return search(params, req, res);
    if (first === "frames" && id !== undefined && (sub === undefined || sub === "image") && !more.length) {
      if (!UUID.test(id)) throw new HttpError(400, `frame id must be a UUID (got ${echo(id)})`);
      noParams(sub ? "/frames/:id/image" : "/frames/:id", params);
      return sub ? image(id, req, res) : frame(id, req, res);
    }
    throw new HttpError(404, `no route ${echo("/" + segments.join("/"), 200)}; routes: ${ROUTES}`);
  }

  /** Answers a request that failed; never throws, and a response it cannot finish is cut. */
  function fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    try {
      if (err instanceof ClientGone) return;
      if (err instanceof HttpError) return json(res, err.status, { error: err.message }, err.headers);
      if (err instanceof Refused) return json(res, err.status, { error: err.message });
      if (err instanceof BadSearch) return json(res, 400, { error: err.message });
      const code = (err as { code?: string }).code;
      if (code === "57014") return json(res, req.socket.destroyed ? 499 : 504, { error: `search cancelled: took longer than ${o.searchTimeoutMs} ms or the client left` });
      if (code === "ECONNREFUSED" || code === "57P01" || code === "CONNECTION_CLOSED" || code === "CONNECT_TIMEOUT") {
        return json(res, 503, { error: "database unreachable" }, { "retry-after": "5" });
      }
      console.error(`pgrecall serve: ${req.method} ${req.url?.slice(0, 300)}: ${(err as Error).stack ?? err}`);
      json(res, 500, { error: "internal error (logged by the server)" });
    } catch (second) {
      console.error(`pgrecall serve: answering ${req.method} ${req.url?.slice(0, 300)} failed: ${(second as Error).stack ?? second}`);
    } finally {
      if (!res.writableEnded) res.destroy();
    }
  }

  const server = createServer((req, res) => void route(req, res).catch((err: unknown) => fail(req, res, err)));
  // Requests Node's parser refuses (a request line and headers over 16 KiB, bytes that are not
  // HTTP) get the reason too, then the connection closes.
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    const [status, reason] =
      err.code === "HPE_HEADER_OVERFLOW" ? [431, "the request line and headers are over 16 KiB"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? [408, "the request did not arrive in time"]
      : err.code === "HPE_INVALID_URL" ? [400, "the request target is not a path: spaces, control and non-ASCII bytes must be percent-encoded"]
      : [400, `malformed HTTP request (${err.code ?? "parse error"}: ${err.message})`];
    const body = JSON.stringify({ error: reason });
    const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
    socket.end(head + body, () => socket.destroy());
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
      await Promise.all([searchSql, lookupSql, healthSql, countSql].map((sql) => sql.end({ timeout: 5 })));
    },
  };
}
