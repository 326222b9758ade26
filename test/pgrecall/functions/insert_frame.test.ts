// pgrecall.insert_frame: the same capture key is the same frame, even sent twice at once.
import { describe, expect, it } from "vitest";
import { connect } from "../../../src/db.js";
import { randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();
const at = new Date("2026-11-20T10:00:00Z");

describe("pgrecall.insert_frame", () => {
  it("inserts a frame once per (deployment, captured_at, capture_key), and says when it existed", async () => {
    const phash = randomPhash();
    const call = () => db.sql`select * from pgrecall.insert_frame(p_deployment_id => 'k', p_captured_at => ${at},
                                p_image_ref => 'blob:sha256:ab', p_capture_key => 'shot-1', p_phash => ${phash})`;
    const [first] = await call();
    const [again] = await call();
    expect(first).toMatchObject({ existing: false, duplicate_of: null });
    expect(again).toEqual({ ...first, existing: true });
    const [{ n }] = (await db.sql`select count(*)::int as n from pgrecall.frames where deployment_id = 'k'`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  it("the same key at another time, or in another deployment, is another frame; no key always inserts", async () => {
    const ins = (dep: string, when: Date, key: string | null) =>
      db.sql`select existing from pgrecall.insert_frame(${dep}, ${when}, 'blob:sha256:cd', ${key})`.then((r) => r[0]!.existing);
    expect(await ins("k2", at, "same")).toBe(false);
    expect(await ins("k2", new Date(at.getTime() + 1000), "same")).toBe(false);
    expect(await ins("k3", at, "same")).toBe(false);
    expect(await ins("k2", at, null)).toBe(false);
    expect(await ins("k2", at, null)).toBe(false);
  });

  it("eight sessions sending the same 50 captures at once store each once", async () => {
    const sessions = Array.from({ length: 8 }, () => connect(db.url, { max: 1 }));
    try {
      const results = await Promise.all(
        sessions.map(async (s) => {
          const out: boolean[] = [];
          for (let i = 0; i < 50; i++) {
            const [r] = await s`select existing from pgrecall.insert_frame('race', ${new Date(at.getTime() + i * 1000)},
                                  ${"blob:sha256:" + i}, ${"key-" + i})`;
            out.push(r!.existing as boolean);
          }
          return out;
        }),
      );
      const inserted = results.flat().filter((e) => !e).length;
      expect(inserted).toBe(50);
      const [{ n }] = (await db.sql`select count(*)::int as n from pgrecall.frames where deployment_id = 'race'`) as unknown as [{ n: number }];
      expect(n).toBe(50);
    } finally {
      await Promise.all(sessions.map((s) => s.end()));
    }
  });
});
