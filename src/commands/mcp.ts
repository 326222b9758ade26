// `pgrecall mcp`: the MCP server over stdio, for an assistant that starts it as a subprocess.
// stdout is the protocol: everything else goes to stderr.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Command } from "commander";
import { readConfig } from "../config.js";
import { connect } from "../db.js";
import { mcpServer } from "../mcp/tools.js";
import { searchConnection, Searcher } from "../search.js";
import { BlobStore } from "../store.js";

export default new Command("mcp")
  .description("MCP server over stdio (tools: search, get_frame, activity_summary, day_summary, list_apps, forget); connects as PGRECALL_READER_URL when set")
  .action(async () => {
    const config = readConfig();
    const searchSql = searchConnection(config.readerUrl, config.searchTimeoutMs, 1);
    const sql = connect(config.readerUrl, { max: 1, connection: { application_name: "pgrecall mcp", statement_timeout: config.searchTimeoutMs } as never });
    const server = mcpServer({ sql, searcher: new Searcher(searchSql, config.embedding), store: new BlobStore(config.dataDir, config.imageRoots) });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
    await server.connect(transport);
    console.error("pgrecall mcp: ready on stdio");
    // The client closing stdin ends the session.
    process.stdin.once("end", () => void server.close());
    await Promise.race([closed, new Promise<void>((resolve) => (process.once("SIGTERM", resolve), process.once("SIGINT", resolve)))]);
    await server.close().catch(() => {});
    await Promise.all([searchSql.end({ timeout: 2 }), sql.end({ timeout: 2 })]);
  });
