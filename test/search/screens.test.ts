// End to end: rendered screens go through hash → OCR → embedding, then are found by words
// seen on them (exact, misspelt, in a phrase), within filters — the way a user searches.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderScreen, SAMPLE_CODE } from "../../fixtures/render.js";
import { Searcher, type SearchParams } from "../../src/search.js";
import { startWorker } from "../../src/worker.js";
import { useTestDatabase } from "../helpers/db.js";
import { tinyModelConfig } from "../helpers/model.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-search-screens-"));
const embedding = tinyModelConfig();
const ids: Record<string, string> = {};
const MAIL = ["From: Dana Whitfield <dana@northwind.example>", "Subject: Invoice INV-2026-0042 is overdue", "", "Hi Sam, could you check the late fee?"];

beforeAll(async () => {
  const screens: [string, Parameters<typeof renderScreen>[0], string, string][] = [
    ["editor", {}, "Code", "invoices.js — billing"],
    ["dialog", { scroll: 12, dialog: { title: "Send reminder", lines: ["To: anna@example.com", "Note: second reminder"] } }, "Code", "invoices.js — billing"],
    ["mail", { theme: "dark", title: "Inbox — Mail", sidebar: ["MAILBOXES", "Inbox", "Sent"], lines: MAIL }, "Mail", "Inbox — Mail"],
  ];
  for (const [i, [name, spec, app, title]] of screens.entries()) {
    const path = join(dataDir, `${name}.png`);
    writeFileSync(path, await renderScreen(spec));
    const [f] = await db.sql`
      insert into pgrecall.frames (deployment_id, image_ref, app_name, window_title, captured_at)
      values ('desk', ${path}, ${app}, ${title}, ${new Date(Date.UTC(2026, 10, 20, 9, i))}) returning id`;
    ids[name] = f!.id;
  }
  await startWorker({ databaseUrl: db.url, dataDir, concurrency: 4, once: true, embedding, vision: null });
}, 120_000);

const search = (q: string, over: Partial<SearchParams> = {}) =>
  new Searcher(db.sql, embedding).search({ q, mode: "fts", sort: "relevance", limit: 10, includeDuplicates: false, ...over });
const found = async (q: string, over: Partial<SearchParams> = {}) => {
  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return (await search(q, over)).results.map((h) => names[h.frame_id]);
};

describe("searching OCRed screens", () => {
  it("every screen was read and embedded", async () => {
    const rows = await db.sql`select ocr_status, embedding_status from pgrecall.frames where deployment_id = 'desk'`;
    expect(rows.every((r) => r.ocr_status === 1 && r.embedding_status === 1)).toBe(true);
  });

  it("finds a screen by a word or an address seen on it", async () => {
    expect(await found("anna@example.com")).toEqual(["dialog"]);
    expect(await found("Whitfield")).toEqual(["mail"]);
    expect(await found("formatMoney")).toContain("editor");
  });

  it("finds it with one letter wrong", async () => {
    expect(await found("Whitfeild")).toEqual(["mail"]);
  });

  it("finds an identifier and a phrase of code, not broken by the sidebar", async () => {
    expect(await found(`"${SAMPLE_CODE[4]!.trim().split("(")[0]}"`)).toContain("editor"); // "const invoice = JSON.parse"
    expect(await found("INV-2026-0042")).toEqual(["mail"]);
  });

  it("filters by app and time, and hybrid finds the same frame first", async () => {
    expect(await found("invoice", { app: "mail" })).toEqual(["mail"]);
    expect(await found("invoice", { since: new Date(Date.UTC(2026, 10, 20, 9, 1)), until: new Date(Date.UTC(2026, 10, 20, 9, 2)) })).toEqual(["dialog"]);
    const hybrid = await search("Whitfield", { mode: "hybrid" });
    expect(hybrid.mode).toBe("hybrid");
    expect(hybrid.results[0]!.frame_id).toBe(ids.mail);
    expect(hybrid.results[0]!.matched).toBe("fts+vector");
  });
});
