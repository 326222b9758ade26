// `pgrecall serve`: the HTTP API (and, later, the page and /mcp).
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { isLoopback } from "../http/guard.js";
import { resolveToken } from "../http/token.js";
import { serve } from "../serve.js";

export default new Command("serve")
  .description("The page at /, the HTTP API (/search, /frames/:id, /frames/:id/image, /timeline, /health, /openapi.json …) and MCP at /mcp. Binds 127.0.0.1 unless told otherwise; a token is required by default.")
  .option("--host <host>", "address to bind", "127.0.0.1")
  .option("--port <port>", "port", "3030")
  .option("--token <token>", "the bearer token to require (default: PGRECALL_API_TOKEN, else the one kept in <data dir>/api.token, made on first start)")
  .option("--no-token", "require no token (PGRECALL_NO_TOKEN=1); only on a loopback address, and any program of any user on this machine can then read your screens")
  .action(async (opts: { host: string; port: string; token?: string | false }) => {
    const config = readConfig();
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be 0-65535 (got "${opts.port}")`);
    const t = resolveToken({ option: opts.token, env: config.apiToken, dataDir: config.dataDir, noToken: config.noToken });
    if (!t.token && !isLoopback(opts.host)) throw new ConfigError(`--no-token is refused on ${opts.host}: without a token only a loopback address (127.0.0.1, ::1, localhost) may be served`);
    const server = await serve({
      databaseUrl: config.readerUrl,
      dataDir: config.dataDir,
      imageRoots: config.imageRoots,
      searchPool: config.searchPool,
      searchWaitMs: config.searchWaitMs,
      embedding: config.embedding,
      searchTimeoutMs: config.searchTimeoutMs,
      allowedHosts: config.allowedHosts,
      host: opts.host,
      port,
      token: t.token,
    });
    const host = server.host.includes(":") ? `[${server.host}]` : server.host;
    const url = `http://${host}:${server.port}/`;
    if (t.source === "created") {
      console.log(`pgrecall: made an API token, kept in ${t.path} (mode 0600); it is shown only this once:\n  ${t.token}`);
      console.log(`pgrecall: serving on ${url}?token=${t.token}`);
    } else if (t.source === "none") {
      console.log(`pgrecall: serving on ${url} WITHOUT a token (--no-token): any program on this machine can read your screens`);
    } else if (t.source === "file" && process.stdout.isTTY) {
      // Someone at a terminal gets the page's address with its token, as Jupyter prints it; a log does not.
      console.log(`pgrecall: serving on ${url}?token=${t.token}`);
    } else {
      console.log(`pgrecall: serving on ${url} (bearer token required: ${t.source === "file" ? `the one in ${t.path}` : t.source === "option" ? "--token" : "PGRECALL_API_TOKEN"}; the page opens at ${url}?token=<token>)`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  });
