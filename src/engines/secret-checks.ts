// The named checks a secret rule can ask for (its `validator`), and the text tests the
// detector shares: placeholders, code that merely mentions a secret, the lines of a key block,
// and the OCR-folding of keywords and values. Nothing here logs or throws with a value.

/** Shannon entropy of `s` in bits per character (0 for an empty string). */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) h -= (c / n) * Math.log2(c / n);
  return h;
}

/** Digits as OCR misreads them (O/o→0, I/l/|→1, S→5, B→8, Z→2, G→6, g/q→9), for numbers that carry a checksum. */
export const asDigits = (s: string) =>
  s.replace(/[Oo]/g, "0").replace(/[Il|!]/g, "1").replace(/S/g, "5").replace(/B/g, "8").replace(/Z/g, "2").replace(/G/g, "6").replace(/[gq]/g, "9");

export function luhn(value: string): boolean {
  const d = asDigits(value).replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(d) || /^(\d)\1+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return sum % 10 === 0;
}

/** Countries that issue IBANs (ISO 3166 codes of the IBAN registry). */
export const IBAN_COUNTRIES = new Set(
  ("AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT HN HR HU IE IL IQ IS IT " +
    "JO KW KZ LB LC LI LT LU LV LY MC MD ME MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE").split(" "),
);

function mod97(iban: string): boolean {
  const r = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of r) {
    const v = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** An IBAN with a valid mod-97 checksum: as read, or with OCR's letter-for-digit misreads undone. */
export function iban(value: string): boolean {
  const s = value.replace(/\s/g, "").toUpperCase();
  if (s.length < 15 || s.length > 34 || !IBAN_COUNTRIES.has(s.slice(0, 2))) return false;
  const fixed = s.slice(0, 2) + asDigits(s.slice(2, 4));
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(fixed + s.slice(4))) return false;
  return mod97(fixed + s.slice(4)) || mod97(fixed + asDigits(s.slice(4)));
}

/**
 * A value that stands for a secret without being one: empty, masked (`****`, `••••`), a template
 * or environment reference (`${X}`, `$X`, `{{x}}`, `%X%`, `<your key>`), or a well-known filler.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (/^[*•●·∙⋅xX#.\-_]+$/.test(v) || /^[*•●]/.test(v)) return true;
  if (/^(?:\$\{.*\}?|\$\(.*\)?|\{\{.*|%[A-Za-z_]+%|<.*|\[.*\]|\$[A-Za-z_][A-Za-z0-9_]*)$/.test(v)) return true;
  const w = v.toLowerCase().replace(/[-_ ]/g, "");
  return (
    /^(?:changeme|changeit|password|passw0rd|pass|secret|token|apikey|example|sample|dummy|test|testing|placeholder|redacted|hidden|none|null|nil|undefined|true|false|todo|tbd|xxx+|\.\.\.|…)$/.test(w) ||
    /^(?:your|insert|enter|replace)[a-z0-9]*$/.test(w) ||
    /here$/.test(w)
  );
}

/**
 * A value in source code that names a secret rather than holding one: a type (`password: string`),
 * a keyword (`token = await …`), a call or a property path (`process.env.X`, `config.apiKey`).
 */
