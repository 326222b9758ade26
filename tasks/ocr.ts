// Task `ocr`: the frame's image → tesseract.js (offline) → secrets found in the text and
// masked, their boxes blacked out in a new image → pgrecall.frame_ocr_done with the redacted
// text, words, findings and image, and the engine and model that read it (frames.ocr_engine);
// then the original image's file is deleted. Nothing in clear reaches the database. A frame that takes longer than its time limit (scaled to its
// pixels) fails with the reason.
import type { Task } from "graphile-worker";
import { OcrTimeLimit, type OcrEngine } from "../src/engines/ocr.js";
import type { Redactor } from "../src/engines/redactor.js";
import { putClaimed } from "../src/blob-gc.js";
import type { Runtime } from "../src/runtime.js";
import { BadInput, interruptible, readFrameImage, runStage } from "../src/stage.js";

export default function ocr(rt: Runtime, engine: OcrEngine, redactor: Redactor): Task {
  return (payload, helpers) =>
    runStage(rt, payload, helpers, async (frame, signal) => {
      const image = await readFrameImage(rt, frame);
      const decoded = engine.prepare(image).catch((err: Error) => {
        throw new BadInput(`cannot decode image ${frame.image_ref}: ${err.message}`, { cause: err });
      });
      const prepared = await interruptible(decoded, signal);
      const r = await engine.recognize(prepared, { signal }).catch((err: Error) => {
        throw err instanceof OcrTimeLimit ? new BadInput(err.message, { cause: err }) : err;
      });
      const d = await redactor.detect(rt.sql, r);
      const redacted = d.findings.length ? (await putClaimed(rt.sql, rt.store, await redactor.blackOut(image, d), "png")).ref : null;
      const [done] = await rt.sql<{ released: string[] | null }[]>`
        select pgrecall.frame_ocr_done(
          ${frame.id}, ${d.text}, ${r.confidence}, ${rt.sql.json(d.words as never)},
          ${d.findings.length ? rt.sql.json(d.findings as never) : null}, ${redacted}, ${await engine.describe()}) as released`;
      // The images that showed the secret: no frame refers to them now.
      for (const ref of done!.released ?? []) await rt.store.remove(ref);
    });
}
