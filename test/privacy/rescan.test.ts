// Rescanning history (pgrecall.secrets_rescan, task rescan): a rule added after a screen was
// OCRed redacts that screen too — text, word boxes, image, vocabulary, embedding — in batches
// run by the real worker; a newer rescan supersedes an unfinished one; a frame whose image is
// gone has its text masked all the same and is counted.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../fixtures/random.js";
import { terminalSvg } from "../../fixtures/secret-screens.js";
import { readConfig } from "../../src/config.js";
import { OcrEngine } from "../../src/engines/ocr.js";
import { BlobStore } from "../../src/store.js";
import { startWorker } from "../../src/worker.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";
import { vec384 } from "../helpers/frames.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-rescan-"));
const rand = rng(4242);
const ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
const token = () => "acme_" + Array.from({ length: 32 }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join("");
const TOKEN = token();
// A format no built-in rule knows: only the user's rule finds it. Tolerant of OCR's usual slips
// (it read "acme _gR6…" here).
const RULE = { name: "acme-token", kind: "Acme token", category: "secret", pattern: "acme ?[_ ]?[A-Za-z0-9]{28,36}", enabled: true };
const ids: Record<string, string> = {};
// Roles are the cluster's, shared by every test database: names of this run's own.
const RUN = Math.random().toString(36).slice(2, 8), WORKER = `rescan_worker_${RUN}`, READER = `rescan_reader_${RUN}`;

const run = (only: string[], databaseUrl = db.url) =>
  startWorker({ databaseUrl, dataDir, embedding: readConfig({}).embedding, vision: null, concurrency: 1, once: true, only: only as never });
const pieces = (v: string) => Array.from({ length: v.length - 9 }, (_, i) => v.slice(i, i + 10));
const leaked = (haystack: string) => pieces(TOKEN).filter((p) => haystack.includes(p));

async function terminal(name: string, lines: string[]): Promise<string> {
  const path = join(dataDir, `${name}.png`);
  writeFileSync(path, await sharp(Buffer.from(terminalSvg({ width: 1100, height: 300, theme: "dark", lines }))).png().toBuffer());
  return path;
}

beforeAll(async () => {
  const screens = {
    secret: await terminal("secret", ["dana@laptop:~$ acme whoami --long", `workspace ${TOKEN} (dana)`, "region eu-west-2, plan team", "dana@laptop:~$ make deploy"]),
    control: await terminal("control", ["dana@laptop:~$ git log --oneline -2", "9f2c1e7 quarterly invoice reminders", "0b44d1a late fee rounding"]),
  };
  for (const [i, [name, path]] of Object.entries(screens).entries()) {
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, image_ref, app_name)
                             values ('laptop', ${new Date(Date.UTC(2026, 10, 20, 9, i))}, ${path}, 'terminal') returning id`;
    ids[name] = f!.id as string;
  }
  await run(["hash", "ocr"]);
  // The embedding was made from the text as it was (an embedding of the secret, in effect).
  await db.sql`select pgrecall.frame_embedding_done(${ids.secret!}, ${vec384([1, 0.5])}::vector, 'test-model')`;
}, 300_000);

describe("a rule added later", () => {
  it("was not known when the screen was OCRed: the token is in its text", async () => {
    const [f] = await db.sql`select ocr_text from pgrecall.frames where id = ${ids.secret!}`;
    expect(leaked(f!.ocr_text as string).length).toBeGreaterThan(10);
    expect((await db.sql`select count(*)::int as n from pgrecall.secrets`)[0]!.n).toBe(0);
  });

  it("starts a rescan by itself, which the worker runs: the screen is redacted as if the rule had always been there", async () => {
    const before = (await db.sql`select image_ref from pgrecall.frames where id = ${ids.secret!}`)[0]!.image_ref as string;
    await db.sql`insert into pgrecall.secret_rules (name, rule) values (${RULE.name}, ${db.sql.json(RULE)})`;
    const [r] = await db.sql`select * from pgrecall.secret_rescans`;
    expect(r).toMatchObject({ deployment_id: null, reason: "rule acme-token", finished_at: null });
    await run(["rescan"]);
    const [done] = await db.sql`select * from pgrecall.secret_rescans where id = ${String(r!.id)}`;
    expect(done).toMatchObject({ frames_scanned: 2n, frames_redacted: 1n, images_missing: 0n });
    expect(Number(done!.findings)).toBeGreaterThanOrEqual(1);
    expect(done!.finished_at).not.toBeNull();

    const [f] = await db.sql`select * from pgrecall.frames where id = ${ids.secret!}`;
    expect(leaked(f!.ocr_text as string)).toEqual([]);
    expect(leaked(JSON.stringify(f!.ocr_words))).toEqual([]);
    expect(f!.ocr_text).toContain("region eu-west-2");
    expect(f!.redacted_at).not.toBeNull();
    // The image: a new blob with the token blacked out; the original file deleted.
    expect(f!.image_ref).toMatch(/^blob:sha256:/);
    expect(existsSync(before)).toBe(false);
    const ocr = new OcrEngine(1);
    try {
      const text = (await ocr.recognize(await ocr.prepare(await new BlobStore(dataDir).read(f!.image_ref as string)))).text;
      expect(leaked(text)).toEqual([]);
      expect(text).toContain("region");
    } finally {
      await ocr.stop();
    }
    // The embedding made from the clear text is gone and queued again; the vocabulary forgot the token.
    expect(f).toMatchObject({ embedding: null, embedding_status: 0 });
    expect((await db.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'embed'`)[0]!.n).toBeGreaterThan(0);
    const words = (await db.sql`select word from pgrecall.search_words`).map((w) => w.word as string).join(" ");
    expect(leaked(words.replace(/ /g, ""))).toEqual([]);
    expect(words).toContain("region");
    const [s] = await db.sql`select rule, kind, preview from pgrecall.secrets where frame_id = ${ids.secret!}`;
    expect(s).toMatchObject({ rule: "acme-token", kind: "Acme token" });
  });

  it("leaves the screen without the token as it was", async () => {
    const [f] = await db.sql`select ocr_text, redacted_at, image_ref from pgrecall.frames where id = ${ids.control!}`;
    expect(f!.ocr_text).toContain("invoice reminders");
    expect(f!.redacted_at).toBeNull();
    expect(f!.image_ref).toBe(join(dataDir, "control.png"));
  });

  it("finds nothing more the second time: the text it reads is already redacted", async () => {
    const id = (await db.sql`select pgrecall.secrets_rescan('laptop')::text as id`)[0]!.id as string;
    await run(["rescan"]);
    const [r] = await db.sql`select * from pgrecall.secret_rescans where id = ${id}`;
    expect(r).toMatchObject({ frames_scanned: 2n, frames_redacted: 0n, findings: 0n });
    expect(r!.finished_at).not.toBeNull();
  });

  it("leaves not a piece of the token in a dump of the database", () => {
    const dump = execFileSync("pg_dump", ["--data-only", "--schema=pgrecall", "--schema=graphile_worker", db.url], { encoding: "utf8", maxBuffer: 1 << 28 });
    expect(leaked(dump)).toEqual([]);
  });
});

