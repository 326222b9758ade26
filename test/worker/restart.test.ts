// PostgreSQL restarted (fast, then immediate) under a busy worker: the worker rides it out,
// and every frame still reaches its final status once, with nothing left locked or registered.
// The server is a private one (test/helpers/private-postgres.ts), never the shared one.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { connect, type Sql } from "../../src/db.js";
import { migrateAll } from "../../src/migrate.js";
import { startWorker } from "../../src/worker.js";
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from "../helpers/private-postgres.js";

const unavailable = privatePostgresUnavailable();
if (unavailable) console.warn(`restart test skipped: ${unavailable}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-restart-"));
const { embedding, vision } = readConfig();

describe.skipIf(unavailable)("a database restart under a busy worker", () => {
  let pg: PrivatePostgres;
  let sql: Sql;
  let url: string;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    url = pg.url("pgrecall");
    await migrateAll(url);
    sql = connect(url, { max: 2 });
  });
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await pg?.stop();
  });

  const counts = async () =>
    (await sql`select count(*) filter (where hash_status = 0)::int as pending, count(*) filter (where hash_status = 1)::int as done,
                      count(*) filter (where hash_status = 2)::int as failed from pgrecall.frames`)[0]!;
  /** Polls until `ok` (through restarts: a failed query is another try), or throws after `ms`. */
  async function until(what: string, ms: number, ok: () => Promise<boolean>): Promise<void> {
    const end = Date.now() + ms;
    for (;;) {
      if (await ok().catch(() => false)) return;
      if (Date.now() > end) {
        const jobs = await sql`select id::text, task_identifier, attempts, locked_by, locked_at, run_at > now() as later, last_error from graphile_worker.jobs order by id`.catch((e) => e);
        throw new Error(`still not ${what} after ${ms / 1000} s; jobs: ${JSON.stringify(jobs)}; server log:\n${pg.log().slice(-2000)}`);
      }
      await sleep(100);
    }
  }

  it("reconnects, finishes every frame once, and stops cleanly", async () => {
    const frames = 60;
    for (let i = 0; i < frames; i++) {
      const png = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: { r: (i * 37) % 256, g: 120, b: 200 } } })
        .composite([{ input: Buffer.from(`<svg width="2400" height="400"><text x="50" y="200" font-size="90">frame ${i} of the restart test</text></svg>`) }])
        .png({ compressionLevel: 1 })
        .toBuffer();
      const path = join(dataDir, `f${i}.png`);
      writeFileSync(path, png);
      await sql`insert into pgrecall.frames (deployment_id, captured_at, image_ref)
                values (${"restart-" + i}, ${new Date(Date.UTC(2026, 0, 1, 9, 0, i))}, ${path})`;
    }

    const stop = new AbortController();
    let ended: "resolved" | Error | null = null;
    const worker = startWorker({ databaseUrl: url, dataDir, embedding, vision, concurrency: 2, once: false, only: ["hash"], signal: stop.signal })
      .then(() => void (ended = "resolved"), (err: Error) => void (ended = err));

    for (const [mode, after] of [["fast", 10], ["immediate", 30]] as const) {
      await until(`${after} frames hashed`, 60_000, async () => (await counts()).done >= after);
      expect((await counts()).pending).toBeGreaterThan(0); // busy: frames still waiting, jobs running
      await pg.restart(mode);
      expect(ended).toBeNull(); // still running
    }

    await until("every frame hashed", 90_000, async () => (await counts()).done === frames);
    await until("every hash job gone", 30_000, async () =>
      (await sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'hash'`)[0]!.n === 0);
    expect(ended).toBeNull();
    stop.abort();
    await worker;
    expect(ended).toBe("resolved");

    expect(await counts()).toEqual({ pending: 0, done: frames, failed: 0 });
    expect(await sql`select worker_id from pgrecall.workers`).toEqual([]);
    expect(await sql`select id from graphile_worker.jobs where locked_by is not null`).toEqual([]);
  }, 240_000);
});
