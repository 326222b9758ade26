// Least privilege: every grant and every denial, tried as the role itself.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderScreen } from "../../../fixtures/render.js";
import { readConfig } from "../../../src/config.js";
import { connect, type Sql } from "../../../src/db.js";
import { startWorker } from "../../../src/worker.js";
import { randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();
const tag = randomBytes(3).toString("hex");
const role = (name: string) => `t_${name}_${tag}`;
const as = (name: string): Sql => {
  const url = new URL(db.url);
  url.username = role(name);
  return connect(url.toString(), { max: 1 });
};
const sessions: Sql[] = [];
const session = (name: string) => {
  const s = as(name);
  sessions.push(s);
  return s;
};
const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code);

beforeAll(async () => {
  for (const r of ["cap", "cap2", "reader", "all", "worker", "nobody"]) await db.sql.unsafe(`create role ${role(r)} login`);
  await db.sql`select pgrecall.grant_access('capture', ${role("cap")}, 'laptop')`;
  await db.sql`select pgrecall.grant_access('capture', ${role("cap2")}, 'phone')`;
  await db.sql`select pgrecall.grant_access('read', ${role("reader")}, 'laptop')`;
  await db.sql`select pgrecall.grant_access('read', ${role("all")})`;
  await db.sql`select pgrecall.grant_access('worker', ${role("worker")})`;
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.end()));
  for (const r of ["cap", "cap2", "reader", "all", "worker", "nobody"]) {
    await db.sql.unsafe(`drop owned by ${role(r)}`).catch(() => undefined);
    await db.sql.unsafe(`drop role if exists ${role(r)}`);
  }
});

describe("pgrecall_capture", () => {
  it("inserts frames for its deployment, reads back only its own, and its frames are queued", async () => {
    const cap = session("cap");
    const [f] = await cap`insert into pgrecall.frames (deployment_id, phash, app_name) values ('laptop', ${randomPhash()}, 'Code') returning id`;
    expect(f!.id).toMatch(/^[0-9a-f-]{36}$/);
    const [g] = await cap`select frame_id, existing from pgrecall.insert_frame('laptop', now(), null, 'k1')`;
    expect(g!.existing).toBe(false);
    await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('phone', ${randomPhash()})`;
    expect((await cap`select distinct deployment_id from pgrecall.frames`).map((r) => r.deployment_id)).toEqual(["laptop"]);
    const jobs = await db.sql`select task_identifier from graphile_worker.jobs where key = ${"pgrecall:ocr:" + f!.id}`;
    expect(jobs).toHaveLength(1);
  });

  it("may not insert for another deployment, change frames, read the queue, add jobs, create objects or grant", async () => {
    const cap = session("cap2");
    expect(await code(cap`insert into pgrecall.frames (deployment_id) values ('laptop')`)).toBe("42501");
    expect(await code(cap`update pgrecall.frames set app_name = 'x'`)).toBe("42501");
    expect(await code(cap`delete from pgrecall.frames`)).toBe("42501");
    expect(await code(cap`select * from graphile_worker.jobs`)).toBe("42501");
    expect(await code(cap`select pgrecall._add_jobs(array['ocr'], array[gen_random_uuid()], array['phone'])`)).toBe("42501");
    expect(await code(cap`select graphile_worker.add_job('ocr', '{}')`)).toBe("42501");
    expect(await code(cap`select pgrecall.frame_ocr_done(gen_random_uuid(), 'x')`)).toBe("42501");
    expect(await code(cap`create table pgrecall.mine (x int)`)).toBe("42501");
    expect(await code(cap`select pgrecall.grant_access('read', current_user)`)).toBe("42501");
    expect(await code(cap`update pgrecall.settings set phash_threshold = 64 where deployment_id = '*'`)).toBe("42501");
  });
});

describe("pgrecall_reader", () => {
  it("searches only the deployments it was granted; without one, every deployment", async () => {
    await db.sql`select pgrecall.frame_ocr_done(id, 'quarterly ledger') from pgrecall.frames where ocr_status = 0 and duplicate_of is null`;
    const reader = session("reader");
    const hits = await reader`select distinct deployment_id from pgrecall.search_frames('ledger', p_mode => 'fts')`;
    expect(hits.map((h) => h.deployment_id)).toEqual(["laptop"]);
    const all = session("all");
    const every = await all`select distinct deployment_id from pgrecall.search_frames('ledger', p_mode => 'fts') order by 1`;
    expect(every.map((h) => h.deployment_id)).toEqual(["laptop", "phone"]);
    expect((await reader`select stage from pgrecall.pipeline`).length).toBeGreaterThan(0);
  });

  it("may not write, see the work queues or their text, or the queue", async () => {
    const reader = session("reader");
    expect(await code(reader`insert into pgrecall.frames (deployment_id) values ('laptop')`)).toBe("42501");
    expect(await code(reader`select * from pgrecall.pending_embedding`)).toBe("42501");
    expect(await code(reader`select * from graphile_worker.jobs`)).toBe("42501");
    expect(await code(reader`select * from pgrecall.workers`)).toBe("42501");
  });

  it("a role with no grant sees nothing at all", async () => {
    const nobody = session("nobody");
    expect(await code(nobody`select * from pgrecall.frames`)).toBe("42501");
    expect(await code(nobody`select pgrecall.search_frames('x')`)).toBe("42501");
  });
});

describe("pgrecall_worker", () => {
  it("runs the pipeline with nothing more than its grants: a real worker, as that role, hashes and OCRs a frame", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-roles-"));
    const shot = join(dataDir, "shot.png");
    writeFileSync(shot, await renderScreen({ width: 800, height: 500 }));
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, image_ref) values ('laptop', ${shot}) returning id`;
    const url = new URL(db.url);
    url.username = role("worker");
    const config = readConfig({});
    await startWorker({ databaseUrl: url.toString(), dataDir, embedding: config.embedding, vision: null, concurrency: 2, once: true, only: ["hash", "ocr"] });
    const [r] = await db.sql`select hash_status, ocr_status, length(ocr_text) > 20 as read from pgrecall.frames where id = ${f!.id}`;
    expect(r).toEqual({ hash_status: 1, ocr_status: 1, read: true });
  });

  it("may not grant, create objects or delete frames", async () => {
    const worker = session("worker");
    expect(await code(worker`select pgrecall.grant_access('read', current_user)`)).toBe("42501");
    expect(await code(worker`create table pgrecall.mine (x int)`)).toBe("42501");
    expect(await code(worker`delete from pgrecall.frames`)).toBe("42501");
  });
});

