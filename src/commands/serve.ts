// `pgrecall serve`: the HTTP API.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { serve } from "../serve.js";

export default new Command("serve")
  .description("HTTP API: GET /search, /frames/:id, /frames/:id/image, /health (JSON). Binds 127.0.0.1 unless told otherwise.")
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("--port <port>", "port", "3030")
  .option("--token <token>", "require Authorization: Bearer <token> (default: PGRECALL_API_TOKEN; /health stays open)")
  .action(async (opts: { host: string; port: string; token?: string }) => {
    const config = readConfig();
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be 0-65535 (got "${opts.port}")`);
    const server = await serve({
      databaseUrl: config.readerUrl,
      dataDir: config.dataDir,
      imageRoots: config.imageRoots,
      searchPool: config.searchPool,
      searchWaitMs: config.searchWaitMs,
      embedding: config.embedding,
      searchTimeoutMs: config.searchTimeoutMs,
      host: opts.host,
      port,
      token: opts.token ?? config.apiToken,
    });
    console.log(`pgrecall: serving on http://${server.host}:${server.port}${server.tokenRequired ? " (bearer token required)" : ""}`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  });
