// The secret rules as data: one serialisable record per rule (the shape of a row of the rules
// table), the built-in set first. Patterns are written for text as OCR reads it: `_` read as a
// space, dots lost, stray spaces inside a token, quotes turned curly, l/1/I, O/0, S/5, B/8 and
// J/] confused. So prefixes accept their misreads, bodies accept OCR's junk glyphs and single
// stray spaces, lengths have slack, and anything that has a keyword or a format prefix before it
// is caught by that context rather than by its exact shape.
//
// Formats follow the services' documentation and the rule sets of secretlint (MIT,
// github.com/secretlint/secretlint) and gitleaks (MIT, github.com/gitleaks/gitleaks); the
// patterns here are our own, widened for OCR.
import type { ValidatorName } from "./secret-checks.js";

export interface SecretRule {
  /** Unique name, `[a-z0-9][a-z0-9_.-]*`. A user rule with a built-in's name replaces or disables it. */
  name: string;
  /** What is found, in words; search snippets show `[redacted: <kind>]`. */
  kind: string;
  /** `secret` (credentials) or `personal` (data about a person). */
  category: "secret" | "personal";
  /**
   * Regular expression source. The value is the first participating group whose name starts with
   * `secret` (`(?<secret>…)`, `(?<secret2>…)`), else the whole match. Built-ins are JavaScript
   * RegExp syntax; user rules run on RE2 (linear time): no lookaround, no backreferences.
   */
  pattern: string;
  /** Any of `i` (ignore case), `m` (^ and $ at line ends), `s` (. matches newlines), `u`. */
  flags?: string;
  /** One of these must occur near the match (case and OCR misreads folded, separators ignored). */
  keywords?: string[];
  /** How far before the match a keyword may be, in characters (default 64). */
  window?: number;
  /** How far after the match a keyword may be, in characters (default 0). */
  after?: number;
  /** A named check the value must pass (see VALIDATORS in secret-checks.ts). */
  validator?: ValidatorName;
  /** Least Shannon entropy of the value in bits per character. */
  minEntropy?: number;
  /** Least and most characters of the value (whitespace not counted). */
  minLength?: number;
  maxLength?: number;
  /**
   * The usual length of the value: while it is shorter, the pieces after a stray space or a
   * line break are taken in even when they do not look random (`…NpIt EST` of a GitHub token).
   */
  length?: number;
  /**
   * `key-block`: the match starts or lies in a block of key material; the finding runs from it
   * over every line of base64 that follows (and, when the match is no BEGIN line, precedes), up to
   * and including an END line, whatever OCR made of the lines in between.
   */
  span?: "key-block";
  /** key-block: at least this many lines of key material (default 1). */
  minLines?: number;
  /** How many leading characters the preview may show, 0–4 (default 4; never over a quarter of the value). */
  reveal?: number;
  /** Off rules are kept (a user can turn them on) but not applied. */
  enabled: boolean;
  description?: string;
}

// ---- pattern pieces ------------------------------------------------------------------------

/** Glyphs OCR puts in place of letters and digits: @ for 0/a, | and ! for l/I/1, ] [ for J/l, $ for S, & for 8. */
const JUNK = "@|!\\]\\[$&";
const AN = `[A-Za-z0-9${JUNK}]`;
const AN_ = `[A-Za-z0-9_${JUNK}]`;
const B64U = `[A-Za-z0-9_\\-—–${JUNK}]`;
const B64 = `[A-Za-z0-9+/=${JUNK}]`;
/** base64 without its padding, for where a value begins */
const B64S = `[A-Za-z0-9+/${JUNK}]`;
const HEXISH = "[0-9a-fA-FlIoOSsBgqZz|]";
const SP = "[^\\S\\n]";
const Q = "[\"'“”‘’`]";
const NOT_Q = "[^\"'“”‘’`\\n]";
/**
 * `min`–`max` characters of `cls`, as few as end at a non-`cls` character; a single space or line
 * break may sit between two of them (a stray space, a wrap), crossed only while fewer than `min`.
 */
const run = (cls: string, min: number, max: number) => `${cls}(?:\\s?${cls}){${min - 1},${max - 1}}?(?!${cls})`;
const START = "(?<![A-Za-z0-9_])";
/** A group of an IBAN as printed: up to 4 characters with a digit, or a 4-letter bank code. */
const IBAN_GROUP = "(?:(?=[A-Z0-9]{0,3}[0-9])[A-Z0-9OolSBZG]{1,4}|[A-Z]{4})";
/** A digit as OCR may read it. */
const D = "[0-9OoIlSBZGgq]";

