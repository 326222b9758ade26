// schema/pgrecall.sql is what migrations/ and sql/ make of schema pgrecall today: a database
// migrated from nothing, dumped and normalized by the same function that writes the file.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { dumpSchema } from "../../src/schema-dump.js";

const REGENERATE = "run `npm run schema:dump` and commit schema/pgrecall.sql";
const pgDumpMajor = (text: string) => /^-- .*pg_dump (\d+) /.exec(text)?.[1];

describe("schema/pgrecall.sql", () => {
  it("is what migrations/ and sql/ make of a fresh database (normalized pg_dump of schema pgrecall)", async (ctx) => {
    const dump = await dumpSchema(inject("serverUrl"));
    expect(existsSync(dump.file), `schema/pgrecall.sql is missing: ${REGENERATE}`).toBe(true);
    const committed = readFileSync(dump.file, "utf8");
    // The committed dump is made with CI's PostgreSQL; another major prints the same schema differently.
    const [made, here] = [pgDumpMajor(committed), pgDumpMajor(dump.text)];
    ctx.skip(made !== undefined && made !== here, `schema/pgrecall.sql was made with pg_dump ${made}; this server needs pg_dump ${here}`);

    const [ours, theirs] = [dump.text.split("\n"), committed.split("\n")];
    let line = 0;
    while (line < ours.length && ours[line] === theirs[line]) line++;
    // Received is the fresh dump, Expected the committed file: + lines are what regenerating adds.
    expect(dump.text, `schema/pgrecall.sql is out of date from line ${line + 1} on: ${REGENERATE}`).toBe(committed);
  });
});
