// The page at / in a real browser (Debian's chromium, driven by playwright-core): open the
// printed URL with its token, scrub a day, search and see the match outlined, open a frame,
// forget a range and see it gone (and the forgotten period drawn as such); nothing requested from anywhere but the server.
// PGRECALL_SCREENSHOTS=1 writes the README's screenshots to docs/.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderScreen } from "../../fixtures/render.js";
import { readConfig } from "../../src/config.js";
import { serve, type RunningServer } from "../../src/serve.js";
import { BlobStore } from "../../src/store.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const CHROMIUM = "/usr/bin/chromium";
const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-page-"));
const TOKEN = "page-test-token-0123456789";
const SHOTS = process.env.PGRECALL_SCREENSHOTS === "1" ? join(process.cwd(), "docs") : dataDir;
let server: RunningServer;
let base: string;
let browser: Browser;
let context: BrowserContext;
const ids: string[] = [];
const outside: string[] = [];

/** The screens of one morning: [app, window title, code lines]. */
const SCREENS: [string, string, string[]][] = [
  ["Code", "invoices.js — billing", ["export function lateFee(invoice) {", "  const days = overdueDays(invoice);", "  return days > 14 ? invoice.total * 0.025 : 0;", "}"]],
  ["Code", "invoices.js — billing", ["export function lateFee(invoice) {", "  const days = overdueDays(invoice);", "  return days > 30 ? invoice.total * 0.025 : 0;", "}"]],
  ["Mail", "Inbox — Dana Whitfield", ["From: Dana Whitfield", "Subject: Invoice INV-2026-0042 is overdue", "", "Hi, the late fee applies from tomorrow."]],
  ["Mail", "Inbox — Dana Whitfield", ["From: Dana Whitfield", "Subject: Invoice INV-2026-0042 is overdue", "", "Hi, the late fee applies from tomorrow.", "> Thanks, paying today."]],
  ["Terminal", "npm test", ["$ npm test", "PASS test/invoices.test.js", "  lateFee charges 2.5 % after 30 days", "Tests: 12 passed"]],
  ["Browser", "Quarterly report — Docs", ["Quarterly report", "Revenue grew 12 % while late payments fell.", "Action: send reminders on day 25."]],
];

/** OCR's output for a rendered code pane, computed from the renderer's layout (monospace, 9.6 px a character, 24 px a line). */
function wordsOf(lines: string[]): { text: string; words: { t: string; c: number; b: number[]; o: number }[] } {
  const words: { t: string; c: number; b: number[]; o: number }[] = [];
  let offset = 0;
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/\S+/g)) {
      const x0 = 360 + m.index! * 9.6, y = 60 + i * 24;
      words.push({ t: m[0], c: 95, b: [Math.round(x0), y - 16, Math.round(x0 + m[0].length * 9.6), y + 5], o: offset + m.index! });
    }
    offset += line.length + 1;
  });
  return { text: lines.join("\n"), words };
}

