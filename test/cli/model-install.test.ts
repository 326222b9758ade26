// `pgrecall model install` as a user runs it, against a loopback stub of the Hugging Face hub
// that serves the tiny test model in the hub's layout (/<model>/resolve/main/<file>): the real
// CLI, its download in the hub's layout, a real database with a frame whose embedding failed
// for want of the model (the real worker ran it with an empty models directory).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Embedder } from "../../src/engines/embedder.js";
import { startWorker } from "../../src/worker.js";
import { jobsOf, useTestDatabase } from "../helpers/db.js";
import { TINY_MODEL, tinyModelConfig } from "../helpers/model.js";

const run = promisify(execFile);
const db = useTestDatabase();
const source = tinyModelConfig(); // what the stub hub serves
const modelsDir = mkdtempSync(join(tmpdir(), "pgrecall-install-"));
const env = { PGRECALL_MODELS_DIR: modelsDir, PGRECALL_EMBED_MODEL: TINY_MODEL };

const cli = (args: string[], extra: Record<string, string> = {}) =>
  run("node", ["bin/pgrecall.js", "model", ...args], { env: { ...process.env, DATABASE_URL: db.url, ...env, ...extra } })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

let hub: Server;
let host = "";
const requests: string[] = [];
let missingFrame = "";
let otherFrame = "";

beforeAll(async () => {
  hub = createServer((req, res) => {
    requests.push(req.url ?? "");
    const m = /^\/(.+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(req.url ?? ""));
    const file = m && !m[2]!.includes("..") ? join(source.modelsDir, ...m[1]!.split("/"), m[2]!) : null;
    if (!file || !existsSync(file)) return res.writeHead(404).end("Entry not found");
    const body = readFileSync(file);
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length }).end(body);
  });
  await new Promise<void>((ok) => hub.listen(0, "127.0.0.1", ok));
  host = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;

  // One frame fails its embedding for want of the model (the worker's own message), one for another reason.
  const [a] = await db.sql`insert into pgrecall.frames (deployment_id, phash, window_title) values ('laptop', 42, 'Inbox') returning id`;
  const [b] = await db.sql`insert into pgrecall.frames (deployment_id, phash, window_title) values ('laptop', 4242424242, 'Notes') returning id`;
  missingFrame = a!.id;
  otherFrame = b!.id;
  await db.sql`select pgrecall.frame_ocr_done(${missingFrame}, 'Meeting at noon')`;
  await db.sql`select pgrecall.frame_ocr_done(${otherFrame}, 'Shopping list')`;
  await db.sql`select pgrecall.frame_embedding_failed(${otherFrame}, 'gave up after 3 attempts: onnxruntime ran out of memory')`;
  await startWorker({ databaseUrl: db.url, dataDir: modelsDir, concurrency: 1, once: true, only: ["embed"], embedding: { ...source, modelsDir }, vision: null });
});

afterAll(() => new Promise<void>((ok) => hub.close(() => ok())));

describe("pgrecall model install", () => {
  it("downloads the model from the host into the models directory, checks it embeds, and requeues the frames that missed it", async () => {
    const [before] = await db.sql`select embedding_status, embedding_message from pgrecall.frames where id = ${missingFrame}`;
    expect(before!.embedding_status).toBe(2);
    expect(before!.embedding_message).toMatch(/is not installed: .*\(run `pgrecall model install`/);
    expect(await jobsOf(db.sql, missingFrame)).not.toContain("embed");
    // (status exits 1 here: work is pending and no worker is alive, which its health checks call unhealthy)
    const status = await run("node", ["bin/pgrecall.js", "status"], { env: { ...process.env, DATABASE_URL: db.url } }).catch((err: { code: number; stdout: string }) => {
      expect(err.code).toBe(1);
      expect(err.stdout).toMatch(/FAIL {2}workers .* 0 live worker/);
      return err;
    });
    expect(status.stdout).toContain("1 frame(s) failed embedding because the embedding model is not installed: run `pgrecall model install`");

    const r = await cli(["install", TINY_MODEL, "--host", host]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const dir = join(modelsDir, "test", "tiny-minilm");
    for (const f of ["config.json", "tokenizer.json", "tokenizer_config.json", join("onnx", "model.onnx")]) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(source.modelsDir, "test", "tiny-minilm", f))), f).toBe(true);
    }
    expect(readdirSync(modelsDir)).toEqual(["test"]); // no temporary folder left behind
    expect(requests).toContain("/test/tiny-minilm/resolve/main/onnx/model.onnx");
    expect(r.stdout).toMatch(/installed: +.*test\/tiny-minilm \(4 files/);
    expect(r.stdout).toMatch(/ok: +loads and embeds \(.* → 384 dimensions\)/);
    expect(r.stdout).toMatch(/requeued: +1 frame\(s\) whose embedding failed because the model was missing/);

    const rows = await db.sql`select id, embedding_status from pgrecall.frames where id in (${missingFrame}, ${otherFrame}) order by window_title`;
    expect(rows.map((x) => [x.id, x.embedding_status])).toEqual([
      [missingFrame, 0],
      [otherFrame, 2],
    ]);
    expect(await jobsOf(db.sql, missingFrame)).toContain("embed");
  });

  it("a second install downloads nothing and says it is already installed", async () => {
    const n = requests.length;
    const r = await cli(["install", "--host", host]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already installed in .*test\/tiny-minilm: nothing downloaded/);
    expect(r.stdout).toMatch(/384 dimensions/);
    expect(requests.length).toBe(n);
  });

  it("an unreachable host is a clear error and leaves no half-downloaded model", async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const empty = mkdtempSync(join(tmpdir(), "pgrecall-install-"));
    const r = await cli(["install", "--host", `http://127.0.0.1:${port}`], { PGRECALL_MODELS_DIR: empty });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`could not download ${TINY_MODEL} from http://127.0.0.1:${port}/: ECONNREFUSED. Nothing was installed.`);
    expect(readdirSync(empty)).toEqual([]);
  });

  it("a model the host does not have is named, and nothing is installed", async () => {
    const empty = mkdtempSync(join(tmpdir(), "pgrecall-install-"));
    const r = await cli(["install", "nobody/no-such-model", "--host", host], { PGRECALL_MODELS_DIR: empty });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not download nobody\/no-such-model from .*Could not locate file/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it("with remote downloads on (PGRECALL_ALLOW_REMOTE_MODELS=1), the embedder installs a missing model from the host by itself", async () => {
    const empty = mkdtempSync(join(tmpdir(), "pgrecall-remote-"));
    const n = requests.length;
    const e = new Embedder({ ...source, modelsDir: empty, allowRemote: true, remoteHost: host });
    const [v] = await e.embedBatch(["Meeting at noon"]);
    expect(v).toHaveLength(384);
    expect(requests.slice(n)).toContain("/test/tiny-minilm/resolve/main/onnx/model.onnx");
    expect(readdirSync(empty)).toEqual(["test"]); // installed in place, no temporary folder left
    const [again] = await new Embedder({ ...source, modelsDir: empty, allowRemote: true, remoteHost: host }).embedBatch(["Meeting at noon"]);
    expect(again).toEqual(v);
    expect(requests.length).toBe(n + 4); // the second one found it installed
  });

  it("refuses a model id that could name a path outside the models directory, and a host that is not http(s)", async () => {
    const a = await cli(["install", "../../etc", "--host", host]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/"\.\.\/\.\.\/etc" is not a model id/);
    const b = await cli(["install", "--host", "file:///tmp"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/must be an http\(s\) URL/);
  });
});
