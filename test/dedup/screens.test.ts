// Rendered screens through the real hasher and the real dedup trigger: frames with new
// text are kept, cursor blinks, clock ticks and small pointer moves are caught.
import { describe, expect, it } from "vitest";
import { hashImage } from "../../src/engines/hasher.js";
import { renderScreen, SAMPLE_CODE, type ScreenSpec } from "../../fixtures/render.js";
import { int8s, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();

const base: ScreenSpec = { cursor: { line: 6, col: 20 }, pointer: { x: 900, y: 500 } };
const edit = (i: number, s: string) => SAMPLE_CODE.map((l, k) => (k === i ? s : l));
const dialog = (to: string, note: string): ScreenSpec => ({ ...base, dialog: { title: "Send reminder", lines: [to, note] } });

const cases: { name: string; from: ScreenSpec; to: ScreenSpec; duplicate: boolean }[] = [
  { name: "cursor blink", from: base, to: { ...base, cursor: null }, duplicate: true },
  { name: "clock tick", from: base, to: { ...base, clock: "10:42" }, duplicate: true },
  { name: "small pointer move", from: base, to: { ...base, pointer: { x: 930, y: 520 } }, duplicate: true },
  { name: "dark theme cursor blink", from: { ...base, theme: "dark" }, to: { ...base, theme: "dark", cursor: null }, duplicate: true },
  { name: "a comment typed on an empty line", from: base, to: { ...base, lines: edit(8, "  // ok") }, duplicate: false },
  { name: "a line of code typed", from: base, to: { ...base, lines: edit(8, "  const vat = invoice.amount * 0.2;") }, duplicate: false },
  { name: "an address typed into a dialog", from: dialog("To:", "Note:"), to: dialog("To: anna@example.com", "Note:"), duplicate: false },
  { name: "two lines typed into a dialog", from: dialog("To:", "Note:"), to: dialog("To: anna@example.com", "Note: second reminder"), duplicate: false },
  { name: "scrolled by three lines", from: base, to: { ...base, scroll: 3 }, duplicate: false },
];

describe("tile-aware dedup on rendered screens", () => {
  let minute = 0;
  for (const c of cases) {
    it(`${c.name}: ${c.duplicate ? "near-duplicate" : "new content"}`, async () => {
      const dep = `screens-${minute}`;
      const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 9, minute, s));
      minute++;
      const [a, b] = await Promise.all([hashImage(await renderScreen(c.from)), hashImage(await renderScreen(c.to))]);
      const insert = async (h: typeof a, t: Date) =>
        (await db.sql`insert into pgrecall.frames (deployment_id, captured_at, phash, tile_hashes)
                      values (${dep}, ${t}, ${h.phash}, ${int8s(h.tileHashes)}::bigint[]) returning id, duplicate_of`)[0]!;
      const first = await insert(a, at(0));
      const second = await insert(b, at(2));
      expect(second.duplicate_of).toBe(c.duplicate ? first.id : null);
    });
  }

  it("without tile hashes (a phash-only client), a typed line is swallowed: the reason tiles exist", async () => {
    const a = await hashImage(await renderScreen(base));
    const b = await hashImage(await renderScreen({ ...base, lines: edit(8, "  const vat = invoice.amount * 0.2;") }));
    const [first] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('phash-only', ${a.phash}) returning id`;
    const [second] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('phash-only', ${b.phash}) returning duplicate_of`;
    expect(second!.duplicate_of).toBe(first!.id);
  });
});
