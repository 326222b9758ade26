// A vision provider: an OpenAI-compatible chat-completions endpoint (./chat.ts) given the screenshot as
// an image_url data URI. That one protocol covers Ollama (/v1), LM Studio, vLLM, llama.cpp's
// server and hosted APIs. The image is scaled down (the models see ~1 Mpx anyway) and sent
// as JPEG; the answer's text is the frame's summary. Nothing here invents a summary.
import sharp from "sharp";
import type { VisionConfig } from "../config.js";
import { chatCompletion } from "./chat.js";
import { MAX_INPUT_PIXELS } from "./hasher.js";

export const DEFAULT_VISION_PROMPT =
  "This is a screenshot of a computer screen. In 2-4 plain sentences, say which application and what the user is doing or looking at, " +
  "naming visible documents, people, projects, numbers and errors. Do not guess beyond what is visible.";

/** The provider refused this request for a reason a retry will not change (4xx other than 408/429, or an empty answer). */
export class VisionRejected extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }

  /** A wrong key, a forbidden or unknown model, a wrong URL: every frame will meet it. */
  get everyFrame(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

export class VisionProvider {
  constructor(readonly config: VisionConfig) {}

  /** The image as a JPEG data URI whose longer edge is at most maxEdge pixels. */
  async encode(image: Buffer): Promise<string> {
    const jpeg = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(this.config.maxEdge, this.config.maxEdge, { fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 85 })
      .toBuffer();
    return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
  }

  /** Describes an encoded screenshot; context (app, window title) helps the model name things. `signal` (a job's) cancels the request. */
  async describe(dataUri: string, context: { app?: string | null; window?: string | null }, signal?: AbortSignal): Promise<string> {
    const hints = [context.app && `Application: ${context.app}`, context.window && `Window title: ${context.window}`].filter(Boolean);
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: [this.config.prompt ?? DEFAULT_VISION_PROMPT, ...hints].join("\n") },
          { type: "image_url", image_url: { url: dataUri } },
        ],
      },
    ];
    return chatCompletion(this.config, { max_tokens: 300, messages }, {
      what: "vision provider", nothing: "no description", reject: (message, status) => new VisionRejected(message, status), signal,
    });
  }
}
