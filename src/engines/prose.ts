// The prose of a day summary: the OpenAI-compatible chat endpoint the vision stage uses (Config.vision)
// is given the day's facts as tokens ([TOTAL], [A1], …) and asked for a short text that uses
// the tokens for every number, time, app and title. It writes words only: SQL
// (pgrecall.set_day_prose) refuses a text with a number of its own and fills the tokens in.
import type { VisionConfig } from "../config.js";
import { chatCompletion } from "./chat.js";

export const PROSE_INSTRUCTIONS = [
  "You write a short summary (2-4 sentences) of a person's day at the computer, from the facts below.",
  "Each fact has a token in square brackets. Write the token, exactly as given, wherever you mention that fact: the text you see after a token is what will replace it.",
  "Never write a number, a time, a duration or a number word (one, two, half, twice, several, ...) yourself: only tokens carry numbers.",
  "Do not invent activities that the facts do not show. Answer with the summary only.",
].join("\n");

/** The provider refused (4xx other than 408/429, or an empty answer): retrying will not change it. */
export class ProseRejected extends Error {}

export interface DayFacts {
  digest: string;
  day: string;
  facts: Record<string, string>;
}

export class ProseWriter {
  constructor(readonly config: VisionConfig) {}

  get model(): string {
    return this.config.model;
  }

  /** A template for the day's facts; `refusal` is why SQL refused the previous attempt. */
  async write(facts: DayFacts, refusal?: string): Promise<string> {
    const lines = Object.entries(facts.facts).map(([token, text]) => `[${token}] ${text}`);
    const messages = [
      { role: "system", content: PROSE_INSTRUCTIONS },
      { role: "user", content: `Facts about ${facts.day}:\n${lines.join("\n")}` },
    ];
    if (refusal) messages.push({ role: "user", content: `Your previous text was refused: ${refusal}. Write it again, following the rules.` });
    return chatCompletion(this.config, { max_tokens: 400, messages }, {
      what: "prose provider", nothing: "no text", reject: (message) => new ProseRejected(message),
    });
  }
}