describe("grant and revoke", () => {
  it("are idempotent, refuse what makes no sense, and revoking takes the access away", async () => {
    await db.sql`select pgrecall.grant_access('read', ${role("reader")}, 'laptop')`;
    expect(await db.sql`select count(*)::int as n from pgrecall.role_deployments where role = ${role("reader")}`).toEqual([{ n: 1 }]);
    await expect(db.sql`select pgrecall.grant_access('capture', ${role("cap")})`).rejects.toThrow(/capture access needs a deployment/);
    await expect(db.sql`select pgrecall.grant_access('admin', ${role("cap")})`).rejects.toThrow(/unknown access "admin"/);
    await expect(db.sql`select pgrecall.grant_access('read', 'pgrecall_worker')`).rejects.toThrow(/cannot be given pgrecall access/);
    expect(await db.sql`select pgrecall.revoke_access('read', ${role("reader")}) as n`).toEqual([{ n: 1 }]);
    const reader = as("reader");
    try {
      expect(await code(reader`select * from pgrecall.frames`)).toBe("42501");
    } finally {
      await reader.end();
    }
  });

  it("logs every grant and revoke in pgrecall.events, worker access too (it has no role_deployments row), each change once", async () => {
    const name = role("logged");
    const events = async () =>
      (await db.sql<{ action: string; kind: string }[]>`select action, details ->> 'kind' as kind from pgrecall.events where details ->> 'role' = ${name} order by id`).map((e) => `${e.action} ${e.kind}`);
    await db.sql`select pgrecall.grant_access('worker', ${name})`;
    await db.sql`select pgrecall.grant_access('worker', ${name})`; // already: nothing to log
    await db.sql`select pgrecall.grant_access('read', ${name}, 'laptop')`;
    await db.sql`select pgrecall.revoke_access('worker', ${name})`;
    await db.sql`select pgrecall.revoke_access('read', ${name})`;
    expect(await events()).toEqual(["grant.added worker", "grant.added read", "grant.removed worker", "grant.removed read"]);
    await db.sql.unsafe(`drop role ${name}`);
  });

  it("creates a missing role NOLOGIN", async () => {
    const name = role("new");
    await db.sql`select pgrecall.grant_access('read', ${name})`;
    expect(await db.sql`select rolcanlogin from pg_roles where rolname = ${name}`).toEqual([{ rolcanlogin: false }]);
    await db.sql`select pgrecall.revoke_access('read', ${name})`;
    await db.sql.unsafe(`drop role ${name}`);
  });
});
