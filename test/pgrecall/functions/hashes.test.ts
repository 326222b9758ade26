import { describe, expect, it } from "vitest";
import { flipBits, int8s, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();

describe("pgrecall.hamming", () => {
  it("counts differing bits, including the sign bit", async () => {
    const p = 0x0123456789abcdefn;
    const [r] = await db.sql`select
      pgrecall.hamming(${p}::bigint, ${p}::bigint) as same,
      pgrecall.hamming(${p}::bigint, ${flipBits(p, 0, 63)}::bigint) as two,
      pgrecall.hamming(0::bigint, (-1)::bigint) as all_bits,
      pgrecall.hamming(null, 1::bigint) as with_null`;
    expect(r).toEqual({ same: 0, two: 2, all_bits: 64, with_null: null });
  });
});

describe("pgrecall.phash_prefix", () => {
  it("is the top 16 bits, signed like the smallint column", async () => {
    const [r] = await db.sql`select
      pgrecall.phash_prefix(${0x7fff000000000000n}::bigint) as max,
      pgrecall.phash_prefix((-1)::bigint) as minus_one,
      pgrecall.phash_prefix(${BigInt.asIntN(64, 0x8000000000000000n)}::bigint) as min`;
    expect(r).toEqual({ max: 32767, minus_one: -1, min: -32768 });
  });
});

describe("pgrecall.tiles_changed", () => {
  it("counts tiles that differ in more than the bit threshold", async () => {
    const a = Array.from({ length: 64 }, () => 0n);
    const b = [...a];
    b[0] = 0b111n; // 3 bits: changed at threshold 2
    b[1] = 0b11n; // 2 bits: not changed at threshold 2
    b[63] = -1n; // 64 bits
    const [r] = await db.sql`select
      pgrecall.tiles_changed(${int8s(a)}::bigint[], ${int8s(b)}::bigint[], 2) as t2,
      pgrecall.tiles_changed(${int8s(a)}::bigint[], ${int8s(b)}::bigint[], 0) as t0,
      pgrecall.tiles_changed(${int8s(a)}::bigint[], ${int8s(a)}::bigint[], 0) as none`;
    expect(r).toEqual({ t2: 2, t0: 3, none: 0 });
  });

  it("counts tiles missing from a smaller grid as changed", async () => {
    const [r] = await db.sql`select pgrecall.tiles_changed(array[1,2,3]::bigint[], array[1]::bigint[], 0) as n`;
    expect(r!.n).toBe(2);
  });
});
