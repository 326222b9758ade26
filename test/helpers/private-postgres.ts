// A PostgreSQL server of the test's own: initdb + pg_ctl into a temporary directory, on a free
// loopback port, for tests that restart or stop the server under a worker. The shared server
// the other tests use is never touched. As root the server runs as the postgres OS user
// (initdb refuses root). PGRECALL_TEST_PG_BIN names another bin directory; the default is
// PostgreSQL 15's, for which pgvector is installed here.
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const PG_BIN = process.env.PGRECALL_TEST_PG_BIN || "/usr/lib/postgresql/15/bin";

/** Why a private server cannot be made here, or null when it can. */
export function privatePostgresUnavailable(): string | null {
  if (!existsSync(join(PG_BIN, "initdb")) || !existsSync(join(PG_BIN, "pg_ctl"))) return `no initdb/pg_ctl in ${PG_BIN} (set PGRECALL_TEST_PG_BIN)`;
  if (process.getuid?.() === 0 && !/^postgres:/m.test(readFileSync("/etc/passwd", "utf8"))) {
    return "running as root, and there is no postgres OS user to run the server as";
  }
  return null;
}

export interface PrivatePostgres {
  port: number;
  dir: string;
  /** A URL of a database on this server. */
  url(database: string): string;
  /** pg_ctl restart: fast disconnects every client cleanly, immediate is a crash and recovery. */
  restart(mode: "fast" | "immediate"): Promise<void>;
  stop(): Promise<void>;
  /** The server's log, for a failing test's message. */
  log(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const asRoot = process.getuid?.() === 0;
  const base = mkdtempSync(join(tmpdir(), "pgrecall-pg-"));
  const dir = join(base, "data");
  const logFile = join(base, "server.log");
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(base, Number(stdout.trim()), Number(gid.trim()));
  }
  // As root, through runuser; otherwise directly as the current user.
  const pg = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", join(PG_BIN, tool), ...args]) : run(join(PG_BIN, tool), args);

  const port = await freePort();
  await pg("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const opts = [
    `-c port=${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${base}`,
    // Speed that costs nothing here: an immediate restart is a crash of PostgreSQL, not of the
    // machine, so what reached the OS survives it. synchronous_commit stays on: a commit a client
    // saw must survive the crash, as on any real server.
    "-c fsync=off",
    "-c full_page_writes=off",
    "-c shared_buffers=32MB",
    "-c max_connections=60",
  ].join(" ");
  const ctl = (args: string[]) => pg("pg_ctl", ["-D", dir, "-l", logFile, "-w", "-t", "60", ...args]);
  await ctl(["-o", opts, "start"]);

  return {
    port,
    dir,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restart: async (mode) => {
      await ctl(["-m", mode, "restart"]);
    },
    stop: async () => {
      try {
        await ctl(["-m", "immediate", "stop"]);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
  };
}
