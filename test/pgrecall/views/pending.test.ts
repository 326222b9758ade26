import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();

describe("pending views", () => {
  it("list each stage's runnable frames, and move them along as stages finish", async () => {
    const [a] = await db.sql`insert into pgrecall.frames (deployment_id, image_ref) values ('pv', '/a.png') returning id`;
    const [b] = await db.sql`insert into pgrecall.frames (deployment_id, phash, image_ref) values ('pv', ${randomPhash()}, '/b.png') returning id`;
    const ids = async (view: string) =>
      (await db.sql.unsafe(`select id from pgrecall.${view} order by inserted_at`)).map((r) => r.id);

    expect(await ids("pending_hash")).toEqual([a!.id]);
    expect(await ids("pending_ocr")).toEqual([b!.id]);
    expect(await ids("pending_vision")).toEqual([]); // vision waits for OCR: it is sent the redacted image
    expect(await ids("pending_embedding")).toEqual([]);

    await db.sql`select pgrecall.frame_hash_done(${a!.id}, ${randomPhash()})`;
    await db.sql`select pgrecall.frame_ocr_done(${b!.id}, 'text')`;
    expect(await ids("pending_hash")).toEqual([]);
    expect(await ids("pending_ocr")).toEqual([a!.id]);
    expect(await ids("pending_embedding")).toEqual([b!.id]);
    expect(await ids("pending_vision")).toEqual([b!.id]);

    const [w] = await db.sql`select waiting, image_ref from pgrecall.pending_ocr`;
    expect(w!.image_ref).toBe("/a.png");
  });
});
