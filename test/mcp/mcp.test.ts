// The MCP server with the SDK's own client, over Streamable HTTP (/mcp on `pgrecall serve`,
// behind the token and the Host/Origin checks) and over stdio (`pgrecall mcp`), against a real
// database: the tools, their bounded text, the image on request, forget's confirmation.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { readConfig } from "../../src/config.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";
import { addFrame } from "../helpers/frames.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-mcp-"));
const TOKEN = "mcp-test-token";
let server: RunningServer;
let base: string;
const ids: Record<string, string> = {};
const longText = "Quarterly budget review: " + "line items and totals ".repeat(100);

type Text = { type: "text"; text: string };
const parsed = (r: { content?: unknown }) => JSON.parse(((r.content as Text[])[0]!).text);

async function httpClient(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<Client> {
  const client = new Client({ name: "pgrecall-test", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers } }));
  return client;
}

beforeAll(async () => {
  const config = readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_MODELS_DIR: join(dataDir, "no-models") });
  server = await serve({ ...config, host: "127.0.0.1", port: 0, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
  const { ref } = await new BlobStore(dataDir).put(await renderScreen({ width: 400, height: 300 }), "png");
  const hour = Date.now() - 3600_000;
  ids.budget = await addFrame(db.sql, { app: "Sheets", window: "Budget 2027", text: longText, at: new Date(hour) });
  await db.sql`update pgrecall.frames set image_ref = ${ref} where id = ${ids.budget}`;
  ids.chat = await addFrame(db.sql, { app: "Chat", window: "#general", text: "lunch at noon with Priya", at: new Date(hour + 60_000) });
  ids.old = await addFrame(db.sql, { app: "Terminal", window: "ssh", text: "deploy finished on staging", at: new Date("2026-01-05T09:00:00Z") });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("over Streamable HTTP (/mcp)", () => {
  it("lists the tools, forget marked destructive", async () => {
    const client = await httpClient();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(["activity_summary", "day_summary", "forget", "get_frame", "list_apps", "search"]);
      expect(tools.find((t) => t.name === "forget")!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
      expect(tools.find((t) => t.name === "search")!.annotations).toMatchObject({ readOnlyHint: true });
      expect(Object.keys((tools.find((t) => t.name === "search")!.inputSchema as { properties: object }).properties)).toEqual(
        expect.arrayContaining(["q", "app_name", "window_name", "start_time", "end_time", "limit", "mode"]),
      );
    } finally {
      await client.close();
    }
  });

  it("search: relative times, Screenpipe's names, text cut to a bounded length", async () => {
    const client = await httpClient();
    try {
      const r = parsed(await client.callTool({ name: "search", arguments: { q: "budget", start_time: "2h ago", end_time: "now", app_name: "sheets" } }));
      expect(r.mode).toBe("fts"); // no embedding model here: hybrid falls back and says so
      expect(r.notice).toMatch(/fell back to full-text/);
      expect(r.results).toHaveLength(1);
      expect(r.results[0]).toMatchObject({ frame_id: ids.budget, app_name: "Sheets", window_title: "Budget 2027", snippet: expect.stringContaining("«") });
      expect(r.results[0].text.length).toBeLessThanOrEqual(301);
      expect(r.results[0].text.endsWith("…")).toBe(true);
      const none = parsed(await client.callTool({ name: "search", arguments: { q: "deploy", start_time: "2h ago" } }));
      expect(none.results).toEqual([]);
      const bad = await client.callTool({ name: "search", arguments: { q: "x", start_time: "soonish" } });
      expect(bad.isError).toBe(true);
      expect((bad.content as Text[])[0]!.text).toMatch(/start_time: soonish is not a time: use ISO 8601 .* 2h ago/);
    } finally {
      await client.close();
    }
  });

  it("get_frame: text, stages and near-duplicates; the image as MCP image content on request", async () => {
    const client = await httpClient();
    try {
      const plain = await client.callTool({ name: "get_frame", arguments: { frame_id: ids.chat } });
      expect(plain.content).toHaveLength(1);
      expect(parsed(plain)).toMatchObject({ frame_id: ids.chat, app_name: "Chat", ocr_text: "lunch at noon with Priya", ocr_status: 1, near_duplicates: [] });
      expect(parsed(plain)).not.toHaveProperty("image_ref");
      const withImage = await client.callTool({ name: "get_frame", arguments: { frame_id: ids.budget, include_image: true, max_text_chars: 20 } });
      const [text, image] = withImage.content as [Text, { type: string; data: string; mimeType: string }];
      expect(JSON.parse(text.text).ocr_text).toBe(longText.slice(0, 20) + "…");
      expect(image).toMatchObject({ type: "image", mimeType: "image/png" });
      expect(Buffer.from(image.data, "base64").subarray(1, 4).toString()).toBe("PNG");
      const missing = await client.callTool({ name: "get_frame", arguments: { frame_id: "00000000-0000-0000-0000-000000000000" } });
      expect(missing.isError).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("list_apps, activity_summary and day_summary answer from SQL", async () => {
    const client = await httpClient();
    try {
      const apps = parsed(await client.callTool({ name: "list_apps", arguments: { start_time: "1 day ago" } }));
      expect(apps.apps.map((a: { app_name: string }) => a.app_name)).toEqual(["Chat", "Sheets"]);
      const summary = parsed(await client.callTool({ name: "activity_summary", arguments: { start_time: "3h ago" } }));
      expect(summary.apps.map((a: { name: string }) => a.name).sort()).toEqual(["Chat", "Sheets"]);
      expect(summary.total_minutes).toBeGreaterThan(0);
      const one = async (deployment: string) =>
        parsed(await client.callTool({ name: "activity_summary", arguments: { start_time: "3h ago", deployment } })).apps.map((a: { name: string }) => a.name).sort();
      expect(await one("desk")).toEqual(["Chat", "Sheets"]);
      expect(await one("phone")).toEqual([]);
      const day = parsed(await client.callTool({ name: "day_summary", arguments: { date: "2026-01-05" } }));
      expect(day.days).toEqual([]);
      expect(day.notice).toMatch(/no summary for that day/);
    } finally {
      await client.close();
    }
  });

  it("forget: a dry run without confirm, gone with it", async () => {
    const client = await httpClient();
    try {
      const dry = parsed(await client.callTool({ name: "forget", arguments: { start_time: "2026-01-01T00:00:00Z", end_time: "2026-02-01T00:00:00Z" } }));
      expect(dry).toMatchObject({ dry_run: true, would_forget: { frames: 1 } });
      expect((await db.sql`select count(*)::int as n from pgrecall.frames where id = ${ids.old}`)[0]!.n).toBe(1);
      const all = await client.callTool({ name: "forget", arguments: { confirm: true } });
      expect(all.isError).toBe(true);
      const done = parsed(await client.callTool({ name: "forget", arguments: { start_time: "2026-01-01T00:00:00Z", end_time: "2026-02-01T00:00:00Z", confirm: true } }));
      expect(done.forgotten.frames).toBe(1);
      expect((await db.sql`select count(*)::int as n from pgrecall.frames where id = ${ids.old}`)[0]!.n).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("needs the token, a served Host and no foreign Origin", async () => {
    await expect(httpClient({})).rejects.toThrow(/401|missing or wrong bearer token/);
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/mcp`, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${TOKEN}`, ...headers }, body: JSON.stringify(init) });
    const foreign = await post({ origin: "http://attacker.example" });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: string }).error).toMatch(/not a page of this server/);
    expect((await post({ origin: base })).status).toBe(200);
    const get = await fetch(`${base}/mcp`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
  });
});

describe("over stdio (pgrecall mcp)", () => {
  it("the same tools, as the CLI starts them", async () => {
    const transport = new StdioClientTransport({
      command: "node",
      args: ["bin/pgrecall.js", "mcp"],
      env: { ...(process.env as Record<string, string>), DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_MODELS_DIR: join(dataDir, "no-models") },
      stderr: "pipe",
    });
    const client = new Client({ name: "pgrecall-test", version: "1" });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools).toHaveLength(6);
      const r = parsed(await client.callTool({ name: "search", arguments: { q: "priya", mode: "fts" } }));
      expect(r.results.map((x: { frame_id: string }) => x.frame_id)).toEqual([ids.chat]);
      const f = await client.callTool({ name: "get_frame", arguments: { frame_id: ids.budget, include_image: true } });
      expect((f.content as { type: string }[]).map((c) => c.type)).toEqual(["text", "image"]);
    } finally {
      await client.close();
    }
  });
});
