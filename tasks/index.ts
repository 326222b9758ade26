// The task registry: every graphile-worker task identifier pgrecall runs, and how each task is
// made from the worker's shared runtime and engines. src/worker.ts reads this list (for
// `--only` too); adding a stage adds one line here, its task file and its SQL function.
import type { Task, TaskList } from "graphile-worker";
import { ProseWriter } from "../src/engines/prose.js";
import type { Engines, Runtime } from "../src/runtime.js";
import embed from "./embed.js";
import hash from "./hash.js";
import ocr from "./ocr.js";
import rescan from "./rescan.js";
import retention from "./retention.js";
import summarize, { summarizeDue } from "./summarize.js";
import vision from "./vision.js";

export const TASKS = {
  hash: (rt) => hash(rt),
  ocr: (rt, engines) => ocr(rt, engines.ocr, engines.redactor),
  vision: (rt, engines) => vision(rt, engines.vision),
  embed: (rt, engines) => embed(rt, engines.embedder),
  rescan: (rt, engines) => rescan(rt, engines.redactor),
  summarize: (rt, engines) => summarize(rt, engines.vision && new ProseWriter(engines.vision.config)),
  summarize_due: (rt, engines) => summarizeDue(rt, engines.vision !== null),
  retention: (rt) => retention(rt),
} satisfies Record<string, (rt: Runtime, engines: Engines) => Task>;

export type TaskIdentifier = keyof typeof TASKS;

/** The tasks that run no stage of pgrecall.stages (their jobs are queued by SQL functions of their own). */
export const NON_STAGE_TASKS: ReadonlySet<TaskIdentifier> = new Set<TaskIdentifier>(["rescan", "summarize", "summarize_due", "retention"]);

export const TASK_IDENTIFIERS = Object.keys(TASKS) as TaskIdentifier[];

export function isTaskIdentifier(name: string): name is TaskIdentifier {
  return Object.hasOwn(TASKS, name);
}

/** The tasks one worker runs: all of them, or only those named (jobs for the others wait for a worker that has them). */
export function taskList(rt: Runtime, engines: Engines, only?: readonly TaskIdentifier[]): TaskList {
  return Object.fromEntries((only ?? TASK_IDENTIFIERS).map((name) => [name, TASKS[name](rt, engines)]));
}
