// Each worker is judged by the --dead-after it declared: a worker started with a short one
// releases the jobs of dead workers quickly, and never those of a live worker that beats
// less often.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { readConfig } from "../../src/config.js";
import { startWorker } from "../../src/worker.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-dead-after-"));
const { embedding } = readConfig();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lockedJob(workerId: string): Promise<string> {
  const [f] = await db.sql`insert into pgrecall.frames (deployment_id) values (${"dead-after-" + workerId}) returning id`;
  const key = `pgrecall:hash:${f!.id}`;
  await db.sql`update graphile_worker._private_jobs set locked_at = now(), locked_by = ${workerId}, attempts = 1 where key = ${key}`;
  return key;
}
const lockOf = async (key: string) => (await db.sql`select locked_by from graphile_worker.jobs where key = ${key}`)[0]?.locked_by ?? null;

describe("pgrecall.release_dead_workers", () => {
  it("judges each worker by the dead_after it declared, unless an operator passes one interval for all", async () => {
    await db.sql`select pgrecall.worker_heartbeat(array['w-default'], 'h', 1, '60 seconds')`;
    await db.sql`select pgrecall.worker_heartbeat(array['w-short'], 'h', 2, '4 seconds')`;
    await db.sql`update pgrecall.workers set heartbeat_at = now() - interval '30 seconds' where worker_id in ('w-default', 'w-short')`;
    const live = await lockedJob("w-default");
    const dead = await lockedJob("w-short");

    expect((await db.sql`select pgrecall.release_dead_workers() as n`)[0]!.n).toBe(1);
    expect(await lockOf(dead)).toBeNull();
    expect(await lockOf(live)).toBe("w-default"); // silent 30 s of the 60 it declared: alive
    expect(await db.sql`select worker_id, dead_after::text from pgrecall.workers`).toEqual([{ worker_id: "w-default", dead_after: "00:01:00" }]);

    expect((await db.sql`select pgrecall.release_dead_workers('10 seconds') as n`)[0]!.n).toBe(1);
    expect(await lockOf(live)).toBeNull();
    expect(await db.sql`select worker_id from pgrecall.workers`).toEqual([]);
  });

  it("a heartbeat records the declared interval; one without it (an older worker) counts as the 60 s default", async () => {
    await db.sql`select pgrecall.worker_heartbeat(array['w-a', 'w-b'], 'h', 3, '4 seconds')`;
    await db.sql`select pgrecall.worker_heartbeat(array['w-a'], 'h', 3, '90 seconds')`;
    await db.sql`select pgrecall.worker_heartbeat(array['w-old'], 'h', 4)`;
    const rows = await db.sql`select worker_id, dead_after::text from pgrecall.workers where worker_id like 'w-%' order by 1`;
    expect(rows).toEqual([
      { worker_id: "w-a", dead_after: "00:01:30" },
      { worker_id: "w-b", dead_after: "00:00:04" },
      { worker_id: "w-old", dead_after: "00:01:00" },
    ]);
    await db.sql`select pgrecall.worker_stopped(array['w-a', 'w-b', 'w-old'])`;
  });
});

describe("a worker with --dead-after 4 next to a live default worker", () => {
  // The default worker's one job is a vision request the stub answers only after 12 s, so it
  // stays locked for longer than 4 s past the worker's last beat (it beats every 10 s).
  let answered = 0;
  const requests: number[] = [];
  const slow = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      requests.push(Date.now());
      setTimeout(() => {
        answered++;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { content: "An editor." } }] }));
      }, 12_000);
    });
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((ok) => slow.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((ok) => slow.close(() => ok())));

  it("does not release the default worker's job: it runs once", async () => {
    const path = join(dataDir, "screen.png");
    writeFileSync(path, await renderScreen({ width: 800, height: 500 }));
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash, image_ref) values ('two-workers', ${randomPhash()}, ${path}) returning id`;
    await db.sql`select pgrecall.frame_ocr_done(${f!.id}, 'invoices.js')`; // vision waits for OCR
    const key = `pgrecall:vision:${f!.id}`;

    const stopA = new AbortController();
    const stopB = new AbortController();
    const vision = { url, model: "slow", timeoutMs: 60_000, maxEdge: 640 };
    const a = startWorker({ databaseUrl: db.url, dataDir, embedding, vision, concurrency: 1, once: false, only: ["vision"], signal: stopA.signal });
    let holder: string | null = null;
    for (let t = 0; t < 200 && !holder; t++) {
      await sleep(50);
      holder = await lockOf(key);
    }
    expect(holder).not.toBeNull();
    const b = startWorker({ databaseUrl: db.url, dataDir, embedding, vision: null, concurrency: 1, once: false, only: ["hash"], deadAfterSeconds: 4, signal: stopB.signal });

    // While the request is out: the job keeps its holder, though the holder's heartbeat gets
    // older than the 4 s by which the second worker would once have judged it.
    let oldestBeat = 0;
    while (!answered) {
      expect(await lockOf(key)).toBe(holder);
      const [r] = await db.sql`select coalesce(max(extract(epoch from now() - heartbeat_at)), 0)::float8 as age
                               from pgrecall.workers where dead_after = '60 seconds'`;
      oldestBeat = Math.max(oldestBeat, r!.age as number);
      await sleep(250);
    }
    for (let t = 0; t < 100; t++) {
      if ((await db.sql`select vision_status from pgrecall.frames where id = ${f!.id}`)[0]!.vision_status === 1) break;
      await sleep(100);
    }
    expect(oldestBeat).toBeGreaterThan(4);
    expect(requests).toHaveLength(1);
    expect((await db.sql`select vision_status, vision_summary from pgrecall.frames where id = ${f!.id}`)[0]).toEqual({ vision_status: 1, vision_summary: "An editor." });
    expect(await db.sql`select key from graphile_worker.jobs where key = ${key}`).toEqual([]);

    stopA.abort();
    stopB.abort();
    await Promise.all([a, b]);
    expect(await db.sql`select worker_id from pgrecall.workers`).toEqual([]);
  }, 60_000);
});
