// `pgrecall serve` under load: a bounded wait for a search connection (then 503 with
// Retry-After), clients that leave the queue, and a /health that answers beside the searches
// and counts the pipeline only now and then.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { connect } from "../../src/db.js";
import { defaultSearchPool, serve, type RunningServer, type ServeOptions } from "../../src/serve.js";
import { useTestDatabase } from "../helpers/db.js";
import { addFrame } from "../helpers/frames.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-serve-load-"));
const servers: RunningServer[] = [];
let frameId: string;

/** Bounds every wait of these tests: a wait that is never satisfied fails instead of hanging. */
const BOUND_MS = 15_000;

async function start(options: Partial<ServeOptions>): Promise<string> {
  const config = readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir });
  const s = await serve({ ...config, host: "127.0.0.1", port: 0, searchTimeoutMs: 20_000, ...options });
  servers.push(s);
  return `http://127.0.0.1:${s.port}`;
}

const get = async (url: string, signal: AbortSignal = AbortSignal.timeout(BOUND_MS)) => {
  const res = await fetch(url, { signal });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
};

/** Polls until `ok` holds (bounded). */
async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const end = Date.now() + BOUND_MS;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`waited ${BOUND_MS} ms for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Makes searches for words of four letters or more wait: they look the word up in the vocabulary
 * (typo tolerance), which another session holds locked until released. Frames stay readable.
 */
async function holdVocabulary(): Promise<() => Promise<void>> {
  const locker = connect(db.url, { max: 1 });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const held = locker.begin(async (tx) => {
    await tx`lock table pgrecall.search_words in access exclusive mode`;
    locked();
    await released;
  });
  await isLocked;
  return async () => {
    release();
    await held;
    await locker.end();
  };
}

beforeAll(async () => {
  frameId = await addFrame(db.sql, { app: "Mail", window: "Inbox", text: "Invoice INV-7 from Dana Whitfield" });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("searches wait a bounded time for a connection", () => {
  it("beyond the wait: 503 with Retry-After; /health and frame lookups answer meanwhile", async () => {
    const base = await start({ searchPool: 1, searchWaitMs: 300 });
    const warm = await get(`${base}/health`);
    expect(warm.body.searches).toEqual({ running: 0, waiting: 0, connections: 1 });
    const release = await holdVocabulary();
    try {
      const first = get(`${base}/search?q=invoice&mode=fts`);
      await until("the first search to hold the connection", () => get(`${base}/health`), (h) => h.body.searches.running === 1);

      const second = await get(`${base}/search?q=whitfield&mode=fts`);
      expect(second.status).toBe(503);
      expect(second.headers.get("retry-after")).toBe("1");
      expect(second.body.error).toMatch(/^busy: 1 searches running on 1 connection\(s\), \d+ waiting; none free within 300 ms/);

      const health = await get(`${base}/health`);
      expect(health.status).toBe(200);
      expect(health.body.checks.length).toBeGreaterThan(0);
      expect(health.body.stages.map((s: { stage: string }) => s.stage)).toEqual(["hash", "ocr", "vision", "embedding"]);
      expect(health.body.searches).toMatchObject({ running: 1, connections: 1 });
      expect((await get(`${base}/frames/${frameId}`)).status).toBe(200);

      await release();
      const done = await first;
      expect(done.status).toBe(200);
      expect(done.body.data.map((h: { frame_id: string }) => h.frame_id)).toEqual([frameId]);
    } finally {
      await release();
    }
  });

  it("a client that leaves while it waits leaves the queue; the next search runs", async () => {
    const base = await start({ searchPool: 1, searchWaitMs: 60_000 });
    const release = await holdVocabulary();
    try {
      const first = get(`${base}/search?q=invoice&mode=fts`);
      await until("the first search to hold the connection", () => get(`${base}/health`), (h) => h.body.searches.running === 1);
      const leaving = new AbortController();
      const left = fetch(`${base}/search?q=whitfield&mode=fts`, { signal: leaving.signal }).catch((err: Error) => err);
      await until("a search waiting", () => get(`${base}/health`), (h) => h.body.searches.waiting === 1);
      leaving.abort();
      expect(await left).toBeInstanceOf(Error);
      await until("the queue to empty", () => get(`${base}/health`), (h) => h.body.searches.waiting === 0);
      await release();
      expect((await first).status).toBe(200);
      expect((await get(`${base}/search?q=whitfield&mode=fts`)).status).toBe(200);
    } finally {
      await release();
    }
  });

  it("searchWaitMs 0: a search that finds no free connection is refused at once", async () => {
    const base = await start({ searchPool: 1, searchWaitMs: 0 });
    const release = await holdVocabulary();
    try {
      const first = get(`${base}/search?q=invoice&mode=fts`);
      await until("the first search to hold the connection", () => get(`${base}/health`), (h) => h.body.searches.running === 1);
      const second = await get(`${base}/search?q=whitfield&mode=fts`);
      expect(second.status).toBe(503);
      expect(second.headers.get("retry-after")).toBe("1");
      await release();
      expect((await first).status).toBe(200);
    } finally {
      await release();
    }
  });

  it("the pool is sized to the machine unless told, and a bad size is refused", async () => {
    const base = await start({});
    expect((await get(`${base}/health`)).body.searches.connections).toBe(defaultSearchPool());
    expect(defaultSearchPool()).toBeGreaterThanOrEqual(1);
    await expect(start({ searchPool: 0 })).rejects.toThrow(/searchPool must be a whole number of at least 1/);
    await expect(start({ searchWaitMs: -1 })).rejects.toThrow(/searchWaitMs must be 0 or more/);
  });
});

describe("/health", () => {
  it("counts the stages afresh on every call, from the partial indexes (exact at this size)", async () => {
    const base = await start({});
    const ocrDone = (h: { stages: { stage: string; done: number; estimated: boolean }[] }) => h.stages.find((s) => s.stage === "ocr")!.done;
    const before = (await get(`${base}/health`)).body;
    expect(before.stages.every((s: { estimated: boolean; capped: boolean }) => !s.estimated && !s.capped)).toBe(true);
    await addFrame(db.sql, { text: "one more frame" });
    expect(ocrDone((await get(`${base}/health`)).body)).toBe(ocrDone(before) + 1);
  });

  it("says unhealthy, with HTTP 200, and names the failing checks: here work pending and no live worker", async () => {
    const base = await start({});
    await addFrame(db.sql, { text: "waits for vision and embedding" });
    const h = await get(`${base}/health`);
    expect(h.status).toBe(200);
    expect(h.body.status).toBe("unhealthy");
    expect(h.body.unhealthy).toContain("workers");
    expect(h.body.checks.find((c: { check_name: string }) => c.check_name === "workers")).toMatchObject({ ok: false, value: "0" });
    expect(h.body.stages.find((s: { stage: string }) => s.stage === "embedding").pending).toBeGreaterThan(0);
  });
});
