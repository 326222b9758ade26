// Encryption at rest end to end: `pgrecall ingest` with PGRECALL_BLOB_KEY, `pgrecall blobs
// encrypt|decrypt` on a mixed store, the real worker OCRing sealed blobs, `pgrecall serve`
// streaming them decrypted, and a wrong key or an altered file failing on the frame, clearly.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { BlobKey, blobKeyFrom, SEALED_MAGIC } from "../../src/blob-crypto.js";
import { readConfig } from "../../src/config.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { startWorker } from "../../src/worker.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-blobs-"));
const dataDir = join(root, "data");
const K = randomBytes(32).toString("hex");
const K2 = randomBytes(32).toString("base64");
const keyId = new BlobKey(Buffer.from(K, "hex")).id;

const cli = (args: string[], key: string) =>
  run("node", ["bin/pgrecall.js", ...args], { env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_BLOB_KEY: key, PGRECALL_BLOB_KEY_FILE: "" } })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

/** Every file of the image store, by its blob's sha256. */
const blobFiles = () =>
  Object.fromEntries(
    (readdirSync(join(dataDir, "blobs"), { recursive: true }) as string[])
      .filter((f) => /[0-9a-f]{64}\.png$/.test(f))
      .map((f) => [f.slice(-68, -4), readFileSync(join(dataDir, "blobs", f))]),
  );
const shaOf = async (id: string) => ((await db.sql`select image_ref from pgrecall.frames where id = ${id}`)[0]!.image_ref as string).slice("blob:sha256:".length);

const png: Record<string, Buffer> = {};
const ids: Record<string, string> = {};

async function ingest(name: string, deployment: string, key: string, at = "2026-11-20T10:00:00Z"): Promise<string> {
  const r = await cli(["ingest", join(root, `${name}.png`), "--deployment", deployment, "--captured-at", at, "--json"], key);
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout).frame_id as string;
}

beforeAll(async () => {
  mkdirSync(dataDir);
  const screens = { sealed: {}, clear: { theme: "dark", scroll: 8 }, altered: { scroll: 16 }, other: { theme: "dark", scroll: 24 } } as const;
  for (const [name, spec] of Object.entries(screens)) writeFileSync(join(root, `${name}.png`), (png[name] = await renderScreen({ width: 800, height: 500, ...spec })));
  ids.sealed = await ingest("sealed", "enc", K);
  ids.again = await ingest("sealed", "enc", K, "2026-11-20T10:00:05Z"); // the same bytes, five seconds on
  ids.clear = await ingest("clear", "clear", ""); // written before the key was set
  ids.altered = await ingest("altered", "altered", K);
  ids.other = await ingest("other", "other", K2);
}, 120_000);

describe("pgrecall ingest with PGRECALL_BLOB_KEY", () => {
  it("writes sealed files, one per distinct image, under the same blob: references as without a key", async () => {
    const files = blobFiles();
    expect(Object.keys(files)).toHaveLength(4);
    expect(await shaOf(ids.again!)).toBe(await shaOf(ids.sealed!));
    for (const name of ["sealed", "altered", "other"]) {
      const f = files[await shaOf(ids[name]!)]!;
      expect(f.subarray(0, 8), name).toEqual(SEALED_MAGIC);
      expect(f.includes(png[name]!.subarray(0, 8)), name).toBe(false); // no PNG signature anywhere
      expect(f.includes(png[name]!.subarray(100, 132)), name).toBe(false);
    }
    expect(files[await shaOf(ids.clear!)]).toEqual(png.clear);
  });
});

describe("pgrecall blobs encrypt", () => {
  it("encrypts what is in clear, skips what its key sealed (by the header: a resumed run reads little), names what another key sealed, and is idempotent", async () => {
    const sha = { altered: await shaOf(ids.altered!), other: await shaOf(ids.other!) };
    const path = join(dataDir, "blobs", sha.altered.slice(0, 2), sha.altered.slice(2, 4), `${sha.altered}.png`);
    const bytes = readFileSync(path);
    bytes[bytes.length - 200]! ^= 0x40; // one bit of the ciphertext
    writeFileSync(path, bytes);

    const first = await cli(["blobs", "encrypt"], K);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(new RegExp(`^pgrecall: 1 blobs encrypted, 2 already encrypted, 0 removed meanwhile, 1 could not be opened with key ${keyId} \\(listed above\\)`));
    expect(first.stderr.trim()).toBe(`blob ${sha.other}: blob ${sha.other} is encrypted with another key (key id ${new BlobKey(Buffer.from(K2, "base64")).id}; PGRECALL_BLOB_KEY has key id ${keyId})`);
    for (const out of [first.stdout, first.stderr]) expect(out).not.toContain(K);
    for (const f of Object.values(blobFiles())) expect(f.subarray(0, 8)).toEqual(SEALED_MAGIC);

    const second = await cli(["blobs", "encrypt", "--json"], K);
    expect(JSON.parse(second.stdout.trim().split("\n").at(-1)!)).toEqual({ encrypted: 0, already: 3, damaged: 0, removed_meanwhile: 0, failed: 1, key_id: keyId });
    const none = await cli(["blobs", "encrypt"], "");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^pgrecall: pgrecall blobs encrypt needs the blob key: set PGRECALL_BLOB_KEY/);
  });
});

