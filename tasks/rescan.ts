// Task `rescan`: one batch of a rescan of history for secrets (pgrecall.secret_rescans, started by
// `pgrecall secrets rescan` or a rule change). Loads the next frames OCRed before the rescan
// began, runs the detector with the current rules on their stored (already redacted) text, blacks
// out what it finds in their images, and records the batch with pgrecall.rescan_batch_done, which
// moves the cursor and queues the next batch. The images that showed a secret are then deleted.
import type { Task } from "graphile-worker";
import type { OcrWord } from "../src/engines/ocr.js";
import type { Redactor } from "../src/engines/redactor.js";
import { putClaimed } from "../src/blob-gc.js";
import type { Runtime } from "../src/runtime.js";
import { BadImageRef } from "../src/store.js";

/** Frames per batch: one short transaction each, so capture never waits behind a rescan. */
export const RESCAN_BATCH = 50;

interface Candidate {
  id: string;
  ocr_text: string;
  ocr_words: OcrWord[] | null;
  image_ref: string | null;
  ocr_version: string;
}

export default function rescan(rt: Runtime, redactor: Redactor): Task {
  return async (payload, helpers) => {
    const rescanId = (payload as { rescan_id?: unknown } | null)?.rescan_id;
    if (typeof rescanId !== "number" && typeof rescanId !== "string") {
      helpers.logger.error(`rescan: payload has no rescan id (${JSON.stringify(payload).slice(0, 200)}); dropping the job`);
      return;
    }
    const batch = await rt.sql<Candidate[]>`
      select id, ocr_text, ocr_words, image_ref, ocr_version::text from pgrecall.rescan_batch(${rescanId}, ${RESCAN_BATCH})`;
    if (!batch.length) return; // finished, superseded, or nothing left
    const results = [];
    let scanned = 0;
    for (const frame of batch) {
      if (helpers.abortSignal.aborted) break; // a stop: record what was read, the next job goes on from there
      scanned++;
      const d = await redactor.detect(rt.sql, { text: frame.ocr_text, words: frame.ocr_words ?? [], confidence: null });
      if (!d.findings.length) continue;
      let redacted: string | null = null;
      try {
        redacted = (await putClaimed(rt.sql, rt.store, await redactor.blackOut(await rt.store.read(frame.image_ref), d), "png")).ref;
      } catch (err) {
        if (!(err instanceof BadImageRef) && !/decode|unsupported image|Input buffer/i.test((err as Error).message)) throw err;
        // The text is masked all the same; the rescan counts the frame as images_missing.
        helpers.logger.warn(`rescan ${rescanId}: frame ${frame.id} had a secret in its text, but its image could not be read to black it out: ${(err as Error).message}`);
      }
      results.push({ frame_id: frame.id, text: d.text, words: d.words, findings: d.findings, redacted_image_ref: redacted, ocr_version: frame.ocr_version });
    }
    if (scanned === 0) throw new Error(`rescan ${rescanId}: interrupted before its first frame`); // retried
    const [done] = await rt.sql<{ released: string[] | null }[]>`
      select pgrecall.rescan_batch_done(${rescanId}, ${batch[scanned - 1]!.id}, ${scanned}, ${rt.sql.json(results as never)}) as released`;
    for (const ref of done!.released ?? []) await rt.store.remove(ref);
  };
}
