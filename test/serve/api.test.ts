// `pgrecall serve` over HTTP: search, frames, images, health, validation, auth, timeouts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { connect } from "../../src/db.js";
import { BlobStore } from "../../src/store.js";
import { renderScreen } from "../../fixtures/render.js";
import { useTestDatabase } from "../helpers/db.js";
import { addFrame } from "../helpers/frames.js";
import { tinyModelConfig } from "../helpers/model.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-serve-"));
let server: RunningServer;
let base: string;
const ids: Record<string, string> = {};

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(base + path, { headers: { authorization: "Bearer s3cret", ...headers } });
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, type, body: type.startsWith("application/json") ? await res.json() : Buffer.from(await res.arrayBuffer()) } as { status: number; type: string; body: any };
};

beforeAll(async () => {
  const config = { ...readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir }), embedding: tinyModelConfig() };
  server = await serve({ ...config, host: "127.0.0.1", port: 0, token: "s3cret", searchTimeoutMs: 1500 });
  base = `http://127.0.0.1:${server.port}`;
  const png = await renderScreen({ width: 400, height: 300 });
  const { ref } = await new BlobStore(dataDir).put(png, "png");
  ids.mail = await addFrame(db.sql, { app: "Mail", window: "Inbox", text: "Invoice INV-2026-0042 is overdue, says Dana Whitfield", at: new Date("2026-11-20T10:00:00Z") });
  await db.sql`update pgrecall.frames set image_ref = ${ref} where id = ${ids.mail}`;
  ids.code = await addFrame(db.sql, { app: "Code", window: "invoices.js", text: "export function lateFee(invoice)", at: new Date("2026-11-20T11:00:00Z") });
  ids.gone = await addFrame(db.sql, { app: "Code", window: "x", text: "image deleted", at: new Date("2026-11-20T12:00:00Z") });
  await db.sql`update pgrecall.frames set image_ref = '/nowhere/x.png' where id = ${ids.gone}`;
});
afterAll(() => server?.close());

