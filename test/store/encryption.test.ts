// Encryption at rest of the blob store (PGRECALL_BLOB_KEY): sealed files, dedup by the
// plaintext's hash, mixed stores, wrong or missing keys, tampering, conversion in place, and a
// key that never shows up in a message or a printout.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { BlobKey, SEALED_MAGIC, SEALED_OVERHEAD, blobKeyFrom } from "../../src/blob-crypto.js";
import { readConfig } from "../../src/config.js";
import { BadImageRef, BlobStore, blobRefOf } from "../../src/store.js";

const HEX = "4f".repeat(16) + "a1".repeat(16);
const key = new BlobKey(Buffer.from(HEX, "hex"));
const otherKey = new BlobKey(Buffer.alloc(32, 9));
const dir = () => mkdtempSync(join(tmpdir(), "pgrecall-enc-"));
const reasonOf = (p: Promise<unknown>) => p.then(() => "read", (e: BadImageRef) => `${e.reason}: ${e.message}`);
const png = await renderScreen({ width: 320, height: 200, lines: ["invoice total 4471 EUR"] });

describe("a store with a blob key", () => {
  it("writes sealed files (no image signature, none of the image's bytes) under the plaintext's hash, owner-only, once", async () => {
    const d = dir();
    const store = new BlobStore(d, [], key);
    const a = await store.put(png, "png");
    const b = await store.put(png, "png");
    expect(a.ref).toBe(blobRefOf(png)); // the same address as in a store without a key
    expect(b).toMatchObject({ created: false, path: a.path });
    expect(readdirSync(join(store.blobDir, a.sha256.slice(0, 2), a.sha256.slice(2, 4)))).toEqual([`${a.sha256}.png`]);
    const onDisk = readFileSync(a.path);
    expect(onDisk.subarray(0, 8)).toEqual(SEALED_MAGIC);
    expect(onDisk.length).toBe(png.length + SEALED_OVERHEAD);
    for (let i = 0; i + 16 <= png.length; i += 16) expect(onDisk.includes(png.subarray(i, i + 16)), `bytes ${i}…`).toBe(false);
    await expect(sharp(onDisk).metadata()).rejects.toThrow();
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    expect(await store.read(a.ref)).toEqual(png);
    // every write draws a new nonce: the same image stored twice is two different files
    const again = await new BlobStore(dir(), [], key).put(png, "png");
    expect(readFileSync(again.path).equals(onDisk)).toBe(false);
  });

  it("reads blobs written in clear (a store being converted), and checks the image signature of what it decrypts", async () => {
    const d = dir();
    const plain = await new BlobStore(d, [], null).put(png, "png");
    const store = new BlobStore(d, [], key);
    expect(await store.read(plain.ref)).toEqual(png);
    const text = await store.put(Buffer.from("a text file, sealed all the same"), "png");
    expect(await reasonOf(store.read(text.ref))).toMatch(/^invalid: image file .* is not an image \(no PNG/);
  });

  it("refuses a sealed blob without the key, or with another, saying so and never printing key material", async () => {
    const d = dir();
    const { ref, sha256 } = await new BlobStore(d, [], key).put(png, "png");
    const none = await reasonOf(new BlobStore(d, [], null).read(ref));
    expect(none).toBe(`key: blob ${sha256} is encrypted at rest (key id ${key.id}) and no PGRECALL_BLOB_KEY is set: give this process the key it was written with`);
    const other = await reasonOf(new BlobStore(d, [], otherKey).read(ref));
    expect(other).toBe(`key: blob ${sha256} is encrypted with another key (key id ${key.id}; PGRECALL_BLOB_KEY has key id ${otherKey.id})`);
    for (const m of [none, other]) expect(m.toLowerCase()).not.toContain(HEX);
  });

  it("fails authentication on any altered byte, a cut file or a file renamed to another blob, never returning bytes", async () => {
    const d = dir();
    const store = new BlobStore(d, [], key);
    const { ref, path } = await store.put(png, "png");
    const original = readFileSync(path);
    const failed = /^invalid: blob [0-9a-f]{64} failed authentication: the encrypted file was altered, damaged or renamed$/;
    for (const at of [9 /* key id */, 13 /* nonce */, 30 /* tag */, SEALED_OVERHEAD + 100, original.length - 1]) {
      const bad = Buffer.from(original);
      bad[at]! ^= 0x01;
      writeFileSync(path, bad);
      const r = await reasonOf(store.read(ref));
      if (at === 9) expect(r).toMatch(/^key: .* encrypted with another key/); // the key id names another key
      else expect(r, `byte ${at}`).toMatch(failed);
    }
    writeFileSync(path, original.subarray(0, 30));
    expect(await reasonOf(store.read(ref))).toMatch(/^invalid: blob .* is an encrypted blob cut short \(30 bytes/);
    writeFileSync(path, original);
    expect(await store.read(ref)).toEqual(png);
    const other = await store.put(await renderScreen({ width: 320, height: 200, theme: "dark" }), "png");
    renameSync(path, other.path); // the other blob's name, this blob's (valid) ciphertext
    expect(await reasonOf(store.read(other.ref))).toMatch(failed);
  });

  it("converts in place both ways, idempotently, leaving damaged plaintext alone and no temporary file", async () => {
    const d = dir();
    const clear = new BlobStore(d, [], null);
    const refs = await Promise.all([png, await renderScreen({ width: 320, height: 200, theme: "dark" })].map((x) => clear.put(x, "png")));
    const damaged = await clear.put(Buffer.concat([png.subarray(0, 64), Buffer.from("soon damaged")]), "png");
    writeFileSync(damaged.path, Buffer.concat([png.subarray(0, 64), Buffer.from("now damaged!")]));
    const store = new BlobStore(d, [], key);
    const pass = async (to: "encrypt" | "decrypt", s = store) => {
      const out: string[] = [];
      for await (const f of s.files()) out.push(await s.convert(f, to));
      return out.sort().join(" ");
    };
    expect(await pass("encrypt")).toBe("corrupt done done");
    expect(await pass("encrypt")).toBe("already already corrupt");
    for (const r of refs) expect(readFileSync(r.path).subarray(0, 8)).toEqual(SEALED_MAGIC);
    for (const r of refs) expect(statSync(r.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(damaged.path).subarray(0, 8)).not.toEqual(SEALED_MAGIC);
    expect((await store.read(refs[1]!.ref)).equals(await clear.read(refs[1]!.ref).catch(() => Buffer.alloc(0)))).toBe(false); // clear cannot, store can
    await expect(new BlobStore(d, [], otherKey).convert({ sha256: refs[0]!.sha256, path: refs[0]!.path }, "encrypt")).rejects.toThrow(/encrypted with another key/);
    expect(await pass("decrypt")).toBe("already done done");
    for (const r of refs) expect(await clear.read(r.ref)).toEqual(await store.read(r.ref));
    expect((readdirSync(store.blobDir, { recursive: true }) as string[]).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(await store.convert({ sha256: "0".repeat(64), path: join(d, "blobs", "00", "00", "0".repeat(64) + ".png") }, "encrypt")).toBe("gone");
  });
});

describe("the blob key setting", () => {
  const b64 = Buffer.from(HEX, "hex").toString("base64");
  it("takes 64 hex digits, base64 or base64url of 32 bytes, inline or from a file", () => {
    expect(blobKeyFrom({ PGRECALL_BLOB_KEY: HEX })!.id).toBe(key.id);
    expect(blobKeyFrom({ PGRECALL_BLOB_KEY: HEX.toUpperCase() })!.id).toBe(key.id);
    expect(blobKeyFrom({ PGRECALL_BLOB_KEY: b64 })!.id).toBe(key.id);
    expect(blobKeyFrom({ PGRECALL_BLOB_KEY: Buffer.from(HEX, "hex").toString("base64url") })!.id).toBe(key.id);
    const file = join(dir(), "blob.key");
    writeFileSync(file, HEX + "\n", { mode: 0o600 });
    expect(blobKeyFrom({ PGRECALL_BLOB_KEY_FILE: file })!.id).toBe(key.id);
    expect(blobKeyFrom({})).toBeNull();
    expect(readConfig({}).blobKey).toBeNull();
  });

  it("refuses anything else with the reason and the length, never the value", () => {
    const refused = (env: NodeJS.ProcessEnv) => {
      try {
        blobKeyFrom(env);
        return "accepted";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(refused({ PGRECALL_BLOB_KEY: HEX.slice(2) })).toBe(
      "PGRECALL_BLOB_KEY is not a blob key (it holds 62 hex digits): it must be 32 random bytes written as 64 hex digits or as base64 (44 characters), e.g. the output of `openssl rand -hex 32`.",
    );
    expect(refused({ PGRECALL_BLOB_KEY: "correct horse battery staple" })).toMatch(/^PGRECALL_BLOB_KEY is not a blob key \(it holds 28 characters\)/);
    expect(refused({ PGRECALL_BLOB_KEY: b64.slice(0, 40) })).toMatch(/it holds 40 characters/);
    expect(refused({ PGRECALL_BLOB_KEY: HEX, PGRECALL_BLOB_KEY_FILE: "/x" })).toBe("PGRECALL_BLOB_KEY and PGRECALL_BLOB_KEY_FILE are both set: set one of them.");
    expect(refused({ PGRECALL_BLOB_KEY_FILE: "/nowhere/blob.key" })).toMatch(/^PGRECALL_BLOB_KEY_FILE \/nowhere\/blob.key cannot be read \(ENOENT\)/);
    const file = join(dir(), "short.key");
    writeFileSync(file, "0123abcd");
    chmodSync(file, 0o600);
    const m = refused({ PGRECALL_BLOB_KEY_FILE: file });
    expect(m).toMatch(/is not a blob key \(it holds 8 hex digits\)/);
    expect(m).not.toContain("0123abcd");
  });

  it("prints as its id only: inspected, serialised or interpolated", () => {
    const k = readConfig({ PGRECALL_BLOB_KEY: HEX }).blobKey!;
    for (const shown of [inspect(k, { showHidden: true, depth: 5 }), JSON.stringify({ k }), `${k}`, inspect(new BlobStore(dir(), [], k), { depth: 5 })]) {
      expect(shown).toContain(k.id);
      expect(shown.toLowerCase()).not.toContain(HEX);
      expect(shown).not.toContain(b64);
    }
  });
});
