// `pgrecall migrate`: create the database if needed, apply every migration and the sql/ API.
import { Command } from "commander";
import { readConfig } from "../config.js";
import { migrateAll } from "../migrate.js";

export default new Command("migrate")
  .description("Create the database if needed and apply graphile-worker's schema, the committed migrations and the sql/ API (idempotent).")
  .action(async () => {
    const r = await migrateAll(readConfig().databaseUrl);
    console.log(
      `pgrecall: database ${r.createdDatabase ? "created and " : ""}migrated` +
        (r.appliedSql ? " (sql/ API applied)" : " (sql/ API already current)"),
    );
  });
