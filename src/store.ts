// Content-addressed image store (seeds 003/004): each image is kept once, under
// <dataDir>/blobs/ab/cd/<sha256>.<ext>, and frames refer to it as blob:sha256:<hex>, so the
// data directory can move. Third-party capture clients may instead write an absolute path
// or a file:// URI into image_ref; read() accepts all three.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import { isAbsolute, join, resolve as resolvePath, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const BLOB_PREFIX = "blob:sha256:";

/** The image files pgrecall takes in (ingest) and serves (with this Content-Type), by extension. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif",
  ".tif": "image/tiff", ".tiff": "image/tiff", ".avif": "image/avif", ".heic": "image/heic",
};

export class BadImageRef extends Error {
  /** Why, in one word: "missing" (nothing there), "outside" (not in an allowed root), "invalid" (malformed, not an image). */
  constructor(message: string, readonly reason: "missing" | "outside" | "invalid" = "invalid", options?: ErrorOptions) {
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

/** The blob: reference `data` has (or would have) in any store: its content address. */
export function blobRefOf(data: Buffer): string {
  return BLOB_PREFIX + createHash("sha256").update(data).digest("hex");
}

export class BlobStore {
  readonly blobDir: string;

  /** Where an image_ref that is a path may point: the data dir and the operator's PGRECALL_IMAGE_ROOTS. */
  readonly roots: readonly string[];

  constructor(readonly dataDir: string, imageRoots: readonly string[] = []) {
    this.blobDir = join(dataDir, "blobs");
    this.roots = [dataDir, ...imageRoots].map((r) => resolvePath(r));
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
    // Write to a temporary name and rename: a reader never sees half a file, and a crash
    // leaves only a .tmp file behind, never a truncated blob.
    const tmp = join(dir, `.${sha256}.${randomBytes(6).toString("hex")}.tmp`);
    // A failed write (a full disk, a file size limit) removes its temporary file: nothing half-written stays.
    try {
      const fh = await open(tmp, "wx", 0o600);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new Error(`storing a ${data.length}-byte image in ${this.blobDir} failed: ${(err as Error).message}`, { cause: err });
    }
    return { ref: BLOB_PREFIX + sha256, sha256, created: true, path };
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


  /** Reads the image an image_ref points at; a missing or empty file is a BadImageRef. */
  /**
   * The image bytes of a frame: from the blob store, or a path inside an allowed root (never
   * outside one, through `..` or a symlink), a regular file with an image format's signature.
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
    if (!hasImageSignature(data.subarray(0, 16))) throw new BadImageRef(`image file ${path} is not an image (no PNG, JPEG, WebP, GIF, TIFF, AVIF or HEIC signature)`);
    return data;
  }

}
