// Secret detection and text redaction on OCR output, before anything is stored. Pure: no
// database, no log, no network. The worker runs it between OCR and recording the text:
//
//   const detector = new SecretDetector({ key, rules: userRules });   // once per process / rule change
//   const { text, words, findings } = detector.detect(ocr.text, ocr.words);
//   // store text/words (redacted), findings (fingerprints, never values), black out findings' boxes
//
// Redacted text keeps its length: every non-whitespace UTF-16 code unit of a finding becomes
// MASK, so word offsets (`o`) and boxes (`b`) stay valid. A clear secret is never put in an
// exception message: errors name the rule, never the text.
import { createHmac } from "node:crypto";
import { RE2JS } from "re2js";
import type { OcrWord } from "./ocr.js";
import {
  VALIDATORS, entropy, isBeginLine, isBodyLine, isBodyTail, isEndLine, isPlaceholder, looksRandom, foldKeyword, normaliseSecret,
  type ValidatorName,
} from "./secret-checks.js";
import { BUILTIN_RULES, type SecretRule } from "./secret-rules.js";

export { BUILTIN_RULES, type SecretRule } from "./secret-rules.js";
export { VALIDATORS, normaliseSecret, type ValidatorName } from "./secret-checks.js";

/** The mask character: one UTF-16 code unit, so the redacted text has the original's length. */
export const MASK = "█";

export type Box = [number, number, number, number];

export interface SecretFinding {
  /** the rule's name */
  rule: string;
  /** the rule's kind: what was found, in words */
  kind: string;
  category: "secret" | "personal";
  /** character range [start, end) in the OCR text (UTF-16 code units, like the words' `o`) */
  start: number;
  end: number;
  /**
   * Image pixels to black out, [x0, y0, x1, y1]: the covered word boxes merged per line (a part of a
   * word: its share when tesseract's box is believable, else the whole word); a block of 3+ lines
   * as one column without gaps; a gap of up to 3 row heights to another finding on its row closed.
   */
  boxes: Box[];
  /** hex HMAC-SHA256, under the detector's key, of normaliseSecret(value) */
  fingerprint: string;
  /** at most the first 4 characters and the length, e.g. `AKIA…(20)`; `…(14)` for a password */
  preview: string;
}

export interface Detection {
  /** the OCR text with every finding masked; same length */
  text: string;
  /** the OCR words with their text masked the same way; boxes, confidences, offsets kept */
  words: OcrWord[];
  /** in text order; none on a screen without secrets */
  findings: SecretFinding[];
}

/** A rule as a user gives it: a new rule in full, or a built-in's name with the fields to change. */
export type RuleInput = { name: string } & Partial<Omit<SecretRule, "name">>;

export interface RefusedRule {
  name: string;
  reason: string;
}

export interface DetectorOptions {
  /** fingerprint key, ≥ 16 bytes (a string is taken as UTF-8); kept outside the database */
  key: Uint8Array | string;
  /** user rules (the rules table); a refused one is skipped and listed in `refused` */
  rules?: readonly RuleInput[];
  /** the built-in set to start from (default BUILTIN_RULES) */
  builtins?: readonly SecretRule[];
}

// ---- rule validation -----------------------------------------------------------------------

const FIELDS = new Set(["name", "kind", "category", "pattern", "flags", "keywords", "window", "after", "validator", "minEntropy", "minLength", "maxLength", "length", "span", "minLines", "reveal", "enabled", "description"]);
const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const MAX_PATTERN = 2000;

function re2Flags(flags: string): number {
  return (flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes("m") ? RE2JS.MULTILINE : 0) | (flags.includes("s") ? RE2JS.DOTALL : 0);
}

const isInt = (v: unknown, lo: number, hi: number) => typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi;

/**
 * Why a user rule is refused, or null when it can be applied. A rule that names a built-in may
 * give only the fields it changes (`{ name: "email", enabled: true }`); a new one needs kind and
 * pattern. Patterns are compiled with RE2 (linear time, so no input can make one hang):
 * lookaround and backreferences are refused, and so is a pattern that matches empty text. The
 * reason never quotes the pattern (it may hold a literal secret).
 */
