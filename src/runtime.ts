// What every task shares in one worker process: one database pool and the image store,
// created once at start and reused by every job.
import type { Sql } from "./db.js";
import type { BlobStore } from "./store.js";

export interface Runtime {
  sql: Sql;
  store: BlobStore;
}
