// A fresh database per test file, cloned from the migrated template in milliseconds.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { connect, int8ArrayLiteral, type Sql } from "../../src/db.js";
import { findFramesUnqualified } from "../../src/migrate.js";

export const int8s = int8ArrayLiteral;
import { withDatabase } from "./server.js";

export interface TestDb {
  sql: Sql;
  url: string;
  name: string;
}

export function useTestDatabase(): TestDb {
  const ctx = {} as TestDb;
  beforeAll(async () => {
    const server = inject("serverUrl");
    ctx.name = `pgrecall_t_${randomBytes(5).toString("hex")}`;
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${ctx.name}" template "${inject("templateDb")}"`);
    } finally {
      await admin.end();
    }
    ctx.url = withDatabase(server, ctx.name);
    await findFramesUnqualified(ctx.url); // a clone does not inherit its template's database settings
    ctx.sql = connect(ctx.url, { max: 10 });
  });
  afterAll(async () => {
    await ctx.sql?.end({ timeout: 5 });
    const admin = postgres(inject("serverUrl"), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`drop database if exists "${ctx.name}" with (force)`);
    } finally {
      await admin.end();
    }
  });
  return ctx;
}

/** Jobs of a frame, by task identifier. */
export async function jobsOf(sql: Sql, frameId: string): Promise<string[]> {
  const rows = await sql<{ task_identifier: string }[]>`
    select task_identifier from graphile_worker.jobs
    where key like ${"pgrecall:%:" + frameId} order by task_identifier`;
  return rows.map((r) => r.task_identifier);
}

let seq = 0;
/** A phash that is far (about 32 bits) from every other one this helper made. */
export function randomPhash(): bigint {
  seq++;
  return BigInt.asIntN(64, BigInt("0x" + randomBytes(8).toString("hex")));
}

/** `p` with the given bit positions (0 = least significant, 63 = sign bit) flipped. */
export function flipBits(p: bigint, ...bits: number[]): bigint {
  let x = BigInt.asUintN(64, p);
  for (const b of bits) x ^= 1n << BigInt(b);
  return BigInt.asIntN(64, x);
}