export function isCodeLike(value: string): boolean {
  const v = value.trim();
  if (/^(?:string|number|boolean|bool|int|integer|str|bytes|any|unknown|object|char|null|undefined|None|nil|true|false|await|async|new|this|self|const|let|var|function|return|yield|typeof|void|required|optional|str\?|string\?)[;,?]?$/i.test(v)) return true;
  // a call or its end (getenv("X"), read(), `Credentials)`); a `)` inside a token is OCR's misread of J or ]
  if (v.includes("(") || /\)[;,.]?$/.test(v)) return true;
  if (/^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+[[;]?$/.test(v)) return true;
  return /^(?:process\.env|os\.environ|os\.getenv|env\.|ENV\[|System\.getenv)/.test(v);
}

/**
 * Looks generated rather than written: long enough, letters and digits, spread out (entropy),
 * and not a slug, an identifier, a path or a host name made of words.
 */
export function isTokenLike(value: string, minEntropy = 3): boolean {
  const s = value.replace(/\s/g, "");
  if (s.length < 16 || !/[0-9]/.test(s) || !/[A-Za-z]/.test(s)) return false;
  if (entropy(s) < minEntropy) return false;
  const parts = s.split(/[-_@./:]+/).filter(Boolean);
  if (parts.length >= 2 && parts.every((p) => /^(?:[a-z]+|[0-9]+|[A-Z][a-z]+|[A-Z]+)$/.test(p))) return false;
  return !/^(?:~|\.{1,2})?\/[\w.-]+\//.test(s) && !/^[~.]/.test(s) && !/(?<![a-z])[a-z]{3,}\/[a-z]{3}/.test(s);
}

/** A fragment OCR split off a token (a stray space, a wrapped line): random-looking, not a word. */
export function looksRandom(s: string): boolean {
  // printable ASCII but quotes, backtick, comma, semicolon; `=` only as base64 padding at the end
  if (!/^[!#-&(-+\--:<-_a-~]+$/.test(s) || /=[^=]/.test(s) || s.includes("://")) return false;
  if (/[0-9]/.test(s) && /[A-Za-z]/.test(s)) return true;
  if (/^[0-9]+$/.test(s)) return s.length >= 6;
  return (s.match(/[A-Z]/g) ?? []).length >= 2 && /[a-z]/.test(s) ? true : /[a-z][A-Z]/.test(s);
}

// ---- key blocks ----------------------------------------------------------------------------

/** A line of base64 key material as OCR gives it: long runs, few spaces, mixed case, no `key: value`. */
export function isBodyLine(line: string): boolean {
  const s = line.trim();
  if (s.length < 20) return false;
  const spaces = (s.match(/\s/g) ?? []).length;
  if (spaces > Math.max(2, s.length / 8)) return false;
  if (Math.max(...s.split(/\s+/).map((r) => r.length)) < 12) return false;
  const chars = s.replace(/\s/g, "");
  const b64 = (chars.match(/[A-Za-z0-9+/=]/g) ?? []).length;
  if (b64 / chars.length < 0.85) return false;
  // key = value, key: value and hash labels are text about something, not key material
  if (/[A-Za-z_]{3}["'”’]?\s?=(?!=|\s*$)/.test(s) || /[A-Za-z_]{3}["'”’]?\s?:\s/.test(s) || /\bsha(?:1|256|384|512)[-:]/i.test(s)) return false;
  return (s.match(/[A-Z]/g) ?? []).length >= 2 && (s.match(/[a-z]/g) ?? []).length >= 2 && /[0-9+/]/.test(s);
}

/** The short last line of a key body (`…Ag==`), taken only right after body lines. */
export const isBodyTail = (line: string) =>
  line.length < 120 && /^\s*[A-Za-z0-9+/]{2,}={0,2}[:;.]?\s*$/.test(line) && (line.includes("=") || (/[A-Z]/.test(line) && /[0-9]/.test(line)));

const KEY_WORD = /K[E3][YV]/;
/** `-----END … PRIVATE KEY-----` as OCR reads it (dashes lost or spaced, letters misread). */
export const isEndLine = (line: string) => line.length < 120 && /\bE[NM]D\b/.test(line) && KEY_WORD.test(line) && line.trim().length < 80;
export const isBeginLine = (line: string) => line.length < 120 && /BEG[I1l|]N/.test(line) && KEY_WORD.test(line) && line.trim().length < 80;

// ---- folding -------------------------------------------------------------------------------

/**
 * Keyword matching as OCR reads: lower case, confusable glyphs folded (0→o, 1/i/|/!→l, 5/$→s,
 * 3→e, 8→b) and separators dropped, so `AWS SECRET ACCESS KEY` finds `secret_access_key`.
 */
export function foldKeyword(s: string): string {
  return s
    .toLowerCase()
    .replace(/0/g, "o")
    .replace(/[1i|!]/g, "l")
    .replace(/[5$]/g, "s")
    .replace(/3/g, "e")
    .replace(/8/g, "b")
    .replace(/[\s_\-.:'"`“”‘’]/g, "");
}

/**
 * The form of a secret that its fingerprint is taken of, the same for a value read by OCR and one
 * typed or piped in: PEM armour lines and literal `\n` dropped, whitespace and the punctuation OCR
 * loses or invents (. , ' " `) removed, lower case, and each group of glyphs OCR confuses made one
 * (o/0/q→0, i/l/1/|/!→1, s/$/5→5, b/8→8, z/2→2, rn→m, vv→w).
 */
export function normaliseSecret(value: string): string {
  return value
    .normalize("NFKC")
    .replace(/\\n/g, "\n")
    .split("\n")
    .filter((l) => !isBeginLine(l) && !isEndLine(l))
    .join("")
    .replace(/[\s.,'"`“”‘’]/g, "")
    .toLowerCase()
    .replace(/rn/g, "m")
    .replace(/vv/g, "w")
    .replace(/[oq]/g, "0")
    .replace(/[il|!]/g, "1")
    .replace(/[s$]/g, "5")
    .replace(/b/g, "8")
    .replace(/z/g, "2");
}

/** Validators a rule may name; each gets the value (and the rule's minEntropy) and says yes or no. */
export const VALIDATORS = {
  /** payment card: 12–19 digits with a valid Luhn check digit */
  luhn: (v: string) => luhn(v),
  /** IBAN: a registry country and a valid mod-97 checksum */
  iban: (v: string) => iban(v),
  /** Shannon entropy of at least minEntropy bits per character (default 3) */
  entropy: (v: string, minEntropy?: number) => entropy(v.replace(/\s/g, "")) >= (minEntropy ?? 3),
  /** a generated-looking token: ≥ 16 characters, letters and digits, entropy, not a slug or path */
  token: (v: string, minEntropy?: number) => isTokenLike(v, minEntropy ?? 3),
  /** the value of a password assignment: not code, at least 4 characters */
  password: (v: string) => v.replace(/\s/g, "").length >= 4 && !isCodeLike(v),
  /** the value of a secret/token/key assignment: not code, ≥ 8 characters, a digit or mixed case */
  "secret-value": (v: string) => {
    const s = v.replace(/\s/g, "");
    return s.length >= 8 && !isCodeLike(v) && (/[0-9]/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s)) || /[^A-Za-z0-9]/.test(s));
  },
} as const satisfies Record<string, (value: string, minEntropy?: number) => boolean>;

export type ValidatorName = keyof typeof VALIDATORS;
