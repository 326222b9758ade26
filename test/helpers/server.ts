// Which PostgreSQL the tests use: the server of TEST_DATABASE_URL or DATABASE_URL when given
// (reached through its maintenance database `postgres`, so the database the URL names need
// not exist: every test file gets a database of its own); otherwise a testcontainers
// pgvector container when a Docker engine answers; otherwise the local server.
import { existsSync } from "node:fs";

export const LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres";

export interface Server {
  url: string;
  stop: () => Promise<void>;
}

function dockerAnswers(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return existsSync("/var/run/docker.sock");
}

export async function startServer(): Promise<Server> {
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (given) return { url: withDatabase(given, "postgres"), stop: async () => {} };
  if (dockerAnswers()) {
    const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
    const container = await new PostgreSqlContainer("pgvector/pgvector:pg15").start();
    return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
  }
  return { url: LOCAL_SERVER, stop: async () => {} };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(name);
  return u.toString();
}
