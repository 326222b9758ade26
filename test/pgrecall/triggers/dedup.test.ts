import { beforeEach, describe, expect, it } from "vitest";
import { flipBits, int8s, randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();

interface Row {
  id: string;
  duplicate_of: string | null;
  duplicate_distance: number | null;
  ocr_status: number;
  vision_status: number;
  embedding_status: number;
  ocr_message: string | null;
  phash_prefix: number | null;
}

let dep = "";
let n = 0;
beforeEach(() => {
  dep = `dedup-${++n}`;
});

async function insert(phash: bigint | null, opts: { at?: string; dep?: string; tiles?: bigint[] | null } = {}): Promise<Row> {
  const [r] = await db.sql<Row[]>`
    insert into pgrecall.frames (deployment_id, captured_at, phash, tile_hashes, image_ref)
    values (${opts.dep ?? dep}, ${opts.at ?? "2026-01-01T10:00:00Z"}, ${phash}, ${int8s(opts.tiles)}::bigint[], 'x.png')
    returning id, duplicate_of, duplicate_distance, ocr_status, vision_status, embedding_status, ocr_message, phash_prefix`;
  return r!;
}

describe("_200_dedup_insert: near-duplicates in the recent window", () => {
  it("fills phash_prefix with the top 16 bits", async () => {
    const r = await insert(0x1234_0000_0000_0001n);
    expect(r.phash_prefix).toBe(0x1234);
  });

  it("marks a frame at the threshold (5 bits) a duplicate and skips its stages", async () => {
    const p = randomPhash();
    const a = await insert(p, { at: "2026-01-01T10:00:00Z" });
    const b = await insert(flipBits(p, 1, 9, 17, 33, 50), { at: "2026-01-01T10:00:02Z" });
    expect(a.duplicate_of).toBeNull();
    expect(b).toMatchObject({ duplicate_of: a.id, duplicate_distance: 5, ocr_status: 3, vision_status: 3, embedding_status: 3 });
    expect(b.ocr_message).toBe(`near-duplicate of ${a.id}`);
  });

  it("keeps a frame one bit past the threshold (6 bits) as new content", async () => {
    const p = randomPhash();
    await insert(p, { at: "2026-01-01T10:00:00Z" });
    const b = await insert(flipBits(p, 1, 9, 17, 33, 50, 60), { at: "2026-01-01T10:00:02Z" });
    expect(b.duplicate_of).toBeNull();
    expect(b.ocr_status).toBe(0);
  });

  it("finds a duplicate whose high bit flipped (different phash_prefix)", async () => {
    const p = randomPhash();
    const a = await insert(p, { at: "2026-01-01T10:00:00Z" });
    const b = await insert(flipBits(p, 63), { at: "2026-01-01T10:00:01Z" });
    expect(b.phash_prefix).not.toBe(a.phash_prefix);
    expect(b.duplicate_of).toBe(a.id);
  });

  it("never counts a frame of another deployment", async () => {
    const p = randomPhash();
    await insert(p, { dep: dep + "-other", at: "2026-01-01T10:00:00Z" });
    const b = await insert(p, { at: "2026-01-01T10:00:01Z" });
    expect(b.duplicate_of).toBeNull();
  });

  it("includes a frame exactly at the window edge and not one just past it", async () => {
    // recent_window is 15 minutes by default; 4 bits is above history_threshold (3).
    const p = randomPhash();
    const a = await insert(p, { at: "2026-01-01T10:00:00Z" });
    const atEdge = await insert(flipBits(p, 1, 2, 3, 4), { at: "2026-01-01T10:15:00Z" });
    expect(atEdge.duplicate_of).toBe(a.id);
    const past = await insert(flipBits(p, 5, 6, 7, 8), { at: "2026-01-01T10:15:00.001Z" });
    expect(past.duplicate_of).toBeNull();
  });

  it("compares only with canonical frames, so a slow drift is not swallowed link by link", async () => {
    const p = randomPhash();
    const a = await insert(p, { at: "2026-01-01T10:00:00Z" });
    const drift = [flipBits(p, 1, 2, 3), flipBits(p, 1, 2, 3, 4, 5), flipBits(p, 1, 2, 3, 4, 5, 6, 7)];
    const b = await insert(drift[0]!, { at: "2026-01-01T10:00:01Z" });
    const c = await insert(drift[1]!, { at: "2026-01-01T10:00:02Z" });
    const d = await insert(drift[2]!, { at: "2026-01-01T10:00:03Z" });
    expect([b.duplicate_of, c.duplicate_of]).toEqual([a.id, a.id]);
    expect(d.duplicate_of).toBeNull(); // 7 bits from a; 2 from c, but c is a duplicate
  });

  it("prefers the closest canonical frame, then the most recent", async () => {
    const p = randomPhash();
    await insert(flipBits(p, 1, 2), { at: "2026-01-01T10:00:00Z" });
    const close = await insert(flipBits(p, 40, 41, 42, 43, 44, 45, 46, 47, 48), { at: "2026-01-01T10:00:01Z" });
    const b = await insert(flipBits(p, 40, 41, 42, 43, 44, 45, 46, 47), { at: "2026-01-01T10:00:02Z" });
    expect(b).toMatchObject({ duplicate_of: close.id, duplicate_distance: 1 });
  });

  it("does not look at frames captured later (out-of-order arrival)", async () => {
    const p = randomPhash();
    await insert(p, { at: "2026-01-01T10:00:10Z" });
    const earlier = await insert(p, { at: "2026-01-01T10:00:00Z" });
    expect(earlier.duplicate_of).toBeNull();
  });
});

describe("_200_dedup_insert: returning to an earlier screen (whole history)", () => {
  it("finds a frame hours back within history_threshold (3 bits), in any band", async () => {
    const p = randomPhash();
    const a = await insert(p, { at: "2026-01-01T08:00:00Z" });
    // one flipped bit in each of three bands: only the fourth band (bits 0-15) agrees
    const b = await insert(flipBits(p, 63, 47, 31), { at: "2026-01-01T11:00:00Z" });
    expect(b).toMatchObject({ duplicate_of: a.id, duplicate_distance: 3 });
  });

  it("does not match beyond the window at 4 bits", async () => {
    const p = randomPhash();
    await insert(p, { at: "2026-01-01T08:00:00Z" });
    const b = await insert(flipBits(p, 63, 47, 31, 15), { at: "2026-01-01T11:00:00Z" });
    expect(b.duplicate_of).toBeNull();
  });

  it("can be turned off with history_threshold = -1", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, history_threshold) values (${dep}, -1)`;
    const p = randomPhash();
    await insert(p, { at: "2026-01-01T08:00:00Z" });
    const b = await insert(p, { at: "2026-01-01T11:00:00Z" });
    expect(b.duplicate_of).toBeNull();
  });
});

describe("settings", () => {
  it("per-deployment settings override the '*' row and take effect on the next insert", async () => {
    const p = randomPhash();
    await insert(p, { at: "2026-01-01T10:00:00Z" });
    await db.sql`insert into pgrecall.settings (deployment_id, phash_threshold) values (${dep}, 1)`;
    const b = await insert(flipBits(p, 1, 2), { at: "2026-01-01T10:00:01Z" });
    expect(b.duplicate_of).toBeNull();
    await db.sql`update pgrecall.settings set phash_threshold = 2 where deployment_id = ${dep}`;
    const c = await insert(flipBits(p, 1, 2), { at: "2026-01-01T10:00:02Z" });
    expect(c.duplicate_of).not.toBeNull();
  });

  it("rejects a history_threshold the band index cannot honour", async () => {
    await expect(db.sql`update pgrecall.settings set history_threshold = 6 where deployment_id = '*'`).rejects.toThrow(
      /settings_history_threshold_check/,
    );
  });
});

describe("tile hashes", () => {
  const tiles = (changes: Record<number, bigint> = {}) => Array.from({ length: 64 }, (_, i) => changes[i] ?? BigInt(i * 7919));

  it("keeps a frame whose phash matches but whose tiles changed (typed text)", async () => {
    const p = randomPhash();
    await insert(p, { tiles: tiles(), at: "2026-01-01T10:00:00Z" });
    const b = await insert(p, { tiles: tiles({ 20: 20n * 7919n ^ 0b111n }), at: "2026-01-01T10:00:01Z" });
    expect(b.duplicate_of).toBeNull();
  });

  it("still catches a frame whose tiles moved by no more than tile_bit_threshold bits (cursor blink)", async () => {
    const p = randomPhash();
    const a = await insert(p, { tiles: tiles(), at: "2026-01-01T10:00:00Z" });
    const b = await insert(p, { tiles: tiles({ 20: 20n * 7919n ^ 0b11n }), at: "2026-01-01T10:00:01Z" });
    expect(b.duplicate_of).toBe(a.id);
  });

  it("falls back to phash-only when either side has no tiles", async () => {
    const p = randomPhash();
    const a = await insert(p, { tiles: tiles(), at: "2026-01-01T10:00:00Z" });
    const b = await insert(p, { tiles: null, at: "2026-01-01T10:00:01Z" });
    expect(b.duplicate_of).toBe(a.id);
  });
});

describe("_200_dedup_update: phash arriving later", () => {
  it("runs the same dedup when phash is set on a frame inserted without one", async () => {
    const p = randomPhash();
    const a = await insert(p, { at: "2026-01-01T10:00:00Z" });
    const b = await insert(null, { at: "2026-01-01T10:00:01Z" });
    expect(b.duplicate_of).toBeNull();
    const [r] = await db.sql<Row[]>`select * from pgrecall.frame_hash_done(${b.id}, ${flipBits(p, 3)}, null)`;
    expect(r).toMatchObject({ duplicate_of: a.id, duplicate_distance: 1, ocr_status: 3 });
  });

  it("a frame hashed later is new content when nothing earlier is close", async () => {
    const b = await insert(null);
    const [r] = await db.sql<Row[]>`select * from pgrecall.frame_hash_done(${b.id}, ${randomPhash()}, null)`;
    expect(r).toMatchObject({ duplicate_of: null, ocr_status: 0, phash_prefix: expect.any(Number) });
  });
});

describe("find_near_duplicate uses the indexes", () => {
  it("probes every band index and never scans frames sequentially, once a deployment has history", async () => {
    // History loaded as finished frames (the triggers' own cost is not what this test is about).
    await db.sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`
        insert into pgrecall.frames (deployment_id, captured_at, phash, phash_prefix, hash_status)
        select 'plan', timestamptz '2026-01-01' + i * interval '2 s', p, pgrecall.phash_prefix(p), 1
        from generate_series(1, 12000) i,
             lateral (select ((floor(random() * 4294967296)::bigint << 32) | floor(random() * 4294967296)::bigint) + 0 * i as p) r`;
    });
    await db.sql`analyze pgrecall.frames`;
    const counters = () => db.sql<{ name: string; scans: number }[]>`
      select indexrelname as name, idx_scan::int as scans from pg_stat_user_indexes where relname = 'frames'
      union all select 'seq_scan', seq_scan::int from pg_stat_user_tables where relid = 'pgrecall.frames'::regclass`;
    await db.sql`select pg_stat_force_next_flush()`;
    const before = Object.fromEntries((await counters()).map((r) => [r.name, r.scans]));
    // A new screen, captured long after: the window is empty, so all six band probes run.
    await db.sql`select * from pgrecall.find_near_duplicate('plan', '2026-02-01', ${randomPhash()})`;
    await db.sql`select pg_stat_force_next_flush()`;
    const after = Object.fromEntries((await counters()).map((r) => [r.name, r.scans]));
    for (const idx of ["idx_frames_phash_prefix", "idx_frames_phash_band1", "idx_frames_phash_band2",
                       "idx_frames_phash_band3", "idx_frames_phash_band4", "idx_frames_phash_band5"]) {
      expect(after[idx]! - before[idx]!, idx).toBeGreaterThan(0);
    }
    expect(after.seq_scan).toBe(before.seq_scan);
  });
});

describe("exactness of the six-band lookup", () => {
  it("finds a 5-bit match before the window when history_threshold is 5, whichever band is intact", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, history_threshold) values (${dep}, 5)`;
    // Band bit ranges (most significant first): 63-53, 52-42, 41-31, 30-21, 20-11, 10-0.
    const oneBitPerBand = [63, 52, 41, 30, 20, 10];
    for (let intact = 0; intact < 6; intact++) {
      const p = randomPhash();
      const a = await insert(p, { at: `2026-01-0${1 + (intact % 5)}T08:00:00Z`, dep: `${dep}-${intact}` });
      await db.sql`insert into pgrecall.settings (deployment_id, history_threshold) values (${dep + "-" + intact}, 5)`;
      const flips = oneBitPerBand.filter((_, k) => k !== intact);
      const b = await insert(flipBits(p, ...flips), { at: `2026-01-0${1 + (intact % 5)}T12:00:00Z`, dep: `${dep}-${intact}` });
      expect(b, `band ${intact} intact`).toMatchObject({ duplicate_of: a.id, duplicate_distance: 5 });
    }
  });
});
