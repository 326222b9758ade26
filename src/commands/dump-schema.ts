// `pgrecall dump-schema`: the reviewable schema dump, schema/pgrecall.sql.
import { relative } from "node:path";
import { Command } from "commander";
import { readConfig } from "../config.js";
import { dumpSchema } from "../schema-dump.js";

export default new Command("dump-schema")
  .description("For developers: migrate a throwaway database on DATABASE_URL's server from nothing and write its normalized pg_dump to schema/pgrecall.sql (--check: only say whether the file is current).")
  .option("--check", "do not write; exit 1 when schema/pgrecall.sql is out of date")
  .action(async (opts: { check?: boolean }) => {
    const r = await dumpSchema(readConfig().databaseUrl, { write: !opts.check });
    const file = relative(process.cwd(), r.file);
    if (opts.check && !r.current) {
      console.log(`pgrecall: ${file} is out of date: run \`npm run schema:dump\` and commit it`);
      process.exitCode = 1;
    } else console.log(`pgrecall: ${file} ${r.written ? "rewritten" : "already current"}`);
  });
