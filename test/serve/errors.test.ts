// `pgrecall serve` on hostile and broken input: every refusal is a 4xx with the reason, and
// every response that started ends (a body that cannot be finished cuts the connection).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { connect as tcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { useTestDatabase } from "../helpers/db.js";
import { addFrame } from "../helpers/frames.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-serve-errors-"));
const files = mkdtempSync(join(tmpdir(), "pgrecall-serve-files-"));
writeFileSync(join(files, "empty.png"), "");
execFileSync("mkfifo", [join(files, "fifo.png")]);
symlinkSync(join(files, "loop.png"), join(files, "loop.png"));
/** A character device inside the roots (/dev/zero's numbers) where this user may make one. */
const madeDevice = (() => {
  try {
    execFileSync("mknod", [join(files, "zero.png"), "c", "1", "5"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
let server: RunningServer;
let base: string;

/** A bounded wait: a response that never ends fails the test instead of hanging it. */
const ANSWER_MS = 10_000;

const get = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(base + path, { ...init, signal: AbortSignal.timeout(ANSWER_MS) });
  const type = res.headers.get("content-type") ?? "";
  const body = type.startsWith("application/json") && init.method !== "HEAD" ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body } as { status: number; headers: Headers; body: any };
};

/** Sends bytes as they are (no client library to fix them up) and returns all the server sent before it closed. */
function raw(request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcp(server.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not answer and close within ${ANSWER_MS} ms; got ${Buffer.concat(chunks).toString("latin1")}`));
    }, ANSWER_MS);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
    socket.write(request);
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4)) as { error: string };

/** A frame whose image_ref is `ref`; returns its id. */
async function frameWithRef(ref: string): Promise<string> {
  const id = await addFrame(db.sql, { app: "Files", window: ref.slice(0, 60), text: "image ref probe" });
  await db.sql`update pgrecall.frames set image_ref = ${ref} where id = ${id}`;
  return id;
}

beforeAll(async () => {
  const config = readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_IMAGE_ROOTS: files });
  server = await serve({ ...config, imageRoots: config.imageRoots, host: "127.0.0.1", port: 0, token: "s3cret" });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  for (const dir of [dataDir, files]) rmSync(dir, { recursive: true, force: true });
});

const auth = { headers: { authorization: "Bearer s3cret" } };

describe("an image_ref that is not a readable image file: 404 with the reason, and the response ends", () => {
  it.each([
    ["a directory", () => files, /is a directory/],
    ["a file:// URI with a NUL byte", () => `file://${files}/a%00b.png`, /null bytes/],
    ["a malformed file:// URI", () => `file://${files}/%zz.png`, /malformed file URI/],
    ["a file:// URI on another host", () => "file://elsewhere/x.png", /malformed file URI/],
    ["a missing file", () => join(files, "missing.png"), /no such file/],
    ["a path below a file", () => join(files, "empty.png", "x.png"), /not a directory/],
    ["an empty file", () => join(files, "empty.png"), /is empty \(0 bytes\)/],
    ["a FIFO (opening one waits for a writer)", () => join(files, "fifo.png"), /is not a regular file/],
    ["a loop of symbolic links", () => join(files, "loop.png"), /ELOOP/],
    ["a file outside the image roots", () => "/etc/hostname", /outside the image roots/],
    ["a relative path", () => "images/x.png", /unsupported image_ref/],
    ["a malformed blob reference", () => "blob:sha256:xyz", /malformed blob reference/],
  ])("%s", async (_what, ref, reason) => {
    const id = await frameWithRef(ref());
    const r = await get(`/frames/${id}/image`, auth);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/has no readable image/);
    expect(r.body.error).toMatch(reason);
  });

  it.skipIf(!madeDevice)("a character device", async () => {
    const r = await get(`/frames/${await frameWithRef(join(files, "zero.png"))}/image`, auth);
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/is not a regular file/);
  });

  it("a hundred directory requests in a row each end, on one kept-alive connection or many", async () => {
    const id = await frameWithRef(files);
    const answers = await Promise.all(Array.from({ length: 100 }, () => get(`/frames/${id}/image`, auth)));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(404));
  });

  it("HEAD says the type and length and sends no body", async () => {
    writeFileSync(join(files, "pixel.png"), Buffer.from("\x89PNG\r\n\x1a\nnot really", "latin1"));
    const id = await frameWithRef(join(files, "pixel.png"));
    const r = await get(`/frames/${id}/image`, { ...auth, method: "HEAD" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("image/png");
    expect(r.headers.get("content-length")).toBe("18");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect((r.body as Buffer).length).toBe(0);
  });

  it("a file that shrinks while it is sent: the connection is cut, never left waiting for the rest", async () => {
    const path = join(files, "big.png");
    const size = 64 * 1024 * 1024; // far more than socket buffers hold, so most is read after the cut
    writeFileSync(path, Buffer.alloc(size, 7));
    const id = await frameWithRef(path);
    const res = await fetch(`${base}/frames/${id}/image`, { ...auth, signal: AbortSignal.timeout(ANSWER_MS) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(size));
    const reader = res.body!.getReader();
    await reader.read();
    truncateSync(path, 1024 * 1024);
    let received = 0;
    const outcome = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return "ended";
        received += value.length;
      }
    })().catch((err: Error) => err);
    expect(outcome).toBeInstanceOf(Error);
    expect(String((outcome as Error).name)).not.toBe("TimeoutError");
    expect(received).toBeLessThan(size);
  });
});

