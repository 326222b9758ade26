// plpgsql_check over every PL/pgSQL function: an error in a rarely-taken branch fails here,
// not in a user's insert.
import { describe, expect, it } from "vitest";
import { lintPlpgsql } from "../../src/lint.js";
import { useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();

describe("plpgsql_check", () => {
  it("finds nothing in the pgrecall schema", async () => {
    const issues = await lintPlpgsql(db.sql);
    expect(issues).toEqual([]);
  });

  it("would catch an error in a branch that never runs", async () => {
    await db.sql.unsafe(`create function pgrecall._lint_probe(x int) returns int language plpgsql as $$
      begin if x < 0 then return (select no_such_column from pgrecall.frames limit 1); end if; return x; end $$`);
    const issues = await lintPlpgsql(db.sql);
    expect(issues.map((i) => i.message).join("\n")).toMatch(/no_such_column/);
    await db.sql`drop function pgrecall._lint_probe(int)`;
  });
});
