// Secrets benchmark: per frame, the cost of detection and of image redaction next to OCR's, on
// the rendered screens of fixtures/secret-screens.ts; and what each rule set catches on the OCR
// output of those screens (pgrecall's built-ins against secretlint's recommended preset, the
// maintained rule library that runs on Node 20), with its false positives on the control screens,
// and on text-level OCR misreads of fake keys.
//
//   npm run bench:secrets [-- --repeat 20]
//
// A secret counts as caught when at least 90% of its characters in the OCR text are masked, and as
// fully masked at 100%. Where a secret is in the OCR text is found by aligning it (edit distance,
// free ends) with the text, since OCR misreads it. A false positive is a finding on a control
// screen, or a finding on a secret screen that touches no secret.
import { parseArgs } from "node:util";
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { CONTROL_SCREENS, SECRET_SCREENS, misreadSamples, type SecretScreen } from "../fixtures/secret-screens.js";
import { OcrEngine, type OcrResult } from "../src/engines/ocr.js";
import { redactImage } from "../src/engines/redact-image.js";
import { SecretDetector } from "../src/engines/secrets.js";
import { percentile, timed } from "./lib.js";

const { values: args } = parseArgs({ options: { repeat: { type: "string", default: "20" } } });
const REPEAT = Number(args.repeat);

type Range = { start: number; end: number };
interface RuleSet {
  name: string;
  find(text: string): Promise<Range[]>;
}

const detector = new SecretDetector({ key: "bench-secrets-fingerprint-key-01" });
const ours: RuleSet = { name: "pgrecall built-ins", find: async (text) => detector.detect(text).findings };
const secretlint: RuleSet = {
  name: "secretlint preset-recommend 11.7",
  find: async (text) => {
    const r = await lintSource({
      source: { content: text, filePath: "/screen.txt", contentType: "text" },
      options: { config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] }, noPhysicFilePath: true },
    });
    return r.messages.map((m) => ({ start: m.range[0], end: m.range[1] }));
  },
};

/** Where `needle` best matches in `hay`: the span of least edit distance, both ends free. */
function align(needle: string, hay: string): Range & { distance: number } {
  const n = needle.length, m = hay.length;
  let prev = new Int32Array(m + 1), cur = new Int32Array(m + 1);
  let prevStart = Int32Array.from({ length: m + 1 }, (_, j) => j), curStart = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    curStart[0] = 0;
    for (let j = 1; j <= m; j++) {
      const sub = prev[j - 1]! + (needle[i - 1] === hay[j - 1] ? 0 : 1), del = prev[j]! + 1, ins = cur[j - 1]! + 1;
      if (sub <= del && sub <= ins) { cur[j] = sub; curStart[j] = prevStart[j - 1]!; }
      else if (del <= ins) { cur[j] = del; curStart[j] = prevStart[j]!; }
      else { cur[j] = ins; curStart[j] = curStart[j - 1]!; }
    }
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
  }
  let best = 0;
  for (let j = 1; j <= m; j++) if (prev[j]! < prev[best]!) best = j;
  return { start: prevStart[best]!, end: best, distance: prev[best]! };
}

/** The secret without its PEM armour lines (public text, and often lost by OCR). */
const body = (value: string) => value.split("\n").filter((l) => !/^\s*-----(BEGIN|END)[^\n]*-----\s*$/.test(l)).join("\n");

function maskedShare(span: Range, text: string, ranges: Range[]): number {
  let all = 0, hit = 0;
  for (let i = span.start; i < span.end; i++) {
    if (/\s/.test(text[i]!)) continue;
    all++;
    if (ranges.some((r) => i >= r.start && i < r.end)) hit++;
  }
  return all ? hit / all : 1;
}

const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

