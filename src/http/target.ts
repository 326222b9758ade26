// Request targets decoded strictly: a malformed escape (`%`, `%zz`, bytes that are not UTF-8)
// is a 400 that says where, not a guess.
import { echo, HttpError } from "./errors.js";

/** absolute-form (GET http://host/path), which HTTP/1.1 servers must accept, as a path. */
export const pathOf = (raw: string) => raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "") || "/";

const decode = (s: string, where: () => string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in ${where()}: each % must start an escape such as %25 (%) or %C3%A9 (é) of UTF-8 bytes`);
  }
};

function queryParams(queryPart: string): [string, string][] {
  return queryPart
    .split("&")
    .filter((p) => p !== "")
    .map((p): [string, string] => {
      const eq = p.indexOf("=");
      const [k, v] = eq < 0 ? [p, ""] : [p.slice(0, eq), p.slice(eq + 1)];
      const name = decode(k.replace(/\+/g, " "), () => `a parameter name (${echo(k)})`);
      return [name, decode(v.replace(/\+/g, " "), () => `the value of ${echo(name)}`)];
    });
}

/** Checks a whole request target; throws HttpError(400) with the reason. */
export function checkTarget(raw: string): { segments: string[]; params: [string, string][] } {
  const target = pathOf(raw);
  if (!target.startsWith("/")) throw new HttpError(400, `request target must be a path such as /search?q=… (got ${echo(target)})`);
  if (/[^\x21-\x7e]/.test(target)) throw new HttpError(400, "request target holds a raw space, control or non-ASCII character: percent-encode it");
  const [pathPart, queryPart = ""] = target.split("#", 1)[0]!.split(/\?(.*)/s, 2) as [string, string?];
  const segments = pathPart
    .split("/")
    .filter((s) => s !== "")
    .map((s) => decode(s, () => `the path segment ${echo(s)}`));
  return { segments, params: queryParams(queryPart) };
}

/**
 * The query string as fastify's parser: a repeated name becomes an array (the schema refuses
 * it as "given more than once"). Never throws: checkTarget, run on every request before the
 * schemas, has refused a malformed one already.
 */
export function parseQuery(queryPart: string): Record<string, string | string[]> {
  let params: [string, string][];
  try {
    params = queryParams(queryPart);
  } catch {
    return {};
  }
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of params) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}
