// Frames out of a video chunk, by decoded frame number: one ffmpeg run per chunk selects every
// wanted frame (`select` on n, the decoded frame's index) and writes each as PNG. No seeking by
// time: a chunk's frame rate as recorded is not to be trusted (Screenpipe backfilled it).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class ToolMissing extends Error {}

export interface ChunkFrames {
  /** PNG bytes by frame number. */
  frames: Map<number, Buffer>;
  /** Wanted frame numbers the chunk does not reach, and the number of frames it holds. */
  beyondEnd: number[];
  decoded: number;
}

/** Runs a command; a missing program is a ToolMissing naming the Debian package. */
export function run(cmd: string, args: string[], opts: { timeoutMs?: number; pkg?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 << 20, env: opts.env }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new ToolMissing(`${cmd} is not installed: apt-get install ${opts.pkg ?? cmd} (or run scripts/provision.sh)`));
      } else if (err) {
        const last = String(stderr).trim().split("\n").slice(-2).join(" / ");
        reject(new Error(`${cmd} failed: ${last || err.message}`, { cause: err }));
      } else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** `[0,1,2,5,7,8]` → `between(n,0,2)+eq(n,5)+between(n,7,8)` (commas escaped for the filter graph). */
export function selectExpr(sorted: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `eq(n\\,${sorted[i]})` : `between(n\\,${sorted[i]}\\,${sorted[j]})`);
    i = j + 1;
  }
  return parts.join("+");
}

export async function extractFrames(chunk: string, wanted: Iterable<number>): Promise<ChunkFrames> {
  const sorted = [...new Set(wanted)].filter((n) => Number.isInteger(n) && n >= 0).sort((a, b) => a - b);
  const out = await mkdtemp(join(tmpdir(), "pgrecall-chunk-"));
  try {
    if (sorted.length) {
      await run("ffmpeg", [
        "-nostdin", "-hide_banner", "-loglevel", "error", "-i", chunk,
        "-vf", `select='${selectExpr(sorted)}'`, "-vsync", "0", "-an",
        "-f", "image2", "-c:v", "png", join(out, "%07d.png"),
      ], { pkg: "ffmpeg" });
    }
    // The outputs come in frame order: the i-th file is the i-th wanted frame the chunk reached.
    const files = (await readdir(out)).filter((n) => n.endsWith(".png")).sort();
    const frames = new Map<number, Buffer>();
    for (let i = 0; i < files.length && i < sorted.length; i++) frames.set(sorted[i]!, await readFile(join(out, files[i]!)));
    return { frames, beyondEnd: sorted.slice(files.length), decoded: files.length };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
