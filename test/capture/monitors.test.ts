// `pgrecall capture --monitor N|all` on a display with two monitors: one 3840x1080 Xvfb screen
// split by `xrandr --setmonitor` into a 1920x1080 monitor and a 1280x800 one beside it.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDisplay, type XDisplay } from "../../fixtures/xdisplay.js";
import { parseMonitors } from "../../src/capture/x11.js";
import { hashImage } from "../../src/engines/hasher.js";
import { BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const dataDir = join(mkdtempSync(join(tmpdir(), "pgrecall-monitors-")), "data");
const store = new BlobStore(dataDir, [], null);
let x: XDisplay;

beforeAll(async () => {
  x = await startDisplay("3840x1080x24", {
    monitors: [{ name: "LEFT", width: 1920, height: 1080, x: 0, y: 0 }, { name: "RIGHT", width: 1280, height: 800, x: 1920, y: 0 }],
  });
  await x.openWindow("left side", "echo 'on the left monitor'; sleep 3600");
});
afterAll(async () => {
  await x?.stop();
});

const capture = (deployment: string, monitor: string) =>
  run("node", ["bin/pgrecall.js", "capture", "--deployment", deployment, "--once", "--monitor", monitor, "--json"], {
    env: { ...x.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir, PGRECALL_BLOB_KEY: "" },
  });

/** Each frame of the deployment: its monitor (from its capture key), its image's size, and whether its hashes are the image's. */
async function framesOf(deployment: string) {
  const rows = await db.sql`select capture_key, image_ref, phash, tile_hashes, app_name from pgrecall.frames where deployment_id = ${deployment} order by capture_key`;
  const frames = await Promise.all(rows.map(async (r) => {
    const png = await store.read(r.image_ref);
    const meta = await sharp(png).metadata();
    const h = await hashImage(png);
    return { monitor: Number(/:m(\d+)$/.exec(r.capture_key)?.[1]), width: meta.width, height: meta.height, app: r.app_name, hashesMatch: h.phash === r.phash && JSON.stringify(h.tileHashes.map(String)) === JSON.stringify(r.tile_hashes.map(String)) };
  }));
  return frames.sort((a, b) => a.monitor - b.monitor);
}

describe("capture with two monitors", () => {
  it("lists both monitors, the one without an output too", async () => {
    const { stdout } = await run("xrandr", ["--listmonitors"], { env: x.env });
    expect(parseMonitors(stdout)).toEqual([
      { index: 0, name: "LEFT", width: 1920, height: 1080, x: 0, y: 0 },
      { index: 1, name: "RIGHT", width: 1280, height: 800, x: 1920, y: 0 },
    ]);
  });

  it("--monitor all inserts one frame per monitor, each of its monitor's size, in one tick", async () => {
    const r = await capture("both", "all");
    expect(JSON.parse(r.stdout)).toMatchObject({ ticks: 1, frames: 2, errors: 0 });
    expect(await framesOf("both")).toEqual([
      { monitor: 0, width: 1920, height: 1080, app: "XTerm", hashesMatch: true },
      { monitor: 1, width: 1280, height: 800, app: "XTerm", hashesMatch: true },
    ]);
  });

  it("--monitor 1 captures that monitor only; a monitor that is not there is named with those that are", async () => {
    const r = await capture("right", "1");
    expect(JSON.parse(r.stdout)).toMatchObject({ ticks: 1, frames: 1, errors: 0 });
    expect(await framesOf("right")).toEqual([{ monitor: 1, width: 1280, height: 800, app: "XTerm", hashesMatch: true }]);
    const err = await capture("none", "2").then(() => null, (e: { stderr: string }) => e.stderr);
    expect(err).toMatch(/no monitor 2: this display has 0 \(LEFT 1920x1080\), 1 \(RIGHT 1280x800\)/);
  });
});
