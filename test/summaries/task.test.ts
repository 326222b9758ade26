// The summarize task through a real graphile-worker run, and the day's prose from an
// OpenAI-compatible model on loopback: the model writes words and tokens, SQL the numbers.
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readConfig, type VisionConfig } from "../../src/config.js";
import { startWorker } from "../../src/worker.js";
import { useTestDatabase } from "../helpers/db.js";
import { addTimeline, run } from "./helpers.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-summarize-"));

let answers: (string | number)[] = [];
const requests: { messages: { role: string; content: string }[] }[] = [];
const server = createServer((req, res) => {
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    requests.push(JSON.parse(raw));
    const next = answers.shift() ?? "nothing more";
    if (typeof next === "number") return void res.writeHead(next, { "content-type": "application/json" }).end('{"error":"no"}');
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { role: "assistant", content: next } }] }));
  });
});
let provider: VisionConfig;
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  provider = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, model: "stub-writer", timeoutMs: 2000, maxEdge: 640 };
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
beforeEach(() => void (requests.length = 0));

const work = (vision: VisionConfig | null = provider) =>
  startWorker({ databaseUrl: db.url, dataDir, embedding: readConfig().embedding, concurrency: 1, once: true, only: ["summarize"], vision });
const due = (deployment: string) => db.sql`update graphile_worker._private_jobs set run_at = now() where key like ${"pgrecall:summarize:" + deployment + ":%"}`;
const day = async (deployment: string, d: string) => (await db.sql`select pgrecall.day(${deployment}, ${d}::date) as d`)[0]!.d;

describe("task summarize", () => {
  it("summarizes the days that frames arrived in, and writes prose for an ended day with SQL's numbers", async () => {
    // 09:00-09:50 Code (3,000 s + 10 s cadence of the last frame), 10:00-10:10 Firefox
    await addTimeline(db.sql, "w", "2026-03-02T09:00:00Z", [...run(0, 3000, 10, "Code", "main.ts - pgrecall"), ...run(3600, 4200, 10, "Firefox", "docs")]);
    await due("w");
    answers = ["You spent [TOTAL] at the screen, most of it in [A1] on [T1] ([F1]); later [A2]. First seen at [FIRST]."];
    await work();
    const d = await day("w", "2026-03-02");
    expect(d).toMatchObject({ active_seconds: 3620, summary_model: "stub-writer" });
    expect(d.summary).toBe(
      "You spent 1 h 00 min at the screen, most of it in Code (50 min) on “main.ts - pgrecall” (Code, 50 min) (Code “main.ts - pgrecall” from 09:00 to 09:50 (50 min)); later Firefox (10 min). First seen at 09:00.");
    // the model was given the facts with their tokens
    expect(requests[0]!.messages[1]!.content).toContain("[A1] Code (50 min)");
    // the queue is empty: the day's job ran once
    const [{ n }] = await db.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'summarize'` as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it("asks again when the model writes a number of its own, and records the refusal the second time", async () => {
    await addTimeline(db.sql, "n", "2026-03-02T09:00:00Z", run(0, 600, 10, "Code", "a"));
    await due("n");
    answers = ["You worked for 10 minutes in [A1].", "You worked for about two hours in [A1]."];
    await work();
    const d = await day("n", "2026-03-02");
    expect(d.summary).toBeNull();
    expect(d.summary_message).toMatch(/refused twice .*number word of its own \("two"\)/);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.messages.at(-1)!.content).toMatch(/number of its own \("10"\)/);
    // a right second answer is stored
    await db.sql`update pgrecall.day_summaries set summary_message = null where deployment_id = 'n'`;
    await db.sql`select pgrecall._queue_summaries(array['n'], array['2026-03-02'::date], interval '0')`;
    answers = ["It was [TOTAL] of [A1], with a lot of typing.", "unused"];
    await work();
    expect((await day("n", "2026-03-02")).summary).toBe("It was 10 min of Code (10 min), with a lot of typing.");
  });

  it("without a provider leaves the summary the structured one; a provider that refuses is recorded, not faked", async () => {
    await addTimeline(db.sql, "none", "2026-03-02T09:00:00Z", run(0, 60, 10, "Code", "a"));
    await due("none");
    await work(null);
    expect(await day("none", "2026-03-02")).toMatchObject({ active_seconds: 70, summary: null, summary_message: null });
    expect(requests).toHaveLength(0);
    await db.sql`select pgrecall._queue_summaries(array['none'], array['2026-03-02'::date], interval '0')`;
    answers = [401];
    await work();
    expect((await day("none", "2026-03-02")).summary_message).toMatch(/answered 401/);
  });

  it("writes no prose for a day that has not ended (it would be rewritten every couple of minutes)", async () => {
    await db.sql`insert into pgrecall.frames (deployment_id, captured_at, app_name, window_title)
                 select 'today', now() - interval '1 minute' + i * interval '10 s', 'Code', 'a' from generate_series(0, 3) i`;
    await due("today");
    await work();
    const [r] = await db.sql`select summary, active_seconds::float8 as s from pgrecall.day_summaries where deployment_id = 'today'`;
    expect(r).toEqual({ summary: null, s: 40 });
    expect(requests).toHaveLength(0);
  });

  it("refuses templates with unknown tokens or digits in SQL, whoever calls it", async () => {
    await addTimeline(db.sql, "sql", "2026-03-02T09:00:00Z", run(0, 60, 10, "Code", "a"));
    await db.sql`select pgrecall.summarize_day('sql', '2026-03-02')`;
    const [{ f }] = await db.sql`select pgrecall.day_prose_facts('sql', '2026-03-02') as f` as unknown as [{ f: { digest: string } }];
    const set = (t: string, digest = f.digest) => db.sql`select pgrecall.set_day_prose('sql', '2026-03-02', ${t}, 'm', ${digest}) as s`;
    await expect(set("In [A9] all day.")).rejects.toThrow(/\[A9\] is not one of the given tokens/);
    await expect(set("From 9 to [LAST].")).rejects.toThrow(/number of its own \("9"\)/);
    await expect(set("Twice [A1].")).rejects.toThrow(/number word/);
    await expect(set("[TOTAL] of [A1].", "stale")).rejects.toMatchObject({ code: "40001" });
    const [{ s }] = await set("[TOTAL] of [A1], from [FIRST] to [LAST].") as unknown as [{ s: string }];
    expect(s).toBe("1 min of Code (1 min), from 09:00 to 09:01.");
  });
});
