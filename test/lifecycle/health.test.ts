// pgrecall.health and pgrecall health: each figure with whether it is healthy; exit 1 when not.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const health = async () =>
  Object.fromEntries((await db.sql<{ check_name: string; ok: boolean; value: string }[]>`select * from pgrecall.health()`).map((c) => [c.check_name, c]));

describe("health", () => {
  it("flags a stage pending too long with no live worker, and a retention pass overdue", async () => {
    expect(Object.values(await health()).every((c) => c.ok)).toBe(true);
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('h', ${randomPhash()}) returning id`;
    await db.sql`update pgrecall.frames set inserted_at = now() - interval '2 hours' where id = ${f!.id}`;
    await db.sql`insert into pgrecall.settings (deployment_id, keep_images_for) values ('h', '30 days')`;
    const h = await health();
    expect(h.ocr_oldest_pending).toMatchObject({ ok: false });
    expect(Number(h.ocr_oldest_pending!.value)).toBeGreaterThanOrEqual(7200);
    expect(h.embedding_oldest_pending).toMatchObject({ ok: true, value: "0" }); // waits for OCR: OCR's delay, not its own
    expect(h.workers).toMatchObject({ ok: false, value: "0" });
    expect(h.last_retention).toMatchObject({ ok: false, value: "never" });
    expect(Number(h.database_bytes!.value)).toBeGreaterThan(0);

    const r = await promisify(execFile)("node", ["bin/pgrecall.js", "health"], { env: { ...process.env, DATABASE_URL: db.url } })
      .then(() => ({ code: 0, stdout: "" }), (e: { code: number; stdout: string }) => e);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL  ocr_oldest_pending .* 1 pending, the oldest for 0?2:00/);
    expect(r.stdout).toMatch(/unhealthy/);

    await db.sql`select pgrecall.retention_done('{}'::jsonb)`;
    expect((await health()).last_retention).toMatchObject({ ok: true });
  });
});
