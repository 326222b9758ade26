// OCR benchmark: pgrecall's OCR (tesseract.js scheduler on both cores, our preprocessing and
// reading order) against the native `tesseract` CLI (Debian's tesseract-ocr, OMP_THREAD_LIMIT=1,
// two processes at once, the same eng.traineddata, the same page segmentation mode) on the
// same rendered multi-pane screens, with the error rate of each against ground truth.
//
//   npm run bench:ocr [-- --frames 8 --psm 3,4,6,11]
//
// Error rate: "line CER" — for every ground-truth line (sidebar entry, title, code line, status
// text, dialog line) the edit distance to the closest line of the OCR text, summed, over the
// ground truth's characters. Text that interleaves panes on one line costs on both lines it
// mixes, so this measures reading order as well as recognition.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import type { Block, PSM } from "tesseract.js";
import { OcrEngine, layout } from "../src/engines/ocr.js";
import { renderScreen, screenText, type ScreenSpec } from "../fixtures/render.js";
import { timed } from "./lib.js";

const { values: args } = parseArgs({ options: { frames: { type: "string", default: "8" }, psm: { type: "string", default: "3,4,6,11" } } });
const PSMS = args.psm!.split(",").map(Number);

const EMAIL = [
  "From: Dana Whitfield <dana@northwind.example>",
  "Subject: Invoice INV-2026-0042 is overdue",
  "",
  "Hi Sam,",
  "",
  "our records show that invoice INV-2026-0042 for 1,240.00 EUR was due on 3 November.",
  "Could you let me know when we can expect the payment? If it has already been sent,",
  "please ignore this reminder and accept our thanks.",
  "",
  "Kind regards,",
  "Dana Whitfield, Accounts Receivable",
];
const SPECS: ScreenSpec[] = [
  {},
  { theme: "dark", scroll: 8 },
  { scroll: 12, dialog: { title: "New reminder", lines: ["To: bob@example.com", "Invoice INV-2026-0042 is overdue"] } },
  { theme: "dark", title: "Inbox — Mail", sidebar: ["MAILBOXES", "Inbox (3)", "Drafts", "Sent", "Archive", "Receipts"], lines: EMAIL },
  { scroll: 20, clock: "16:05" },
  { theme: "dark", scroll: 3, cursor: { line: 5, col: 10 } },
  { title: "Inbox — Mail", sidebar: ["MAILBOXES", "Inbox (3)", "Drafts", "Sent"], lines: EMAIL, width: 1440, height: 900 },
  { scroll: 16, theme: "light", width: 2560, height: 1440 },
];

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

/** Edit operations to turn the ground truth into the text, line by line (see the header). */
function lineErrors(truth: string[][], text: string): { errors: number; chars: number } {
  const lines = text.split("\n").map(norm).filter(Boolean);
  let errors = 0;
  let chars = 0;
  for (const t of truth.flat().map(norm)) {
    chars += t.length;
    errors += Math.min(t.length, ...lines.map((l) => levenshtein(t, l)));
  }
  return { errors, chars };
}

/** Tesseract's own reading order: its blocks, paragraphs and lines as it returned them. */
function tesseractOrder(blocks: Block[]): string {
  return blocks
    .flatMap((b) => b.paragraphs.flatMap((p) => p.lines.map((l) => l.words.map((w) => w.text).join(" "))))
    .join("\n");
}

/** Runs fn over items, `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

function native(file: string, psm: number, tessdata: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "tesseract",
      [file, "stdout", "--psm", String(psm), "--tessdata-dir", tessdata, "-l", "eng"],
      { env: { ...process.env, OMP_THREAD_LIMIT: "1" }, maxBuffer: 16 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    ),
  );
}

interface Row {
  engine: string;
  psm: number;
  seconds: number;
  errors: number;
  chars: number;
  /** The same without the gutter's line numbers (grey digits tesseract mostly does not see). */
  textErrors: number;
  textChars: number;
}

async function main() {
  const n = Math.min(Number(args.frames), SPECS.length);
  const specs = SPECS.slice(0, n);
  const dir = mkdtempSync(join(tmpdir(), "pgrecall-bench-ocr-"));
  const frames = await Promise.all(specs.map((s) => renderScreen(s)));
  const files = frames.map((f, i) => {
    const p = join(dir, `frame${i}.png`);
    writeFileSync(p, f);
    return p;
  });
  const truths = specs.map(screenText);
  // The same eng.traineddata for both engines.
  const eng = createRequire(import.meta.url)("@tesseract.js-data/eng") as { langPath: string };
  writeFileSync(join(dir, "eng.traineddata"), gunzipSync(readFileSync(join(eng.langPath, "eng.traineddata.gz"))));

  const rows: Row[] = [];
  const withoutNumbers = truths.map((t) => t.map((r) => r.filter((l) => !/^\d+$/.test(l))));
  const score = (texts: string[]) =>
    texts.reduce((a, t, i) => {
      const e = lineErrors(truths[i]!, t);
      const w = lineErrors(withoutNumbers[i]!, t);
      return { errors: a.errors + e.errors, chars: a.chars + e.chars, textErrors: a.textErrors + w.errors, textChars: a.textChars + w.chars };
    }, { errors: 0, chars: 0, textErrors: 0, textChars: 0 });

  for (const psm of PSMS) {
    const engine = new OcrEngine(2, String(psm) as PSM);
    await engine.recognize(await engine.prepare(frames[0]!)); // start both workers, load the model
    const [blocks, seconds] = await timed(() => Promise.all(frames.map(async (f) => engine.blocks(await engine.prepare(f)))));
    await engine.stop();
    rows.push({ engine: "pgrecall (reading order)", psm, seconds, ...score(blocks.map((b) => layout(b).text)) });
    rows.push({ engine: "tesseract.js, tesseract's order", psm, seconds, ...score(blocks.map(tesseractOrder)) });
    const [texts, nativeSeconds] = await timed(() => pool(files, 2, (f) => native(f, psm, dir)));
    rows.push({ engine: "native tesseract CLI", psm, seconds: nativeSeconds, ...score(texts) });
  }
  rmSync(dir, { recursive: true, force: true });

  console.log(`\nOCR on ${n} rendered multi-pane screens (1440×900 … 2560×1440), both cores each\n`);
  console.log("| engine | PSM | frames/min | line CER | line CER without gutter numbers | time vs native |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) {
    const nat = rows.find((x) => x.psm === r.psm && x.engine === "native tesseract CLI")!;
    console.log(
      `| ${r.engine} | ${r.psm} | ${((n / r.seconds) * 60).toFixed(1)} | ${((100 * r.errors) / r.chars).toFixed(2)} % | ${((100 * r.textErrors) / r.textChars).toFixed(2)} % | ${(r.seconds / nat.seconds).toFixed(2)}× |`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
