// Once per test run: a migrated template database; each test file clones it.
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateAll } from "../../src/migrate.js";
import { startServer, withDatabase } from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    serverUrl: string;
    templateDb: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startServer();
  const templateDb = `pgrecall_tpl_${process.pid}`;
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (cause) {
    throw new Error(
      `Tests need PostgreSQL with pgvector at ${server.url}: ${(cause as Error).message}. ` +
        "Run `bash scripts/provision.sh`, or set TEST_DATABASE_URL.",
      { cause },
    );
  }
  await admin.unsafe(`drop database if exists "${templateDb}" with (force)`);
  await admin.unsafe(`create database "${templateDb}"`);
  await migrateAll(withDatabase(server.url, templateDb), { createDatabase: false });
  project.provide("serverUrl", server.url);
  project.provide("templateDb", templateDb);

  return async () => {
    await admin.unsafe(`drop database if exists "${templateDb}" with (force)`);
    await admin.end();
    await server.stop();
  };
}
