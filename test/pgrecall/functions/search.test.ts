// pgrecall.search_frames and pgrecall.search_query on a small labelled set built here.
import { describe, expect, it, beforeAll } from "vitest";
import { useTestDatabase } from "../../helpers/db.js";
import { addFrame, TEST_MODEL, vec384 } from "../../helpers/frames.js";

const db = useTestDatabase();
const t0 = new Date("2026-11-20T09:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ids: Record<string, string> = {};

interface Hit {
  frame_id: string;
  score: number;
  snippet: string;
  matched: string;
  next_cursor: string;
  duplicate_of: string | null;
}
type Args = Record<string, unknown>;
async function search(query: string | null, args: Args = {}): Promise<Hit[]> {
  const names = Object.keys(args);
  const params = names.map((n) => args[n]);
  const named = names.map((n, i) => `p_${n} => $${i + 2}${n === "query_embedding" ? "::vector" : ""}`).join(", ");
  return db.sql.unsafe<Hit[]>(`select * from pgrecall.search_frames($1${named ? ", " + named : ""})`, [query, ...(params as never[])]);
}
const idsOf = (hits: Hit[]) => hits.map((h) => h.frame_id);
const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0];
const names = (hits: Hit[]) => hits.map((h) => nameOf(h.frame_id));

beforeAll(async () => {
  const sql = db.sql;
  ids.invoice = await addFrame(sql, { window: "invoices.js — billing", text: "export async function loadInvoice(path) {\nconst invoice = JSON.parse(raw);\nInvoice INV-2026-0042 is overdue", at: at(0), vector: [1, 0, 0] });
  ids.mail = await addFrame(sql, { app: "Mail", window: "Inbox — Mail", text: "From: Dana Whitfield\nSubject: Invoice INV-2026-0043 reminder\nthe payment is overdue since 3 November", at: at(10), vector: [0.9, 0.1, 0] });
  ids.slack = await addFrame(sql, { app: "Slack", window: "#billing 50%_off", text: "sam: is the quarterly report ready? dana: almost, waiting for the budget review", at: at(20), vector: [0, 1, 0] });
  ids.terminal = await addFrame(sql, { deployment: "laptop", app: "Terminal", window: "zsh", text: "$ git commit -m 'fix invoice rounding'\n[main 4f2a9c1] fix invoice rounding", at: at(30), vector: [0, 0, 1] });
  ids.curly = await addFrame(sql, { app: "Code", window: "notes.md", text: "don’t forget the “late fee” for Northwind", at: at(40) });
  ids.summary = await addFrame(sql, { app: "Browser", window: "Dashboard", text: "", summary: "A sales dashboard with a revenue chart for Northwind.", at: at(50) });
});

describe("search_frames, full text", () => {
  it("finds a frame by a word it shows, with the word highlighted in the snippet", async () => {
    const hits = await search("Whitfield", { mode: "fts" });
    expect(names(hits)).toEqual(["mail"]);
    expect(hits[0]!.snippet).toContain("Dana «Whitfield»");
    expect(hits[0]!.matched).toBe("fts");
  });

  it("matches phrases only where the words stand together", async () => {
    expect(names(await search('"invoice rounding"', { mode: "fts" }))).toEqual(["terminal"]);
    expect(await search('"rounding invoice"', { mode: "fts" })).toEqual([]);
    expect(names(await search("overdue", { mode: "fts" })).sort()).toEqual(["invoice", "mail"]);
  });

  it("finds invoice numbers exactly", async () => {
    expect(names(await search("INV-2026-0042", { mode: "fts" }))).toEqual(["invoice"]);
    expect(names(await search("INV-2026-0043", { mode: "fts" }))).toEqual(["mail"]);
    expect(await search("INV-2026-0044", { mode: "fts" })).toEqual([]);
  });

  it("tolerates one wrong letter", async () => {
    expect(names(await search("Whitfeld", { mode: "fts" }))).toEqual(["mail"]);
    expect(names(await search("quartely report", { mode: "fts" }))).toEqual(["slack"]);
    expect(await db.sql`select pgrecall.search_query('Whitfeld')::text as q`).toEqual([{ q: "'whitfeld' | 'whitfield'" }]);
  });

  it("straightens curly quotes on both sides, so what OCR read as ’ is found with '", async () => {
    expect(names(await search("don't forget", { mode: "fts" }))).toEqual(["curly"]);
    expect(names(await search('"late fee"', { mode: "fts" }))).toEqual(["curly"]);
  });

  it("searches window titles, app names and vision summaries too", async () => {
    expect(names(await search("Dashboard revenue", { mode: "fts" }))).toEqual(["summary"]);
    expect(names(await search("zsh", { mode: "fts" }))).toEqual(["terminal"]);
  });

  it("excludes words with -, and accepts or", async () => {
    expect(names(await search("invoice -rounding", { mode: "fts" })).sort()).toEqual(["invoice", "mail"]);
    expect(names(await search("Whitfield or zsh", { mode: "fts" })).sort()).toEqual(["mail", "terminal"]);
  });

  it("ranks a frame whose title names the word above one whose text mentions it in passing", async () => {
    const passing = await addFrame(db.sql, { deployment: "rank", window: "notes", text: "a long page about many things, the budget among them, and more words after it" });
    const titled = await addFrame(db.sql, { deployment: "rank", window: "Budget 2027", text: "budget" });
    expect(idsOf(await search("budget", { mode: "fts", deployment_id: "rank" }))).toEqual([titled, passing]);
  });
});

