// `pgrecall grant` / `pgrecall revoke`: least-privilege access for capture clients, readers and workers.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";

const KINDS = "capture (one deployment: insert its frames, read back only those), read (search one deployment, or all without --deployment), worker (run the stages)";

async function call(fn: "grant_access" | "revoke_access", kind: string, role: string, deployment: string | undefined): Promise<number | null> {
  return withSql(readConfig().databaseUrl, async (sql) => {
    try {
      const [r] = await sql.unsafe(`select pgrecall.${fn}($1, $2, $3) as n`, [kind, role, deployment ?? null]);
      return (r?.n as number | null) ?? null;
    } catch (err) {
      // SQL is the judge of what may be granted; its refusals become one line here.
      const e = err as { code?: string; message: string; hint?: string };
      if (e.code === "22023") throw new ConfigError(`${e.message}${e.hint ? ` (${e.hint})` : ""}`);
      throw err;
    }
  }, { max: 1 });
}

export const grant = new Command("grant")
  .description(`Give a PostgreSQL role access: ${KINDS}. A missing role is created NOLOGIN (give it a password and LOGIN yourself). Idempotent.`)
  .argument("<kind>", "capture, read or worker")
  .argument("<role>", "the login role")
  .option("--deployment <id>", "the deployment (required for capture)")
  .action(async (kind: string, role: string, opts: { deployment?: string }) => {
    await call("grant_access", kind, role, opts.deployment);
    console.log(`pgrecall: ${role} may ${kind === "read" ? "read" : kind === "capture" ? "capture for" : "work on"} ${opts.deployment ? `deployment ${opts.deployment}` : "every deployment"}`);
  });

export const revoke = new Command("revoke")
  .description("Take back access given with pgrecall grant: one deployment, or all of that kind without --deployment.")
  .argument("<kind>", "capture, read or worker")
  .argument("<role>", "the login role")
  .option("--deployment <id>", "only this deployment")
  .action(async (kind: string, role: string, opts: { deployment?: string }) => {
    const n = await call("revoke_access", kind, role, opts.deployment);
    console.log(`pgrecall: ${kind} access of ${role} revoked (${n} deployment grant${n === 1 ? "" : "s"})`);
  });