const FOLD: Record<string, string> = { o: "[o0]", i: "[i1l|!]", l: "[l1i|!]", s: "[s5$]", e: "[e3]", b: "[b8]", a: "[a@4]", " ": "[_ .-]?", _: "[_ .-]?" };
/** A word as OCR may read it (use with the `i` flag). */
const fz = (word: string) => [...word].map((c) => FOLD[c] ?? c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("");
const any = (...words: string[]) => `(?:${words.map(fz).join("|")})`;

const PASSWORD_WORDS = `(?:${any("password", "passwort", "passwd", "passphrase", "pwd")}|(?<![a-z])${fz("pass")}(?![a-z]))`;
const SECRET_WORDS =
  `(?:${any("secret", "token", "api key", "apikey", "access key", "private key", "auth key", "signing key", "encryption key", "master key", "credential")}` +
  `|(?<=[_.-])${fz("key")}(?![a-z]))`;
/** The rest of the identifier, a closing quote, the operator and the value (quoted, unquoted, or quoted on the next line). */
const ASSIGNED =
  `[A-Za-z0-9_ .-]{0,30}?${Q}?${SP}*` +
  `(?:(?::=|=>|[:=])${SP}*(?:${Q}(?<secret>${NOT_Q}{1,4000}?)${SP}*(?:${Q}|$)|(?<secret2>[^\\s"'“”‘’\`,;]{1,4000}))` +
  `|(?::=|=>|[:=])?${SP}*\\n${SP}*${Q}(?<secret3>${NOT_Q}{1,4000}?)${SP}*(?:${Q}|$)` +
  // "apiKey" "value": a quoted key and a quoted value whose colon OCR lost
  `|(?<=${Q}${SP}+)${Q}(?<secretq>${NOT_Q}{1,4000}?)${SP}*(?:${Q}|$))`;
const CONTEXT_WORDS = ["token", "secret", "password", "passwd", "passphrase", "api key", "apikey", "access key", "private key", "credential", "bearer", "auth key", "signing key"];

const GLYPHS: Record<string, string> = {
  l: "l1I|", i: "i1l|", I: "I1l|", "1": "1lI|", o: "o0", O: "O0", "0": "0Oo", s: "s5", S: "S5", B: "B8", G: "G6", g: "gq", Z: "Z2", e: "e3",
  "-": "\\-—–", _: "_ ", ".": ".,",
};
/**
 * A token prefix as OCR may read it, case kept: each character or its look-alikes, a stray space
 * allowed between any two (`sk_liv e_`), `_` read as a space, `.` as `,`.
 */
const pfx = (p: string) => [...p].map((c) => (GLYPHS[c] ? `[${GLYPHS[c]}]` : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join(`${SP}?`);

const rule = (r: Omit<SecretRule, "category" | "enabled"> & Partial<Pick<SecretRule, "category" | "enabled">>): SecretRule => ({ category: "secret", enabled: true, ...r });

// ---- the built-in rules, most specific first (an overlap is attributed to the earlier rule) ---

export const BUILTIN_RULES: readonly SecretRule[] = Object.freeze([
  // private keys
  rule({
    name: "private-key", kind: "private key", span: "key-block", reveal: 0,
    pattern: `(?<!-)-(?:-|${SP}){0,12}BEG[I1l|]N${SP}?(?:[A-Z0-9]+${SP}){0,3}PR[I1l|]VATE${SP}?K[E3][YV]`,
    description: "a PEM or OpenSSH private key, from its BEGIN line to its END line (or the end of the key on screen)",
  }),
  rule({
    name: "private-key-body", kind: "private key", span: "key-block", minLines: 2, reveal: 0, flags: "m",
    pattern: `^${SP}*(?:\\d+${SP})?(?:M[I1lT|][I1lT|][A-Za-z0-9]|b3B[l1I|]bnNza)`,
    description: "the base64 body of a private key whose BEGIN line OCR lost (PKCS MII…, OpenSSH b3BlbnNza…)",
  }),
  // cloud
  rule({
    name: "aws-access-key-id", kind: "aws access key", length: 20, pattern: `${START}(?<secret>(?:A3T[A-Z0-9]|${pfx("AKIA")}|${pfx("ASIA")}|ABIA|ACCA)${SP}?${run(AN, 15, 18)})`,
    description: "AWS access key id (AKIA…, ASIA…)",
  }),
  rule({
    name: "aws-secret-access-key", kind: "aws secret key", flags: "im", minLength: 30, maxLength: 50, length: 40,
    pattern: `${fz("aws")}[_ .-]?${fz("secret")}[_ .-]?(?:${fz("access")}[_ .-]?)?${fz("key")}${ASSIGNED}`,
    description: "aws_secret_access_key = …, AWS_SECRET_ACCESS_KEY=… (any 30–50 characters after it)",
  }),
  rule({
    name: "aws-secret-access-key-label", kind: "aws secret key", keywords: ["secret access key", "aws secret"], window: 64, validator: "entropy", minEntropy: 4,
    minLength: 36, maxLength: 44, length: 40,
    pattern: `(?<!${B64})(?<secret>${run(B64S, 20, 44)}={0,2})`,
    description: "a 40-character secret key under or after a 'Secret access key' label",
  }),
  rule({
    name: "aws-session-token", kind: "aws session token", flags: "im", minLength: 60,
    pattern: `(?:${fz("aws")}[_ .-]?${fz("session")}[_ .-]?${fz("token")}|x-amz-security-token)${ASSIGNED}|(?<secret4>(?:IQoJb3JpZ2luX2|FwoGZXIvYXdzE)${run(B64, 60, 2000)})`,
  }),
  rule({
    name: "gcp-private-key-id", kind: "gcp key id", flags: "i",
    pattern: `${fz("private key id")}${Q}?${SP}*:${SP}*${Q}?(?<secret>${AN}{36,44})`,
  }),
  rule({ name: "google-api-key", kind: "google api key", length: 39, pattern: `${START}(?<secret>${pfx("AIza")}${SP}?${run(B64U, 33, 38)})` }),
  rule({
    name: "azure-storage-key", kind: "azure storage key", flags: "i", minLength: 40,
    pattern: `${fz("account")}${SP}?${fz("key")}${SP}?=${SP}?(?<secret>${run(B64, 20, 100)})`,
  }),
  rule({ name: "azure-sas-signature", kind: "azure sas signature", pattern: `[?&]sig=(?<secret>[A-Za-z0-9%/+=]{20,})` }),
  rule({ name: "azure-client-secret", kind: "azure client secret", pattern: `${START}(?<secret>[A-Za-z0-9_~.]{3}[0-9][Q0O][~—–\\-]${run(`[A-Za-z0-9_~.\\-${JUNK}]`, 20, 36)})` }),
  // services
  rule({ name: "github-token", kind: "github token", length: 40, pattern: `${START}(?<secret>${pfx("gh")}${SP}?[pousr]${SP}?${pfx("_")}${SP}?${run(AN, 16, 38)})` }),
  rule({ name: "github-fine-grained-token", kind: "github token", length: 93, pattern: `${START}(?<secret>${pfx("github_pat_")}${SP}?${run(AN_, 30, 90)})` }),
  rule({ name: "gitlab-token", kind: "gitlab token", length: 26, pattern: `${START}(?<secret>gl(?:${pfx("pat")}|dt|rt|cbt|ptt|ft|imt|oas|soat|agent)${SP}?${pfx("-")}${SP}?${run(B64U, 18, 60)})` }),
  rule({ name: "slack-token", kind: "slack token", pattern: `${START}(?<secret>${pfx("xox")}[abposer]${pfx("-")}${run(`[A-Za-z0-9\\-—–${JUNK}]`, 20, 250)})` }),
  rule({ name: "slack-webhook", kind: "slack webhook", pattern: `hooks[.,]?${SP}?slack[.,]?${SP}?com/services/(?<secret>[A-Za-z0-9/${JUNK}]{20,})` }),
  rule({ name: "stripe-key", kind: "stripe key", pattern: `${START}(?<secret>(?:${pfx("sk_live_")}|${pfx("rk_live_")}|${pfx("sk_test_")}|${pfx("rk_test_")})${SP}?${run(AN, 16, 110)})` }),
  rule({ name: "openai-key", kind: "openai key", pattern: `${START}(?<secret>${pfx("sk-")}${SP}?(?:(?:${pfx("proj-")}|${pfx("svcacct-")}|${pfx("admin-")})${SP}?${run(B64U, 20, 200)}|${AN}{16,24}T3B[lL1I|]bkF[JIl1|]${AN}{16,24}))` }),
  rule({
    name: "openai-key-part", kind: "openai key", pattern: `(?<!${B64U})(?<secret>${B64U}{8,200}T3B[lL1I|]bkF[JIl1|]${B64U}{8,200})`,
    description: "the part of an OpenAI key around its T3BlbkFJ marker, when a wrap split it from its prefix",
  }),
  rule({ name: "anthropic-key", kind: "anthropic key", length: 108, pattern: `${START}(?<secret>${pfx("sk-ant-")}${SP}?(?:${pfx("api")}|${pfx("admin")}|sid)${SP}?[0O]?${SP}?[0-9]${SP}?${pfx("-")}${SP}?${run(B64U, 30, 120)})` }),
  rule({ name: "npm-token", kind: "npm token", length: 40, pattern: `${START}(?<secret>${pfx("npm_")}${SP}?${run(AN, 20, 38)})` }),
  rule({ name: "pypi-token", kind: "pypi token", pattern: `(?<secret>pypi-AgE[I1l|]cH[l1I|]waS5vcmc${run(B64U, 16, 250)})` }),
  rule({ name: "sendgrid-key", kind: "sendgrid key", length: 69, pattern: `${START}(?<secret>${pfx("SG")}[.,]?${SP}?${B64U}{16,26}[.,]?${SP}?${run(B64U, 36, 48)})` }),
  rule({ name: "twilio-api-key", kind: "twilio key", length: 34, pattern: `${START}(?<secret>SK${HEXISH}{31,33})(?![A-Za-z0-9])` }),
  rule({ name: "telegram-bot-token", kind: "telegram bot token", pattern: `${START}(?<secret>[0-9]{8,10}:AA${run(B64U, 30, 36)})` }),
  rule({ name: "shopify-token", kind: "shopify token", pattern: `${START}(?<secret>shp(?:at|ca|pa|ss)_${run(AN, 30, 34)})` }),
  rule({ name: "huggingface-token", kind: "hugging face token", pattern: `${START}(?<secret>hf_${run(AN, 32, 40)})` }),
  rule({ name: "digitalocean-token", kind: "digitalocean token", pattern: `${START}(?<secret>do[opr]_v1_${run(AN, 60, 66)})` }),
  rule({ name: "databricks-token", kind: "databricks token", pattern: `${START}(?<secret>dapi${HEXISH}{30,34})(?![A-Za-z0-9])` }),
  rule({ name: "doppler-token", kind: "doppler token", pattern: `${START}(?<secret>dp[.,](?:st|ct|sa|scim|audit)[.,]${run(AN_, 38, 46)})` }),
  rule({ name: "vault-token", kind: "vault token", pattern: `${START}(?<secret>hv[sb][.,]${run(B64U, 24, 200)})` }),
  rule({ name: "linear-key", kind: "linear key", pattern: `${START}(?<secret>lin_api_${run(AN, 32, 128)})` }),
  rule({ name: "age-secret-key", kind: "age secret key", pattern: `(?<secret>AGE-SECRET-KEY-1${run("[0-9A-Z]", 56, 60)})` }),
  rule({
    name: "jwt", kind: "jwt",
    pattern: `${START}(?<secret>eyJ${run(`[A-Za-z0-9_\\-.,)(${JUNK}]`, 24, 4000)})`,
    description: "a JSON web token (eyJ….eyJ….signature; any long base64 JSON), whatever OCR did to its dots",
  }),
  rule({
    name: "key-material", kind: "key material", span: "key-block", minLines: 3, reveal: 0, flags: "m",
    pattern: `^${SP}*[A-Za-z0-9+/]{12}`,
    description: "three or more lines of base64 one under the other: a key or certificate body",
  }),
  // credentials in URLs, headers and assignments
  rule({
    name: "url-password", kind: "password in url", flags: "i",
    pattern:
      `(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|redis|rediss|am[qg]ps?|mssql|sqlserver|clickhouse|cockroachdb|jdbc:[a-z]+|https?|ftps?|smtps?|ldaps?|sftp)` +
      `${SP}?:${SP}?/${SP}?/${SP}?[^\\s:/@]{0,64}${SP}?:${SP}?(?<secret>[^\\s]{1,200}(?:${SP}[^\\s]{1,200})?)@`,
    description: "the password of scheme://user:password@host",
  }),
  rule({
    name: "url-password-no-at", kind: "password in url", flags: "i", validator: "password",
    pattern:
      `(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|redis|rediss|am[qg]ps?|mssql|sqlserver|clickhouse)` +
      `${SP}?:${SP}?/${SP}?/${SP}?[^\\s:/@]{0,64}${SP}?:${SP}?(?<secret>(?![0-9]+(?:[/\\s]|$))[^\\s@/]{4,200})(?=[/\\s]|$)`,
    description: "a database URL whose @ OCR misread: everything after user: up to the path is redacted",
  }),
  rule({ name: "basic-auth", kind: "basic auth", flags: "i", pattern: `authorization${Q}?${SP}*:${SP}*basic${SP}+(?<secret>[A-Za-z0-9+/=]{8,})` }),
  rule({ name: "bearer-token", kind: "bearer token", flags: "i", pattern: `${START}bearer${SP}+(?<secret>[A-Za-z0-9._~+/\\-)(${JUNK}]{16,})` }),
  rule({
    name: "password-assignment", kind: "password", flags: "im", validator: "password", reveal: 0,
    pattern: `${PASSWORD_WORDS}${ASSIGNED}`,
    description: "PASSWORD=…, \"password\": \"…\", password: …, --password=…, PGPASSWORD=…",
  }),
  rule({
    name: "secret-assignment", kind: "secret", flags: "im", validator: "secret-value",
    pattern: `${SECRET_WORDS}${ASSIGNED}`,
    description: "FOO_SECRET=…, export TOKEN=…, api_key: …, \"apiKey\": \"…\", STRIPE_KEY=…",
  }),
  rule({
    name: "keyword-token", kind: "token", keywords: CONTEXT_WORDS, window: 40, after: 24, validator: "token", minEntropy: 3,
    pattern: `(?<![A-Za-z0-9+/=_\\-${JUNK}~])(?<secret>[A-Za-z0-9+/_\\-${JUNK}~]{16,4000}={0,2})(?![A-Za-z0-9+/=_-])`,
    description: "a generated-looking token within 40 characters after (or 24 before) a word such as token, secret, password, api key",
  }),
  // personal data
  rule({
    name: "payment-card", kind: "payment card", category: "personal", validator: "luhn",
    pattern: `${START}(?<secret>[2-6](?:[ -]{0,2}${D}){12,18})(?![A-Za-z0-9])`,
    description: "13–19 digits (grouped or not) starting 2–6, with a valid Luhn check digit",
  }),
  rule({
    name: "payment-card-context", kind: "payment card", category: "personal", keywords: ["card", "credit", "debit", "visa", "mastercard", "amex", "card number"], window: 40,
    pattern: `${START}(?<secret>${D}{4}(?:[ -]{1,2}${D}{4}){2}[ -]{1,2}${D}{1,4}(?:[ -]${D}{3})?|[0-9]{15,16})(?![A-Za-z0-9])`,
    description: "a card number next to the word card, even when OCR misread a digit and its Luhn check fails",
  }),
  rule({
    name: "card-security-code", kind: "card security code", category: "personal", keywords: ["cvc", "cvv", "cve", "csc", "cvn", "security code", "card code"], window: 24, reveal: 0,
    pattern: `${START}(?<secret>${D}{3,4})(?![A-Za-z0-9/])`,
  }),
  rule({
    name: "iban", kind: "iban", category: "personal", validator: "iban",
    pattern: `${START}(?<secret>[A-Z]{2}${D}{2}(?:[A-Z0-9OolSBZG]{11,30}|(?:${SP}{1,2}${IBAN_GROUP}){3,9}))(?![A-Za-z0-9])`,
    description: "an IBAN with a valid mod-97 checksum (letter-for-digit misreads undone)",
  }),
  rule({
    name: "iban-context", kind: "iban", category: "personal", keywords: ["iban"], window: 40,
    pattern: `${START}(?<secret>[A-Z]{2}${D}{2}(?:[A-Z0-9OolSBZG]{11,30}|(?:${SP}{1,2}${IBAN_GROUP}){3,9}))(?![A-Za-z0-9])`,
    description: "an IBAN next to the word IBAN, even when its checksum fails",
  }),
  rule({
    name: "email", kind: "email address", category: "personal", enabled: false, reveal: 0,
    pattern: `${START}(?<secret>[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,})`,
    description: "off by default: finding people's addresses is a core use of a screen memory",
  }),
  rule({
    name: "phone", kind: "phone number", category: "personal", enabled: false, reveal: 0,
    pattern: `(?<![\\w+])(?<secret>(?:\\+|00)[1-9][0-9]{0,2}(?:[ .-]\\(?[0-9]{1,4}\\)?){2,5}|(?:\\+|00)[1-9][0-9]{7,13})(?![\\w])`,
    description: "off by default; international form (+49 30 1234567, 0044 …)",
  }),
]);
