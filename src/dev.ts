// `pgrecall dev`: graphile-migrate watch (current.sql, with the .gmrc hooks re-applying
// sql/ after each change) plus a watcher on sql/ that re-applies the API when a file in it
// is saved. One terminal for a developer editing either.
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./config.js";
import { applySql, sqlDir } from "./migrate.js";

export async function dev(databaseUrl: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  if (!env.SHADOW_DATABASE_URL) {
    const shadow = new URL(databaseUrl);
    shadow.pathname = shadow.pathname + "_shadow";
    env.SHADOW_DATABASE_URL = shadow.toString();
  }
  const gm = spawn(process.execPath, [join(packageRoot, "node_modules/graphile-migrate/dist/cli.js"), "watch"], {
    cwd: packageRoot,
    env,
    stdio: "inherit",
  });

  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const reapply = () => {
    running = running.then(async () => {
      const started = Date.now();
      try {
        await applySql(databaseUrl, { force: true });
        console.log(`[${new Date().toISOString()}]: sql/ re-applied (${Date.now() - started}ms)`);
      } catch (err) {
        // Keep watching: the developer fixes the file and saves again.
        console.error(`[${new Date().toISOString()}]: sql/ NOT applied: ${(err as Error).message}`);
      }
    });
  };
  const watcher = watch(sqlDir, (_event, file) => {
    if (!file || !file.endsWith(".sql")) return;
    clearTimeout(timer);
    timer = setTimeout(reapply, 200); // editors write in bursts
  });
  console.log(`pgrecall dev: watching migrations/current.sql (graphile-migrate) and sql/ for ${new URL(databaseUrl).pathname.slice(1)}`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.close();
      gm.kill("SIGINT");
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    gm.once("exit", () => {
      watcher.close();
      resolve();
    });
  });
}
