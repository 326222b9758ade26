// `pgrecall capture` on a real X display: Xvfb, openbox, xterm windows focused by xdotool; a
// loopback TCP proxy in front of PostgreSQL stands for a database that goes away and comes back.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDisplay, type XDisplay } from "../../fixtures/xdisplay.js";
import { BlobKey, isSealed } from "../../src/blob-crypto.js";
import { Capturer, type CaptureOptions } from "../../src/capture/capture.js";
import { installService } from "../../src/capture/service.js";
import { Spool } from "../../src/capture/spool.js";
import { X11Backend } from "../../src/capture/x11.js";
import { connect, type Sql } from "../../src/db.js";
import { hashImage } from "../../src/engines/hasher.js";
import { BlobStore } from "../../src/store.js";
import { useTestDatabase } from "../helpers/db.js";

const run = promisify(execFile);
const db = useTestDatabase();
const root = mkdtempSync(join(tmpdir(), "pgrecall-capture-"));
const dataDir = join(root, "data");
const store = new BlobStore(dataDir);
let x: XDisplay;

const blobs = () => (existsSync(join(dataDir, "blobs")) ? readdirSync(join(dataDir, "blobs"), { recursive: true }).filter((n) => String(n).endsWith(".png")).length : 0);

const opened: Capturer[] = [];
function capturer(sql: Sql, o: Partial<CaptureOptions> & { deployment: string }, lines: string[] = [], into = store) {
  const c = new Capturer(sql, into, new X11Backend(x.display), {
    intervalMs: 2000, monitor: "all", idleAfterMs: null, log: (l) => lines.push(l),
    spool: new Spool(join(root, "buffer", o.deployment), 100), ...o,
  });
  opened.push(c);
  return c;
}

beforeAll(async () => {
  x = await startDisplay();
  await x.openWindow("notes.txt - editor", "echo 'meeting notes: ship the importer'; sleep 3600");
});
afterAll(async () => {
  for (const c of opened) await c.close();
  await x?.stop();
});

