#!/usr/bin/env node
// Runs the compiled CLI: `npm ci` / `npm install` build it (the `prepare` script), as does `npm run build`.
import { existsSync } from "node:fs";
const entry = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("pgrecall: not built yet (dist/src/cli.js is missing). Run `npm run build` (or `npm ci`, which builds) in the pgrecall directory.");
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
