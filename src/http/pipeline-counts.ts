// The pipeline counts /health returns, counted on a connection of their own.
import type { Sql } from "../db.js";
import { pipeline, type StageRow } from "../status.js";

/** The first /health after start waits this long for the first pipeline count, then answers without it. */
const FIRST_COUNT_WAIT_MS = 1000;

/** A pipeline count may take at most this share of one connection's time: 1/20, 5 %. */
const COUNT_DUTY = 20;

/**
 * The pipeline view (a scan of every frame: 0.7 s at 30,000 frames), counted on its own
 * connection when /health asks and the last count is older than maxAgeMs, and at most
 * every 20 times as long as the last count took; never while a request waits, but the first.
 */
export class PipelineCounts {
  private last: { rows: StageRow[]; at: Date; tookMs: number } | null = null;
  private error: string | null = null;
  private counting: Promise<void> | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly maxAgeMs: number,
  ) {}

  async get(): Promise<{ rows: StageRow[]; at: Date } | { rows: null; error: string }> {
    if (!this.last || Date.now() - this.last.at.getTime() > Math.max(this.maxAgeMs, COUNT_DUTY * this.last.tookMs)) this.count();
    if (!this.last && this.counting) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.counting, new Promise((r) => (timer = setTimeout(r, FIRST_COUNT_WAIT_MS)))]);
      clearTimeout(timer);
    }
    return this.last ?? { rows: null, error: this.error ?? `still counting (takes over ${FIRST_COUNT_WAIT_MS} ms)` };
  }

  private count(): void {
    if (this.counting) return;
    const at = new Date();
    this.counting = pipeline(this.sql)
      .then(
        (rows) => void ((this.last = { rows, at, tookMs: Date.now() - at.getTime() }), (this.error = null)),
        (err: Error) => void (this.error = `counting failed: ${err.message}`),
      )
      .finally(() => (this.counting = null));
  }
}