beforeAll(async () => {
  const config = readConfig({ DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_MODELS_DIR: join(dataDir, "no-models") });
  server = await serve({ ...config, host: "127.0.0.1", port: 0, token: TOKEN });
  base = `http://127.0.0.1:${server.port}`;
  const store = new BlobStore(dataDir);
  let at = new Date("2026-11-20T09:00:00Z").getTime();
  for (const [i, [app, title, lines]] of SCREENS.entries()) {
    const png = await renderScreen({ width: 1280, height: 800, title: `${title} — ${app}`, lines, clock: `09:0${i}` });
    const { ref } = await store.put(png, "png");
    const [row] = await db.sql`
      insert into pgrecall.frames (deployment_id, phash, app_name, window_title, captured_at, image_ref)
      values ('laptop', ${String(BigInt(i + 1) * 0x1111111111111n)}, ${app}, ${title}, ${new Date(at)}, ${ref}) returning id`;
    const { text, words } = wordsOf(lines);
    await db.sql`select pgrecall.frame_ocr_done(${row!.id}, ${text}, 95, ${db.sql.json(words)})`;
    ids.push(row!.id as string);
    at += 40_000;
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC", locale: "en-GB" });
  context.on("request", (r) => void (r.url().startsWith(base) || r.url().startsWith("data:") || outside.push(r.url())));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const open = async (path: string, ctx: BrowserContext = context): Promise<Page> => {
  const page = await ctx.newPage();
  await page.goto(base + path);
  return page;
};

describe.skipIf(!existsSync(CHROMIUM))("the page in chromium", () => {
  it("the printed URL's token opens it; the token leaves the address bar; the day's frames and lanes show", async () => {
    const page = await open(`/?token=${TOKEN}&date=2026-11-20`);
    await page.locator("#strip .thumb").first().waitFor();
    expect(new URL(page.url()).searchParams.has("token")).toBe(false);
    expect(await page.locator("#strip .thumb").count()).toBe(SCREENS.length);
    expect(await page.locator("#lanes .lane").allTextContents()).toEqual(["Code", "Mail", "Terminal", "Browser"]);
    expect(await page.locator("#position").textContent()).toMatch(/^6 \/ 6/);
    // thumbnails by content hash, cached for good
    const thumb = await page.locator("#strip .thumb img").first().getAttribute("src");
    expect(thumb).toMatch(/^\/thumbnails\/[0-9a-f]{64}$/);
    const res = await page.request.get(base + thumb!);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("image/webp");
    expect(res.headers()["cache-control"]).toBe("private, max-age=31536000, immutable");
    await page.close();
  });

  it("scrubs the day by keyboard: ← / →, Shift+← / Shift+→ to the previous and next app switch, the frame in the URL", async () => {
    const page = await open("/?date=2026-11-20");
    await page.locator("#strip .thumb").first().waitFor();
    await page.locator("body").press("ArrowLeft");
    expect(await page.locator("#position").textContent()).toMatch(/^5 \/ 6/);
    expect(new URL(page.url()).searchParams.get("frame")).toBe(ids[4]);
    await page.locator("body").press("Shift+ArrowLeft"); // Terminal → Mail
    expect(await page.locator("#position").textContent()).toMatch(/^4 \/ 6/);
    await page.locator("body").press("Shift+ArrowLeft"); // Mail → Code
    expect(await page.locator("#position").textContent()).toMatch(/^2 \/ 6/);
    await page.locator("#scrubber").fill("0");
    expect(await page.locator("#current").getAttribute("data-frame")).toBe(ids[0]);
    if (SHOTS !== dataDir) await page.screenshot({ path: join(SHOTS, "page-timeline.png") });
    await page.close();
  });

  it("searches, outlines every match on the screen from the OCR word boxes, and renders the same from the URL", async () => {
    const page = await open("/?date=2026-11-20");
    await page.locator("#search input[name=q]").fill("late fee");
    await page.locator("#search input[name=q]").press("Enter");
    await page.locator("#results .hit .shot svg").first().waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get("q")).toBe("late fee");
    const hits = page.locator("#results .hit");
    expect(await hits.count()).toBeGreaterThanOrEqual(2);
    const mail = page.locator(`#results .hit[data-frame="${ids[3]}"]`);
    await mail.locator(".shot svg").waitFor();
    // "late" and "fee" on the mail's last line: two boxes where the words are drawn
    const rects = await mail.locator("svg rect.match").evaluateAll((rs) => rs.map((r) => [r.getAttribute("x"), r.getAttribute("y")].map(Number)));
    expect(rects.length).toBe(2);
    for (const [, y] of rects) expect(y).toBeGreaterThan(60 + 3 * 24 - 16 - 5);
    expect(await mail.locator(".snippet mark").count()).toBeGreaterThan(0);
    if (SHOTS !== dataDir) await page.screenshot({ path: join(SHOTS, "page-search.png") });
    const again = await open(url.pathname + url.search);
    await again.locator("#results .hit .shot svg").first().waitFor();
    expect(await again.locator("#results .hit").count()).toBe(await hits.count());
    await page.close();
    await again.close();
  });

  it("a typo still finds and outlines the word", async () => {
    const page = await open("/?q=whitfeld&mode=fts&date=2026-11-20");
    await page.locator("#results .hit .shot svg").first().waitFor();
    expect(await page.locator("#results .hit .snippet mark").first().textContent()).toMatch(/Whitfield/);
    expect(await page.locator("#results .hit").first().locator("svg rect.match").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("opens a frame: image, OCR text, app, window, time, each stage's status, near-duplicates", async () => {
    const page = await open("/?q=overdue&date=2026-11-20");
    await page.locator("#results .hit h3 button").first().click();
    await page.locator("#frame pre.ocr").waitFor();
    expect(await page.locator("#frame pre.ocr").textContent()).toContain("Invoice INV-2026-0042 is overdue");
    expect(await page.locator("#frame h2").textContent()).toMatch(/Mail — Inbox — Dana Whitfield/);
    expect(await page.locator("#frame table tr").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^ocrdone/)]));
    expect(new URL(page.url()).searchParams.get("frame")).toMatch(/^[0-9a-f-]{36}$/);
    await page.locator("body").press("Escape");
    expect(await page.locator("#frame").isHidden()).toBe(true);
    await page.close();
  });

  it("fits a phone-sized window", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: "UTC", isMobile: true });
    await phone.addCookies([{ name: "pgrecall_token", value: TOKEN, url: base }]);
    const page = await open("/?q=invoice&date=2026-11-20", phone);
    await page.locator("#results .hit .shot svg").first().waitFor();
    const wide = await page.evaluate(() => [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 391).slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`));
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (SHOTS !== dataDir) await page.screenshot({ path: join(SHOTS, "page-phone.png") });
    await phone.close();
  });

  it("without the token it says how to get in", async () => {
    const anon = await browser.newContext();
    const page = await open("/?date=2026-11-20", anon);
    await page.locator("#notice:not([hidden])").waitFor();
    expect(await page.locator("#notice").textContent()).toMatch(/needs its token: open the address `pgrecall serve` printed/);
    await anon.close();
  });

  it("forgets a range after a confirmation, and the frames are gone", async () => {
    const page = await open("/?date=2026-11-20");
    await page.locator("#strip .thumb").first().waitFor();
    await page.locator("#forget").click();
    const dialog = page.locator("#forget-dialog");
    // the Terminal frame (09:02:40) alone
    await dialog.locator("[name=from]").fill("2026-11-20T09:02:30");
    await dialog.locator("[name=to]").fill("2026-11-20T09:02:50");
    await dialog.locator("#forget-count-btn").click();
    await expect.poll(() => dialog.locator("#forget-count").textContent()).toMatch(/^1 frame .* will be forgotten/);
    await dialog.locator("#forget-confirm").click();
    await page.locator("#notice:not([hidden])").waitFor();
    expect(await page.locator("#notice").textContent()).toMatch(/Forgot 1 frame/);
    await expect.poll(() => page.locator("#strip .thumb").count()).toBe(SCREENS.length - 1);
    // the forgotten period is on the timeline as such: when and how much, between the lanes around it
    expect(await page.locator("#lanes .lane").allTextContents()).toEqual(["Code", "Mail", "Browser", "forgotten"]);
    const band = page.locator("#lanes .lane.forgotten");
    expect(await band.getAttribute("title")).toMatch(/^forgotten 09:02:30–09:02:50: 1 frame, on /);
    const box = async (text: string) => (await page.locator("#lanes .lane", { hasText: text }).first().boundingBox())!;
    const [code, gone, browserLane] = [await box("Code"), await band.boundingBox(), await box("Browser")];
    expect(gone!.x).toBeGreaterThan(code.x + code.width);
    expect(gone!.x + gone!.width).toBeLessThanOrEqual(browserLane.x + 1);
    if (SHOTS !== dataDir) await page.screenshot({ path: join(SHOTS, "page-forgotten.png") });
    expect((await db.sql`select count(*)::int as n from pgrecall.frames where id = ${ids[4]}`)[0]!.n).toBe(0);
    const search = await open("/?q=npm&mode=fts&date=2026-11-20");
    await search.locator("#results h2").waitFor();
    expect(await search.locator("#results h2").textContent()).toMatch(/^0 results/);
    await page.close();
    await search.close();
  });

  it("pages search results: More results fetches the next page with next_cursor, until there is none", async () => {
    // 25 screens of another day (no image), each with the word
    for (let i = 0; i < 25; i++) {
      const [row] = await db.sql`
        insert into pgrecall.frames (deployment_id, phash, app_name, window_title, captured_at)
        values ('laptop', ${randomPhash()}, 'Notes', ${`note ${i}`}, ${new Date(Date.UTC(2026, 10, 19, 9, i))}) returning id`;
      await db.sql`select pgrecall.frame_ocr_done(${row!.id}, ${`zephyrpaging note number ${i}`})`;
    }
    const page = await open("/?q=zephyrpaging&mode=fts&date=2026-11-20");
    await page.locator("#results h2").waitFor();
    expect(await page.locator("#results .hit").count()).toBe(20);
    expect(await page.locator("#results h2").textContent()).toMatch(/^20\+ results/);
    await page.locator("#more").click();
    await expect.poll(() => page.locator("#results .hit").count()).toBe(25);
    expect(await page.locator("#results h2").textContent()).toMatch(/^25 results/);
    expect(await page.locator("#more").isHidden()).toBe(true);
    const shown = await page.locator("#results .hit").evaluateAll((hs) => hs.map((h) => h.getAttribute("data-frame")));
    expect(new Set(shown).size).toBe(25);
    await page.close();
  });

  it("asked for nothing outside the server", () => {
    expect(outside).toEqual([]);
  });
});
