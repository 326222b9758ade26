// What pgrecall forget and unforget share: the selection options, turned into the parameters of
// pgrecall.forget / pgrecall.unforget. Times and intervals are PostgreSQL's to parse; their
// refusals come back naming the option. The rules of a selection are SQL's.
import type { Command } from "commander";
import { ConfigError } from "./config.js";
import type { Sql } from "./db.js";
import { printable } from "./terminal.js";

export interface SelectionOptions {
  last?: string;
  since?: string;
  until?: string;
  app?: string;
  window?: string;
  deployment?: string;
  frame?: string[];
}

export function selectionOptions(cmd: Command, verb: string): Command {
  return cmd
    .option("--last <interval>", `${verb} what was captured in the last <interval> (10m, 2h, 3 days)`)
    .option("--since <time>", "captured at or after this time (ISO 8601, or PostgreSQL's: 'yesterday', '2026-11-21 10:00')")
    .option("--until <time>", "captured before this time")
    .option("--app <name>", "only this app (any case)")
    .option("--window <text>", "only windows whose title contains this")
    .option("--deployment <id>", "only this deployment")
    .option("--frame <id...>", "only these frames (and their near-duplicates)");
}

/** The selection as SQL parameters; --last becomes a fixed start, so a confirmation prompt does not move the range. */
export async function selectionParams(sql: Sql, o: SelectionOptions) {
  const parse = async <T>(option: string, value: string | undefined, cast: "interval" | "timestamptz" | "uuid"): Promise<T | null> => {
    if (value === undefined) return null;
    if (value.includes("\0")) throw new ConfigError(`${option} must not contain a NUL character`);
    try {
      const [row] = await sql.unsafe(`select $1::text::${cast} as v`, [value]);
      return row!.v as T;
    } catch (err) {
      const e = err as { code?: string };
      if (["22007", "22008", "22P02", "22015"].includes(e.code ?? "")) {
        const what = { interval: "an interval such as 10m, 2 hours or 7 days", timestamptz: "a time such as 2026-11-21T10:00:00Z", uuid: "a frame id (a UUID)" }[cast];
        throw new ConfigError(`${option} must be ${what} (got "${printable(value)}")`);
      }
      throw err;
    }
  };
  const last = await parse<string>("--last", o.last, "interval");
  let since = await parse<Date>("--since", o.since, "timestamptz");
  const until = await parse<Date>("--until", o.until, "timestamptz");
  const frames: string[] = [];
  for (const f of o.frame ?? []) frames.push((await parse<string>("--frame", f, "uuid"))!);
  if (last !== null && since === null) {
    const [row] = await sql`select now() - ${o.last!}::interval as since, ${o.last!}::interval <= interval '0' as bad`;
    if (row!.bad) throw new ConfigError(`--last must be a positive interval (got "${printable(o.last!)}")`);
    since = row!.since as Date;
  } else if (last !== null) {
    throw new ConfigError("--last and --since both give the start of the range: use one");
  }
  return {
    deployment: o.deployment ?? null, since, until, app: o.app ?? null, window: o.window ?? null,
    frames: frames.length ? frames : null,
  };
}

/** SQL's refusal of a selection, in the CLI's words. */
export function selectionError(err: unknown): unknown {
  const e = err as { code?: string; message: string; column_name?: string };
  if (e.code === "22023" || e.code === "P0002") {
    const option = e.column_name ? `--${e.column_name}` : null;
    return new ConfigError(option && e.message.startsWith(e.column_name + " ") ? option + e.message.slice(e.column_name!.length) : e.message);
  }
  return err;
}

export function describeRange(from: Date | null, to: Date | null): string {
  const t = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);
  if (!from || !to) return "";
  return from.getTime() === to.getTime() ? ` captured at ${t(from)}` : ` captured ${t(from)} – ${t(to)}`;
}

/** Asks on the terminal; refuses (with the way out) when there is none. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new ConfigError("not asking without a terminal: add --yes to go ahead (or --dry-run to only count)");
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** JSON for the terminal: bigint ids (event ids) as strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}
