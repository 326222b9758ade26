// `pgrecall search` as a user runs it.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { Embedder } from "../../src/engines/embedder.js";
import { useTestDatabase } from "../helpers/db.js";
import { addFrame } from "../helpers/frames.js";
import { TINY_MODEL, tinyModelConfig } from "../helpers/model.js";

const run = promisify(execFile);
const db = useTestDatabase();
const model = tinyModelConfig();
const withModel = { PGRECALL_MODELS_DIR: model.modelsDir, PGRECALL_EMBED_MODEL: TINY_MODEL };
const noModel = { PGRECALL_MODELS_DIR: mkdtempSync(join(tmpdir(), "pgrecall-nomodel-")) };

const cli = (args: string[], env: Record<string, string> = withModel) =>
  run("node", ["bin/pgrecall.js", "search", ...args], { env: { ...process.env, DATABASE_URL: db.url, ...env } })
    .then((r) => ({ ...r, code: 0 }))
    .catch((e: { stdout: string; stderr: string; code: number }) => e);

const ids: string[] = [];
beforeAll(async () => {
  const embedder = new Embedder(model);
  const texts = ["Invoice INV-2026-0042 is overdue, says Dana Whitfield", "export function lateFee(invoice)", "quarterly report draft for the budget review"];
  for (const [i, text] of texts.entries()) {
    const id = await addFrame(db.sql, { app: i ? "Code" : "Mail", window: `window ${i}`, text, at: new Date(Date.UTC(2026, 10, 20, 10 + i)) });
    const [v] = await embedder.embedBatch([`window ${i}\n${i ? "Code" : "Mail"}\n${text}`]);
    await db.sql`select pgrecall.frame_embedding_done(${id}, ${"[" + Array.from(v!).join(",") + "]"}::vector, ${TINY_MODEL})`;
    ids.push(id);
  }
});

describe("pgrecall search", () => {
  it("prints a JSON array with the documented fields; hybrid fuses words and meaning", async () => {
    const r = await cli(["Whitfield", "--json"]);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout);
    expect(hits[0]).toMatchObject({ frame_id: ids[0], app_name: "Mail", window_title: "window 0", matched: "fts+vector", snippet: expect.stringContaining("«Whitfield»") });
    for (const key of ["frame_id", "captured_at", "app_name", "window_title", "image_ref", "score", "snippet", "next_cursor"]) expect(hits[0]).toHaveProperty(key);
  });

  it("prints readable results on a terminal-less stdout, and the next page's cursor", async () => {
    const r = await cli(["invoice", "--mode", "fts", "--limit", "1"]);
    expect(r.stdout).toMatch(/2026-11-20 1\d:00:00 {2}(Mail|Code) · window \d/);
    const cursor = /--cursor (\S+)/.exec(r.stdout)![1]!;
    const next = await cli(["invoice", "--mode", "fts", "--limit", "1", "--cursor", cursor, "--json"]);
    const first = JSON.parse((await cli(["invoice", "--mode", "fts", "--limit", "1", "--json"])).stdout)[0].frame_id;
    expect(JSON.parse(next.stdout)[0].frame_id).not.toBe(first);
  });

  it("filters by app and time", async () => {
    const r = await cli(["invoice", "--mode", "fts", "--app", "code", "--since", "2026-11-20T10:30:00Z", "--json"]);
    expect(JSON.parse(r.stdout).map((h: { frame_id: string }) => h.frame_id)).toEqual([ids[1]]);
  });

  it("without a model, hybrid falls back to full text and says so on stderr", async () => {
    const r = await cli(["Whitfield", "--json"], noModel);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/hybrid search fell back to full-text only/);
    expect(JSON.parse(r.stdout)[0].matched).toBe("fts");
  });

  it("rejects bad options with one readable line", async () => {
    const r = await cli(["x", "--limit", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/--limit must be a whole number from 1 to 200/);
    expect((await cli(["x", "--since", "last week"])).stderr).toMatch(/--since must be an ISO 8601 time/);
    expect((await cli(["x", "--cursor", "djF8eHh4"])).stderr).toMatch(/invalid search cursor/);
  });

  it("says so when nothing matches", async () => {
    expect((await cli(["zzzzqqq", "--mode", "fts"])).stdout).toContain("no frames found");
  });

  it("shows control characters that a screen or a model put in the text escaped, so the terminal never obeys them", async () => {
    await addFrame(db.sql, { app: "Term", window: "zsh", text: "ledgerbomb \x1b]0;pwned\x07 \x1b[2J cleared", at: new Date(Date.UTC(2026, 10, 20, 15)) });
    const r = await cli(["ledgerbomb", "--mode", "fts"], noModel);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\x1b|\x07/);
    expect(r.stdout).toContain("\\x1b]0;pwned\\x07");
  });
});
