// Content-addressed image store (seeds 003/004): each image is kept once, under
// <dataDir>/blobs/ab/cd/<sha256>.<ext>, and frames refer to it as blob:sha256:<hex>, so the
// data directory can move. Third-party capture clients may instead write an absolute path
// or a file:// URI into image_ref; read() accepts all three.
//
// With a blob key (PGRECALL_BLOB_KEY), blobs are written sealed (src/blob-crypto.ts) under the
// same name, the sha256 of their plaintext, so identical screens still share one file; reads
// open sealed and plaintext blobs alike, so a store can be converted while it is in use.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, realpath, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve as resolvePath, sep } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { BlobCryptoError, isSealed, noKeyError, SEALED_OVERHEAD, type BlobKey } from "./blob-crypto.js";
import { readConfig } from "./config.js";

export const BLOB_PREFIX = "blob:sha256:";

/** The image files pgrecall takes in (ingest) and serves (with this Content-Type), by extension. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif",
  ".tif": "image/tiff", ".tiff": "image/tiff", ".avif": "image/avif", ".heic": "image/heic",
};

export class BadImageRef extends Error {
  /**
   * Why, in one word: "missing" (nothing there), "outside" (not in an allowed root), "invalid" (malformed,
   * not an image, an encrypted blob that fails authentication), "key" (an encrypted blob this process has
   * no key for, or another key: the file may be fine, the configuration is not).
   */
  constructor(message: string, readonly reason: "missing" | "outside" | "invalid" | "key" = "invalid", options?: ErrorOptions) {
    super(message, options);
  }
}

/** The first bytes of each image format pgrecall reads: anything else is refused before decoding or serving. */
function hasImageSignature(head: Buffer): boolean {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString("latin1");
  return (
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) || // PNG
    (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) || // JPEG
    ascii(0, 4) === "GIF8" ||
    (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") ||
    ascii(0, 4) === "II*\0" || ascii(0, 4) === "MM\0*" || // TIFF
    (ascii(4, 8) === "ftyp" && /^(avi[fs]|hei[cxms]|mif1|msf1)$/.test(ascii(8, 12))) // AVIF, HEIC
  );
}

/** The sha256 a blob: reference names, or null for a path or file:// URI (resolve() judges its form). */
function blobHex(ref: string | null): string | null {
  return ref?.startsWith(BLOB_PREFIX) ? ref.slice(BLOB_PREFIX.length) : null;
}

/** `data`, if it begins with an image format's signature (checked on the plaintext of a sealed blob). */
function checkedImage(data: Buffer, where: string): Buffer {
  if (!hasImageSignature(data.subarray(0, 16))) throw new BadImageRef(`image file ${where} is not an image (no PNG, JPEG, WebP, GIF, TIFF, AVIF or HEIC signature)`);
  return data;
}

/** The blob: reference `data` has (or would have) in any store: its content address. */
export function blobRefOf(data: Buffer): string {
  return BLOB_PREFIX + createHash("sha256").update(data).digest("hex");
}

/** A blob file of the store, as files() finds it. */
export interface BlobFile {
  sha256: string;
  path: string;
}

export class BlobStore {
  readonly blobDir: string;

  /** Where an image_ref that is a path may point: the data dir and the operator's PGRECALL_IMAGE_ROOTS. */
  readonly roots: readonly string[];

  /** The key new blobs are sealed with and sealed blobs opened with; null: blobs are written in clear. */
  readonly key: BlobKey | null;

  /** `key` defaults to the configured one (PGRECALL_BLOB_KEY / PGRECALL_BLOB_KEY_FILE); null: none. */
  constructor(readonly dataDir: string, imageRoots: readonly string[] = [], key?: BlobKey | null) {
    this.blobDir = join(dataDir, "blobs");
    this.roots = [dataDir, ...imageRoots].map((r) => resolvePath(r));
    this.key = key === undefined ? readConfig().blobKey : key;
  }

  private shardDir(hex: string): string {
    return join(this.blobDir, hex.slice(0, 2), hex.slice(2, 4));
  }

