// The disk buffer of `pgrecall capture` while the database is away: each tick's frames as one
// numbered entry (a JSON file and its PNGs, mode 0600), inserted in order when it is back.
// Bounded by frames; a tick that would pass the bound is dropped and counted. The images wait
// here, not in the blob store: exclusion rules are asked when the database answers, and an
// excluded screen's image is then deleted without ever reaching the store.
//
// With a blob key (PGRECALL_BLOB_KEY), every file of an entry — the images and the JSON with
// the times, apps and titles — is sealed as the image store seals blobs (src/blob-crypto.ts:
// AES-256-GCM, sealed in memory, so no clear byte is written), bound to its file name: a file
// renamed to another entry's name fails authentication. Entries written in clear (before a key
// was set) are still read.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BlobCryptoError, isSealed, noKeyError, type BlobKey } from "../blob-crypto.js";

export interface SpooledFrame {
  capturedAt: string;
  monitor: number;
  app: string | null;
  title: string | null;
  /** The PNG's file name inside the entry. */
  image: string;
}

export interface SpoolEntry {
  seq: number;
  frames: SpooledFrame[];
  images: Buffer[];
}

export class Spool {
  private seq = 0;
  private held = 0;
  private loaded = false;
  dropped = 0;

  /** `key`: the blob key entries are sealed with (null: written in clear). */
  constructor(readonly dir: string, readonly maxFrames: number, readonly key: BlobKey | null = null) {}

  private async load(): Promise<void> {
    if (this.loaded) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await this.entries()) {
      this.seq = Math.max(this.seq, Number(name.slice(0, 12)));
      this.held += (await this.meta(name)).frames.length;
    }
    this.loaded = true;
  }

  private async entries(): Promise<string[]> {
    return (await readdir(this.dir)).filter((n) => /^\d{12}\.json$/.test(n)).sort();
  }

  /** Frames waiting (after the first call, counted across restarts). */
  async size(): Promise<number> {
    await this.load();
    return this.held;
  }

  /** Buffers one tick; false (and counted as dropped) when the bound is reached. */
  async push(frames: Omit<SpooledFrame, "image">[], images: Buffer[]): Promise<boolean> {
    await this.load();
    if (this.held + frames.length > this.maxFrames) {
      this.dropped += frames.length;
      return false;
    }
    const seq = ++this.seq;
    const id = String(seq).padStart(12, "0");
    const named = frames.map((f, i) => ({ ...f, image: `${id}.${i}.png` }));
    for (const [i, img] of images.entries()) await writeFile(join(this.dir, named[i]!.image), this.sealed(img, named[i]!.image), { mode: 0o600 });
    // The JSON last, by rename: an entry is complete or absent.
    await writeFile(join(this.dir, `.${id}.tmp`), this.sealed(Buffer.from(JSON.stringify({ frames: named })), `${id}.json`), { mode: 0o600 });
    await rename(join(this.dir, `.${id}.tmp`), join(this.dir, `${id}.json`));
    this.held += frames.length;
    return true;
  }

  /** The oldest entry, or null. */
  async first(): Promise<SpoolEntry | null> {
    await this.load();
    const [name] = await this.entries();
    if (!name) return null;
    const { frames } = await this.meta(name);
    const images = await Promise.all(frames.map((f) => this.read(f.image)));
    return { seq: Number(name.slice(0, 12)), frames, images };
  }

  /** Removes an entry once its frames are in the database. */
  async done(e: SpoolEntry): Promise<void> {
    const id = String(e.seq).padStart(12, "0");
    await rm(join(this.dir, `${id}.json`), { force: true });
    for (const f of e.frames) await rm(join(this.dir, f.image), { force: true });
    this.held -= e.frames.length;
  }

  private async meta(name: string): Promise<{ frames: SpooledFrame[] }> {
    return JSON.parse((await this.read(name)).toString("utf8")) as { frames: SpooledFrame[] };
  }

  /** What is written for `plain` as file `name`: its sealed header and ciphertext with a key, else itself. */
  private sealed(plain: Buffer, name: string): Buffer {
    return this.key ? Buffer.concat(this.key.seal(plain, aadName(name))) : plain;
  }

  /** A file of the buffer, opened (and authenticated) when sealed. */
  private async read(name: string): Promise<Buffer> {
    const data = await readFile(join(this.dir, name));
    if (!isSealed(data)) return data;
    const what = `capture buffer file ${join(this.dir, name)}`;
    try {
      if (!this.key) throw noKeyError(data, what);
      return this.key.open(data, aadName(name), what);
    } catch (err) {
      if (err instanceof BlobCryptoError) throw new Error(err.message, { cause: err });
      throw err;
    }
  }
}

/** The name a buffer file is sealed under (the additional data of its seal): not a blob's sha256, so never taken for one. */
function aadName(file: string): string {
  return `capture-buffer:${file}`;
}
