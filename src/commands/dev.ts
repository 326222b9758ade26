// `pgrecall dev`: migrate, then watch migrations/current.sql and sql/.
import { Command } from "commander";
import { readConfig } from "../config.js";
import { dev } from "../dev.js";
import { migrateAll } from "../migrate.js";

export default new Command("dev")
  .description("For developers: migrate, then run graphile-migrate watch on migrations/current.sql and re-apply sql/ whenever a file in it changes.")
  .action(async () => {
    const { databaseUrl } = readConfig();
    await migrateAll(databaseUrl);
    await dev(databaseUrl);
  });