async function main() {
  const screens: SecretScreen[] = [...SECRET_SCREENS, ...CONTROL_SCREENS];
  const ocr = new OcrEngine(1);
  const rows: string[] = [];
  const results: { screen: SecretScreen; ocr: OcrResult }[] = [];
  const cost = { ocr: [] as number[], detect: [] as number[], redact: [] as number[] };
  console.log(`secrets benchmark: ${screens.length} screens (${SECRET_SCREENS.length} with fake secrets, ${CONTROL_SCREENS.length} controls), one OCR thread, detection median of ${REPEAT}`);
  for (const screen of screens) {
    const image = await screen.render();
    const [result, ocrS] = await timed(async () => ocr.recognize(await ocr.prepare(image)));
    results.push({ screen, ocr: result });
    let detection = detector.detect(result.text, result.words);
    const detectS: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const t = process.hrtime.bigint();
      detection = detector.detect(result.text, result.words);
      detectS.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    const boxes = detection.findings.flatMap((f) => f.boxes);
    const redactS: number[] = [];
    for (let i = 0; i < 5; i++) redactS.push((await timed(() => redactImage(image, boxes)))[1]);
    cost.ocr.push(ocrS);
    cost.detect.push(median(detectS));
    cost.redact.push(median(redactS));
    rows.push(
      `  ${screen.name.padEnd(26)} ${`${screen.width}×${screen.height}`.padEnd(10)} ${String(result.text.length).padStart(5)} chars  OCR ${ms(ocrS).padStart(9)}  detect ${ms(median(detectS)).padStart(7)}  redact ${ms(median(redactS)).padStart(7)} (${boxes.length} boxes)  findings ${detection.findings.length}`,
    );
  }
  await ocr.stop();
  console.log("\nper frame:");
  console.log(rows.join("\n"));
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(
    `  median: OCR ${ms(median(cost.ocr))}, detection ${ms(median(cost.detect))} (${((100 * total(cost.detect)) / total(cost.ocr)).toFixed(2)}% of OCR), ` +
      `image redaction ${ms(median(cost.redact))} (${((100 * total(cost.redact)) / total(cost.ocr)).toFixed(2)}% of OCR)`,
  );

  console.log("\nrule sets on the OCR output of the screens:");
  for (const set of [ours, secretlint]) {
    let secrets = 0, caught = 0, full = 0, fpControl = 0, fpSecret = 0;
    const missed: string[] = [], partly: string[] = [], besideRules: string[] = [];
    for (const { screen, ocr: r } of results) {
      const ranges = await set.find(r.text);
      if (!screen.secrets.length) {
        fpControl += ranges.length;
        continue;
      }
      const spans = screen.secrets.map((s) => align(body(s.value), r.text));
      for (const [i, s] of screen.secrets.entries()) {
        secrets++;
        const share = maskedShare(spans[i]!, r.text, ranges);
        if (share >= 0.9) caught++;
        else missed.push(`${screen.name}: ${s.kind} (${Math.round(share * 100)}%)`);
        if (share === 1) full++;
        else if (share >= 0.9) partly.push(`${screen.name}: ${s.kind} (${(share * 100).toFixed(1)}%)`);
      }
      const beside = ranges.filter((g) => !spans.some((s) => g.start < s.end && g.end > s.start));
      fpSecret += beside.length;
      for (const g of beside) besideRules.push(`${screen.name}: ${"rule" in g ? String(g.rule) : "?"} (${g.end - g.start} chars)`);
    }
    console.log(
      `  ${set.name.padEnd(34)} caught ${caught}/${secrets} (${((100 * caught) / secrets).toFixed(0)}%), fully masked ${full}/${secrets}; ` +
        `false positives: ${fpControl} on ${CONTROL_SCREENS.length} control screens, ${fpSecret} beside the secrets`,
    );
    if (missed.length) console.log(`    missed: ${missed.slice(0, 12).join("; ")}${missed.length > 12 ? `; … (${missed.length - 12} more)` : ""}`);
    if (partly.length) console.log(`    caught, not every character masked: ${partly.join("; ")}`);
    if (besideRules.length) console.log(`    beside the secrets: ${besideRules.join("; ")}`);
  }

  console.log("\nrule sets on text with OCR misreads (fixtures misreadSamples, 10 per context):");
  for (const n of [0, 2]) {
    const samples = misreadSamples(77 + n, 10, n);
    for (const set of [ours, secretlint]) {
      let caught = 0;
      for (const s of samples) if (maskedShare(s, s.text, await set.find(s.text)) === 1) caught++;
      console.log(`  ${n} misreads  ${set.name.padEnd(34)} fully masked ${caught}/${samples.length} (${((100 * caught) / samples.length).toFixed(0)}%)`);
    }
  }
}

await main();
