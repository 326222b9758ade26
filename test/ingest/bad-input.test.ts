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
    ["status out of range", "insert into pgrecall.frames (deployment_id, ocr_status) values ('d', 7)", /sets columns that belong to the pipeline/],
    ["OCR claimed done with no text", "insert into pgrecall.frames (deployment_id, ocr_status) values ('d', 1)", /sets columns that belong to the pipeline/],
    ["a hash claimed without one", "insert into pgrecall.frames (deployment_id, hash_status) values ('d', 1)", /sets columns that belong to the pipeline/],
    ["OCR text from the client", "insert into pgrecall.frames (deployment_id, ocr_text) values ('d', 'password hunter2')", /sets columns that belong to the pipeline/],
    ["a duplicate of another deployment's frame", "insert into pgrecall.frames (deployment_id, duplicate_of) values ('d', gen_random_uuid())", /sets columns that belong to the pipeline/],
    ["tile grid of the wrong size", "insert into pgrecall.frames (deployment_id, tile_hashes) values ('d', '{1,2,3}')", /frames_tile_hashes_check/],
    ["embedding of the wrong size", "insert into pgrecall.frames (deployment_id, embedding) values ('d', '[1,2]')", /expected 384 dimensions/],
    ["a frame that is its own duplicate", "insert into pgrecall.frames (id, deployment_id, duplicate_of) values ('00000000-0000-0000-0000-000000000001', 'd', '00000000-0000-0000-0000-000000000001')", /sets columns that belong to the pipeline/],
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

  it("the refusal of pipeline columns says which columns a client may set", async () => {
    const err = await db.sql`insert into pgrecall.frames (deployment_id, ocr_status) values ('d', 1)`.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "42501", hint: expect.stringContaining("deployment_id, captured_at, image_ref") });
  });

  it("unicode in titles is stored as given; control characters (tabs, ANSI escapes) become a space", async () => {
    const title = "Über – 日本語 🎉";
    const [r] = await db.sql`insert into pgrecall.frames (deployment_id, window_title, app_name)
                             values ('d', ${title + "\t\x1b[31mred\x1b[0m"}, ${"Term\x07inal"}) returning window_title, app_name`;
    expect(r!.window_title).toBe(title + " [31mred [0m");
    expect(r!.app_name).toBe("Term inal");
  });
});
