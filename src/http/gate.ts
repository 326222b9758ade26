// At most `size` tasks at once, one per connection of their pool, so postgres.js never queues
// (or pipelines) a query behind another. A task waits at most `waitMs` for its turn, then is
// refused with a 503; a task whose client left is dropped from the queue.
import type { IncomingMessage } from "node:http";
import PQueue from "p-queue";
import { ClientGone, HttpError } from "./errors.js";

export class Gate {
  private readonly queue: PQueue;

  constructor(
    readonly what: string,
    readonly size: number,
    readonly waitMs: number,
  ) {
    this.queue = new PQueue({ concurrency: size });
  }

  get running(): number {
    return this.queue.pending;
  }

  get waiting(): number {
    return this.queue.size;
  }

  async run<T>(req: IncomingMessage, task: () => Promise<T>): Promise<T> {
    if (req.socket.destroyed) throw new ClientGone();
    const turn = new AbortController();
    let started = false;
    // Only a task still waiting is aborted: p-queue would release the slot of a running one early.
    const timer = Number.isFinite(this.waitMs) ? setTimeout(() => !started && turn.abort(this.busy()), this.waitMs) : undefined;
    const gone = () => !started && turn.abort(new ClientGone());
    req.socket.once("close", gone);
    try {
      return await this.queue.add(
        () => {
          started = true;
          clearTimeout(timer);
          return task();
        },
        { signal: turn.signal },
      );
    } finally {
      clearTimeout(timer);
      req.socket.off("close", gone);
    }
  }

  private busy(): HttpError {
    const retry = Math.max(1, Math.ceil(this.waitMs / 1000));
    return new HttpError(
      503,
      `busy: ${this.running} ${this.what} running on ${this.size} connection(s), ${this.waiting} waiting; none free within ${this.waitMs} ms. Retry in ${retry} s.`,
      { "retry-after": String(retry) },
    );
  }
}
