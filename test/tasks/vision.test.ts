// The vision task against an OpenAI-compatible chat-completions server the test runs on loopback.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readConfig, type VisionConfig } from "../../src/config.js";
import { renderScreen } from "../../fixtures/render.js";
import { startWorker } from "../../src/worker.js";
import { NO_PROVIDER } from "../../tasks/vision.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-vision-"));

type Handler = (body: any, req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler;
const requests: { body: any; auth?: string }[] = [];
const server = createServer((req, res) => {
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    const body = req.url === "/v1/chat/completions" && req.method === "POST" ? JSON.parse(raw) : null;
    if (!body) return void res.writeHead(404).end("no such route");
    requests.push({ body, auth: req.headers.authorization });
    handler(body, req, res);
  });
});
const answer = (text: string | null) => (_b: unknown, _q: IncomingMessage, res: ServerResponse) =>
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { role: "assistant", content: text } }] }));

let vision: VisionConfig;
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  vision = { url: `http://127.0.0.1:${port}/v1`, model: "llava:test", apiKey: "sk-test", timeoutMs: 1000, maxEdge: 640 };
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => void (requests.length = 0));

const run = (v: VisionConfig | null = vision) =>
  startWorker({ databaseUrl: db.url, dataDir, embedding: readConfig().embedding, concurrency: 2, once: true, only: ["vision"], vision: v });
const retryNow = () => db.sql`update graphile_worker._private_jobs set run_at = now() where task_id = (select id from graphile_worker._private_tasks where identifier = 'vision')`;

async function frame(deployment: string, opts: { maxAttempts?: number } = {}): Promise<string> {
  const path = join(dataDir, `${deployment}.png`);
  writeFileSync(path, await renderScreen({ width: 1600, height: 1000 }));
  if (opts.maxAttempts) await db.sql`insert into pgrecall.settings (deployment_id, job_max_attempts) values (${deployment}, ${opts.maxAttempts})`;
  const [f] = await db.sql`
    insert into pgrecall.frames (deployment_id, phash, image_ref, app_name, window_title)
    values (${deployment}, ${randomPhash()}, ${path}, 'Code', 'invoices.js') returning id`;
  // Vision waits for OCR (it is sent the redacted image): this screen has no secret.
  await db.sql`select pgrecall.frame_ocr_done(${f!.id}, 'export function loadInvoice')`;
  return f!.id;
}
const row = async (id: string) => (await db.sql`select vision_status, vision_summary, vision_message from pgrecall.frames where id = ${id}`)[0]!;

describe("task vision", () => {
  it("sends the screenshot, scaled down, with the model, key and context, and stores the description", async () => {
    handler = answer("  A code editor showing invoices.js with a loadInvoice function.  ");
    const id = await frame("ok");
    await run();
    expect(await row(id)).toEqual({ vision_status: 1, vision_summary: "A code editor showing invoices.js with a loadInvoice function.", vision_message: null });
    const [{ body, auth }] = requests as [{ body: any; auth?: string }];
    expect(auth).toBe("Bearer sk-test");
    expect(body.model).toBe("llava:test");
    const [text, image] = body.messages[0].content;
    expect(text.text).toMatch(/Application: Code\nWindow title: invoices\.js/);
    const m = /^data:image\/jpeg;base64,(.+)$/.exec(image.image_url.url)!;
    const meta = await sharp(Buffer.from(m[1]!, "base64")).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 640, 400]);
  });

  it("with no provider configured, skips the stage with the reason — never a made-up summary", async () => {
    const id = await frame("none");
    await run(null);
    expect(await row(id)).toEqual({ vision_status: 3, vision_summary: null, vision_message: NO_PROVIDER });
  });

  it("a refusal (400) or an empty answer fails the frame at once with the provider's words", async () => {
    handler = (_b, _q, res) => res.writeHead(400).end('{"error":"model does not support images"}');
    const refused = await frame("refused");
    await run();
    handler = answer("   ");
    const empty = await frame("empty");
    await run();
    expect(requests).toHaveLength(2);
    expect(await row(refused)).toMatchObject({ vision_status: 2, vision_message: expect.stringMatching(/answered 400 .*does not support images/) });
    expect(await row(empty)).toMatchObject({ vision_status: 2, vision_message: expect.stringMatching(/returned no description/) });
  });

  it("a wrong API key (401) fails each frame with the provider's words, without retrying", async () => {
    handler = (_b, _q, res) => res.writeHead(401).end('{"error":"invalid api key"}');
    const a = await frame("key-a");
    const b = await frame("key-b");
    await run();
    expect(requests).toHaveLength(2);
    for (const id of [a, b]) expect(await row(id)).toMatchObject({ vision_status: 2, vision_message: expect.stringMatching(/answered 401 .*invalid api key/) });
  });

  it("retries a provider that is down (503), then succeeds", async () => {
    handler = (_b, _q, res) => res.writeHead(503).end("loading model");
    const id = await frame("flaky");
    await run();
    expect(await row(id)).toMatchObject({ vision_status: 0 });
    handler = answer("A terminal.");
    await retryNow();
    await run();
    expect(await row(id)).toMatchObject({ vision_status: 1, vision_summary: "A terminal." });
  });

  it("gives up after the deployment's max attempts on timeouts and non-JSON answers, saying so", async () => {
    handler = () => {}; // never answers
    const slow = await frame("slow", { maxAttempts: 2 });
    await run();
    await retryNow();
    await run();
    expect(await row(slow)).toMatchObject({ vision_status: 2, vision_message: expect.stringMatching(/gave up after 2 attempts: .*(timeout|aborted)/i) });

    handler = (_b, _q, res) => res.writeHead(200).end("<html>proxy error</html>");
    const html = await frame("html", { maxAttempts: 1 });
    await run();
    expect(await row(html)).toMatchObject({ vision_status: 2, vision_message: expect.stringMatching(/gave up after 1 attempt: .*not JSON/) });
  });

  it("records a file that is not an image as bad input without calling the provider", async () => {
    handler = answer("should not be asked");
    const path = join(dataDir, "junk.png");
    writeFileSync(path, "junk");
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash, image_ref) values ('junk', ${randomPhash()}, ${path}) returning id`;
    await db.sql`select pgrecall.frame_ocr_done(${f!.id}, '')`;
    await run();
    expect(requests).toHaveLength(0);
    expect(await row(f!.id)).toMatchObject({ vision_status: 2, vision_message: expect.stringMatching(/is not an image/) });
  });
});
