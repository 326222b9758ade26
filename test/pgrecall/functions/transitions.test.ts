import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();

async function frame(opts: { phash?: bigint | null; dep?: string } = {}): Promise<string> {
  const phash = opts.phash === undefined ? randomPhash() : opts.phash;
  const [r] = await db.sql`insert into pgrecall.frames (deployment_id, phash, image_ref)
                           values (${opts.dep ?? "tr"}, ${phash}, 'x.png') returning id`;
  return r!.id;
}

const row = async (id: string) => (await db.sql`select * from pgrecall.frames where id = ${id}`)[0]!;

describe("done transitions", () => {
  it("frame_hash_done records phash and tiles and marks the stage done", async () => {
    const id = await frame({ phash: null });
    const tiles = "{" + Array.from({ length: 64 }, (_, i) => i).join(",") + "}";
    await db.sql`select pgrecall.frame_hash_done(${id}, ${-42n}, ${tiles}::bigint[])`;
    const r = await row(id);
    expect(r).toMatchObject({ phash: -42n, hash_status: 1, hash_message: null });
    expect(r.tile_hashes).toHaveLength(64);
    expect(r.hash_at).toBeInstanceOf(Date);
  });

  it("frame_ocr_done stores the text, null as empty", async () => {
    const a = await frame();
    const b = await frame();
    await db.sql`select pgrecall.frame_ocr_done(${a}, 'Invoice INV-2026-0042')`;
    await db.sql`select pgrecall.frame_ocr_done(${b}, null)`;
    expect(await row(a)).toMatchObject({ ocr_status: 1, ocr_text: "Invoice INV-2026-0042" });
    expect(await row(b)).toMatchObject({ ocr_status: 1, ocr_text: "" });
  });

  it("frame_ocr_done records the engine and model that read the text, a blank one as null", async () => {
    const [a, b, c] = [await frame(), await frame(), await frame()];
    await db.sql`select pgrecall.frame_ocr_done(${a}, 'x', 90, null, null, null, 'pgrecall: tesseract.js 7.0.0, tessdata_fast')`;
    await db.sql`select pgrecall.frame_ocr_done(${b}, 'x', p_engine => '  ')`;
    await db.sql`select pgrecall.frame_ocr_imported(${c}, 'screenpipe: Tesseract', 'x')`;
    expect((await row(a)).ocr_engine).toBe("pgrecall: tesseract.js 7.0.0, tessdata_fast");
    expect((await row(b)).ocr_engine).toBeNull();
    expect((await row(c)).ocr_engine).toBe("screenpipe: Tesseract");
  });

  it("frame_vision_done stores the summary and refuses an empty one", async () => {
    const id = await frame();
    await expect(db.sql`select pgrecall.frame_vision_done(${id}, '  ')`).rejects.toThrow(/needs a summary/);
    await db.sql`select pgrecall.frame_vision_done(${id}, 'A code editor showing invoices.js')`;
    expect(await row(id)).toMatchObject({ vision_status: 1, vision_summary: "A code editor showing invoices.js" });
  });

  it("frame_embedding_done stores a 384-dimension vector with its model and rejects another size or no model", async () => {
    const id = await frame();
    await db.sql`select pgrecall.frame_ocr_done(${id}, 'x')`;
    const v = "[" + Array.from({ length: 384 }, (_, i) => (i % 7) / 7).join(",") + "]";
    await expect(db.sql`select pgrecall.frame_embedding_done(${id}, '[1,2,3]'::vector, 'm')`).rejects.toThrow(/expected 384 dimensions/);
    await expect(db.sql`select pgrecall.frame_embedding_done(${id}, ${v}::vector, ' ')`).rejects.toThrow(/needs the model/);
    await db.sql`select pgrecall.frame_embedding_done(${id}, ${v}::vector, 'Xenova/all-MiniLM-L6-v2')`;
    expect(await row(id)).toMatchObject({ embedding_status: 1, embedding_model: "Xenova/all-MiniLM-L6-v2" });
  });
});

describe("failed and skipped transitions", () => {
  it("record status 2 or 3 with the message and the time", async () => {
    const id = await frame();
    await db.sql`select pgrecall.frame_ocr_failed(${id}, 'image is truncated')`;
    await db.sql`select pgrecall.frame_vision_skipped(${id}, 'no vision provider configured')`;
    expect(await row(id)).toMatchObject({
      ocr_status: 2,
      ocr_message: "image is truncated",
      vision_status: 3,
      vision_message: "no vision provider configured",
    });
  });

  it("every stage has its wrappers", async () => {
    const a = await frame({ phash: null });
    await db.sql`select pgrecall.frame_hash_failed(${a}, 'not an image')`;
    const b = await frame();
    await db.sql`select pgrecall.frame_ocr_skipped(${b}, 'blank screen')`;
    await db.sql`select pgrecall.frame_vision_failed(${b}, 'provider said 500')`;
    await db.sql`select pgrecall.frame_embedding_failed(${b}, 'no model')`;
    const c = await frame();
    await db.sql`select pgrecall.frame_embedding_skipped(${c}, 'nothing to embed')`;
    expect(await row(a)).toMatchObject({ hash_status: 2, hash_message: "not an image" });
    expect(await row(b)).toMatchObject({ ocr_status: 3, vision_status: 2, embedding_status: 2 });
    expect(await row(c)).toMatchObject({ embedding_status: 3 });
  });

  it("caps a huge message at 4000 characters", async () => {
    const id = await frame();
    await db.sql`select pgrecall.frame_ocr_failed(${id}, ${"x".repeat(100_000)})`;
    expect((await row(id)).ocr_message).toHaveLength(4000);
  });
});

