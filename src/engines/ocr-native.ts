// The native `tesseract` CLI (Debian's tesseract-ocr) as a word reader: an image on stdin,
// TSV on stdout (one row per word with its block, paragraph, line, box and confidence), one
// process per frame, one thread each (OMP_THREAD_LIMIT=1: frames run side by side instead).
// A run past its time or aborted is killed at once, unlike a tesseract.js thread.
import { execFile, spawn } from "node:child_process";
import type { Box } from "./reading-order.js";

export interface TsvWord {
  text: string;
  confidence: number;
  box: Box;
  /** tesseract's block, paragraph and line, as one key per line */
  line: string;
}

export interface NativeRun {
  psm?: number;
  /** folder holding eng.traineddata; default: the one tesseract was installed with */
  tessdataDir?: string;
  signal?: AbortSignal;
  /** where the CLI is (default `tesseract` on PATH, or PGRECALL_TESSERACT) */
  bin?: string;
  /** tesseract variables (-c name=value) */
  variables?: Record<string, string>;
}

export const tesseractBin = (bin?: string) => bin ?? process.env.PGRECALL_TESSERACT ?? "tesseract";

/** The CLI's version ("5.3.0"), or null when it is not installed. */
export function nativeVersion(bin?: string): Promise<string | null> {
  return new Promise((resolve) =>
    execFile(tesseractBin(bin), ["--version"], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) return resolve(null);
      const m = /tesseract\s+v?(\d+\.\d+[\w.-]*)/i.exec(String(stdout) + String(stderr));
      resolve(m ? m[1]! : null);
    }),
  );
}

/** Parses tesseract's TSV output: its words in its own order. */
export function parseTsv(tsv: string): TsvWord[] {
  const out: TsvWord[] = [];
  for (const row of tsv.split("\n")) {
    const c = row.split("\t");
    if (c.length < 12 || c[0] !== "5") continue;
    const text = c.slice(11).join("\t").trim();
    if (!text) continue;
    const [left, top, width, height, conf] = [c[6], c[7], c[8], c[9], c[10]].map(Number) as [number, number, number, number, number];
    out.push({ text, confidence: Math.max(0, conf), box: { x0: left, y0: top, x1: left + width, y1: top + height }, line: `${c[2]}.${c[3]}.${c[4]}` });
  }
  return out;
}

/** One image through the CLI; rejects with tesseract's own message when it fails. */
export function tesseractWords(image: Buffer, o: NativeRun = {}): Promise<TsvWord[]> {
  const args = ["stdin", "stdout", "-l", "eng"];
  if (o.psm !== undefined) args.push("--psm", String(o.psm));
  if (o.tessdataDir) args.push("--tessdata-dir", o.tessdataDir);
  for (const [k, v] of Object.entries(o.variables ?? {})) args.push("-c", `${k}=${v}`);
  args.push("tsv");
  return new Promise((resolve, reject) => {
    o.signal?.throwIfAborted();
    const child = spawn(tesseractBin(o.bin), args, { env: { ...process.env, OMP_THREAD_LIMIT: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const onAbort = () => child.kill("SIGKILL");
    o.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.stdin.on("error", () => undefined); // a process that died early: its exit says why
    child.on("error", (e) => {
      o.signal?.removeEventListener("abort", onAbort);
      reject(new Error(`cannot run ${tesseractBin(o.bin)}: ${e.message}`, { cause: e }));
    });
    child.on("close", (code, sig) => {
      o.signal?.removeEventListener("abort", onAbort);
      if (o.signal?.aborted) return reject(o.signal.reason);
      if (code !== 0) {
        const msg = Buffer.concat(err).toString().trim().split("\n").slice(-3).join(" ");
        return reject(new Error(`tesseract failed (${sig ?? `exit ${code}`}): ${msg || "no message"}`));
      }
      resolve(parseTsv(Buffer.concat(out).toString("utf8")));
    });
    child.stdin.end(image);
  });
}
