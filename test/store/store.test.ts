import { execFileSync } from "node:child_process";
import { mkdtempSync, statSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BadImageRef, BlobStore } from "../../src/store.js";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const dir = () => mkdtempSync(join(tmpdir(), "pgrecall-store-"));

describe("BlobStore", () => {
  it("stores an image once under blobs/ab/cd/<sha256>.<ext>, owner-only, and reads it back by blob: URI", async () => {
    const store = new BlobStore(dir());
    const data = Buffer.concat([PNG_SIGNATURE, Buffer.from("pretend png bytes")]);
    const a = await store.put(data, "png");
    const b = await store.put(data, "PNG");
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, ref: a.ref, path: a.path });
    expect(a.ref).toMatch(/^blob:sha256:[0-9a-f]{64}$/);
    expect(a.path).toContain(join("blobs", a.sha256.slice(0, 2), a.sha256.slice(2, 4), `${a.sha256}.png`));
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(store.blobDir, a.sha256.slice(0, 2), a.sha256.slice(2, 4)))).toEqual([`${a.sha256}.png`]);
    expect(await store.read(a.ref)).toEqual(data);
  });

  it("reads absolute paths and file:// URIs written by other capture clients", async () => {
    const d = dir();
    const path = join(d, "shot one.png");
    const png = Buffer.concat([PNG_SIGNATURE, Buffer.from("x")]);
    writeFileSync(path, png);
    const store = new BlobStore(d);
    expect(await store.read(path)).toEqual(png);
    expect(await store.read(pathToFileURL(path).href)).toEqual(png);
  });

  it("says clearly what is wrong with a reference", async () => {
    const d = dir();
    writeFileSync(join(d, "empty.png"), "");
    const store = new BlobStore(d);
    await expect(store.read(null)).rejects.toThrow(/no image_ref/);
    await expect(store.read("relative/shot.png")).rejects.toThrow(/unsupported image_ref/);
    await expect(store.read("blob:sha256:nothex")).rejects.toThrow(/malformed blob reference/);
    await expect(store.read("blob:sha256:" + "0".repeat(64))).rejects.toThrow(/is not in the store/);
    await expect(store.read(join(d, "missing.png"))).rejects.toThrow(/cannot be read: ENOENT/);
    await expect(store.read(join(d, "empty.png"))).rejects.toThrow(/is empty \(0 bytes\)/);
    await expect(store.read(d)).rejects.toThrow(/is not a regular file/);
    writeFileSync(join(d, "notes.png"), "a text file named .png");
    await expect(store.read(join(d, "notes.png"))).rejects.toThrow(/is not an image \(no PNG, JPEG/);
  });

  it("reads paths only inside the data dir and PGRECALL_IMAGE_ROOTS: not outside, not through .. or a symlink, not a NUL", async () => {
    const d = dir();
    const shots = dir();
    const elsewhere = dir();
    writeFileSync(join(shots, "a.png"), Buffer.concat([PNG_SIGNATURE, Buffer.from("a")]));
    writeFileSync(join(elsewhere, "secret.png"), Buffer.concat([PNG_SIGNATURE, Buffer.from("s")]));
    symlinkSync(join(elsewhere, "secret.png"), join(shots, "link.png"));
    symlinkSync(elsewhere, join(shots, "linkdir"));
    const store = new BlobStore(d, [shots]);
    expect((await store.read(join(shots, "a.png"))).length).toBe(9);
    const refused = (ref: string) => store.read(ref).then(() => "read", (e: BadImageRef) => e.reason);
    expect(await refused("/etc/passwd")).toBe("outside");
    expect(await refused("file:///etc/shadow")).toBe("outside");
    expect(await refused(join(elsewhere, "secret.png"))).toBe("outside");
    expect(await refused(join(shots, "..", basename(elsewhere), "secret.png"))).toBe("outside");
    expect(await refused(join(shots, "link.png"))).toBe("outside");
    expect(await refused(join(shots, "linkdir", "secret.png"))).toBe("outside");
    expect(await refused(`${shots}-evil/a.png`)).toBe("outside"); // a sibling whose name starts like the root
    expect(await refused(join(shots, "a.png\0.txt"))).toBe("invalid");
    expect(await refused(join(shots, "none.png"))).toBe("missing");
    // the message names the ref and the fix, never the file's contents
    await expect(store.read("/etc/passwd")).rejects.toThrow(/^image_ref \/etc\/passwd is outside the image roots \(the data dir and PGRECALL_IMAGE_ROOTS\)$/);
  });
});

describe("BlobStore, when the disk refuses", () => {
  it("removes its temporary file when a write fails, and says what failed", () => {
    // A real failed write: a child process whose file size limit (ulimit -f, 1 KiB blocks) is
    // smaller than the image, so write(2) returns EFBIG; SIGXFSZ is ignored so the error is seen.
    const data = dir();
    const child = `
      process.on("SIGXFSZ", () => {});
      const { BlobStore } = await import(${JSON.stringify(new URL("../../dist/src/store.js", import.meta.url).href)});
      try { await new BlobStore(${JSON.stringify(data)}).put(Buffer.alloc(64 * 1024, 7), "png"); console.log("stored"); }
      catch (err) { console.log("failed: " + err.message); }`;
    const out = execFileSync("sh", ["-c", `ulimit -f 8; exec node --input-type=module -e '${child.replace(/'/g, "'\\''")}'`], { encoding: "utf8" });
    expect(out).toMatch(/^failed: storing a 65536-byte image in .* failed: .*(EFBIG|file too large)/i);
    const left = (readdirSync(join(data, "blobs"), { recursive: true }) as string[]).filter((f) => f.endsWith(".tmp"));
    expect(left).toEqual([]);
  });
});
