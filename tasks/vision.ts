// Task `vision`: the frame's image → an OpenAI-compatible vision model → pgrecall.frame_vision_done
// with its description. With no provider configured the stage is skipped with that reason.
import type { Task } from "graphile-worker";
import { VisionRejected, type VisionProvider } from "../src/engines/vision.js";
import type { Runtime } from "../src/runtime.js";
import { BadInput, failsEveryFrame, interruptible, readFrameImage, runStage } from "../src/stage.js";

export const NO_PROVIDER = "no vision provider configured (set PGRECALL_VISION_URL and PGRECALL_VISION_MODEL, then requeue)";

export default function vision(rt: Runtime, provider: VisionProvider | null): Task {
  return (payload, helpers) =>
    runStage(rt, payload, helpers, async (frame, signal) => {
      if (!provider) {
        await rt.sql`select pgrecall.frame_vision_skipped(${frame.id}, ${NO_PROVIDER})`;
        return;
      }
      const image = await readFrameImage(rt, frame);
      const encoded = provider.encode(image).catch((err: Error) => {
        throw new BadInput(`cannot decode image ${frame.image_ref}: ${err.message}`, { cause: err });
      });
      const dataUri = await interruptible(encoded, signal);
      const described = provider.describe(dataUri, { app: frame.app_name, window: frame.window_title }, signal).catch((err: Error) => {
        if (!(err instanceof VisionRejected)) throw err;
        throw err.everyFrame ? failsEveryFrame(err.message, err) : new BadInput(err.message, { cause: err });
      });
      const summary = await interruptible(described, signal);
      await rt.sql`select pgrecall.frame_vision_done(${frame.id}, ${summary})`;
    });
}