export function validateRule(input: unknown, builtins: readonly SecretRule[] = BUILTIN_RULES): string | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "a rule is an object with name, kind and pattern";
  const r = input as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!FIELDS.has(k)) return `unknown field "${k.slice(0, 40)}" (fields: ${[...FIELDS].join(", ")})`;
  if (typeof r.name !== "string" || !NAME.test(r.name)) return "name must be 1–64 characters of a-z, 0-9, _ . - starting with a letter or digit";
  const override = builtins.some((b) => b.name === r.name);
  if (!override && r.kind === undefined) return "a new rule needs a kind (what it finds, in words)";
  if (!override && r.pattern === undefined) return "a new rule needs a pattern";
  if (r.kind !== undefined && (typeof r.kind !== "string" || !/^[^\p{Cc}]{1,64}$/u.test(r.kind))) return "kind must be 1–64 printable characters";
  if (r.category !== undefined && r.category !== "secret" && r.category !== "personal") return 'category must be "secret" or "personal"';
  if (r.flags !== undefined && (typeof r.flags !== "string" || !/^[imsu]*$/.test(r.flags) || new Set(r.flags).size !== r.flags.length)) return "flags may only be i, m, s and u, each once";
  if (override && r.pattern === undefined && typeof r.flags === "string") {
    const base = builtins.find((x) => x.name === r.name)!;
    try {
      new RegExp(base.pattern, [...new Set(r.flags + "gd")].join(""));
    } catch {
      return `the built-in pattern of ${r.name} does not compile with flags ${r.flags}`;
    }
  }
  if (r.pattern !== undefined) {
    if (typeof r.pattern !== "string" || !r.pattern.length || r.pattern.length > MAX_PATTERN) return `pattern must be a string of 1–${MAX_PATTERN} characters`;
    let re: RE2JS;
    try {
      re = RE2JS.compile(r.pattern, re2Flags(typeof r.flags === "string" ? r.flags : ""));
    } catch (err) {
      const what = String((err as Error).message ?? err).replace(/^error parsing regexp:\s*/, "").replace(/:?\s*`[^`]*`?.*$/s, "");
      return `pattern refused by the linear-time regex engine (RE2): ${what}; lookahead, lookbehind and backreferences are not supported`;
    }
    for (const probe of ["", " ", "\n", "a", "A1 b2"]) {
      const m = re.matcher(probe);
      for (let pos = 0; pos <= probe.length && m.find(pos); pos = m.end() + 1) if (m.end() === m.start()) return "pattern matches empty text (it would find something everywhere)";
    }
  }
  if (r.keywords !== undefined) {
    if (!Array.isArray(r.keywords) || r.keywords.length > 50) return "keywords must be a list of at most 50 words";
    for (const k of r.keywords) if (typeof k !== "string" || k.length > 64 || !foldKeyword(k)) return "each keyword must be 1–64 characters with a letter or digit";
  }
  if (r.window !== undefined && !isInt(r.window, 0, 1000)) return "window must be a whole number of characters, 0–1000";
  if (r.after !== undefined && !isInt(r.after, 0, 1000)) return "after must be a whole number of characters, 0–1000";
  if (r.validator !== undefined && !(typeof r.validator === "string" && Object.hasOwn(VALIDATORS, r.validator))) return `validator must be one of ${Object.keys(VALIDATORS).join(", ")}`;
  if (r.minEntropy !== undefined && !(typeof r.minEntropy === "number" && r.minEntropy >= 0 && r.minEntropy <= 8)) return "minEntropy must be 0–8 bits per character";
  if (r.minLength !== undefined && !isInt(r.minLength, 0, 10000)) return "minLength must be a whole number, 0–10000";
  if (r.maxLength !== undefined && !isInt(r.maxLength, 1, 10000)) return "maxLength must be a whole number, 1–10000";
  if (typeof r.minLength === "number" && typeof r.maxLength === "number" && r.minLength > r.maxLength) return "minLength is greater than maxLength";
  if (r.length !== undefined && !isInt(r.length, 1, 10000)) return "length must be a whole number, 1–10000";
  if (r.span !== undefined && r.span !== "key-block") return 'span must be "key-block"';
  if (r.minLines !== undefined && !isInt(r.minLines, 0, 100)) return "minLines must be a whole number, 0–100";
  if (r.reveal !== undefined && !isInt(r.reveal, 0, 4)) return "reveal must be 0–4 characters";
  if (r.enabled !== undefined && typeof r.enabled !== "boolean") return "enabled must be true or false";
  if (r.description !== undefined && (typeof r.description !== "string" || r.description.length > 500)) return "description must be text of at most 500 characters";
  return null;
}

interface Effective {
  rule: SecretRule;
  /** a built-in pattern: JavaScript RegExp; anything a user wrote runs on RE2 */
  trusted: boolean;
}

function merge(user: readonly RuleInput[], builtins: readonly SecretRule[]): { rules: Effective[]; refused: RefusedRule[] } {
  const refused: RefusedRule[] = [];
  const base = builtins.map((rule) => ({ rule, trusted: true }));
  const added: Effective[] = [];
  for (const u of user) {
    const reason = validateRule(u, builtins);
    const name = typeof u?.name === "string" ? u.name.slice(0, 64) : "(unnamed)";
    if (reason) {
      refused.push({ name, reason });
      continue;
    }
    const i = base.findIndex((b) => b.rule.name === u.name);
    if (i >= 0) base[i] = { rule: { ...base[i]!.rule, ...u }, trusted: base[i]!.trusted && u.pattern === undefined };
    else {
      const j = added.findIndex((a) => a.rule.name === u.name);
      const e = { rule: { category: "secret", enabled: true, ...u } as SecretRule, trusted: false };
      if (j >= 0) added[j] = e;
      else added.push(e);
    }
  }
  // New user rules first: they are deliberate, and an overlap is attributed to the earlier rule.
  return { rules: [...added, ...base], refused };
}

/** The rules in force (user rules merged over the built-ins, in priority order) and those refused. */
export function effectiveRules(user: readonly RuleInput[] = [], builtins: readonly SecretRule[] = BUILTIN_RULES): { rules: SecretRule[]; refused: RefusedRule[] } {
  const { rules, refused } = merge(user, builtins);
  return { rules: rules.map((r) => r.rule), refused };
}

// ---- matching ------------------------------------------------------------------------------

interface Hit {
  /** the whole match */
  start: number;
  end: number;
  /** the value (the first participating `secret…` group, else the whole match) */
  vStart: number;
  vEnd: number;
}

type Matcher = (text: string) => Hit[];

function jsMatcher(rule: SecretRule): Matcher {
  const re = new RegExp(rule.pattern, [...new Set((rule.flags ?? "") + "gd")].join(""));
  return (text) => {
    const hits: Hit[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const start = m.index, end = start + m[0].length;
      let v: [number, number] = [start, end];
      const groups = m.indices?.groups;
      if (groups) for (const [k, span] of Object.entries(groups)) if (k.startsWith("secret") && span) { v = span; break; }
      hits.push({ start, end, vStart: v[0], vEnd: v[1] });
    }
    return hits;
  };
}

function re2Matcher(rule: SecretRule): Matcher {
  const re = RE2JS.compile(rule.pattern, re2Flags(rule.flags ?? ""));
  const groups = Object.entries(re.namedGroups()).filter(([k]) => k.startsWith("secret")).sort((a, b) => a[1] - b[1]).map(([k]) => k);
  return (text) => {
    const hits: Hit[] = [];
    const m = re.matcher(text);
    for (let pos = 0; pos <= text.length && m.find(pos); ) {
      const start = m.start(), end = m.end();
      pos = end > start ? end : end + 1;
      if (end === start) continue;
      let v: [number, number] = [start, end];
      for (const g of groups) if (m.start(g) >= 0) { v = [m.start(g), m.end(g)]; break; }
      hits.push({ start, end, vStart: v[0], vEnd: v[1] });
    }
    return hits;
  };
}

interface Compiled {
  rule: SecretRule;
  match: Matcher;
  keywords: string[];
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}
function lineEnd(text: string, pos: number): number {
  const i = text.indexOf("\n", pos);
  return i < 0 ? text.length : i;
}

/**
 * The key block a match starts (a BEGIN line) or lies in (a body line): its lines of base64,
 * then an END line when there is one. Null when it has fewer than minLines lines of body.
 */
function keyBlock(text: string, at: number, minLines: number): [number, number] | null {
  const l0 = lineStart(text, at);
  const first = text.slice(l0, lineEnd(text, at));
  const header = isBeginLine(first) || /BEG[I1l|]N/.test(text.slice(at, lineEnd(text, at)));
  let start = at, body = 0, lastEnd = lineEnd(text, at);
  if (!header) {
    if (!isBodyLine(first)) return null;
    body = 1;
    // back over body lines, and the BEGIN line above them when OCR kept it
    let s = l0;
    while (s > 0) {
      const ps = lineStart(text, s - 1);
      const prev = text.slice(ps, s - 1);
      if (isBodyLine(prev)) { body++; s = ps; continue; }
      if (isBeginLine(prev)) s = ps;
      break;
    }
    start = s;
  }
  // forward over body lines (one blank line may sit between two of them) up to an END line
  let pos = lastEnd;
  while (pos < text.length) {
    const ns = pos + 1, ne = lineEnd(text, ns);
    const line = text.slice(ns, ne);
    if (isEndLine(line)) { lastEnd = ne; break; }
    if (isBodyLine(line)) { body++; lastEnd = ne; pos = ne; continue; }
    if (!line.trim()) {
      const after = text.slice(ne + 1, lineEnd(text, ne + 1));
      if (ne < text.length && (isBodyLine(after) || isEndLine(after)) && body > 0) { pos = ne; continue; }
      break;
    }
    if (body > 0 && isBodyTail(line)) { body++; lastEnd = ne; pos = ne; continue; }
    break;
  }
  if (body < minLines) return null;
  while (start < lastEnd && isSpace(text[start])) start++;
  while (lastEnd > start && isSpace(text[lastEnd - 1])) lastEnd--;
  return [start, lastEnd];
}

const FRAGMENT_AFTER = /^([^\S\n]|\n)([^\s"'“”‘’`,;]{2,120})(?=\s|$|["'“”‘’`,;])/;
const TOKEN_CHARS = /^[A-Za-z0-9+/=_\-.@|!\][$&~]+$/;
const FRAGMENT_BEFORE = /(?:^|[\s"'“”‘’`,;])([^\s"'“”‘’`,;=:]{2,120})[^\S\n]$/;
/**
 * One to three short pieces (1–3 token characters each, single spaces between) and then a long
 * fragment: what OCR with tessdata_fast makes of the middle of a long token ("…KuLM6 j H+f cqT
 * fn5LRy…"). A piece that reads as a word (two or three lower-case letters, or a capital and
 * lower-case ones) is no bridge, unless the token has reached DEEP characters and a long
 * random fragment follows and the piece is no common word ("…KppASeVW5dsH fmc rwyyWRNemaMxTPS6…"
 * in a session token, where "… and ghp_…" is two tokens): there leaving the rest in clear is
 * the worse mistake.
 */
const BRIDGE = /^((?:[^\S\n][A-Za-z0-9+/=_\-.|!~]{1,3}){1,3})[^\S\n]([^\s"'“”‘’`,;]{4,120})(?=\s|$|["'“”‘’`,;])/;
const WORDLIKE = /^(?:[a-z]{2,3}|[A-Z][a-z]{1,2})$/;
/** Token characters taken in, and the length of the random fragment after, past which a word-like piece bridges too (not a common word). */
const DEEP = 24;
const DEEP_FRAGMENT = 8;
const COMMON_WORD = /^(?:a|all|an|and|any|are|as|at|be|but|by|can|do|for|get|has|if|in|is|it|its|let|may|new|no|not|now|of|on|one|or|our|out|per|run|see|set|so|the|to|two|up|use|var|via|was|we|yes|you)$/i;

/** Where a bridge of short pieces after `e` ends, when a random-looking fragment follows it; else null. `have`: the token's characters so far. */
function bridge(text: string, e: number, tokenStarts: ReadonlySet<number>, have: number): number | null {
  const m = BRIDGE.exec(text.slice(e, e + 140));
  if (!m || !looksRandom(m[2]!) || tokenStarts.has(e + m[1]!.length + 1)) return null;
  const deep = have >= DEEP && m[2]!.length >= DEEP_FRAGMENT;
  for (const p of m[1]!.matchAll(/\S+/g)) if ((WORDLIKE.test(p[0]) && (!deep || COMMON_WORD.test(p[0]))) || tokenStarts.has(e + p.index)) return null;
  return e + m[1]!.length;
}

/**
 * Takes in the pieces OCR split off a token: random-looking fragments after a stray space or a
 * wrap, or before a stray space. A fragment where another token's prefix starts (`tokenStarts`:
 * two keys side by side on one line) is not taken.
 */
function joinFragments(text: string, s: number, e: number, tokenStarts: ReadonlySet<number>, length = 0): [number, number] {
  for (let k = 0; k < 12; k++) {
    const have = text.slice(s, e).replace(/\s/g, "").length;
    const m = FRAGMENT_AFTER.exec(text.slice(e, e + 130));
    const short = m && have < length && have + m[2]!.length <= length + 2 && TOKEN_CHARS.test(m[2]!);
    if (m && !tokenStarts.has(e + m[1]!.length) && (short || (looksRandom(m[2]!) && !(m[1] === "\n" && (have < 12 || m[2]!.length < 4))))) {
      e += m[0].length;
      continue;
    }
    // short pieces between two long ones, on one line: the middle of a long token OCR spaced out
    const b = have >= 12 ? bridge(text, e, tokenStarts, have) : null;
    if (b === null) break;
    e = b;
  }
  for (let k = 0; k < 4; k++) {
    const m = FRAGMENT_BEFORE.exec(text.slice(Math.max(0, s - 130), s));
    if (!m || !looksRandom(m[1]!) || tokenStarts.has(s - m[1]!.length - 1)) break;
    s -= m[1]!.length + 1;
  }
  return [s, e];
}

function keywordNear(text: string, start: number, end: number, c: Compiled): boolean {
  if (!c.keywords.length) return true;
  const before = foldKeyword(text.slice(Math.max(0, start - (c.rule.window ?? 64)), start));
  const after = c.rule.after ? foldKeyword(text.slice(end, end + c.rule.after)) : "";
  return c.keywords.some((k) => before.includes(k) || after.includes(k));
}

interface Candidate {
  c: Compiled;
  priority: number;
  start: number;
  end: number;
}

function accept(text: string, c: Compiled, priority: number, hit: Hit, tokenStarts: ReadonlySet<number>): Candidate | null {
  const r = c.rule;
  let s = hit.vStart, e = hit.vEnd;
  while (s < e && isSpace(text[s])) s++;
  while (e > s && isSpace(text[e - 1])) e--;
  if (e <= s) return null;
  if (!keywordNear(text, hit.start, hit.end, c)) return null;
  if (r.span === "key-block") {
    const b = keyBlock(text, s, r.minLines ?? 0);
    if (!b) return null;
    [s, e] = b;
    return { c, priority, start: s, end: e };
  }
  if (r.category === "secret") [s, e] = joinFragments(text, s, e, tokenStarts, r.length);
  const value = text.slice(s, e);
  if (isPlaceholder(value)) return null;
  const len = value.replace(/\s/g, "").length;
  if (r.minLength !== undefined && len < r.minLength) return null;
  if (r.maxLength !== undefined && len > r.maxLength) return null;
  if (r.validator && !VALIDATORS[r.validator as ValidatorName](value, r.minEntropy)) return null;
  if (r.minEntropy !== undefined && entropy(value.replace(/\s/g, "")) < r.minEntropy) return null;
  return { c, priority, start: s, end: e };
}

// ---- boxes, masks, fingerprints ------------------------------------------------------------

/** Index of the line (count of newlines before) of each offset, by binary search. */
function lineIndex(newlines: number[], pos: number): number {
  let lo = 0, hi = newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newlines[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Median width of a character on each line, from the words tesseract is sure of. */
function charWidths(words: readonly OcrWord[], newlines: number[]): Map<number, number> {
  const per = new Map<number, number[]>();
  for (const w of words) {
    if (w.c < 60 || w.t.length < 3) continue;
    const line = lineIndex(newlines, w.o);
    per.set(line, [...(per.get(line) ?? []), (w.b[2] - w.b[0]) / w.t.length]);
  }
  const out = new Map<number, number>();
  for (const [line, ws] of per) out.set(line, ws.sort((a, b) => a - b)[ws.length >> 1]!);
  return out;
}

function boxesOf(start: number, end: number, words: readonly OcrWord[], newlines: number[], widths: Map<number, number>): Box[] {
  const perLine = new Map<number, Box>();
  for (const w of words) {
    const len = w.t.length;
    if (!len || w.o >= end || w.o + len <= start) continue;
    const [x0, y0, x1, y1] = w.b;
    const line = lineIndex(newlines, w.o);
    let bx0 = x0, bx1 = x1;
    const cw = (x1 - x0) / len, typical = widths.get(line);
    if ((w.o < start || w.o + len > end) && w.c >= 50 && typical && Math.abs(cw / typical - 1) <= 0.25) {
      // part of a word (KEY=value read as one word) whose box is believable: its share, a character wider
      bx0 = Math.max(x0, Math.floor(x0 + cw * (Math.max(start, w.o) - w.o) - cw));
      bx1 = Math.min(x1, Math.ceil(x0 + cw * (Math.min(end, w.o + len) - w.o) + cw));
    } // else the whole word: a box tesseract was unsure of does not say where its characters are
    const b = perLine.get(line);
    perLine.set(line, b ? [Math.min(b[0], bx0), Math.min(b[1], y0), Math.max(b[2], bx1), Math.max(b[3], y1)] : [bx0, y0, bx1, y1]);
  }
  const boxes = [...perLine.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  if (boxes.length >= 3) {
    // a block (a key): one column wide, and no gap between its lines for a missed word to show through
    const left = Math.min(...boxes.map((b) => b[0])), right = Math.max(...boxes.map((b) => b[2]));
    const sorted = boxes.map((b): Box => [left, b[1], right, b[3]]).sort((a, b) => a[1] - b[1]);
    const h = sorted.reduce((s, b) => s + (b[3] - b[1]), 0) / sorted.length;
    for (let i = 0; i + 1 < sorted.length; i++) {
      const gap = sorted[i + 1]![1] - sorted[i]![3];
      if (gap > 0 && gap <= 2 * h) sorted[i]![3] = sorted[i + 1]![1];
    }
    return sorted;
  }
  return boxes;
}

/**
 * Two redacted boxes on one row with a gap of up to 3 row heights between them (glyphs tesseract
 * missed: `_14z` between two halves of a wrapped key) are joined across it, in place.
 */
function closeGaps(boxes: Box[]): void {
  for (const a of boxes) {
    for (const b of boxes) {
      if (a === b || b[0] < a[2]) continue;
      const h = Math.max(a[3] - a[1], b[3] - b[1]);
      const overlap = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
      if (overlap >= 0.5 * Math.min(a[3] - a[1], b[3] - b[1]) && b[0] - a[2] <= 3 * h) a[2] = b[0];
    }
  }
}

/** `text` with every non-whitespace code unit in the ranges replaced by MASK; same length. */
export function redactText(text: string, ranges: readonly { start: number; end: number }[]): string {
  if (!ranges.length) return text;
  const out = text.split("");
  for (const { start, end } of ranges) {
    let s = Math.max(0, start), e = Math.min(text.length, end);
    if (s > 0 && /[\uDC00-\uDFFF]/.test(text[s]!)) s--; // never split a surrogate pair
    if (e < text.length && /[\uD800-\uDBFF]/.test(text[e - 1] ?? "")) e++;
    for (let i = s; i < e; i++) if (!isSpace(out[i])) out[i] = MASK;
  }
  return out.join("");
}

function keyBytes(key: Uint8Array | string): Buffer {
  const k = typeof key === "string" ? Buffer.from(key, "utf8") : Buffer.from(key);
  if (k.length < 16) throw new Error("the secrets fingerprint key must be at least 16 bytes");
  return k;
}

/** The keyed fingerprint of a secret: hex HMAC-SHA256 of normaliseSecret(value). */
export function fingerprintSecret(value: string, key: Uint8Array | string): string {
  return createHmac("sha256", keyBytes(key)).update(normaliseSecret(value), "utf8").digest("hex");
}

function preview(value: string, reveal: number | undefined): string {
  const v = value.replace(/\s/g, "");
  const n = Math.min(reveal ?? 4, 4, Math.floor(v.length / 4));
  return `${[...v].slice(0, n).join("")}…(${v.length})`;
}

// ---- the detector --------------------------------------------------------------------------

export class SecretDetector {
  /** every rule in force, enabled or not, in priority order */
  readonly rules: readonly SecretRule[];
  /** user rules that were refused, with the reason (they are not applied) */
  readonly refused: readonly RefusedRule[];
  private readonly compiled: Compiled[];
  private readonly key: Buffer;

  constructor(o: DetectorOptions) {
    this.key = keyBytes(o.key);
    const { rules, refused } = merge(o.rules ?? [], o.builtins ?? BUILTIN_RULES);
    this.rules = rules.map((r) => r.rule);
    this.refused = refused;
    this.compiled = [];
    for (const { rule, trusted } of rules) {
      if (!rule.enabled) continue;
      try {
        this.compiled.push({ rule, match: trusted ? jsMatcher(rule) : re2Matcher(rule), keywords: (rule.keywords ?? []).map(foldKeyword).filter(Boolean) });
      } catch (cause) {
        throw new Error(`secret rule ${rule.name}: its pattern does not compile`, { cause });
      }
    }
  }

  /** Keyed fingerprint of a value, as the findings carry it (for "was this ever on my screen?"). */
  fingerprint(value: string): string {
    return createHmac("sha256", this.key).update(normaliseSecret(value), "utf8").digest("hex");
  }

  /** Findings in `text`, the text and words redacted. `words[i].o` must be the offset of `t` in `text`. */
  detect(text: string, words: readonly OcrWord[] = []): Detection {
    const all = this.compiled.map((c) => {
      try {
        return c.match(text);
      } catch (cause) {
        // the cause's message could quote the text: only its class is kept
        throw new Error(`secret rule ${c.rule.name} failed on a frame's text`, { cause: cause instanceof Error ? new Error(cause.name) : undefined });
      }
    });
    // where a format-defined token (a prefix, no keyword needed) begins: no other token takes it in
    const tokenStarts = new Set<number>();
    this.compiled.forEach((c, i) => {
      if (c.rule.category === "secret" && !c.keywords.length && !c.rule.span) for (const h of all[i]!) if (h.start === h.vStart) tokenStarts.add(h.vStart);
    });
    const candidates: Candidate[] = [];
    const blocks: Candidate[] = []; // key blocks found so far: a line inside one is not looked at again
    this.compiled.forEach((c, priority) => {
      for (const h of all[priority]!) {
        if (c.rule.span === "key-block" && blocks.some((k) => h.vStart >= k.start && h.vStart < k.end)) continue;
        const cand = accept(text, c, priority, h, tokenStarts);
        if (!cand) continue;
        candidates.push(cand);
        if (c.rule.span === "key-block") blocks.push(cand);
      }
    });
    // An overlap goes to the earlier rule; a finding inside an accepted one adds nothing.
    candidates.sort((a, b) => a.priority - b.priority || a.start - b.start);
    const kept: Candidate[] = [];
    for (const cand of candidates) if (!kept.some((k) => cand.start >= k.start && cand.end <= k.end)) kept.push(cand);
    kept.sort((a, b) => a.start - b.start || b.end - a.end);

    const newlines: number[] = [];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines.push(i);
    const widths = charWidths(words, newlines);
    const findings = kept.map((k): SecretFinding => {
      const value = text.slice(k.start, k.end);
      return {
        rule: k.c.rule.name, kind: k.c.rule.kind, category: k.c.rule.category,
        start: k.start, end: k.end,
        boxes: boxesOf(k.start, k.end, words, newlines, widths),
        fingerprint: this.fingerprint(value),
        preview: preview(value, k.c.rule.reveal),
      };
    });
    closeGaps(findings.flatMap((f) => f.boxes));
    const redacted = redactText(text, findings);
    const redactedWords = words.map((w): OcrWord => {
      const len = w.t.length;
      if (!findings.some((f) => w.o < f.end && w.o + len > f.start)) return w;
      const t = text.slice(w.o, w.o + len) === w.t ? redacted.slice(w.o, w.o + len) : w.t.replace(/\S/g, MASK);
      return { ...w, t };
    });
    return { text: redacted, words: redactedWords, findings };
  }
}
