// The disk buffer of `pgrecall capture` while the database is away: each tick's frames as one
// numbered entry (a JSON file and its PNGs, mode 0600), inserted in order when it is back.
// Bounded by frames; a tick that would pass the bound is dropped and counted. The images wait
// here, not in the blob store: exclusion rules are asked when the database answers, and an
// excluded screen's image is then deleted without ever reaching the store.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

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

  constructor(readonly dir: string, readonly maxFrames: number) {}

  private async load(): Promise<void> {
    if (this.loaded) return;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await this.entries()) {
      this.seq = Math.max(this.seq, Number(name.slice(0, 12)));
      const meta = JSON.parse(await readFile(join(this.dir, name), "utf8")) as { frames: SpooledFrame[] };
      this.held += meta.frames.length;
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
    for (const [i, img] of images.entries()) await writeFile(join(this.dir, named[i]!.image), img, { mode: 0o600 });
    // The JSON last, by rename: an entry is complete or absent.
    await writeFile(join(this.dir, `.${id}.tmp`), JSON.stringify({ frames: named }), { mode: 0o600 });
    await rename(join(this.dir, `.${id}.tmp`), join(this.dir, `${id}.json`));
    this.held += frames.length;
    return true;
  }

  /** The oldest entry, or null. */
  async first(): Promise<SpoolEntry | null> {
    await this.load();
    const [name] = await this.entries();
    if (!name) return null;
    const { frames } = JSON.parse(await readFile(join(this.dir, name), "utf8")) as { frames: SpooledFrame[] };
    const images = await Promise.all(frames.map((f) => readFile(join(this.dir, f.image))));
    return { seq: Number(name.slice(0, 12)), frames, images };
  }

  /** Removes an entry once its frames are in the database. */
  async done(e: SpoolEntry): Promise<void> {
    const id = String(e.seq).padStart(12, "0");
    await rm(join(this.dir, `${id}.json`), { force: true });
    for (const f of e.frames) await rm(join(this.dir, f.image), { force: true });
    this.held -= e.frames.length;
  }
}
