// The routes the page reads, over plain HTTP: the token in a cookie set by /?token=…, the
// page's headers (no request leaves the machine), refusals with the reason.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { useTestDatabase } from "../helpers/db.js";
import { addFrame } from "../helpers/frames.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-page-api-"));
const TOKEN = "page-api-token-0123";
let server: RunningServer;
let base: string;
let id: string;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  server = await serve({ ...readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir }), host: "127.0.0.1", port: 0, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
  id = await addFrame(db.sql, { app: "Mail", window: "Inbox", text: "the quarterly invoice", at: new Date("2026-11-20T10:00:00Z") });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the page and its routes", () => {
  it("/ is open, allows only this server's own resources, and keeps a right token (only) in an HttpOnly SameSite cookie", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'; script-src 'self'/);
    expect(page.headers.get("set-cookie")).toBeNull();
    expect((await fetch(`${base}/?token=wrong`)).headers.get("set-cookie")).toBeNull();
    const cookie = (await fetch(`${base}/?token=${TOKEN}`)).headers.get("set-cookie")!;
    expect(cookie).toBe(`pgrecall_token=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
    const withCookie = await fetch(`${base}/timeline?date=2026-11-20`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(withCookie.status).toBe(200);
    expect(((await withCookie.json()) as { frames: { frame_id: string }[] }).frames.map((f) => f.frame_id)).toEqual([id]);
    expect((await fetch(`${base}/timeline?date=2026-11-20`)).status).toBe(401);
    expect((await fetch(`${base}/?nope=1`)).status).toBe(400);
  });

  it("refuses what it cannot answer, with the reason", async () => {
    const r = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(base + path, { ...init, headers: { ...auth, ...(init.headers as object) } });
      return { status: res.status, body: (await res.json()) as { error: string } };
    };
    expect(await r("/timeline?date=2026-02-31")).toMatchObject({ status: 400, body: { error: expect.stringMatching(/date\/time field value out of range|2026-02-31/) } });
    expect(await r("/timeline?date=tomorrow")).toMatchObject({ status: 400 });
    expect(await r(`/thumbnails/${"0".repeat(64)}`)).toMatchObject({ status: 404, body: { error: expect.stringMatching(/no frame shows the image/) } });
    expect(await r(`/frames/${id}/thumbnail`)).toMatchObject({ status: 404, body: { error: expect.stringMatching(/has no image/) } });
    const post = (body: unknown, headers: Record<string, string> = {}) => r("/forget", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    expect(await post({})).toMatchObject({ status: 400, body: { error: expect.stringMatching(/forget needs a selection/) } });
    expect(await post({ start_time: "whenever" })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/whenever is not a time/) } });
    expect(await post({ start_time: "2026-11-20T00:00:00Z", confirm: true }, { origin: "http://attacker.example" })).toMatchObject({ status: 403 });
    expect(await post({ start_time: "2026-11-20T00:00:00Z", colour: "red" })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/unknown parameter\(s\) colour/) } });
    expect((await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n).toBe(1);
  });

  it("matches and near-duplicates of a frame; a dry run of forget counts, confirm forgets", async () => {
    const m = await fetch(`${base}/frames/${id}/matches?q=invoices`, { headers: auth });
    expect(((await m.json()) as { boxes: unknown[] }).boxes).toEqual([]); // no word boxes recorded for this frame
    const d = await fetch(`${base}/frames/${id}/near-duplicates`, { headers: auth });
    expect(await d.json()).toEqual({ frame_id: id, near_duplicates: [] });
    const forget = (confirm: boolean) =>
      fetch(`${base}/forget`, { method: "POST", headers: { ...auth, "content-type": "application/json", origin: base }, body: JSON.stringify({ start_time: "2026-11-20T00:00:00Z", end_time: "2026-11-21T00:00:00Z", confirm }) }).then((x) => x.json());
    expect(await forget(false)).toMatchObject({ dry_run: true, would_forget: { frames: 1 } });
    expect(await forget(true)).toMatchObject({ forgotten: { frames: 1 } });
    expect((await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n).toBe(0);
    // the day's timeline has no frames left, and says when and how much was forgotten
    const t = (await (await fetch(`${base}/timeline?date=2026-11-20`, { headers: auth })).json()) as { frames: unknown[]; forgotten: Record<string, unknown>[] };
    expect(t.frames).toEqual([]);
    expect(t.forgotten).toEqual([
      expect.objectContaining({ event_id: expect.stringMatching(/^\d+$/), kind: "purged", deployment_id: "desk", frames: 1, whole_range: true,
                                band_from: "2026-11-20T00:00:00.000Z", band_to: "2026-11-21T00:00:00.000Z", range_from: "2026-11-20T10:00:00.000Z" }),
    ]);
    expect(Object.keys(t.forgotten[0]!).sort()).toEqual(["band_from", "band_to", "deployment_id", "event_id", "forgotten_at", "frames", "kind", "range_from", "range_to", "whole_range"]);
  });
});
