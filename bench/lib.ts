// Shared bench helpers: a fresh migrated database, timers and percentiles.
import postgres from "postgres";
import { connect, type Sql } from "../src/db.js";
import { migrateAll } from "../src/migrate.js";

export { rng } from "../fixtures/random.js";

export const SERVER = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

export function dbUrl(name: string): string {
  const u = new URL(SERVER);
  u.pathname = "/" + name;
  return u.toString();
}

/** Drops and recreates `name`, migrated, and connects to it. */
export async function freshDatabase(name: string): Promise<{ sql: Sql; url: string }> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = dbUrl(name);
  await migrateAll(url, { createDatabase: false });
  return { sql: connect(url, { max: 4 }), url };
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e9];
}

export function randomPhash(r: () => number): bigint {
  const hi = BigInt(Math.floor(r() * 2 ** 32));
  const lo = BigInt(Math.floor(r() * 2 ** 32));
  return BigInt.asIntN(64, (hi << 32n) | lo);
}

export function flipRandomBits(p: bigint, n: number, r: () => number): bigint {
  let x = BigInt.asUintN(64, p);
  const used = new Set<number>();
  while (used.size < n) used.add(Math.floor(r() * 64));
  for (const b of used) x ^= 1n << BigInt(b);
  return BigInt.asIntN(64, x);
}