describe("rescans in batches", () => {
  const N = 120;
  const tokens: string[] = [];
  beforeAll(async () => {
    // Frames OCRed with text holding a token and an image that has since gone (no OCR needed here).
    for (let i = 0; i < N; i++) {
      tokens.push(token());
      const [f] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, image_ref, phash)
        values ('bulk', ${new Date(Date.UTC(2026, 10, 21, 0, 0, i))}, ${"blob:sha256:" + String(i).padStart(64, "0")}, ${randomPhash()}) returning id`;
      await db.sql`select pgrecall.frame_ocr_done(${f!.id as string}, ${`deploy key ${tokens[i]} for build ${i}`})`;
    }
  });

  it("a newer rescan supersedes an unfinished one, and its batches chain through jobs until every frame is read (as the worker role)", async () => {
    const first = (await db.sql`select pgrecall.secrets_rescan('bulk')::text as id`)[0]!.id as string;
    const second = (await db.sql`select pgrecall.secrets_rescan(null, 'after an upgrade')::text as id`)[0]!.id as string;
    expect((await db.sql`select superseded_by::text from pgrecall.secret_rescans where id = ${first}`)[0]!.superseded_by).toBe(String(second));
    // run by a login with only the worker's rights (pgrecall grant worker)
    await db.sql.unsafe(`create role ${WORKER} login`);
    await db.sql`select pgrecall.grant_access('worker', ${WORKER})`;
    const asWorker = new URL(db.url);
    asWorker.username = WORKER;
    await run(["rescan"], asWorker.toString());
    const [r] = await db.sql`select * from pgrecall.secret_rescans where id = ${second}`;
    // the 120 bulk frames (in three batches: 50, 50, 20) and the two screens above
    expect(r).toMatchObject({ frames_scanned: BigInt(N + 2), frames_redacted: BigInt(N), findings: BigInt(N), images_missing: BigInt(N) });
    const texts = (await db.sql`select ocr_text from pgrecall.frames where deployment_id = 'bulk'`).map((t) => t.ocr_text as string).join("\n");
    expect(tokens.filter((t) => texts.includes(t.slice(5, 15)))).toEqual([]);
    expect(texts).toContain("for build 119");
  });

  it("`pgrecall secrets rescan` queues one; `--status` shows them, never a value", () => {
    const env = { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir };
    const started = execFileSync("node", ["bin/pgrecall.js", "secrets", "rescan", "--deployment", "bulk"], { env, encoding: "utf8" });
    expect(started).toMatch(/rescan \d+ queued for bulk/);
    const status = execFileSync("node", ["bin/pgrecall.js", "secrets", "rescan", "--status"], { env, encoding: "utf8" });
    expect(status).toMatch(/rescan \d+ {2}bulk {2}\(requested, .*\) {2}running: 120 screen\(s\) to go; 0 scanned/);
    expect(status).toMatch(/superseded by/);
    expect(status).toMatch(/finished .*; 122 scanned, 120 redacted, 120 finding\(s\), 120 image\(s\) could not be read/);
    expect(leaked(status)).toEqual([]);
  });
});

describe("counts for readers", () => {
  it("a reader sees the counts of its own deployments, not the findings table", async () => {
    await db.sql`select pgrecall.grant_access('read', ${READER}, 'laptop')`;
    const asReader = <T>(q: (tx: typeof db.sql) => Promise<T>) =>
      db.sql.begin(async (tx) => {
        await tx.unsafe(`set local role ${READER}`);
        return q(tx as never);
      });
    const counts = await asReader((tx) => tx`select deployment_id, kind, findings, frames from pgrecall.secret_counts order by 1`);
    expect(counts).toEqual([{ deployment_id: "laptop", kind: "Acme token", findings: 1, frames: 1 }]);
    await expect(asReader((tx) => tx`select 1 from pgrecall.secrets`)).rejects.toMatchObject({ code: "42501" });
    const all = await db.sql`select deployment_id, findings from pgrecall.secret_counts order by 1`;
    expect(all.map((r) => r.deployment_id)).toEqual(["bulk", "laptop"]);
  });
});