describe("the worker and the server on a sealed store", () => {
  let server: RunningServer | undefined;
  let keyless: RunningServer | undefined;
  const get = async (s: RunningServer, id: string, method = "GET") => {
    const res = await fetch(`http://127.0.0.1:${s.port}/frames/${id}/image`, { method, headers: { authorization: "Bearer t0ken" } });
    const type = res.headers.get("content-type") ?? "";
    return { status: res.status, type, length: res.headers.get("content-length"), body: type.startsWith("application/json") ? await res.json() : Buffer.from(await res.arrayBuffer()) } as { status: number; type: string; length: string | null; body: any };
  };
  const start = (key: string) => {
    process.env.PGRECALL_BLOB_KEY = key; // the store reads the configured key when it is made
    const config = readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir });
    return serve({ ...config, host: "127.0.0.1", port: 0, token: "t0ken" });
  };
  afterAll(async () => {
    await server?.close();
    await keyless?.close();
    delete process.env.PGRECALL_BLOB_KEY;
  });

  it("OCRs sealed blobs; an altered file or another key fails the frame's stage with the reason", async () => {
    process.env.PGRECALL_BLOB_KEY = K;
    const { embedding } = readConfig({});
    await startWorker({ databaseUrl: db.url, dataDir, embedding, vision: null, concurrency: 2, once: true, only: ["hash", "ocr"] });
    const rows = await db.sql`select id, ocr_status, ocr_text, ocr_message, duplicate_of from pgrecall.frames`;
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by[ids.sealed!]).toMatchObject({ ocr_status: 1, ocr_text: expect.stringContaining("loadInvoice") });
    expect(by[ids.again!]).toMatchObject({ ocr_status: 3, duplicate_of: ids.sealed });
    expect(by[ids.clear!]).toMatchObject({ ocr_status: 1, ocr_text: expect.stringContaining("sendReminder") });
    expect(by[ids.altered!]!.ocr_status).toBe(2);
    expect(by[ids.altered!]!.ocr_message).toMatch(/^blob [0-9a-f]{64} failed authentication: the encrypted file was altered, damaged or renamed$/);
    expect(by[ids.other!]!.ocr_status).toBe(2);
    expect(by[ids.other!]!.ocr_message).toMatch(new RegExp(`^blob [0-9a-f]{64} is encrypted with another key \\(key id [0-9a-f]{8}; PGRECALL_BLOB_KEY has key id ${keyId}\\)$`));
    const dump = JSON.stringify(rows).toLowerCase();
    expect(dump).not.toContain(K);
    expect(dump).not.toContain(Buffer.from(K2, "base64").toString("hex"));
  }, 120_000);

  it("streams the decrypted image; 404 for an altered file, 500 with the reason when the key is wrong or missing", async () => {
    server = await start(K);
    const ok = await get(server, ids.sealed!);
    expect(ok).toMatchObject({ status: 200, type: "image/png", length: String(png.sealed!.length) });
    expect(ok.body.equals(png.sealed)).toBe(true);
    expect(await get(server, ids.sealed!, "HEAD")).toMatchObject({ status: 200, length: String(png.sealed!.length) });
    expect((await get(server, ids.clear!)).body.equals(png.clear)).toBe(true);
    const altered = await get(server, ids.altered!);
    expect(altered.status).toBe(404);
    expect(altered.body.error).toMatch(new RegExp(`^frame ${ids.altered} has no readable image: blob [0-9a-f]{64} failed authentication`));
    const other = await get(server, ids.other!);
    expect(other.status).toBe(500);
    expect(other.body.error).toMatch(/has no readable image: blob [0-9a-f]{64} is encrypted with another key/);
    keyless = await start("");
    const locked = await get(keyless, ids.sealed!);
    expect(locked.status).toBe(500);
    expect(locked.body.error).toMatch(new RegExp(`is encrypted at rest \\(key id ${keyId}\\) and no PGRECALL_BLOB_KEY is set`));
  });
});

describe("pgrecall blobs decrypt", () => {
  it("writes what its key opens back in clear, byte for byte; an altered file fails authentication and stays as it is", async () => {
    const r = await cli(["blobs", "decrypt"], K);
    expect(r.stdout).toMatch(/^pgrecall: 2 blobs decrypted, 0 already in clear, 0 removed meanwhile, 2 could not be opened/);
    const altered = await shaOf(ids.altered!);
    expect(r.stderr).toContain(`blob ${altered}: blob ${altered} failed authentication: the encrypted file was altered, damaged or renamed`);
    expect(blobFiles()[altered]!.subarray(0, 8)).toEqual(SEALED_MAGIC);
    const files = blobFiles();
    expect(files[await shaOf(ids.sealed!)]).toEqual(png.sealed);
    expect(files[await shaOf(ids.clear!)]).toEqual(png.clear);
    expect(files[await shaOf(ids.other!)]!.subarray(0, 8)).toEqual(SEALED_MAGIC);
  });
});

describe("pgrecall blobs key", () => {
  it("writes a new key to a new owner-only file that PGRECALL_BLOB_KEY_FILE reads, and never overwrites one", async () => {
    const file = join(root, "blob.key");
    const made = await cli(["blobs", "key", "--file", file], "");
    expect(made.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(made.stdout).not.toContain(text.trim());
    expect(blobKeyFrom({ PGRECALL_BLOB_KEY_FILE: file })!.id).toBe(new BlobKey(Buffer.from(text.trim(), "hex")).id);
    const again = await cli(["blobs", "key", "--file", file], "");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists already: a key file is never overwritten/);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
