// Task `embed`: the frame's window title, app and OCR text (pgrecall.embedding_input) → a
// 384-dimension sentence embedding → pgrecall.frame_embedding_done with the model's name.
// Concurrent jobs share model calls (Embedder batches whatever arrives while one runs).
import type { Task } from "graphile-worker";
import pgvector from "pgvector";
import { ModelUnavailable, type Embedder } from "../src/engines/embedder.js";
import type { Runtime } from "../src/runtime.js";
import { failsEveryFrame, interruptible, runStage } from "../src/stage.js";

export const NOTHING_TO_EMBED = "nothing to embed: no window title, app name or OCR text";

export default function embed(rt: Runtime, embedder: Embedder): Task {
  return (payload, helpers) =>
    runStage(rt, payload, helpers, async (frame, signal) => {
      if (!frame.input) {
        await rt.sql`select pgrecall.frame_embedding_skipped(${frame.id}, ${NOTHING_TO_EMBED})`;
        return;
      }
      const embedded = embedder.embed(frame.input).catch((err: Error) => {
        throw err instanceof ModelUnavailable ? failsEveryFrame(err.message, err) : err;
      });
      const vector = await interruptible(embedded, signal);
      await rt.sql`select pgrecall.frame_embedding_done(${frame.id}, ${pgvector.toSql(Array.from(vector))}::vector, ${embedder.modelName})`;
    });
}