describe("search_frames, filters", () => {
  it("filters by deployment, app (any case), window title substring and time", async () => {
    expect(names(await search("invoice", { mode: "fts", deployment_id: "laptop" }))).toEqual(["terminal"]);
    expect(names(await search("invoice", { mode: "fts", app: "mail" }))).toEqual(["mail"]);
    expect(names(await search("invoice", { mode: "fts", window: "BILLING" }))).toEqual(["invoice"]);
    expect(names(await search(null, { mode: "fts", window: "50%_off" }))).toEqual(["slack"]);
    expect(await search(null, { mode: "fts", window: "50%%" })).toEqual([]);
    expect(names(await search("invoice", { mode: "fts", since: at(5), until: at(30) }))).toEqual(["mail"]);
  });

  it("with no query, lists the frames the filters select, newest first", async () => {
    expect(names(await search("", { mode: "fts", until: at(25) }))).toEqual(["slack", "mail", "invoice"]);
  });

  it("leaves near-duplicates out unless asked, then lists them with the score of the frame they repeat, ordered by score, then id", async () => {
    const [{ phash }] = (await db.sql`select phash from pgrecall.frames where id = ${ids.terminal!}`) as unknown as [{ phash: bigint }];
    const dup = await addFrame(db.sql, { deployment: "laptop", app: "Terminal", window: "zsh", phash, at: at(31) });
    expect(idsOf(await search("rounding", { mode: "fts" }))).toEqual([ids.terminal]);
    const all = await search("rounding", { mode: "fts", include_duplicates: true });
    expect(all.map((h) => [h.frame_id, h.duplicate_of])).toEqual([[ids.terminal, null], [dup, ids.terminal]].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    expect(all[0]!.score).toBe(all[1]!.score);
    expect(all.find((h) => h.frame_id === dup)!.snippet).toContain("«rounding»");
  });
});

describe("search_frames, vector and hybrid", () => {
  it("ranks by cosine similarity to the query embedding, only among vectors of the given model", async () => {
    const hits = await search(null, { mode: "vector", query_embedding: vec384([1, 0.05, 0]) });
    expect(names(hits).slice(0, 2)).toEqual(["invoice", "mail"]);
    expect(hits[0]!.score).toBeGreaterThan(0.99);
    expect(await search(null, { mode: "vector", query_embedding: vec384([1]), embedding_model: "other" })).toEqual([]);
    expect((await search(null, { mode: "vector", query_embedding: vec384([1]), embedding_model: TEST_MODEL })).length).toBe(4);
  });

  it("fuses both rankings: a frame found by words and by meaning comes first", async () => {
    const hits = await search("overdue", { mode: "hybrid", query_embedding: vec384([0.9, 0.1, 0]) });
    expect(names(hits)[0]).toBe("mail");
    expect(hits[0]!.matched).toBe("fts+vector");
    expect(hits[0]!.score).toBeCloseTo(2 / 61, 10);
    expect(hits.some((h) => h.matched === "vector")).toBe(true);
  });

  it("hybrid without an embedding is full text; vector without one is an error", async () => {
    expect(names(await search("Whitfield"))).toEqual(["mail"]);
    await expect(search("x", { mode: "vector" })).rejects.toThrow(/vector search needs a query embedding/);
  });
});

describe("search_frames, paging", () => {
  it("pages by cursor without gaps or repeats while new frames arrive and old ones change", async () => {
    const made: string[] = [];
    for (let i = 0; i < 25; i++) made.push(await addFrame(db.sql, { deployment: "paging", text: `ledger entry ${i} `.repeat(1 + (i % 4)), at: at(100 + i) }));
    const pending = await addFrame(db.sql, { deployment: "paging", at: at(99) }); // no text yet
    for (const sort of ["relevance", "time"]) {
      // What matched when the first page was asked for (the other loop added frames).
      const expected = idsOf(await search("ledger", { mode: "fts", deployment_id: "paging", limit: 200 }));
      expect(expected).toEqual(expect.arrayContaining(made));
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const hits: Hit[] = await search("ledger", { mode: "fts", deployment_id: "paging", limit: 10, sort, cursor });
        seen.push(...idsOf(hits));
        if (hits.length < 10) break;
        cursor = hits.at(-1)!.next_cursor;
        // Between pages: a new matching frame arrives and a pending one gets its text.
        await addFrame(db.sql, { deployment: "paging", text: "ledger entry new ".repeat(5), at: at(90 + page) });
        if (page === 0 && sort === "relevance") await db.sql`select pgrecall.frame_ocr_done(${pending}, 'ledger ledger ledger ledger ledger')`;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual([...expected].sort());
    }
  });

  it("orders pages by score, then id; by time, newest first", async () => {
    const hits = await search("ledger", { mode: "fts", deployment_id: "paging", limit: 200 });
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it("refuses a cursor that is garbage or belongs to another search", async () => {
    await expect(search("ledger", { mode: "fts", cursor: "not-a-cursor" })).rejects.toThrow(/invalid search cursor/);
    const [hit] = await search("ledger", { mode: "fts", deployment_id: "paging", limit: 1 });
    await expect(search("entry", { mode: "fts", deployment_id: "paging", cursor: hit!.next_cursor })).rejects.toThrow(/belongs to another search/);
  });
});

describe("search_frames, hostile and odd input", () => {
  const hostile = [
    `'`, `"`, `""`, `"unclosed phrase`, `&|!:*()`, `!`, `a & b | !c`, `\\`, `\\\\'`, `-`, `--`, `or`, `or or or`, `*:*`,
    `'; drop table pgrecall.frames; --`, `$1`, `%_%`, `<->`, `<2>`, `invoice:*`, `😀 invoice 发票 فاتورة`, `\u200b\u200e`, `x`.repeat(1000),
    `${"invoice ".repeat(125)}`,
  ];
  it.each(hostile.map((q) => [q.length > 40 ? `${q.slice(0, 20)}… (${q.length} chars)` : q, q]))("never errors on %j", async (_label, q) => {
    const hits = await search(q, { mode: "fts" });
    expect(Array.isArray(hits)).toBe(true);
    const [{ n }] = (await db.sql`select count(*)::int as n from pgrecall.frames`) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(0);
  });

  it("is the one validator of its parameters: each refusal names the parameter (SQLSTATE 22023, COLUMN field)", async () => {
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: { code: string; column_name?: string; message: string }) => [e.code, e.column_name, e.message],
      );
    expect(await refusal(search("x", { mode: "semantic" }))).toEqual(["22023", "mode", 'mode must be one of fts, vector, hybrid (got "semantic")']);
    expect(await refusal(search("x", { sort: "random" }))).toEqual(["22023", "sort", 'sort must be one of relevance, time (got "random")']);
    expect(await refusal(search("x", { limit: 0 }))).toEqual(["22023", "limit", "limit must be a whole number from 1 to 200 (got 0)"]);
    expect(await refusal(search("x", { limit: 201 }))).toEqual(["22023", "limit", "limit must be a whole number from 1 to 200 (got 201)"]);
    expect((await refusal(search("x", { since: at(10), until: at(0) })))![2]).toMatch(/^since is after until/);
    expect(await refusal(search("x", { app: "a".repeat(501) }))).toEqual(["22023", "app", "app must be at most 500 characters"]);
    // A query over 1,000 characters is refused, not silently cut.
    expect(await refusal(search("y".repeat(1001), { mode: "fts" }))).toEqual(["22023", "query", "query is 1001 characters; at most 1000"]);
    expect(await search("y".repeat(1000), { mode: "fts" })).toEqual([]);
  });

  it("learns the vocabulary as text arrives", async () => {
    const [r] = await db.sql`select count(*)::int as n from pgrecall.search_words where word in ('whitfield', 'ledger', 'northwind')`;
    expect(r!.n).toBe(3);
  });
});
