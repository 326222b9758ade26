// The errors every route of `pgrecall serve` answers with: a status, the reason, headers.

export class HttpError extends Error {
  /** Where fastify reads (and sets) the status of an error it is handed. */
  statusCode: number;

  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.statusCode = status;
  }
}

/** The client left before its turn came: nothing to answer. */
export class ClientGone extends Error {}

/** A value from the request, fit to be quoted in an error message. */
export const echo = (s: string, max = 80) => JSON.stringify(s.length > max ? s.slice(0, max) + "…" : s);
