#!/usr/bin/env node
// Runs the compiled CLI (npm run build, or npm install, which builds on prepare).
import { existsSync } from "node:fs";
const entry = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(entry)) {
  console.error("pgrecall: not built yet. Run `npm run build` in the pgrecall directory.");
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
