// Task `summarize`: one (deployment, local day) → pgrecall.summarize_day, queued a couple of minutes
// after frames arrive (debounced per day) and at once after a forget. Once the day has ended,
// with a provider configured, the day's prose is written (numbers filled in by SQL).
// Task `summarize_due` (hourly cron): queues the ended days of the last week that still lack prose.
import type { Task } from "graphile-worker";
import type { Sql } from "../src/db.js";
import { ProseRejected, ProseWriter, type DayFacts } from "../src/engines/prose.js";
import type { Runtime } from "../src/runtime.js";

/** The crontab lines of the summaries (graphile-worker syntax). */
export const SUMMARIZE_CRONTAB = "7 * * * * summarize_due";

export default function summarize(rt: Runtime, prose: ProseWriter | null): Task {
  return async (payload, helpers) => {
    const { deployment_id, day } = (payload ?? {}) as { deployment_id?: unknown; day?: unknown };
    if (typeof deployment_id !== "string" || typeof day !== "string") {
      helpers.logger.error(`summarize: payload names no deployment and day (${JSON.stringify(payload).slice(0, 200)}); dropping the job`);
      return;
    }
    await rt.sql`select pgrecall.summarize_day(${deployment_id}, ${day}::text::date)`;
    if (prose) await writeProse(rt.sql, prose, deployment_id, day);
  };
}

export function summarizeDue(rt: Runtime, hasProvider: boolean): Task {
  return async () => {
    if (hasProvider) await rt.sql`select pgrecall.queue_days_due_prose()`;
  };
}

/**
 * Writes a day's prose: the model gets the facts, SQL checks and fills in its text. A text SQL
 * refuses (a number of its own) is asked for once more with the reason; after that, or when
 * the provider refuses, the reason is recorded and the summary stays the structured one.
 * Returns the stored summary, or null. `force`: also for a day that has not ended or has prose.
 */
export async function writeProse(sql: Sql, prose: ProseWriter, deployment: string, day: string, { force = false } = {}): Promise<string | null> {
  const [row] = await sql<{ wants: boolean; facts: DayFacts | null }[]>`
    select pgrecall.day_wants_prose(${deployment}, ${day}::text::date) as wants, pgrecall.day_prose_facts(${deployment}, ${day}::text::date) as facts`;
  const facts = row?.facts;
  if (!facts || (!row.wants && !force)) return null;
  let refusal: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let template: string;
    try {
      template = await prose.write(facts, refusal);
    } catch (err) {
      if (!(err instanceof ProseRejected)) throw err;
      await sql`select pgrecall.day_prose_failed(${deployment}, ${day}::text::date, ${err.message})`;
      return null;
    }
    try {
      const [r] = await sql<{ summary: string }[]>`
        select pgrecall.set_day_prose(${deployment}, ${day}::text::date, ${template}, ${prose.model}, ${facts.digest}) as summary`;
      return r!.summary;
    } catch (err) {
      const e = err as { code?: string; message: string };
      if (e.code === "40001") return null; // the numbers changed meanwhile: the next job writes it
      if (e.code !== "22023") throw err;
      refusal = e.message.replace(/^prose refused: /, "");
    }
  }
  await sql`select pgrecall.day_prose_failed(${deployment}, ${day}::text::date, ${`model ${prose.model}: text refused twice (${refusal})`})`;
  return null;
}
