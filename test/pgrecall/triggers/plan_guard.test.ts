import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();

describe("_000_plan_guard_begin / _999_plan_guard_end", () => {
  it("leave plan_cache_mode as the session had it, after inserts and updates", async () => {
    await db.sql.begin(async (tx) => {
      await tx`set local plan_cache_mode = 'auto'`;
      const [f] = await tx`insert into pgrecall.frames (deployment_id, phash) values ('pg', ${randomPhash()}) returning id`;
      expect((await tx`select current_setting('plan_cache_mode') as m`)[0]!.m).toBe("auto");
      await tx`select pgrecall.frame_ocr_done(${f!.id}, 'x')`;
      expect((await tx`select current_setting('plan_cache_mode') as m`)[0]!.m).toBe("auto");
    });
  });

  it("a failing statement leaves nothing behind either (the setting is transaction-local)", async () => {
    const conn = await db.sql.reserve();
    try {
      await expect(conn`insert into pgrecall.frames (deployment_id, captured_at) values ('pg', 'infinity')`).rejects.toThrow();
      expect((await conn`select current_setting('plan_cache_mode') as m`)[0]!.m).toBe("auto");
    } finally {
      conn.release();
    }
  });
});

describe("pgrecall.find_near_duplicate from any client", () => {
  it("answers for a phash that was never inserted, and null for new content", async () => {
    const p = randomPhash();
    const [a] = await db.sql`insert into pgrecall.frames (deployment_id, captured_at, phash) values ('fnd', '2026-01-01T10:00:00Z', ${p}) returning id`;
    const [hit] = await db.sql`select * from pgrecall.find_near_duplicate('fnd', '2026-01-01T10:00:05Z', ${p ^ 1n})`;
    expect(hit).toEqual({ frame_id: a!.id, distance: 1 });
    const [miss] = await db.sql`select * from pgrecall.find_near_duplicate('fnd', '2026-01-01T10:00:05Z', ${~p})`;
    expect(miss).toEqual({ frame_id: null, distance: null });
  });
});
