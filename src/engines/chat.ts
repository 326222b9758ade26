// One call to an OpenAI-compatible chat-completions endpoint (Config.vision: Ollama's /v1, LM
// Studio, vLLM, llama.cpp's server, hosted APIs), as the vision stage and the day summaries'
// prose make it: the answer's text, or an error that says whether a retry could change it.
import type { VisionConfig } from "../config.js";

/**
 * Makes the error for an answer a retry will not change (a 4xx other than 408/429, or no text):
 * each caller has its own class, so that its task can tell it from a passing failure.
 */
export type Rejection = (message: string, status?: number) => Error;

/** POSTs `body` (model and temperature added) and returns the first choice's text, trimmed; `what` names the provider in errors. */
export async function chatCompletion(
  config: VisionConfig,
  body: { max_tokens: number; messages: unknown[] },
  o: { what: string; nothing: string; reject: Rejection; signal?: AbortSignal },
): Promise<string> {
  const { url, model, apiKey, timeoutMs } = config;
  const res = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ model, temperature: 0, ...body }),
    signal: o.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), o.signal]) : AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  if (!res.ok) {
    const message = `${o.what} ${url} answered ${res.status} ${res.statusText}: ${text.slice(0, 500)}`;
    // 408/429/5xx may pass; other 4xx (bad request, auth, unknown model) will not by retrying.
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw o.reject(message, res.status);
    throw new Error(message);
  }
  let content: unknown;
  try {
    content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  } catch {
    throw new Error(`${o.what} ${url} answered with something that is not JSON: ${text.slice(0, 200)}`);
  }
  const answer = typeof content === "string" ? content.trim() : "";
  if (!answer) throw o.reject(`${o.what} ${url} (model ${model}) returned ${o.nothing}`);
  return answer;
}
