// Renders synthetic but realistic desktop screens (SVG through sharp) for tests, the demo
// and benchmarks: an editor with a sidebar, gutter and status bar, an optional dialog,
// a text cursor, a mouse pointer and a clock. Variants of one screen differ exactly the way
// real captures do (a blink, a tick, a typed line), which is what dedup must tell apart.
import sharp from "sharp";

export interface ScreenSpec {
  width?: number;
  height?: number;
  theme?: "light" | "dark";
  title?: string;
  sidebar?: string[];
  lines?: string[];
  /** First visible line (scrolling). */
  scroll?: number;
  cursor?: { line: number; col: number } | null;
  pointer?: { x: number; y: number } | null;
  clock?: string;
  dialog?: { title: string; lines: string[] } | null;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export const SAMPLE_CODE = [
  "import { readFile } from 'node:fs/promises';",
  "",
  "export async function loadInvoice(path) {",
  "  const raw = await readFile(path, 'utf8');",
  "  const invoice = JSON.parse(raw);",
  "  if (!invoice.id) throw new Error('invoice without id');",
  "  return { ...invoice, total: invoice.amount * 1.2 };",
  "}",
  "",
  "export function formatMoney(value, currency = 'EUR') {",
  "  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(value);",
  "}",
  "",
  "// TODO: retry when the network is down",
  "export async function sendReminder(client, invoice) {",
  "  const due = new Date(invoice.dueDate);",
  "  if (due > new Date()) return false;",
  "  await client.post('/reminders', { invoice: invoice.id, to: invoice.email });",
  "  return true;",
  "}",
  "",
  "export const INVOICE_PREFIX = 'INV-2026-';",
  "export const LATE_FEE_PERCENT = 2.5;",
  "",
  "export function lateFee(invoice) {",
  "  return Math.round(invoice.amount * LATE_FEE_PERCENT) / 100;",
  "}",
  "",
  "export function describe(invoice) {",
  "  return `${INVOICE_PREFIX}${invoice.id} for ${formatMoney(invoice.amount)}`;",
  "}",
  "",
  "export default { loadInvoice, formatMoney, sendReminder, lateFee, describe };",
  "",
  "// end of file",
];

const DEFAULT_SIDEBAR = ["EXPLORER", "billing", "  src", "    invoices.js", "    customers.js", "    reminders.js", "  test", "    invoices.test.js", "  package.json", "  README.md"];
const LINE_H = 24, TOP = 40, STATUS_H = 28;
const STATUS_LEFT = "main  ⟳  0 problems";

function visibleLines(spec: ScreenSpec): { number: number; text: string }[] {
  const lines = spec.lines ?? SAMPLE_CODE;
  const scroll = spec.scroll ?? 0;
  const visible = Math.floor(((spec.height ?? 1080) - TOP - STATUS_H - 10) / LINE_H);
  return lines.slice(scroll, scroll + visible).map((text, i) => ({ number: scroll + i + 1, text }));
}

/**
 * What a screen says, region by region, as a reader would take it in (ground truth for OCR
 * benchmarks): sidebar, title, gutter numbers, code, status bar, dialog. Blank lines omitted.
 */
export function screenText(spec: ScreenSpec = {}): string[][] {
  const code = visibleLines(spec);
  const regions = [
    (spec.sidebar ?? DEFAULT_SIDEBAR).map((s) => s.trim()),
    [spec.title ?? "invoices.js — billing — Code"],
    code.map((l) => String(l.number)),
    code.map((l) => l.text.trim()),
    [STATUS_LEFT.replace(/\s+/g, " "), spec.clock ?? "10:41"],
    spec.dialog ? [spec.dialog.title, ...spec.dialog.lines] : [],
  ];
  return regions.map((r) => r.filter((l) => l !== "")).filter((r) => r.length);
}

export function screenSvg(spec: ScreenSpec = {}): string {
  const W = spec.width ?? 1920, H = spec.height ?? 1080;
  const dark = spec.theme === "dark";
  const bg = dark ? "#1e1e1e" : "#ffffff", fg = dark ? "#d4d4d4" : "#1f1f1f";
  const side = dark ? "#252526" : "#f3f3f3", sideFg = dark ? "#cccccc" : "#333333";
  const gutterFg = dark ? "#858585" : "#999999";
  const lineH = LINE_H, top = TOP, sideW = 300, gutterW = 60, charW = 9.6, statusH = STATUS_H;
  const scroll = spec.scroll ?? 0;
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="${bg}"/>`);
  parts.push(`<rect width="${W}" height="${top - 8}" fill="${dark ? "#333333" : "#dddddd"}"/>`);
  parts.push(`<text x="${W / 2}" y="22" font-family="DejaVu Sans" font-size="14" fill="${sideFg}" text-anchor="middle">${esc(spec.title ?? "invoices.js — billing — Code")}</text>`);
  parts.push(`<rect x="0" y="${top - 8}" width="${sideW}" height="${H - top - statusH + 8}" fill="${side}"/>`);
  (spec.sidebar ?? DEFAULT_SIDEBAR).forEach((s, i) => {
    parts.push(`<text x="16" y="${top + 20 + i * 26}" font-family="DejaVu Sans" font-size="14" fill="${sideFg}" xml:space="preserve">${esc(s)}</text>`);
  });
  visibleLines(spec).forEach((line, i) => {
    const y = top + 20 + i * lineH;
    parts.push(`<text x="${sideW + gutterW - 12}" y="${y}" font-family="DejaVu Sans Mono" font-size="16" fill="${gutterFg}" text-anchor="end">${line.number}</text>`);
    parts.push(`<text x="${sideW + gutterW}" y="${y}" font-family="DejaVu Sans Mono" font-size="16" fill="${fg}" xml:space="preserve">${esc(line.text)}</text>`);
  });
  if (spec.cursor) {
    const row = spec.cursor.line - scroll;
    const x = sideW + gutterW + spec.cursor.col * charW;
    parts.push(`<rect x="${x.toFixed(1)}" y="${top + 4 + row * lineH}" width="2" height="20" fill="${fg}"/>`);
  }
  parts.push(`<rect x="0" y="${H - statusH}" width="${W}" height="${statusH}" fill="#007acc"/>`);
  parts.push(`<text x="12" y="${H - 9}" font-family="DejaVu Sans" font-size="13" fill="#ffffff">${STATUS_LEFT}</text>`);
  parts.push(`<text x="${W - 12}" y="${H - 9}" font-family="DejaVu Sans" font-size="13" fill="#ffffff" text-anchor="end">${esc(spec.clock ?? "10:41")}</text>`);
  if (spec.dialog) {
    const dw = 560, dh = 90 + spec.dialog.lines.length * 26, dx = (W - dw) / 2, dy = (H - dh) / 2;
    parts.push(`<rect x="${dx}" y="${dy}" width="${dw}" height="${dh}" fill="${dark ? "#2d2d30" : "#fafafa"}" stroke="${gutterFg}"/>`);
    parts.push(`<text x="${dx + 20}" y="${dy + 32}" font-family="DejaVu Sans" font-size="16" font-weight="bold" fill="${fg}">${esc(spec.dialog.title)}</text>`);
    spec.dialog.lines.forEach((l, i) => {
      parts.push(`<text x="${dx + 20}" y="${dy + 64 + i * 26}" font-family="DejaVu Sans" font-size="15" fill="${fg}" xml:space="preserve">${esc(l)}</text>`);
    });
  }
  if (spec.pointer) {
    const { x, y } = spec.pointer;
    parts.push(`<path d="M${x} ${y} l0 18 l4.5 -4.5 l3.5 7.5 l2.5 -1.2 l-3.5 -7.3 l6 0 z" fill="#ffffff" stroke="#000000" stroke-width="1.2"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${parts.join("")}</svg>`;
}

export async function renderScreen(spec: ScreenSpec = {}, format: "png" | "webp" = "png"): Promise<Buffer> {
  const img = sharp(Buffer.from(screenSvg(spec))).flatten({ background: "#ffffff" });
  return format === "png" ? img.png({ compressionLevel: 9, palette: true }).toBuffer() : img.webp({ lossless: true }).toBuffer();
}
