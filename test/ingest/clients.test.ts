// Any Postgres client can capture: the triggers do the rest.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { jobsOf, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();

/** Runs one statement with the psql command-line client, as a shell-script capture client would; returns its output. */
const psql = (statement: string) =>
  execFileSync("psql", [db.url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement], { encoding: "utf8" }).trim();

describe("capture clients", () => {
  it("a frame inserted with psql queues its jobs and shows in the pending views", async () => {
    const out = psql(
      "insert into pgrecall.frames (deployment_id, app_name, window_title, image_ref) values ('psql-laptop', 'Terminal', 'bash', '/tmp/shot.png') returning id",
    );
    expect(out).toMatch(/^[0-9a-f-]{36}$/);
    expect(await jobsOf(db.sql, out)).toEqual(["hash"]);
    const pending = await db.sql`select id from pgrecall.pending_hash where id = ${out}`;
    expect(pending).toHaveLength(1);

    const withHash = psql("insert into pgrecall.frames (deployment_id, phash, image_ref) values ('psql-laptop', -8070450532247928832, '/tmp/b.png') returning id");
    expect(await jobsOf(db.sql, withHash)).toEqual(["ocr"]);
    expect(await db.sql`select id from pgrecall.pending_ocr where id = ${withHash}`).toHaveLength(1);
  });

  it("a frame inserted with postgres.js queues its jobs", async () => {
    const [r] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('js-laptop', ${123456789n}) returning id, phash`;
    expect(r!.phash).toBe(123456789n);
    expect(await jobsOf(db.sql, r!.id)).toEqual(["ocr"]);
  });
});