describe("pgrecall capture on X11", () => {
  it("--once stores the screen with the focused window's app and title, hashed by the client", async () => {
    const r = await run("node", ["bin/pgrecall.js", "capture", "--deployment", "desk", "--once", "--json"], {
      env: { ...x.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir },
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ ticks: 1, frames: 1, errors: 0, waiting: 0 });
    const [f] = await db.sql`select app_name, window_title, image_ref, hash_status, phash is not null as hashed, cardinality(tile_hashes) as tiles, capture_key
                             from pgrecall.frames where deployment_id = 'desk'`;
    expect(f).toMatchObject({ app_name: "XTerm", window_title: "notes.txt - editor", hash_status: 1, hashed: true, tiles: 64 });
    expect(f!.capture_key).toBe(`${f!.image_ref}:m0`);
    const png = await store.read(f!.image_ref);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  it("an unchanged screen is not re-encoded, and its frame is a near-duplicate decided at insert", async () => {
    const c = capturer(db.sql, { deployment: "static" });
    await c.start();
    await c.tick();
    await c.tick();
    expect(c.stats).toMatchObject({ frames: 2, duplicates: 1, unchanged: 1, errors: 0 });
    // Hashed from the grabbed pixels: the same hashes as the stored PNG gives.
    const [f] = await db.sql`select image_ref, phash, tile_hashes from pgrecall.frames where deployment_id = 'static' and duplicate_of is null`;
    const h = await hashImage(await store.read(f!.image_ref));
    expect([h.phash, h.tileHashes]).toEqual([f!.phash, f!.tile_hashes]);
  });

  it("a changed screen has only its changed tiles hashed again, and its hashes are still the stored PNG's", async () => {
    await x.openWindow("typing here", "stty -icanon; cat");
    // Two grabbed frames a second: a change is in the grabber's next frame within a second.
    const c = capturer(db.sql, { deployment: "typing", intervalMs: 500 });
    try {
      await c.start();
      await c.tick();
      expect(c.stats.tilesHashed).toBe(64);
      await run("xdotool", ["type", "--delay", "20", "typed words"], { env: x.env });
      await new Promise((r) => setTimeout(r, 1500));
      await c.tick();
      expect(c.stats).toMatchObject({ ticks: 2, frames: 2, unchanged: 0, errors: 0 });
      const redone = c.stats.tilesHashed - 64;
      expect(redone).toBeGreaterThan(0);
      expect(redone).toBeLessThan(64);
      const rows = await db.sql`select image_ref, phash, tile_hashes from pgrecall.frames where deployment_id = 'typing' order by captured_at`;
      expect(rows).toHaveLength(2);
      expect(rows[0]!.image_ref).not.toBe(rows[1]!.image_ref);
      for (const f of rows) {
        const h = await hashImage(await store.read(f.image_ref));
        expect([h.phash, h.tileHashes]).toEqual([f.phash, f.tile_hashes]);
      }
    } finally {
      await x.focus("notes.txt - editor");
    }
  });

  it("an excluded window is never stored: no image, no blob, no title", async () => {
    await db.sql`insert into pgrecall.exclusions (title_regex, reason) values ('vault', 'passwords')`;
    await x.openWindow("my vault");
    const before = blobs();
    const c = capturer(db.sql, { deployment: "excl" });
    await c.start();
    await c.tick();
    const [f] = await db.sql`select app_name, window_title, image_ref, phash, excluded_by from pgrecall.frames where deployment_id = 'excl'`;
    expect(f).toMatchObject({ app_name: "XTerm", window_title: null, image_ref: null, phash: null });
    expect(c.stats).toMatchObject({ frames: 1, excluded: 1 });
    expect(f!.excluded_by).toMatch(/passwords/);
    expect(blobs()).toBe(before);
    await x.focus("notes.txt - editor");
  });

  it("pauses while the user is idle past the setting, says so, and resumes on input", async () => {
    const lines: string[] = [];
    const c = capturer(db.sql, { deployment: "idle", idleAfterMs: 1500 }, lines);
    await c.start();
    await x.nudge();
    await c.tick();
    await new Promise((r) => setTimeout(r, 2000));
    await c.tick();
    await x.nudge();
    await c.tick();
    expect(c.stats).toMatchObject({ ticks: 3, paused: 1, frames: 2 });
    expect(lines).toEqual([expect.stringMatching(/^paused: no input for \d+ s \(idle after 2 s\)$/), "resumed"]);
  });

  it("survives the database going away: ticks wait on disk (bounded, drops counted) and go in, in order, when it is back", async () => {
    const proxy = await tcpProxy(new URL(db.url));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const sql = connect(url.toString(), { max: 1, connect_timeout: 2 });
    const lines: string[] = [];
    const spool = new Spool(join(root, "buffer", "away"), 3);
    const c = capturer(sql, { deployment: "away", spool }, lines);
    try {
      await c.start();
      await c.tick(); // in
      proxy.down();
      for (let i = 0; i < 5; i++) await c.tick(); // 3 buffered, 2 dropped
      expect(await spool.size()).toBe(3);
      expect(spool.dropped).toBe(2);
      await proxy.up();
      await c.tick(); // flushes the three, then its own
      expect(await spool.size()).toBe(0);
      expect(c.stats).toMatchObject({ buffered: 3, flushed: 3, errors: 0 });
      expect(lines[0]).toMatch(/^database away .*buffering frames on disk in .*, at most 3$/);
      expect(lines).toContain("disk buffer full (3 frames): frames are dropped, and counted, until the database is back");
      expect(lines).toContain("database back: 3 buffered frames inserted in order, 2 dropped while the buffer was full");
      const rows = await db.sql`select captured_at, inserted_at from pgrecall.frames where deployment_id = 'away' order by inserted_at, captured_at`;
      expect(rows).toHaveLength(5);
      const times = rows.map((r) => r.captured_at.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times); // inserted in capture order
    } finally {
      await sql.end({ timeout: 1 });
      proxy.close();
    }
  });

  it("with a blob key, the frames buffered while the database is away are sealed on disk (no clear PNG, no title) and go in, in order", async () => {
    const key = new BlobKey(Buffer.alloc(32, 5));
    const keyedDir = join(root, "keyed");
    const keyed = new BlobStore(keyedDir, [], key);
    const proxy = await tcpProxy(new URL(db.url));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const sql = connect(url.toString(), { max: 1, connect_timeout: 2 });
    const bufDir = join(root, "buffer", "sealed");
    const spool = new Spool(bufDir, 10, key);
    const c = capturer(sql, { deployment: "sealed", spool, intervalMs: 500 }, [], keyed);
    try {
      await c.start();
      proxy.down();
      await c.tick();
      await run("xdotool", ["type", "--delay", "20", "more"], { env: x.env }).catch(() => {});
      await new Promise((r) => setTimeout(r, 1500));
      await c.tick();
      expect(await spool.size()).toBe(2);
      const onDisk = readdirSync(bufDir).map((n) => readFileSync(join(bufDir, n)));
      expect(onDisk).toHaveLength(4);
      for (const f of onDisk) {
        expect(isSealed(f)).toBe(true);
        expect(f.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(false);
        expect(f.includes("notes.txt")).toBe(false);
        expect(f.includes("XTerm")).toBe(false);
      }
      await proxy.up();
      await c.tick();
      expect(await spool.size()).toBe(0);
      expect(c.stats).toMatchObject({ buffered: 2, flushed: 2, errors: 0 });
      const rows = await db.sql`select captured_at, image_ref, window_title, phash, tile_hashes from pgrecall.frames where deployment_id = 'sealed' order by inserted_at, captured_at`;
      expect(rows).toHaveLength(3);
      const times = rows.map((r) => r.captured_at.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times); // inserted in capture order
      for (const f of rows) {
        expect(f.window_title).toBe("notes.txt - editor");
        const hex = String(f.image_ref).slice("blob:sha256:".length);
        const file = readdirSync(join(keyedDir, "blobs"), { recursive: true }).map(String).find((n) => n.includes(hex))!;
        expect(isSealed(readFileSync(join(keyedDir, "blobs", file)))).toBe(true);
        const h = await hashImage(await keyed.read(f.image_ref));
        expect([h.phash, h.tileHashes]).toEqual([f.phash, f.tile_hashes]);
      }
    } finally {
      await sql.end({ timeout: 1 });
      proxy.close();
    }
  });

  it("--install-service writes a systemd user unit and a private settings file", async () => {
    const home = join(root, "config");
    const s = await installService(["--deployment", "desk", "--interval", "2s"], { XDG_CONFIG_HOME: home, DATABASE_URL: "postgres://u:pw@db/pgrecall", PGRECALL_DATA_DIR: "/srv/recall" });
    expect(s.unit).toBe(join(home, "systemd", "user", "pgrecall-capture.service"));
    const unit = readFileSync(s.unit, "utf8");
    expect(unit).toMatch(/^ExecStart=\S+ \S+ capture --deployment desk --interval 2s$/m);
    expect(unit).toContain(`EnvironmentFile=-${join(home, "pgrecall", "capture.env")}`);
    expect(unit).toContain("WantedBy=graphical-session.target");
    expect(readFileSync(s.envFile, "utf8")).toBe("DATABASE_URL=postgres://u:pw@db/pgrecall\nPGRECALL_DATA_DIR=/srv/recall\n");
  });
});

/** A loopback proxy to PostgreSQL that can drop every connection and refuse new ones, then accept again. */
async function tcpProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    /** Connections reset, new ones refused: the database is away. */
    down() {
      server.close();
      for (const s of sockets) s.destroy();
    },
    up: () => new Promise<void>((r) => server.listen(port, "127.0.0.1", r)),
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
