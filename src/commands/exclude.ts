// `pgrecall exclude`: screens pgrecall must not keep (pgrecall.exclusions).
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";
import { printable } from "../terminal.js";

interface Rule {
  id: string;
  deployment_id: string | null;
  app_regex: string | null;
  title_regex: string | null;
  reason: string;
  builtin: boolean;
}

const exclude = new Command("exclude").description(
  "Screens not to keep: a frame whose app and window title match a rule keeps only its time, deployment and app (no image, title, text or vector); its stages are skipped with the rule as the reason.",
);

exclude
  .command("add")
  .description("Add a rule (case-insensitive PostgreSQL regexes; at least one of --app and --title).")
  .option("--app <regex>", "app name matches this")
  .option("--title <regex>", "window title matches this")
  .option("--deployment <id>", "only this deployment (default: every deployment)")
  .option("--reason <text>", "what the rule is for, shown on each frame it excludes", "excluded by the user")
  .action(async (opts: { app?: string; title?: string; deployment?: string; reason: string }) => {
    const [rule] = await withSql(readConfig().databaseUrl, async (sql) => {
      try {
        return await sql<Rule[]>`insert into pgrecall.exclusions (deployment_id, app_regex, title_regex, reason)
                                 values (${opts.deployment ?? null}, ${opts.app ?? null}, ${opts.title ?? null}, ${opts.reason})
                                 returning *`;
      } catch (err) {
        const e = err as { code?: string; constraint_name?: string; message: string };
        // SQL is the judge of a rule; these are its refusals, in the CLI's words.
        if (e.code === "2201B") throw new ConfigError(e.message.replace(/^app_regex/, "--app").replace(/^title_regex/, "--title"));
        if (e.constraint_name === "exclusions_something_check") throw new ConfigError("give --app, --title or both: a rule needs something to match");
        if (e.code === "23514") throw new ConfigError(`refused: ${e.message} (regexes at most 500 characters, reason at most 200)`);
        throw err;
      }
    }, { max: 1 });
    console.log(`pgrecall: exclusion ${rule!.id} added`);
  });

exclude
  .command("list")
  .description("List the rules, built-in ones included.")
  .option("--json", "as JSON")
  .action(async (opts: { json?: boolean }) => {
    const rules = await withSql(readConfig().databaseUrl, (sql) => sql<Rule[]>`select * from pgrecall.exclusions order by id`, { max: 1 });
    if (opts.json) return console.log(JSON.stringify(rules, null, 2));
    for (const r of rules) {
      const what = [r.app_regex && `app ~* ${r.app_regex}`, r.title_regex && `title ~* ${r.title_regex}`].filter(Boolean).join(" and ");
      console.log(printable(`${r.id}  ${r.reason}${r.builtin ? " (built in)" : ""}: ${what}${r.deployment_id ? ` [deployment ${r.deployment_id}]` : ""}`));
    }
  });

exclude
  .command("remove")
  .description("Remove a rule by id. Frames it excluded stay as they are: what they showed was never kept.")
  .argument("<id>", "the rule's id (pgrecall exclude list)")
  .action(async (id: string) => {
    const rows = await withSql(readConfig().databaseUrl, (sql) =>
      sql`delete from pgrecall.exclusions where id = ${id}::bigint returning id`.catch((err: { code?: string }) => {
        throw ["22P02", "22003"].includes(err.code ?? "") ? new ConfigError(`"${id}" is not a rule id: pgrecall exclude list shows them`) : err;
      }), { max: 1 });
    if (!rows.length) throw new ConfigError(`no exclusion ${id}`);
    console.log(`pgrecall: exclusion ${id} removed`);
  });

export default exclude;
