// `pgrecall lint-sql`: plpgsql_check over every PL/pgSQL function.
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { lintPlpgsql } from "../lint.js";

export default new Command("lint-sql")
  .description("Check every PL/pgSQL function with plpgsql_check; exits 1 on any finding.")
  .action(async () => {
    const issues = await withSql(readConfig().databaseUrl, lintPlpgsql, { max: 1 });
    for (const i of issues) console.log(`${i.function}:${i.line ?? "-"}: ${i.level}: ${i.message}${i.query ? `\n    ${i.query}` : ""}`);
    console.log(issues.length ? `${issues.length} finding(s)` : "plpgsql_check: no findings");
    if (issues.length) process.exitCode = 1;
  });
