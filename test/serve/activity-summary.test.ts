// GET /activity-summary: Screenpipe's route and parameter names over pgrecall.activity_summary;
// times read by SQL (a day that does not exist is refused, not rolled over); the token.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { useTestDatabase } from "../helpers/db.js";
import { addFrame } from "../helpers/frames.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-activity-"));
const TOKEN = "activity-token-0123";
let server: RunningServer;
let base: string;
const auth = { authorization: `Bearer ${TOKEN}` };
const get = async (query: string, headers: Record<string, string> = auth) => {
  const res = await fetch(`${base}/activity-summary?${query}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string } };
};

beforeAll(async () => {
  server = await serve({ ...readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir }), host: "127.0.0.1", port: 0, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
  // Mail 10:00-10:02, Code 10:02-10:04 (one frame a minute), another deployment's Mail at 10:01
  const t = (m: number) => new Date(Date.UTC(2026, 10, 20, 10, m));
  for (const [m, app] of [[0, "Mail"], [1, "Mail"], [2, "Code"], [3, "Code"], [4, "Code"]] as const) {
    await addFrame(db.sql, { deployment: "desk", app, window: `${app} window`, text: `${app} text ${m}`, at: t(m) });
  }
  await addFrame(db.sql, { deployment: "phone", app: "Mail", window: "Inbox", text: "phone mail", at: t(1) });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("GET /activity-summary", () => {
  it("answers pgrecall.activity_summary for the range, one app or one deployment", async () => {
    const range = "start_time=2026-11-20T09:00:00Z&end_time=2026-11-20T11:00:00Z";
    const all = await get(range);
    expect(all.status).toBe(200);
    const [sql] = await db.sql`select pgrecall.activity_summary('2026-11-20T09:00:00Z', '2026-11-20T11:00:00Z') as s`;
    expect(all.body).toEqual(JSON.parse(JSON.stringify(sql!.s)));
    const apps = (b: Record<string, unknown>) => (b.apps as { name: string; frame_count: number }[]).map((a) => [a.name, a.frame_count]);
    expect(apps(all.body).sort()).toEqual([["Code", 3], ["Mail", 3]]);
    expect(apps((await get(`${range}&deployment=desk`)).body).sort()).toEqual([["Code", 3], ["Mail", 2]]);
    expect(apps((await get(`${range}&app_name=mail`)).body)).toEqual([["Mail", 3]]);
    expect(apps((await get(`${range}&app_name=Nothing`)).body)).toEqual([]);
  });

  it("refuses a bad range with SQL's reason, a missing or unknown parameter with the schema's", async () => {
    expect(await get("start_time=2026-02-30T00:00:00Z&end_time=2026-03-02T00:00:00Z")).toMatchObject({ status: 400, body: { error: expect.stringMatching(/2026-02-30T00:00:00Z is not a time/) } });
    expect(await get("start_time=whenever&end_time=now")).toMatchObject({ status: 400, body: { error: expect.stringMatching(/whenever is not a time: use ISO 8601/) } });
    expect(await get("start_time=2026-11-21T00:00:00Z&end_time=2026-11-20T00:00:00Z")).toMatchObject({ status: 400, body: { error: expect.stringMatching(/needs start_time before end_time/) } });
    expect(await get("start_time=2026-01-01T00:00:00Z&end_time=2026-03-01T00:00:00Z")).toMatchObject({ status: 400, body: { error: expect.stringMatching(/at most 31 days/) } });
    expect(await get("start_time=2026-11-20T00:00:00Z")).toMatchObject({ status: 400, body: { error: expect.stringMatching(/end_time/) } });
    expect(await get("start_time=1h ago&end_time=now&colour=red")).toMatchObject({ status: 400, body: { error: expect.stringMatching(/unknown parameter\(s\) colour; known: start_time, end_time, app_name, deployment/) } });
    expect(await get("start_time=1h ago&end_time=now&app_name=a&app_name=b")).toMatchObject({ status: 400, body: { error: "app_name given more than once" } });
    expect((await get("start_time=2h ago&end_time=now")).status).toBe(200);
  });

  it("needs the token, and is in /openapi.json", async () => {
    expect((await get("start_time=1h ago&end_time=now", {})).status).toBe(401);
    expect((await get("start_time=1h ago&end_time=now", { authorization: "Bearer wrong" })).status).toBe(401);
    const api = (await (await fetch(`${base}/openapi.json`, { headers: auth })).json()) as { paths: Record<string, { get?: { parameters?: { name: string; required?: boolean }[] } }> };
    const params = api.paths["/activity-summary"]!.get!.parameters!;
    expect(params.map((p) => [p.name, !!p.required])).toEqual([["start_time", true], ["end_time", true], ["app_name", false], ["deployment", false]]);
    expect((await fetch(`${base}/activity-summary`, { method: "POST", headers: auth })).status).toBe(405);
  });
});
