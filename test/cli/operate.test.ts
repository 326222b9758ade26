// Operator commands as a user runs them: `pgrecall model` and `pgrecall requeue`.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../helpers/db.js";
import { TINY_MODEL, tinyModelConfig } from "../helpers/model.js";

const run = promisify(execFile);
const db = useTestDatabase();
const model = tinyModelConfig();

const cli = (args: string[], env: Record<string, string> = {}) =>
  run("node", ["bin/pgrecall.js", ...args], { env: { ...process.env, DATABASE_URL: db.url, ...env } })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

describe("pgrecall model", () => {
  it("loads the configured model from the models directory and makes a 384-dimension vector", async () => {
    const r = await cli(["model"], { PGRECALL_MODELS_DIR: model.modelsDir, PGRECALL_EMBED_MODEL: TINY_MODEL });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model: +test\/tiny-minilm\nmodels dir: .* \(offline\)\nok: +384 dimensions/);
  });

  it("says plainly that the model is missing and where it was looked for", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pgrecall-nomodel-"));
    const r = await cli(["model"], { PGRECALL_MODELS_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`embedding model Xenova/all-MiniLM-L6-v2 is not installed: ${dir}/Xenova/all-MiniLM-L6-v2/onnx/model.onnx does not exist`);
  });

  it("rejects a malformed setting with the variable's name", async () => {
    const r = await cli(["model"], { PGRECALL_EMBED_BATCH: "lots" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PGRECALL_EMBED_BATCH must be a whole number from 1 to 256 \(got "lots"\)/);
  });
});

describe("pgrecall requeue", () => {
  it("requeues failed stages, and skipped ones with --skipped --stage, leaving near-duplicates alone", async () => {
    const insert = async (dep: string) => (await db.sql`insert into pgrecall.frames (deployment_id, phash) values (${dep}, ${randomPhash()}) returning id`)[0]!.id as string;
    const failed = await insert("ops");
    const skipped = await insert("ops");
    const [orig] = await db.sql`select phash from pgrecall.frames where id = ${skipped}`;
    const [dup] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('ops', ${orig!.phash}) returning id, duplicate_of, vision_status`;
    expect(dup).toMatchObject({ duplicate_of: skipped, vision_status: 3 });
    await db.sql`select pgrecall.frame_ocr_failed(${failed}, 'boom')`;
    await db.sql`select pgrecall.frame_vision_skipped(${skipped}, 'no vision provider configured')`;
    const r1 = await cli(["requeue", "--deployment", "ops"]);
    expect(r1.stdout).toContain("1 stage(s) requeued");
    expect((await cli(["requeue", "--skipped"])).stderr).toMatch(/--skipped needs --stage/);
    const r2 = await cli(["requeue", "--skipped", "--stage", "vision"]);
    expect(r2.stdout).toContain("1 stage(s) requeued");
    const rows = await db.sql`select ocr_status, vision_status from pgrecall.frames where id in (${failed}, ${skipped}) order by ocr_status`;
    expect(rows.map((x) => [x.ocr_status, x.vision_status])).toEqual([[0, 0], [0, 0]]);
    const [still] = await db.sql`select vision_status from pgrecall.frames where id = ${dup!.id}`;
    expect(still!.vision_status).toBe(3);
  });
});

describe("configuration", () => {
  it("a bad setting stops only the commands that use it, and names itself", async () => {
    const bad = { PGRECALL_VISION_URL: "not a url", PGRECALL_VISION_MODEL: "llava" };
    const status = await cli(["status", "--json"], bad);
    expect(status.code).toBe(0);
    const worker = await cli(["worker", "--once"], bad);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toMatch(/PGRECALL_VISION_URL is not a valid URL/);
    const url = await cli(["status"], { DATABASE_URL: "mysql://x/y" });
    expect(url.stderr).toMatch(/DATABASE_URL must start with postgres:\/\//);
  });
});