describe("malformed request targets: 400 with the reason", () => {
  it.each([
    ["/frames/%", /malformed percent-encoding in the path segment "%"/],
    ["/frames/%zz/image", /malformed percent-encoding/],
    ["/frames/%E0%A4%A", /malformed percent-encoding/],
    ["/frames/%C0%AF", /malformed percent-encoding/], // an overlong "/", not UTF-8
    ["/search%", /malformed percent-encoding/],
    ["/search?q=100%", /malformed percent-encoding in the value of "q"/],
    ["/search?q=%FF", /malformed percent-encoding in the value of "q"/],
    ["/search?%zz=1", /malformed percent-encoding in a parameter name/],
    ["/health?x=%", /malformed percent-encoding/],
    ["/search?q=%00", /q must not contain a NUL character/],
    ["/frames/%00", /frame id must be a UUID/],
    ["/frames/00000000-0000-0000-0000-000000000000%2Fimage", /frame id must be a UUID/],
    ["/frames/00000000-0000-0000-0000-000000000000?size=big", /\/frames\/:id takes no parameters \(got "size"\)/],
    ["/frames/00000000-0000-0000-0000-000000000000/image?v=2", /\/frames\/:id\/image takes no parameters/],
  ])("%s", async (path, reason) => {
    const r = await get(path, auth);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(reason);
  });

  it("/health with a parameter is refused, and stays open without a token", async () => {
    const r = await get("/health?verbose=1");
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/\/health takes no parameters/);
  });

  it("a raw non-ASCII byte in the target", async () => {
    const r = await raw(Buffer.concat([Buffer.from("GET /search?q="), Buffer.from([0xc3, 0xa9]), Buffer.from(" HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer s3cret\r\nconnection: close\r\n\r\n")]));
    expect(statusOf(r)).toBe(400);
    expect(bodyOf(r).error).toMatch(/percent-encode|malformed HTTP request/);
  });

  it("a request line and headers over 16 KiB: 431 with the reason", async () => {
    const r = await raw(`GET /frames/${"a".repeat(20_000)} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
    expect(statusOf(r)).toBe(431);
    expect(bodyOf(r).error).toMatch(/over 16 KiB/);
  });

  it("a long path under the limit is a 404 whose message quotes only its start", async () => {
    const r = await get(`/${"a".repeat(12_000)}`, auth);
    expect(r.status).toBe(404);
    expect(r.body.error.length).toBeLessThan(400);
  });

  it("bytes that are not HTTP: 400 with the reason, and the connection closes", async () => {
    const r = await raw("HELLO THERE\r\n\r\n");
    expect(statusOf(r)).toBe(400);
    expect(bodyOf(r).error).toMatch(/malformed HTTP request/);
  });

  it("absolute-form targets are served like paths", async () => {
    const r = await raw(`GET http://127.0.0.1:${server.port}/health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
    expect(statusOf(r)).toBe(200);
  });

  it("other methods: 405 with Allow", async () => {
    const r = await get("/search?q=x", { ...auth, method: "POST", body: "x" });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("GET, HEAD");
  });

  it("after all of that the server still answers", async () => {
    const r = await get("/search?q=probe&mode=fts", auth);
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeGreaterThan(0);
  });
});
