// The page at / and what it reads: a day's timeline, its summary, thumbnails (made once per
// image and kept by content hash), where a query's words are on a screen, near-duplicates,
// and forget (POST). The page is plain files in web/ (no build step, nothing from elsewhere:
// its Content-Security-Policy allows this server only).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import sharp from "sharp";
import { packageRoot } from "../config.js";
import type { ServeContext } from "../serve.js";
import { BadImageRef, BLOB_PREFIX } from "../store.js";
import { HttpError } from "./errors.js";
import { frameParams, noQuery, reasons } from "./schemas.js";
import { TOKEN_COOKIE } from "./token.js";

const WEB = join(packageRoot, "web");
const ASSETS: Record<string, string> = { "app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8" };
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const THUMB_WIDTH = 320;
/** Thumbnails kept in memory (never on disk: a forgotten screen leaves none behind; the browser keeps them by content hash). */
const THUMB_CACHE_BYTES = 48 * 1024 * 1024;

const text = (description: string) => ({ type: "string", description }) as const;
const pageQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    token: text("the API token: kept in an HttpOnly cookie for the page's own requests"),
    q: text("search"), app: text("app filter"), window: text("window filter"), since: text("from"), until: text("until"),
    mode: text("fts, vector or hybrid"), date: text("the day shown, YYYY-MM-DD"), frame: text("the frame shown"),
  },
} as const;
const DATE = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "a day, YYYY-MM-DD (the deployment's local day)" } as const;

/** Least recently used thumbnails up to a byte budget. */
class Thumbs {
  private readonly map = new Map<string, Buffer>();
  private bytes = 0;
  get(key: string): Buffer | undefined {
    const v = this.map.get(key);
    if (v) (this.map.delete(key), this.map.set(key, v));
    return v;
  }
  set(key: string, v: Buffer): void {
    this.map.set(key, v);
    this.bytes += v.length;
    for (const [k, old] of this.map) {
      if (this.bytes <= THUMB_CACHE_BYTES) break;
      this.map.delete(k);
      this.bytes -= old.length;
    }
  }
}

