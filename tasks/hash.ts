// Task `hash`: the frame's image → phash + tile hashes → pgrecall.frame_hash_done, whose
// trigger deduplicates the frame and queues OCR and vision for new content.
import type { Task } from "graphile-worker";
import { int8ArrayLiteral } from "../src/db.js";
import { hashImage } from "../src/engines/hasher.js";
import type { Runtime } from "../src/runtime.js";
import { BadInput, interruptible, readFrameImage, runStage } from "../src/stage.js";

export default function hash(rt: Runtime): Task {
  return (payload, helpers) =>
    runStage(rt, payload, helpers, async (frame, signal) => {
      const image = await readFrameImage(rt, frame);
      const hashed = hashImage(image).catch((err: Error) => {
        throw new BadInput(`cannot decode image ${frame.image_ref}: ${err.message}`, { cause: err });
      });
      const h = await interruptible(hashed, signal);
      await rt.sql`select pgrecall.frame_hash_done(${frame.id}, ${h.phash}, ${int8ArrayLiteral(h.tileHashes)}::bigint[])`;
    });
}
