// kill -9 of a worker in the middle of its jobs, then a new worker: every frame still
// reaches a final status, promptly (graphile-worker alone would wait 4 hours).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.js";
import { startWorker } from "../../src/worker.js";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-crash-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a worker killed with SIGKILL", () => {
  it("leaves no frame behind: its locked jobs are released and run by the next worker", async () => {
    // Big images keep the worker busy long enough to be killed mid-job.
    const big = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: "#336699" } })
      .composite([{ input: Buffer.from('<svg width="5000" height="5000"><text x="100" y="200" font-size="120">hello</text></svg>') }])
      .png({ compressionLevel: 1 })
      .toBuffer();
    const frames = 10;
    for (let i = 0; i < frames; i++) {
      const p = join(dataDir, `big-${i}.png`);
      writeFileSync(p, big);
      await db.sql`insert into pgrecall.frames (deployment_id, captured_at, image_ref)
                   values (${"crash-" + i}, ${new Date(Date.UTC(2026, 0, 1, 9, 0, i))}, ${p})`;
    }

    const child = spawn("node", ["bin/pgrecall.js", "worker", "--only", "hash", "--concurrency", "1", "--dead-after", "2"], {
      env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir },
      stdio: "ignore",
    });
    // Killed once it holds a job and has registered who holds it: a worker killed in the
    // instant between its pool's first fetch and its first heartbeat is a known gap (see the
    // session notes), not what this test is about.
    let locked = 0;
    for (let t = 0; t < 400 && !locked; t++) {
      await sleep(25);
      locked = (await db.sql`select count(*)::int as n from graphile_worker.jobs j
                             where j.locked_at is not null
                               and exists (select 1 from pgrecall.workers w where w.worker_id = j.locked_by)`)[0]!.n;
    }
    expect(locked).toBeGreaterThan(0);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const [mid] = await db.sql`select count(*) filter (where hash_status = 0)::int as pending,
                                      (select count(*)::int from graphile_worker.jobs where locked_at is not null) as locked
                               from pgrecall.frames`;
    expect(mid!.pending).toBeGreaterThan(0);
    expect(mid!.locked).toBeGreaterThan(0); // the dead worker's job, locked for 4 hours by default

    await sleep(2500); // let its heartbeat go stale
    const { embedding, vision } = readConfig();
    await startWorker({ databaseUrl: db.url, dataDir, embedding, vision, concurrency: 2, once: true, deadAfterSeconds: 2, only: ["hash"] });

    const [end] = await db.sql`select count(*) filter (where hash_status = 1)::int as done,
                                      (select count(*)::int from graphile_worker.jobs where task_identifier = 'hash') as hash_jobs,
                                      (select count(*)::int from pgrecall.workers) as workers
                               from pgrecall.frames`;
    const left = await db.sql`select attempts, max_attempts, locked_by, locked_at, run_at, now() as now, last_error from graphile_worker.jobs where task_identifier = 'hash'`;
    expect(left).toEqual([]);
    expect(end).toEqual({ done: frames, hash_jobs: 0, workers: 0 });
  });

  it("release_dead_workers never touches a live worker's jobs or an unregistered worker's", async () => {
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id) values ('live') returning id`;
    const key = `pgrecall:hash:${f!.id}`;
    await db.sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = 'worker-live' where key = ${key}`;
    await db.sql`select pgrecall.worker_heartbeat(array['worker-live'], 'h', 1)`;
    expect((await db.sql`select pgrecall.release_dead_workers('2 seconds') as n`)[0]!.n).toBe(0);
    await db.sql`update graphile_worker._private_jobs set locked_by = 'worker-foreign' where key = ${key}`;
    expect((await db.sql`select pgrecall.release_dead_workers('0 seconds') as n`)[0]!.n).toBe(0);
    const [j] = await db.sql`select locked_by from graphile_worker.jobs where key = ${key}`;
    expect(j!.locked_by).toBe("worker-foreign");
  });
});