describe("GET /search", () => {
  it("finds a frame by a word, with Screenpipe-style parameters, a snippet and a cursor", async () => {
    const r = await get("/search?q=whitfield&app_name=mail&start_time=2026-11-20T00:00:00Z&end_time=2026-11-21T00:00:00Z&limit=5");
    expect(r.status).toBe(200);
    expect(r.body.mode).toBe("hybrid");
    expect(r.body.data).toHaveLength(1);
    expect(r.body.data[0]).toMatchObject({ frame_id: ids.mail, app_name: "Mail", window_title: "Inbox", snippet: expect.stringContaining("«Whitfield»"), matched: "fts" });
    expect(r.body.pagination).toEqual({ limit: 5, next_cursor: null });
  });

  it("pages with the cursor it returns", async () => {
    const p1 = await get("/search?q=invoice&limit=1&mode=fts");
    expect(p1.body.data).toHaveLength(1);
    const p2 = await get(`/search?q=invoice&limit=1&mode=fts&cursor=${p1.body.pagination.next_cursor}`);
    expect(p2.status).toBe(200);
    expect(p2.body.data[0].frame_id).not.toBe(p1.body.data[0].frame_id);
  });

  it("finds a word with one typo", async () => {
    const r = await get("/search?q=Whitfeld&mode=fts");
    expect(r.body.data.map((h: { frame_id: string }) => h.frame_id)).toEqual([ids.mail]);
  });

  it.each([
    ["limit=0", /limit must be a whole number from 1 to 200/],
    ["limit=abc", /limit must be a whole number/],
    ["start_time=yesterday", /start_time must be an ISO 8601 time/],
    ["start_time=2026-11-21T00:00:00Z&end_time=2026-11-20T00:00:00Z", /start_time is after end_time/],
    ["mode=semantic", /mode must be one of fts, vector, hybrid/],
    ["cursor=%27%3B--", /invalid search cursor/],
    ["cursor=djF8eHh4", /invalid search cursor/],
    ["content_type=ocr", /unknown parameter\(s\) content_type/],
    ["q=a&q=b", /q given more than once/],
    [`q=${"x".repeat(1001)}`, /q is 1001 characters; at most 1000/],
    ["include_duplicates=maybe", /include_duplicates must be true or false/],
  ])("400 for %s", async (query, message) => {
    const r = await get(`/search?${query}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
  });

  it("hostile query strings are searched, never an error", async () => {
    for (const q of [`'`, `"`, `&|!:*()`, `\\`, `'; drop table pgrecall.frames; --`, `😀 发票`, `<->`]) {
      const r = await get(`/search?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
    }
  });

  /** Holds an exclusive lock on frames for `ms` from another connection, so searches wait; resolves when released. */
  async function lockFrames(ms: number): Promise<() => Promise<void>> {
    const locker = connect(db.url, { max: 1 });
    const held = locker.begin(async (tx) => {
      await tx`lock table pgrecall.frames in access exclusive mode`;
      await new Promise((r) => setTimeout(r, ms));
    });
    await new Promise((r) => setTimeout(r, 200));
    return async () => {
      await held;
      await locker.end();
    };
  }

  it("a search that runs past the timeout is cancelled with a 504, and the server keeps serving", async () => {
    const release = await lockFrames(2500);
    const r = await get("/search?q=invoice&mode=fts");
    expect(r.status).toBe(504);
    expect(r.body.error).toMatch(/took longer than 1500 ms/);
    await release();
    expect((await get("/search?q=invoice&mode=fts")).status).toBe(200);
  });

  it("cancels the query of a client that goes away", async () => {
    const release = await lockFrames(1200);
    const ac = new AbortController();
    const pending = fetch(`${base}/search?q=invoice&mode=fts`, { headers: { authorization: "Bearer s3cret" }, signal: ac.signal }).catch(() => null);
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 300));
    const waiting = await db.sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'pgrecall search' and wait_event_type = 'Lock'`;
    expect(waiting[0]!.n).toBe(0);
    await release();
  });
});

describe("GET /frames/:id, /frames/:id/image, /health", () => {
  it("returns a frame's metadata and text", async () => {
    const r = await get(`/frames/${ids.code}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ frame_id: ids.code, app_name: "Code", ocr_text: "export function lateFee(invoice)", ocr_status: 1 });
  });

  it("streams the stored image with its type", async () => {
    const r = await get(`/frames/${ids.mail}/image`);
    expect(r.status).toBe(200);
    expect(r.type).toBe("image/png");
    expect((r.body as Buffer).subarray(1, 4).toString()).toBe("PNG");
  });

  it("404s for an unknown frame or a missing image, 400 for a malformed id", async () => {
    expect((await get("/frames/00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect((await get(`/frames/${ids.gone}/image`)).body.error).toMatch(/has no readable image/);
    expect((await get("/frames/../../etc/passwd")).status).toBe(404);
    const bad = await get("/frames/not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/must be a UUID/);
  });

  it("health is the checks and the stage counts with the token, only the status without it; everything else needs it", async () => {
    const h = await get("/health");
    expect(h.status).toBe(200);
    expect((h.body as { stages: { stage: string }[] }).stages.map((s) => s.stage)).toEqual(["hash", "ocr", "vision", "embedding"]);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: "ok" });
    expect((await get("/search?q=x", { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await fetch(`${base}/search?q=x`)).status).toBe(401);
    expect((await get("/nope")).status).toBe(404);
  });

  it("health says 503 when the database is unreachable", async () => {
    const down = await serve({ ...readConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:1/none", PGRECALL_DATA_DIR: dataDir }), host: "127.0.0.1", port: 0 });
    try {
      const r = await fetch(`http://127.0.0.1:${down.port}/health`);
      expect(r.status).toBe(503);
      expect(((await r.json()) as { status: string }).status).toBe("unavailable");
    } finally {
      await down.close();
    }
  });
});

describe("hybrid without a model", () => {
  it("falls back to full text and says so", async () => {
    const config = { ...readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_MODELS_DIR: mkdtempSync(join(tmpdir(), "nomodel-")) }) };
    const s = await serve({ ...config, host: "127.0.0.1", port: 0 });
    try {
      const r = await fetch(`http://127.0.0.1:${s.port}/search?q=whitfield`);
      const body = (await r.json()) as { mode: string; notice: string; data: unknown[] };
      expect(body.mode).toBe("fts");
      expect(body.notice).toMatch(/hybrid search fell back to full-text only: embedding model .* is not installed/);
      expect(body.data).toHaveLength(1);
      const v = await fetch(`http://127.0.0.1:${s.port}/search?q=whitfield&mode=vector`);
      expect(v.status).toBe(400);
    } finally {
      await s.close();
    }
  });
});

describe("GET /openapi.json", () => {
  it("describes every route from the schemas the server validates with", async () => {
    const r = await get("/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(["/search", "/frames/{id}", "/frames/{id}/image", "/health"]));
    const names = r.body.paths["/search"].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
    expect(names).toEqual(expect.arrayContaining(["query:q", "query:app_name", "query:window_name", "query:start_time", "query:end_time", "query:limit", "query:cursor"]));
    expect(r.body.paths["/frames/{id}"].get.parameters[0]).toMatchObject({ in: "path", name: "id", required: true });
    expect(r.body.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    expect((await fetch(`${base}/openapi.json`)).status).toBe(401);
  });
});
