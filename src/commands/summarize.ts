// `pgrecall summarize`: recompute one local day (or a range of days) of a deployment now.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";
import { ProseWriter } from "../engines/prose.js";
import { writeProse } from "../../tasks/summarize.js";
import { dayError, formatSeconds } from "./day.js";

export default new Command("summarize")
  .description("Recompute a deployment's day summary from its frames now (the worker does it a couple of minutes after frames arrive). Idempotent: the same numbers and activities every run.")
  .requiredOption("--deployment <id>", "the deployment")
  .option("--day <YYYY-MM-DD>", "the local day (the deployment's time_zone setting); default: today")
  .option("--until <YYYY-MM-DD>", "recompute every day from --day to this one")
  .option("--prose", "also have the prose written now (needs PGRECALL_VISION_URL/PGRECALL_VISION_MODEL), even for a day that has not ended")
  .option("--json", "print pgrecall.day() of each day as JSON")
  .action(async (opts: { deployment: string; day?: string; until?: string; prose?: boolean; json?: boolean }) => {
    const config = readConfig();
    const vision = opts.prose ? config.vision : null;
    if (opts.prose && !vision) throw new ConfigError("--prose needs a provider: set PGRECALL_VISION_URL and PGRECALL_VISION_MODEL (an OpenAI-compatible endpoint)");
    await withSql(config.databaseUrl, async (sql) => {
      const days = await sql<{ day: string }[]>`
        select d::date::text as day
        from generate_series(coalesce(${opts.day ?? null}::text::date, pgrecall.local_day(${opts.deployment}, now())),
                             coalesce(${opts.until ?? null}::text::date, ${opts.day ?? null}::text::date, pgrecall.local_day(${opts.deployment}, now())),
                             interval '1 day') d`.catch((err) => {
        throw dayError(err, `${opts.day ?? ""}${opts.until ? ` or ${opts.until}` : ""}`);
      });
      if (!days.length) throw new ConfigError("--until is before --day");
      for (const { day } of days) {
        const [r] = await sql<{ d: { active_seconds: number; activity_count: number; frame_count: number } | null }[]>`
          select pgrecall.summarize_day(${opts.deployment}, ${day}::text::date) as d`;
        let summary: string | null = null;
        if (vision && r!.d) summary = await writeProse(sql, new ProseWriter(vision), opts.deployment, day, { force: true });
        if (opts.json) {
          const [j] = await sql`select pgrecall.day(${opts.deployment}, ${day}::text::date) as d`;
          console.log(JSON.stringify(j!.d));
        } else if (!r!.d) {
          console.log(`pgrecall: ${day}: no frames`);
        } else {
          console.log(`pgrecall: ${day}: ${formatSeconds(r!.d.active_seconds)} present, ${r!.d.activity_count} activities, ${r!.d.frame_count} frames${summary ? " (prose written)" : ""}`);
        }
      }
    }, { max: 1 });
  });
