// GET /activity-summary: where the time went over a range, Screenpipe's route and parameter
// names (start_time, end_time, app_name) plus deployment, answered by SQL
// (pgrecall.activity_summary). Times go to SQL as text and are read there
// (pgrecall.parse_moment: ISO 8601, or "2h ago"); its refusals (22023) are 400s with the reason.
import type { FastifyInstance } from "fastify";
import type { ServeContext } from "../serve.js";
import { reasons } from "./schemas.js";

const text = (description: string, maxLength = 200) => ({ type: "string", maxLength, description }) as const;

export const activitySummaryQuery = {
  type: "object",
  additionalProperties: false,
  required: ["start_time", "end_time"],
  properties: {
    start_time: text("from: ISO 8601 (2026-11-21T10:00:00Z), now, today, yesterday or a time ago (2h ago)", 100),
    end_time: text("until (same forms); at most 31 days after start_time", 100),
    app_name: text("one app only (exact name, case-insensitive)"),
    deployment: text("one deployment only"),
  },
} as const;

export function registerSummary(app: FastifyInstance, ctx: ServeContext, only: (url: string, methods: string[]) => void): void {
  const { lookupSql: sql, lookups } = ctx;
  app.get(
    "/activity-summary",
    {
      schema: {
        summary: "Apps and projects with minutes, frame counts, first and last seen and top window titles over [start_time, end_time) (at most 31 days), from the same timeline as the day summaries",
        querystring: activitySummaryQuery,
      },
      schemaErrorFormatter: reasons("/activity-summary", Object.keys(activitySummaryQuery.properties)),
    },
    async (req) => {
      const q = req.query as { start_time: string; end_time: string; app_name?: string; deployment?: string };
      const [r] = await lookups.run(req.raw, () => sql`
        select pgrecall.activity_summary(pgrecall.parse_moment(${q.start_time}::text), pgrecall.parse_moment(${q.end_time}::text),
                                         ${q.app_name ?? null}::text, ${q.deployment ?? null}::text) as s`);
      return r!.s;
    },
  );
  only("/activity-summary", ["GET"]);
}
