// Defence against DNS rebinding: a web page the user visits can make its own domain resolve to
// 127.0.0.1 and then talk to the server as if it were same-origin. Such a request still names
// that domain in its Host header (and, for anything but a simple GET, its page in Origin), so
// the server answers only requests whose Host is an address it serves, and refuses requests
// that change state (and /mcp) from any Origin but its own.
import { networkInterfaces } from "node:os";

export class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];

/** Whether `host` (an address to bind) is a loopback address or name. */
export function isLoopback(host: string): boolean {
  const h = bare(host);
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/** A host name as compared: lower case, no brackets around an IPv6 address, no trailing dot. */
function bare(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

/** The host part of a Host header value (`name`, `name:port`, `[v6]:port`); null when it is not one. */
function hostOf(header: string): { host: string; port: string | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^\s:[\]/@]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  return m ? { host: bare(m[1]!), port: m[2] ?? null } : null;
}

export interface HostGuard {
  /** The names a Host header may carry. */
  readonly names: ReadonlySet<string>;
  /** Throws Refused (403) unless the request's Host names an address served here. */
  checkHost(host: string | undefined): void;
  /** Throws Refused (403) when an Origin is given and is not a page of this server. */
  checkOrigin(origin: string | undefined, port: number): void;
}

/**
 * The Host names a server bound to `bindHost` answers to: the loopback names, the bound
 * address (every interface's for 0.0.0.0 and ::), and the operator's `extra` names
 * (PGRECALL_ALLOWED_HOSTS: a reverse proxy's name, the machine's name on the LAN).
 */
export function hostGuard(bindHost: string, extra: readonly string[] = []): HostGuard {
  const names = new Set<string>(LOOPBACK_NAMES);
  const bound = bare(bindHost);
  if (bound === "0.0.0.0" || bound === "::" || bound === "") {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bare(a.address.replace(/%.*$/, "")));
  } else {
    names.add(bound);
  }
  const extras = new Set(extra.map(bare).filter((n) => n !== ""));
  for (const n of extras) names.add(n);
  const served = [...names].sort().join(", ");
  return {
    names,
    checkHost(header) {
      if (header === undefined || header === "") throw new Refused(400, "a Host header is required");
      const h = hostOf(header);
      if (!h || !names.has(h.host)) {
        throw new Refused(
          403,
          `Host ${JSON.stringify(header.slice(0, 100))} is not an address this server answers to (${served}); ` +
            "requests naming another host are refused against DNS rebinding. Add a name with PGRECALL_ALLOWED_HOSTS",
        );
      }
    },
    checkOrigin(origin, port) {
      if (origin === undefined) return; // not a browser (curl, an MCP client): Host and the token guard it
      let u: URL | null = null;
      try {
        u = origin === "null" ? null : new URL(origin);
      } catch {
        u = null;
      }
      const host = u && /^https?:$/.test(u.protocol) ? bare(u.hostname) : null;
      const ownPort = u ? Number(u.port || (u.protocol === "https:" ? 443 : 80)) === port : false;
      // A page on another port of this machine is another site; a configured name may sit behind a proxy.
      const ok = host !== null && (extras.has(host) || (names.has(host) && ownPort));
      if (!ok) {
        throw new Refused(403, `Origin ${JSON.stringify(origin.slice(0, 100))} is not a page of this server: requests that change state (and /mcp) are taken only from its own pages or from clients that send no Origin`);
      }
    },
  };
}

/** Whether a method can change state: those get the Origin check. */
export const changesState = (method: string | undefined) => !["GET", "HEAD", "OPTIONS"].includes(method ?? "GET");