export function registerPage(app: FastifyInstance, ctx: ServeContext, only: (url: string, methods: string[]) => void): void {
  const { lookupSql: sql, lookups, store } = ctx;
  const thumbs = new Thumbs();
  const made = new Map<string, Promise<Buffer>>();

  const page = async (name: string, reply: FastifyReply, type: string) => {
    const body = await readFile(join(WEB, name));
    return reply.type(type).headers({ "content-security-policy": CSP, "cache-control": "no-cache", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" }).send(body);
  };

  app.get("/", { config: { public: true }, schema: { summary: "The page: timeline, search, frame view", querystring: pageQuery, security: [] }, schemaErrorFormatter: reasons("/", Object.keys(pageQuery.properties)) }, async (req, reply) => {
    const { token } = req.query as { token?: string };
    // The printed URL carries the token (as Jupyter's does): kept in a cookie no script can read, sent only by this site's own pages.
    if (token !== undefined && ctx.tokenMatches(token)) reply.header("set-cookie", `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    return page("index.html", reply, "text/html; charset=utf-8");
  });
  only("/", ["GET"]);
  for (const [name, type] of Object.entries(ASSETS)) {
    app.get(`/${name}`, { config: { public: true }, schema: { hide: true } as never }, async (_req, reply) => page(name, reply, type));
    only(`/${name}`, ["GET"]);
  }

  app.get(
    "/timeline",
    {
      schema: {
        summary: "A day's frames in capture order (all deployments, or one), with spans, away gaps, activities and thumbnail URLs; and its forgotten periods (pgrecall.forgotten_ranges: when and how much, never what)",
        querystring: { type: "object", additionalProperties: false, required: ["date"], properties: { date: DATE, deployment: text("one deployment only") } },
      },
      schemaErrorFormatter: reasons("/timeline", ["date", "deployment"]),
    },
    async (req) => {
      const q = req.query as { date: string; deployment?: string };
      const [rows, forgotten] = await lookups.run(req.raw, () =>
        sql.begin("isolation level repeatable read read only", (tx) => [
          tx`select * from pgrecall.timeline(${q.date}::text::date, ${q.deployment ?? null}::text)`,
          tx`select event_id::text, forgotten_at, kind, deployment_id, band_from, band_to, range_from, range_to, frames, whole_range from pgrecall.forgotten_ranges(${q.date}::text::date, ${q.deployment ?? null}::text)`,
        ]),
      );
      return {
        date: q.date,
        forgotten,
        frames: rows.map(({ image_ref: ref, ...r }) => ({
          ...r,
          thumbnail: !ref ? null : String(ref).startsWith(BLOB_PREFIX) ? `/thumbnails/${String(ref).slice(BLOB_PREFIX.length)}` : `/frames/${r.frame_id}/thumbnail`,
        })),
      };
    },
  );
  only("/timeline", ["GET"]);

  app.get(
    "/days/:date",
    { schema: { summary: "The day summaries of a day (pgrecall.day, one per deployment): activities, time by app and project, away gaps", params: { type: "object", properties: { date: DATE } }, querystring: noQuery } },
    async (req) => {
      const { date } = req.params as { date: string };
      const rows = await lookups.run(req.raw, () => sql`select pgrecall.day(d.deployment_id, d.day) as day from pgrecall.day_summaries d where d.day = ${date}::text::date order by d.deployment_id`);
      return { date, days: rows.map((r) => r.day) };
    },
  );
  only("/days/:date", ["GET"]);

  app.get(
    "/frames/:id/matches",
    {
      schema: {
        summary: "Where a query's words are on a frame's screen (OCR word boxes, x0 y0 x1 y1 in image pixels), and its redacted words",
        params: frameParams,
        querystring: { type: "object", additionalProperties: false, properties: { q: text("the search query") } },
      },
      schemaErrorFormatter: reasons("/frames/:id/matches", ["q"]),
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const { q = "" } = req.query as { q?: string };
      if (q.length > 1000) throw new HttpError(400, `q is ${q.length} characters; at most 1000`);
      const boxes = await lookups.run(req.raw, () => sql`select word, box, kind from pgrecall.match_boxes(${id}, ${q})`);
      return { frame_id: id, boxes };
    },
  );
  only("/frames/:id/matches", ["GET"]);

  app.get(
    "/frames/:id/near-duplicates",
    { schema: { summary: "The frames that show the same screen (its original and the original's near-duplicates)", params: frameParams, querystring: noQuery }, schemaErrorFormatter: reasons("/frames/:id/near-duplicates") },
    async (req) => {
      const { id } = req.params as { id: string };
      return { frame_id: id, near_duplicates: await lookups.run(req.raw, () => sql`select * from pgrecall.near_duplicates(${id})`) };
    },
  );
  only("/frames/:id/near-duplicates", ["GET"]);

  /** A thumbnail of the image `ref`, made once per content hash `key`. */
  const thumbnail = async (key: string, ref: string): Promise<Buffer> => {
    const had = thumbs.get(key);
    if (had) return had;
    let making = made.get(key);
    if (!making) {
      making = store
        .read(ref)
        .then((bytes) => sharp(bytes).resize({ width: THUMB_WIDTH, withoutEnlargement: true }).webp({ quality: 70 }).toBuffer())
        .then((t) => (thumbs.set(key, t), t))
        .finally(() => made.delete(key));
      made.set(key, making);
    }
    try {
      return await making;
    } catch (err) {
      if (err instanceof BadImageRef) throw new HttpError(404, `no readable image: ${err.message}`);
      throw err;
    }
  };
  const sendThumb = (reply: FastifyReply, body: Buffer, cache: string) =>
    reply.type("image/webp").headers({ "cache-control": cache, "x-content-type-options": "nosniff" }).send(body);

  app.get(
    "/thumbnails/:sha256",
    {
      schema: {
        summary: `A ${THUMB_WIDTH} px WebP thumbnail of a stored image, by its content hash (immutable)`,
        params: { type: "object", properties: { sha256: { type: "string", pattern: "^[0-9a-f]{64}$" } } },
        querystring: noQuery,
      },
      schemaErrorFormatter: reasons("/thumbnails/:sha256"),
    },
    async (req, reply) => {
      const { sha256 } = req.params as { sha256: string };
      const ref = BLOB_PREFIX + sha256;
      // Only an image a frame this role may read still shows (a forgotten one is not served).
      const [f] = await lookups.run(req.raw, () => sql`select 1 from pgrecall.frames where image_ref = ${ref} and tombstoned_at is null limit 1`);
      if (!f) throw new HttpError(404, `no frame shows the image ${sha256.slice(0, 12)}…`);
      return sendThumb(reply, await thumbnail(sha256, ref), "private, max-age=31536000, immutable");
    },
  );
  only("/thumbnails/:sha256", ["GET"]);

  app.get(
    "/frames/:id/thumbnail",
    { schema: { summary: "A frame's thumbnail (for images outside the blob store)", params: frameParams, querystring: noQuery }, schemaErrorFormatter: reasons("/frames/:id/thumbnail") },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const [f] = await lookups.run(req.raw, () => sql`select image_ref from pgrecall.frames where id = ${id} and tombstoned_at is null`);
      if (!f?.image_ref) throw new HttpError(404, `frame ${id} has no image`);
      const ref = f.image_ref as string;
      const key = ref.startsWith(BLOB_PREFIX) ? ref.slice(BLOB_PREFIX.length) : createHash("sha256").update(ref).digest("hex");
      return sendThumb(reply, await thumbnail(key, ref), "private, max-age=60");
    },
  );
  only("/frames/:id/thumbnail", ["GET"]);

  app.post(
    "/forget",
    {
      schema: {
        summary: "Forget a selection for good (pgrecall.forget): a dry run that counts unless confirm is true",
        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            start_time: text("from (ISO 8601, or e.g. 2h ago)"), end_time: text("until"), app_name: text("app name contains"), window_name: text("window title contains"),
            frame_ids: { type: "array", maxItems: 10000, items: { type: "string", pattern: frameParams.properties.id.pattern } },
            confirm: { type: "boolean", description: "true: forget; otherwise only count" },
          },
        },
      },
      schemaErrorFormatter: reasons("/forget", ["start_time", "end_time", "app_name", "window_name", "frame_ids", "confirm"]),
    },
    async (req) => {
      const b = req.body as { start_time?: string; end_time?: string; app_name?: string; window_name?: string; frame_ids?: string[]; confirm?: boolean };
      if (!b.start_time && !b.end_time && !b.app_name && !b.window_name && !b.frame_ids?.length) {
        throw new HttpError(400, "forget needs a selection: start_time and/or end_time, app_name, window_name or frame_ids");
      }
      const [r] = await lookups.run(req.raw, () => sql`
        select * from pgrecall.forget(p_since => pgrecall.parse_moment(${b.start_time ?? null}), p_until => pgrecall.parse_moment(${b.end_time ?? null}),
                                      p_app => ${b.app_name ?? null}, p_window => ${b.window_name ?? null},
                                      p_frame_ids => ${b.frame_ids ?? null}::uuid[], p_dry_run => ${b.confirm !== true})`);
      const counts = { frames: r!.frames, near_duplicates: r!.near_duplicates, findings: r!.findings, range_from: r!.range_from, range_to: r!.range_to };
      return b.confirm === true ? { forgotten: { ...counts, words: r!.words, images: r!.images } } : { dry_run: true, would_forget: counts };
    },
  );
  only("/forget", ["POST"]);
}
