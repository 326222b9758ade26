// Tile-hash dedup on rendered screens: for each ink threshold, the most and second-most
// changed tile (in bits) between two captures that differ by a cursor blink, a clock tick,
// a pointer move, or typed text. Noise must stay at or under tile_bit_threshold (2) and
// typed text must exceed it.   npm run bench:dedup-screens
import { renderScreen, SAMPLE_CODE } from "../fixtures/render.js";
import { decodeGrey, tileHashes } from "../src/engines/hasher.js";
const ham = (a: bigint, b: bigint) => { let x = BigInt.asUintN(64, a ^ b), n = 0; while (x) { n += Number(x & 1n); x >>= 1n; } return n; };
const base = { cursor: { line: 6, col: 20 }, pointer: { x: 900, y: 500 } };
const L = (i: number, s: string) => { const l = [...SAMPLE_CODE]; l[i] = s; return l; };
const dlg = (a: string, b: string) => ({ ...base, dialog: { title: "Send reminder", lines: [a, b] } });
const pairs: [string, any, any][] = [
  ["cursor_blink", base, { ...base, cursor: null }],
  ["cursor_move1", base, { ...base, cursor: { line: 6, col: 21 } }],
  ["clock_tick", base, { ...base, clock: "10:42" }],
  ["clock_tick_hour", base, { ...base, clock: "11:00" }],
  ["pointer_small", base, { ...base, pointer: { x: 930, y: 520 } }],
  ["pointer_far", base, { ...base, pointer: { x: 1500, y: 200 } }],
  ["typed_word", base, { ...base, lines: L(8, "  // ok") }],
  ["typed_2words", base, { ...base, lines: L(8, "  // looks ok") }],
  ["typed_line", base, { ...base, lines: L(8, "  const vat = invoice.amount * 0.2;") }],
  ["dlg_short", dlg("To:", "Note:"), dlg("To: bob", "Note:")],
  ["dlg_email", dlg("To:", "Note:"), dlg("To: anna@example.com", "Note:")],
  ["dlg_2lines", dlg("To:", "Note:"), dlg("To: anna@example.com", "Note: second reminder")],
  ["dark_cursor", { ...base, theme: "dark" }, { ...base, theme: "dark", cursor: null }],
  ["dark_typed_line", { ...base, theme: "dark" }, { ...base, theme: "dark", lines: L(8, "  const vat = invoice.amount * 0.2;") }],
];
const cache = new Map<string, any>();
async function grey(spec: any) { const k = JSON.stringify(spec); if (!cache.has(k)) cache.set(k, await decodeGrey(await renderScreen(spec))); return cache.get(k); }
for (const t of [8, 12, 16, 24, 32]) {
  const row: string[] = [];
  for (const [name, a, b] of pairs) {
    const ha = tileHashes(await grey(a), t), hb = tileHashes(await grey(b), t);
    const d = ha.map((x, i) => ham(x, hb[i]!)).sort((p, q) => q - p);
    row.push(`${name}:${d[0]}/${d[1]}`);
  }
  console.log(`ink ${String(t).padStart(2)}  ` + row.join(" "));
}
