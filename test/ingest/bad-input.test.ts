// Bad input from a capture client: a clear error or a defined behaviour, never a half-written frame.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const count = async () => (await db.sql`select count(*)::int as n from pgrecall.frames`)[0]!.n as number;
const jobs = async () => (await db.sql`select count(*)::int as n from graphile_worker._private_jobs`)[0]!.n as number;

describe("bad frames are rejected whole", () => {
  const cases: [string, string, RegExp][] = [
    ["null deployment_id", "insert into pgrecall.frames (deployment_id) values (null)", /null value in column "deployment_id"/],
    ["empty deployment_id", "insert into pgrecall.frames (deployment_id) values ('')", /frames_deployment_id_check/],
    ["phash of the wrong type", "insert into pgrecall.frames (deployment_id, phash) values ('d', 'abc')", /invalid input syntax for type bigint/],
    ["phash beyond 64 bits", "insert into pgrecall.frames (deployment_id, phash) values ('d', 18446744073709551615)", /bigint out of range|out of range for type bigint/],
    ["captured_at 'infinity'", "insert into pgrecall.frames (deployment_id, captured_at) values ('d', 'infinity')", /captured_at infinity is out of range/],
    ["captured_at in 1970", "insert into pgrecall.frames (deployment_id, captured_at) values ('d', '1970-01-01')", /out of range/],
    ["captured_at next year", "insert into pgrecall.frames (deployment_id, captured_at) values ('d', now() + interval '1 year')", /out of range/],
    ["captured_at not a time", "insert into pgrecall.frames (deployment_id, captured_at) values ('d', 'yesterday-ish')", /invalid input syntax for type timestamp/],
    ["status out of range", "insert into pgrecall.frames (deployment_id, ocr_status) values ('d', 7)", /frames_ocr_status_check/],
    ["tile grid of the wrong size", "insert into pgrecall.frames (deployment_id, tile_hashes) values ('d', '{1,2,3}')", /frames_tile_hashes_check/],
    ["embedding of the wrong size", "insert into pgrecall.frames (deployment_id, embedding) values ('d', '[1,2]')", /expected 384 dimensions/],
    ["a frame that is its own duplicate", "insert into pgrecall.frames (id, deployment_id, duplicate_of) values ('00000000-0000-0000-0000-000000000001', 'd', '00000000-0000-0000-0000-000000000001')", /frames_duplicate_check/],
  ];
  for (const [name, stmt, error] of cases) {
    it(name, async () => {
      const before = [await count(), await jobs()];
      await expect(db.sql.unsafe(stmt)).rejects.toThrow(error);
      expect([await count(), await jobs()]).toEqual(before);
    });
  }

  it("one bad row fails its whole statement: no frame of the batch and no job is written", async () => {
    const before = [await count(), await jobs()];
    await expect(
      db.sql`insert into pgrecall.frames (deployment_id, captured_at) values ('d', now()), ('d', 'infinity'), ('d', now())`,
    ).rejects.toThrow(/out of range/);
    expect([await count(), await jobs()]).toEqual(before);
  });
});

describe("defined behaviour", () => {
  it("a 1 MB window title is kept, capped at 1024 characters with an ellipsis", async () => {
    const [r] = await db.sql`insert into pgrecall.frames (deployment_id, window_title, app_name)
                             values ('d', ${"t".repeat(1 << 20)}, ${"a".repeat(5000)})
                             returning window_title, app_name`;
    expect(r!.window_title).toHaveLength(1024);
    expect(r!.window_title.endsWith("…")).toBe(true);
    expect(r!.app_name).toHaveLength(256);
  });

  it("a client cannot claim a hash it did not give: hash_status follows phash", async () => {
    const [r] = await db.sql`insert into pgrecall.frames (deployment_id, hash_status) values ('d', 1) returning hash_status`;
    expect(r!.hash_status).toBe(0);
  });

  it("unicode and control characters in titles are stored as given", async () => {
    const title = "Über – 日本語 🎉 \t tab";
    const [r] = await db.sql`insert into pgrecall.frames (deployment_id, window_title) values ('d', ${title}) returning window_title`;
    expect(r!.window_title).toBe(title);
  });
});
