// Task `ocr`: the frame's image → tesseract.js (offline) → pgrecall.frame_ocr_done with the
// text, mean confidence and word boxes; its trigger queues the embedding.
import type { Task } from "graphile-worker";
import type { OcrEngine } from "../src/engines/ocr.js";
import type { Runtime } from "../src/runtime.js";
import { BadInput, readFrameImage, runStage } from "../src/stage.js";

export default function ocr(rt: Runtime, engine: OcrEngine): Task {
  return (payload, helpers) =>
    runStage(rt, "ocr", payload, helpers, async (frame) => {
      const image = await readFrameImage(rt, frame);
      const prepared = await engine.prepare(image).catch((err: Error) => {
        throw new BadInput(`cannot decode image ${frame.image_ref}: ${err.message}`, { cause: err });
      });
      const r = await engine.recognize(prepared);
      await rt.sql`select pgrecall.frame_ocr_done(${frame.id}, ${r.text}, ${r.confidence}, ${rt.sql.json(r.words as never)})`;
    });
}