describe("illegal transitions raise clear errors", () => {
  it("completing a stage that is already done", async () => {
    const id = await frame();
    await db.sql`select pgrecall.frame_ocr_done(${id}, 'a')`;
    await expect(db.sql`select pgrecall.frame_ocr_done(${id}, 'b')`).rejects.toMatchObject({
      code: "55000",
      message: `cannot complete ocr of frame ${id}: its ocr status is 1 (done)`,
    });
    expect((await row(id)).ocr_text).toBe("a");
  });

  it("failing a stage that was skipped as a near-duplicate", async () => {
    const p = randomPhash();
    await frame({ phash: p });
    const dup = await frame({ phash: p });
    await expect(db.sql`select pgrecall.frame_ocr_failed(${dup}, 'x')`).rejects.toThrow(/its ocr status is 3 \(skipped\)/);
  });

  it("hashing a frame that has its phash", async () => {
    const id = await frame();
    await expect(db.sql`select pgrecall.frame_hash_done(${id}, 1)`).rejects.toThrow(/cannot complete hash/);
  });

  it("a frame that does not exist", async () => {
    await expect(
      db.sql`select pgrecall.frame_ocr_done('00000000-0000-0000-0000-000000000000', 'x')`,
    ).rejects.toMatchObject({ code: "P0002" });
  });

  it("an unknown stage, a missing message, skipping the hash, a null phash", async () => {
    const id = await frame({ phash: null });
    await expect(db.sql`select pgrecall.frame_stage_failed(${id}, 'ocrr', 'x')`).rejects.toThrow(/unknown stage "ocrr"/);
    await expect(db.sql`select pgrecall.frame_hash_failed(${id}, '')`).rejects.toThrow(/needs a message/);
    await expect(db.sql`select pgrecall.frame_stage_skipped(${id}, 'hash', 'why not')`).rejects.toThrow(/cannot be skipped/);
    await expect(db.sql`select pgrecall.frame_hash_done(${id}, null)`).rejects.toThrow(/needs a phash/);
    expect(await row(id)).toMatchObject({ hash_status: 0, hash_message: null });
  });
});

describe("requeue", () => {
  it("sets an errored or skipped stage back to pending", async () => {
    const id = await frame();
    await db.sql`select pgrecall.frame_ocr_failed(${id}, 'x')`;
    await db.sql`select pgrecall.frame_vision_skipped(${id}, 'no provider')`;
    await db.sql`select pgrecall.requeue(${id}, 'ocr')`;
    await db.sql`select pgrecall.requeue(${id}, 'vision')`;
    expect(await row(id)).toMatchObject({ ocr_status: 0, ocr_message: null, ocr_at: null, vision_status: 0 });
  });

  it("refuses a done stage, a pending one and a near-duplicate", async () => {
    const p = randomPhash();
    const id = await frame({ phash: p });
    const dup = await frame({ phash: p });
    await expect(db.sql`select pgrecall.requeue(${id}, 'ocr')`).rejects.toThrow(/cannot requeue ocr .* status is 0 \(pending\)/);
    await db.sql`select pgrecall.frame_ocr_done(${id}, 'x')`;
    await expect(db.sql`select pgrecall.requeue(${id}, 'ocr')`).rejects.toThrow(/status is 1 \(done\)/);
    await expect(db.sql`select pgrecall.requeue(${dup}, 'ocr')`).rejects.toThrow(/status is 3 \(skipped\)/);
  });

  it("requeue_failed resets every failed stage, or one stage of one deployment", async () => {
    const a = await frame({ dep: "rq" });
    const b = await frame({ dep: "rq" });
    await db.sql`select pgrecall.frame_ocr_failed(${a}, 'x'), pgrecall.frame_vision_failed(${a}, 'y'),
                        pgrecall.frame_ocr_failed(${b}, 'z')`;
    expect(await db.sql`select pgrecall.requeue_failed('ocr', 'nope') as n`).toEqual([{ n: 0 }]);
    expect(await db.sql`select pgrecall.requeue_failed('vision', 'rq') as n`).toEqual([{ n: 1 }]);
    expect(await db.sql`select pgrecall.requeue_failed(null, 'rq') as n`).toEqual([{ n: 2 }]);
    expect(await row(a)).toMatchObject({ ocr_status: 0, vision_status: 0 });
  });

  it("requeue_failed is one set-based statement: one add_jobs call for every frame it requeues", async () => {
    const ids = (await db.sql`insert into pgrecall.frames (deployment_id, phash)
                              select 'bulk', (random() * 9e18)::bigint from generate_series(1, 300) returning id`).map((r) => r.id as string);
    await db.sql`select pgrecall.frame_ocr_failed(id, 'bad') from unnest(${ids}::uuid[]) as id`;
    const calls = await db.sql.begin(async (tx) => {
      await tx`set local track_functions = 'all'`;
      const [r] = await tx`select pgrecall.requeue_failed('ocr', 'bulk') as n`;
      const stats = await tx`select funcname, calls::int from pg_stat_xact_user_functions
                             where schemaname = 'pgrecall' and funcname in ('requeue', '_add_jobs') order by funcname`;
      return { n: r!.n, stats: Object.fromEntries(stats.map((s) => [s.funcname, s.calls])) };
    });
    expect(calls).toEqual({ n: 300, stats: { _add_jobs: 1 } });
    const [{ jobs }] = (await db.sql`select count(*)::int as jobs from graphile_worker.jobs
                                     where task_identifier = 'ocr' and key = any(${ids.map((id) => `pgrecall:ocr:${id}`)})`) as unknown as [{ jobs: number }];
    expect(jobs).toBe(300);
  });
});
