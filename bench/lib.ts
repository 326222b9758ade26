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

const SYLLABLES = ["ka", "ro", "mi", "te", "lu", "san", "dor", "vi", "pel", "qua", "ne", "bri", "zo", "fal", "gu", "hen", "jo", "kri", "lam", "mon",
  "nar", "pos", "ret", "sil", "tor", "val", "wen", "yor", "zel", "bar", "cor", "den", "fen", "gal", "hor", "ist", "jun", "kel", "lor", "mur"];
const sqlArray = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(",")}]`;

/**
 * SQL for pg_temp.word(k) — word number k (1 = most frequent): the common words first, then
 * made-up ones of 3 syllables — and pg_temp.zipf(), a Zipf-distributed k up to vocab.
 */
export function wordFunctions(common: string[], vocab: number): string {
  return `
  create or replace function pg_temp.word(k int) returns text language sql immutable as $$
    select case when k <= ${common.length} then (${sqlArray(common)})[k]
                else (${sqlArray(SYLLABLES)})[k % 40 + 1] || (${sqlArray(SYLLABLES)})[(k / 40) % 40 + 1] || (${sqlArray(SYLLABLES)})[(k / 1600) % 40 + 1] end
  $$;
  create or replace function pg_temp.zipf() returns int language sql volatile as $$
    select least(${vocab}, floor(exp(random() * ln(${vocab})))::int)
  $$;`;
}

/** Latencies (ms) of `op`, sorted, run back to back until `until` resolves (at least `min` times). */
export async function during(op: (i: number) => Promise<unknown>, until: Promise<unknown>, min = 50): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const times: number[] = [];
  for (let i = 0; !done || times.length < min; i++) times.push((await timed(() => op(i)))[1] * 1000);
  return times.sort((a, b) => a - b);
}