  /** Stores `data` once; returns its blob: URI and whether it was new. */
  async put(data: Buffer, ext: string): Promise<{ ref: string; sha256: string; created: boolean; path: string }> {
    const sha256 = createHash("sha256").update(data).digest("hex");
    const dir = this.shardDir(sha256);
    const safeExt = ext.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8) || "bin";
    const path = join(dir, `${sha256}.${safeExt}`);
    const existing = await this.find(sha256);
    if (existing) return { ref: BLOB_PREFIX + sha256, sha256, created: false, path: existing };
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      // Sealed in memory: with a key, no plaintext byte is written, not even to the temporary file.
      await this.writeAtomically(path, this.key ? this.key.seal(data, sha256) : [data]);
    } catch (err) {
      throw new Error(`storing a ${data.length}-byte image in ${this.blobDir} failed: ${(err as Error).message}`, { cause: err });
    }
    return { ref: BLOB_PREFIX + sha256, sha256, created: true, path };
  }

  /**
   * Writes `chunks` as `path`: to a temporary name beside it (owner-only), fsynced, renamed over
   * it. A reader never sees half a file; a crash leaves the old file or the new one (both readable:
   * a conversion simply runs again), and at most a .tmp file, which a failed write (a full disk, a
   * file size limit) removes.
   * `unless`: called just before the rename; true stops it (the file changed under a conversion).
   */
  private async writeAtomically(path: string, chunks: Buffer[], unless?: () => Promise<boolean>): Promise<boolean> {
    const dir = dirname(path);
    const tmp = join(dir, `.${path.slice(dir.length + 1, dir.length + 65)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      const fh = await open(tmp, "wx", 0o600);
      try {
        for (const chunk of chunks) await fh.writeFile(chunk); // writev(2) may stop short without an error
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (unless && (await unless())) {
        await rm(tmp, { force: true });
        return false;
      }
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return true;
  }

  /** Every shard folder of the store (blobs/ab/cd) with the names in it, in order. */
  async *shards(): AsyncGenerator<{ dir: string; prefix: string; names: string[] }> {
    const names = async (dir: string) => (await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? [] : Promise.reject(err)))).sort();
    for (const a of (await names(this.blobDir)).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
      for (const b of (await names(join(this.blobDir, a))).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
        const dir = join(this.blobDir, a, b);
        yield { dir, prefix: a + b, names: await names(dir) };
      }
    }
  }

  /** Every blob file in the store (names of the form ab/cd/<sha256>.<ext>), shard by shard. */
  async *files(): AsyncGenerator<BlobFile> {
    for await (const { dir, prefix, names } of this.shards()) {
      for (const name of names) {
        const m = /^([0-9a-f]{64})\.[a-z0-9]{1,8}$/.exec(name);
        if (m && m[1]!.startsWith(prefix)) yield { sha256: m[1]!, path: join(dir, name) };
      }
    }
  }

  /**
   * Rewrites one blob file sealed with the store's key ("encrypt") or in clear ("decrypt"), in place
   * and crash-safe. Returns what it found: "done" (converted), "already" (nothing to do: judged by
   * the header alone, so a run that resumes reads little), "corrupt" (a plaintext whose sha256 is
   * not its name: left alone), "gone" (removed meanwhile). A sealed file another key wrote, or one
   * that fails authentication when decrypted, is a BadImageRef ("key", "invalid").
   */
  async convert(file: BlobFile, to: "encrypt" | "decrypt"): Promise<"done" | "already" | "corrupt" | "gone"> {
    const key = this.key;
    if (!key) throw new Error(`converting blobs needs the blob key: set PGRECALL_BLOB_KEY or PGRECALL_BLOB_KEY_FILE`);
    let fh: FileHandle;
    try {
      fh = await open(file.path, "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return "gone";
      throw err;
    }
    let before, data: Buffer;
    try {
      before = await fh.stat();
      const head = Buffer.alloc(SEALED_OVERHEAD);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      const sealed = isSealed(head.subarray(0, bytesRead));
      if (sealed && to === "encrypt") {
        this.unsealing(() => key.checkOwner(head.subarray(0, bytesRead), `blob ${file.sha256}`));
        return "already";
      }
      if (!sealed && to === "decrypt") return "already";
      data = await fh.readFile();
    } finally {
      await fh.close();
    }
    let chunks: Buffer[];
    if (to === "encrypt") {
      if (createHash("sha256").update(data).digest("hex") !== file.sha256) return "corrupt";
      chunks = key.seal(data, file.sha256);
    } else {
      chunks = [this.unseal(data, file.sha256)];
    }
    // A blob removed meanwhile (a redacted original) must not come back: the rename happens only
    // while the file is still the one read.
    const changed = async () => {
      const now = await stat(file.path).catch(() => null);
      return !now || now.ino !== before.ino || now.dev !== before.dev || now.mtimeMs !== before.mtimeMs;
    };
    return (await this.writeAtomically(file.path, chunks, changed)) ? "done" : "gone";
  }

  /** The plaintext of a sealed blob, or a BadImageRef saying why it cannot be had (never the key). */
  private unseal(sealed: Buffer, sha256: string): Buffer {
    return this.unsealing(() => {
      if (!this.key) throw noKeyError(sealed, `blob ${sha256}`);
      return this.key.open(sealed, sha256);
    });
  }

  /** `fn`'s result, its BlobCryptoError turned into a BadImageRef with the matching reason. */
  private unsealing<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof BlobCryptoError) throw new BadImageRef(err.message, err.reason === "key" ? "key" : "invalid", { cause: err });
      throw err;
    }
  }

  /**
   * Deletes the file an image_ref names (a blob, or a file inside an image root; nothing outside
   * them is ever touched). Used when no frame refers to it any more: an image that showed a secret.
   */
  async remove(ref: string): Promise<void> {
    let path: string;
    try {
      path = await this.resolve(ref);
    } catch (err) {
      if (err instanceof BadImageRef && err.reason === "missing") return; // gone already
      throw err;
    }
    await rm(path, { force: true });
  }

  /** The file holding blob `sha256`, whatever its extension, or null. */
  async find(sha256: string): Promise<string | null> {
    const dir = this.shardDir(sha256);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    const name = names.find((n) => n.startsWith(sha256 + "."));
    return name ? join(dir, name) : null;
  }

  /** The absolute path an image_ref points at. */
  async resolve(ref: string | null): Promise<string> {
    if (!ref) throw new BadImageRef("the frame has no image_ref");
    if (ref.includes("\0")) throw new BadImageRef("image_ref contains a NUL character");
    if (ref.startsWith(BLOB_PREFIX)) {
      const hex = ref.slice(BLOB_PREFIX.length);
      if (!/^[0-9a-f]{64}$/.test(hex)) throw new BadImageRef(`malformed blob reference "${ref.slice(0, 200)}"`);
      const path = await this.find(hex);
      if (!path) throw new BadImageRef(`blob ${hex} is not in the store at ${this.blobDir}`, "missing");
      return path;
    }
    let path: string;
    if (ref.startsWith("file://")) {
      try {
        path = fileURLToPath(ref);
      } catch (cause) {
        throw new BadImageRef(`malformed file URI "${ref.slice(0, 200)}"`, "invalid", { cause });
      }
    } else if (isAbsolute(ref)) {
      path = ref;
    } else {
      throw new BadImageRef(`unsupported image_ref "${ref.slice(0, 200)}": use an absolute path, a file:// URI or a blob:sha256: reference`);
    }
    // First by name (nothing is looked up outside a root), then by what the path really is (symlinks).
    const outside = () =>
      new BadImageRef(`image_ref ${path.slice(0, 300)} is outside the image roots (the data dir and PGRECALL_IMAGE_ROOTS)`, "outside");
    if (!this.inRoots(resolvePath(path), this.roots)) throw outside();
    let real: string;
    try {
      real = await realpath(path);
    } catch (cause) {
      throw new BadImageRef(`image file ${path} cannot be read: ${(cause as Error).message}`, "missing", { cause });
    }
    const realRoots = await Promise.all(this.roots.map((r) => realpath(r).catch(() => r)));
    if (!this.inRoots(real, realRoots)) throw outside();
    return real;
  }

  private inRoots(path: string, roots: readonly string[]): boolean {
    return roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
  }


  /**
   * The image bytes of a frame: from the blob store (decrypted and authenticated when sealed), or
   * a path inside an allowed root (never outside one, through `..` or a symlink), a regular file
   * with an image format's signature. Anything else is a BadImageRef saying why.
   */
  async read(ref: string | null): Promise<Buffer> {
    const path = await this.resolve(ref);
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new BadImageRef(`image file ${path} cannot be read: ${(cause as Error).message}`, "missing", { cause });
    }
    if (!info.isFile()) throw new BadImageRef(`image_ref ${path} is not a regular file`);
    if (info.size === 0) throw new BadImageRef(`image file ${path} is empty (0 bytes)`);
    const data = await readFile(path);
    const hex = blobHex(ref);
    return checkedImage(hex && isSealed(data) ? this.unseal(data, hex) : data, path);
  }

  /**
   * What to send for an image file the server has opened (`fh`, `size` bytes, image_ref `ref`):
   * the file as it is, streamed, or, for a sealed blob, its plaintext, decrypted and authenticated
   * whole in memory before anything is sent (images are a few MB; streaming would send bytes
   * before GCM's tag is checked). On a failure `fh` is closed and a BadImageRef says why.
   */
  async servable(ref: string | null, fh: FileHandle, size: number): Promise<{ size: number; stream: () => Readable }> {
    const hex = blobHex(ref);
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = hex ? await fh.read(head, 0, head.length, 0) : { bytesRead: 0 };
      if (!hex || !isSealed(head.subarray(0, bytesRead))) return { size, stream: () => fh.createReadStream({ start: 0, end: size - 1 }) };
      const sealed = await fh.readFile();
      await fh.close();
      const plain = checkedImage(this.unseal(sealed, hex), `blob ${hex}`);
      return { size: plain.length, stream: () => Readable.from([plain], { objectMode: false }) };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

}
