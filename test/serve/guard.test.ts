// `pgrecall serve` against DNS rebinding and without a configured token: Host checked against
// the addresses served, Origin on anything that changes state, a token made on first start
// (kept 0600 in the data dir, shown once), /health without it saying only "ok".
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { hostGuard } from "../../src/http/guard.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-serve-guard-"));
let server: RunningServer;

/** A request with the headers exactly as given (Host and Origin forged as a rebinding page's would be). */
function send(port: number, path: string, headers: Record<string, string>, method = "GET"): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, setHost: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode!, headers: res.headers, body: text.startsWith("{") ? JSON.parse(text) : text });
      });
    });
    req.on("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

beforeAll(async () => {
  const config = readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir });
  server = await serve({ ...config, host: "127.0.0.1", port: 0, token: "guard-token-1", allowedHosts: ["recall.example.lan"] });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const auth = { authorization: "Bearer guard-token-1" };

describe("Host", () => {
  it.each(["127.0.0.1", "localhost", "LOCALHOST.", "[::1]", "recall.example.lan"])("%s (with the port) is served", async (host) => {
    const r = await send(server.port, "/search?q=x&mode=fts", { ...auth, host: `${host}:${server.port}` });
    expect(r.status).toBe(200);
  });

  it.each(["attacker.example", "127.0.0.1.nip.io", "localhost.attacker.example", "evil.localhost", "0.0.0.0", "127.0.0.2", "[::1]x", "a b"])(
    "%s is refused with a 403 that says why, before the token is looked at",
    async (host) => {
      const r = await send(server.port, "/search?q=x", { host: `${host}:${server.port}` });
      expect(r.status).toBe(403);
      expect(r.body.error).toMatch(/is not an address this server answers to .*DNS rebinding.*PGRECALL_ALLOWED_HOSTS/);
    },
  );

  it("no Host at all is a 400; /health is checked too", async () => {
    expect((await send(server.port, "/health", {})).status).toBe(400);
    expect((await send(server.port, "/health", { host: "attacker.example" })).status).toBe(403);
  });

  it("a server bound to every interface answers to each of the machine's addresses, and nothing else", () => {
    const g = hostGuard("0.0.0.0");
    expect(g.names.has("127.0.0.1")).toBe(true);
    expect(() => g.checkHost("attacker.example:3030")).toThrow(/not an address/);
    expect(() => hostGuard("192.0.2.7").checkHost("192.0.2.7:80")).not.toThrow();
  });
});

describe("Origin on anything that changes state", () => {
  it.each([
    ["a foreign site", "http://attacker.example"],
    ["a rebinding page on this port", `http://attacker.example:PORT`],
    ["another local site", "http://localhost:8080"],
    ["a sandboxed page", "null"],
    ["nonsense", "not a url"],
  ])("%s: 403 with the reason", async (_what, origin) => {
    const r = await send(server.port, "/search", { ...auth, host: `127.0.0.1:${server.port}`, origin: origin.replace("PORT", String(server.port)), "content-type": "application/json" }, "POST");
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/is not a page of this server/);
  });

  it("its own pages, a configured name and clients that send no Origin get past it (to the route's own answer)", async () => {
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`, "https://recall.example.lan", undefined]) {
      const r = await send(server.port, "/search", { ...auth, host: `127.0.0.1:${server.port}`, "content-type": "application/json", ...(origin ? { origin } : {}) }, "POST");
      expect(r.status, String(origin)).not.toBe(403);
    }
  });

  it("a GET from a foreign page is answered by Host and token alone (it changes nothing, and CORS keeps the answer from the page)", async () => {
    const r = await send(server.port, "/search?q=x&mode=fts", { ...auth, host: `127.0.0.1:${server.port}`, origin: "http://attacker.example" });
    expect(r.status).toBe(200);
    expect(r.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("the token", () => {
  it("/health without it says only whether the database answers; with it, the checks, stage counts and load", async () => {
    const open = await send(server.port, "/health", { host: `127.0.0.1:${server.port}` });
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ status: "ok" });
    const full = await send(server.port, "/health", { ...auth, host: `127.0.0.1:${server.port}` });
    expect(full.body).toMatchObject({ status: expect.stringMatching(/^(ok|unhealthy)$/), searches: { connections: expect.any(Number) } });
    expect(Array.isArray(full.body.stages)).toBe(true);
    expect(Array.isArray(full.body.checks)).toBe(true);
  });

  it("serve() refuses to serve a non-loopback address without one", async () => {
    const config = readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir });
    await expect(serve({ ...config, host: "0.0.0.0", port: 0 })).rejects.toThrow(/without a token would let anyone .* loopback/);
  });
});

/** Runs `pgrecall serve` until it prints its address, then stops it; returns what it printed. */
function runServe(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; url?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", ["bin/pgrecall.js", "serve", "--port", "0", ...args], { env: { ...process.env, DATABASE_URL: db.url, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.on("data", (c: Buffer) => {
      stdout += c;
      if (/serving on /.test(stdout)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("pgrecall serve", () => {
  it("makes a token on first start (0600 in the data dir), shows it once, and keeps it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pgrecall-serve-token-"));
    try {
      const env = { PGRECALL_DATA_DIR: dir, PGRECALL_API_TOKEN: "", PGRECALL_NO_TOKEN: "" };
      const first = await runServe([], env);
      const token = readFileSync(join(dir, "api.token"), "utf8").trim();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(join(dir, "api.token")).mode & 0o777).toBe(0o600);
      expect(first.stdout).toContain(`made an API token, kept in ${join(dir, "api.token")}`);
      expect(first.stdout).toContain(`?token=${token}`);
      const second = await runServe([], env);
      expect(second.stdout).not.toContain(token);
      expect(second.stdout).toMatch(/bearer token required: the one in .*api\.token/);
      expect(readFileSync(join(dir, "api.token"), "utf8").trim()).toBe(token);
      const given = await runServe(["--token", "from-the-option"], env);
      expect(given.stdout).toMatch(/bearer token required: --token/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--no-token serves loopback only, and says the risk; elsewhere it is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pgrecall-serve-notoken-"));
    try {
      const env = { PGRECALL_DATA_DIR: dir, PGRECALL_API_TOKEN: "" };
      const loop = await runServe(["--no-token"], env);
      expect(loop.stdout).toMatch(/WITHOUT a token .*any program on this machine can read your screens/);
      const wide = await runServe(["--no-token", "--host", "0.0.0.0"], env);
      expect(wide.code).toBe(1);
      expect(wide.stderr).toMatch(/--no-token is refused on 0\.0\.0\.0/);
      const both = await runServe(["--no-token"], { ...env, PGRECALL_API_TOKEN: "some-token-value" });
      expect(both.stderr).toMatch(/were both given/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
