// Task `retention` (cron, every 10 minutes): tombstones past their grace purged, then one
// retention pass in small batches (pgrecall.retention_batch), the images both released removed,
// the totals logged.
import type { Task } from "graphile-worker";
import { runRetention } from "../src/retention.js";
import type { Runtime } from "../src/runtime.js";

/** The crontab line of retention (graphile-worker syntax). */
export const RETENTION_CRONTAB = "*/10 * * * * retention";

export default function retention(rt: Runtime): Task {
  return async (_payload, helpers) => {
    for (let i = 0; i < 20; i++) {
      const [p] = await rt.sql<{ frames: number }[]>`select frames from pgrecall.purge_tombstoned(1000)`;
      if (p!.frames < 1000) break;
    }
    const r = await runRetention(rt.sql, rt.store, { maxBatches: 200 });
    const changed = r.rows.filter((x) => x.frames > 0);
    if (changed.length) {
      helpers.logger.info(`retention: ${changed.map((x) => `${x.deployment_id} ${x.kind} ${x.frames}`).join(", ")}; ${r.files} image file(s) removed`);
    }
  };
}
