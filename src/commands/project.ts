// `pgrecall project`: projects and the rules that put activities in them (pgrecall.projects,
// pgrecall.project_rules). Adding or removing one re-assigns every summarized activity.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";
import { printable } from "../terminal.js";
import { formatSeconds } from "./day.js";

interface ProjectRow {
  id: string;
  name: string;
  rules: { id: number; app_regex: string | null; title_regex: string | null }[];
  seconds: number;
  days: number;
}

const project = new Command("project").description(
  "Projects: an activity whose app and normalized window title match a project's rule gets that project (the first matching rule by id). Days' time per project follows.",
);

project
  .command("add")
  .description("Add a project, or a rule to an existing one (case-insensitive PostgreSQL regexes; either may be omitted).")
  .argument("<name>", "the project's name")
  .option("--app <regex>", "app name matches this")
  .option("--title <regex>", "normalized window title matches this")
  .action(async (name: string, opts: { app?: string; title?: string }) => {
    const [r] = await withSql(readConfig().databaseUrl, async (sql) => {
      try {
        return await sql<{ id: string; assigned: number }[]>`
          select p as id, (select count(*)::int from pgrecall.activities a where a.project_id = p) as assigned
          from pgrecall.add_project(${name}, ${opts.app ?? null}, ${opts.title ?? null}) p`;
      } catch (err) {
        const e = err as { code?: string; constraint_name?: string; message: string };
        // SQL is the judge of a rule; these are its refusals, in the CLI's words.
        if (e.code === "2201B") throw new ConfigError(e.message.replace(/^app_regex/, "--app").replace(/^title_regex/, "--title"));
        if (e.code === "23514") throw new ConfigError(`refused: ${e.message} (names at most 200 characters, regexes at most 500)`);
        throw err;
      }
    }, { max: 1 });
    const rule = opts.app || opts.title ? " with a rule" : "";
    console.log(`pgrecall: project ${printable(name)} (${r!.id})${rule}; ${r!.assigned} summarized activities in it`);
  });

project
  .command("list")
  .description("List the projects, their rules and the time summarized for each.")
  .option("--json", "as JSON")
  .action(async (opts: { json?: boolean }) => {
    const rows = await withSql(readConfig().readerUrl, (sql) => sql<ProjectRow[]>`
      select p.id, p.name,
             coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'app_regex', r.app_regex, 'title_regex', r.title_regex) order by r.id)
                       from pgrecall.project_rules r where r.project_id = p.id), '[]') as rules,
             coalesce((select sum(a.active_seconds) from pgrecall.activities a where a.project_id = p.id), 0)::float8 as seconds,
             (select count(distinct (a.deployment_id, a.day)) from pgrecall.activities a where a.project_id = p.id)::int as days
      from pgrecall.projects p order by p.name`, { max: 1 });
    if (opts.json) return console.log(JSON.stringify(rows, null, 2));
    if (!rows.length) return console.log("pgrecall: no projects (pgrecall project add NAME --app REGEX --title REGEX)");
    for (const p of rows) {
      console.log(printable(`${p.name}  ${formatSeconds(p.seconds)} over ${p.days} day(s)`));
      for (const r of p.rules)
        console.log(printable(`  rule ${r.id}: ${[r.app_regex && `app ~* ${r.app_regex}`, r.title_regex && `title ~* ${r.title_regex}`].filter(Boolean).join(" and ")}`));
    }
  });

project
  .command("remove")
  .description("Remove a project and its rules; its activities go to the next matching rule, or none.")
  .argument("<name>", "the project's name (pgrecall project list)")
  .action(async (name: string) => {
    const [r] = await withSql(readConfig().databaseUrl, (sql) => sql<{ removed: boolean }[]>`select pgrecall.remove_project(${name}) as removed`, { max: 1 });
    if (!r!.removed) throw new ConfigError(`no project named ${printable(name)}`);
    console.log(`pgrecall: project ${printable(name)} removed`);
  });

export default project;
