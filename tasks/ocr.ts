// Task `ocr`: the frame's image → tesseract.js (offline) → pgrecall.frame_ocr_done with the
// text, mean confidence and word boxes; its trigger queues the embedding. A frame that takes
// longer than its time limit (scaled to its pixels) fails with the reason.
import type { Task } from "graphile-worker";
import { OcrTimeLimit, type OcrEngine } from "../src/engines/ocr.js";
import type { Runtime } from "../src/runtime.js";
import { BadInput, interruptible, readFrameImage, runStage } from "../src/stage.js";

export default function ocr(rt: Runtime, engine: OcrEngine): Task {
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
      await rt.sql`select pgrecall.frame_ocr_done(${frame.id}, ${r.text}, ${r.confidence}, ${rt.sql.json(r.words as never)})`;
    });
}
