// `pgrecall search`: find frames by what they showed.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { BadSearch, parseSearch, searchConnection, Searcher, type SearchHit } from "../search.js";
import { printable } from "../terminal.js";

export default new Command("search")
  .description("Find frames by what they showed: full-text (websearch syntax: \"a phrase\", -not, or; one typo forgiven), vector or hybrid.")
  .argument("[query...]", "what to look for (empty: the newest frames the filters select)")
  .option("--json", "print a JSON array: frame_id, captured_at, app_name, window_title, image_ref, score, snippet, matched, duplicate_of, next_cursor")
  .option("--deployment <id>", "only this deployment")
  .option("--app <name>", "only this app (any case)")
  .option("--window <text>", "only windows whose title contains this")
  .option("--since <time>", "captured at or after this ISO time")
  .option("--until <time>", "captured before this ISO time")
  .option("--limit <n>", "results per page (1-200)", "20")
  .option("--mode <mode>", "fts, vector or hybrid", "hybrid")
  .option("--sort <sort>", "relevance, or time (newest first, through every match)", "relevance")
  .option("--include-duplicates", "also list the near-duplicate captures of each frame found")
  .option("--cursor <cursor>", "the next page: the cursor printed after the previous one")
  .option("--include-tombstoned", "also frames forgotten with pgrecall forget --soft (not yet purged)")
  .action(async (words: string[], opts: Record<string, string | boolean | undefined>) => {
    const config = readConfig();
    const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);
    const asConfigError = (err: unknown) => (err instanceof BadSearch ? new ConfigError(err.message) : err);
    let params;
    try {
      params = parseSearch({
        q: words.join(" "), mode: str(opts.mode), sort: str(opts.sort), deployment: str(opts.deployment), app: str(opts.app),
        window: str(opts.window), since: str(opts.since), until: str(opts.until), limit: str(opts.limit), cursor: str(opts.cursor),
        includeDuplicates: opts.includeDuplicates ? "true" : undefined,
      });
    } catch (err) {
      throw asConfigError(err);
    }
    params.includeTombstoned = !!opts.includeTombstoned;
    const sql = searchConnection(config.readerUrl, config.searchTimeoutMs, 1);
    try {
      const out = await new Searcher(sql, config.embedding).search(params).catch((err: unknown) => {
        throw asConfigError(err);
      });
      if (out.notice) console.error(`pgrecall: ${out.notice}`);
      if (opts.json) {
        console.log(JSON.stringify(out.results, null, 2));
        return;
      }
      printHits(out.results, process.stdout.isTTY);
      if (!out.results.length) console.log("no frames found");
      else if (out.next_cursor) console.log(`\nmore: pgrecall search … --cursor ${out.next_cursor}`);
    } finally {
      await sql.end();
    }
  });

/** Readable hits; whatever a screen or a client put in a title or text is escaped, never obeyed by the terminal. */
export function printHits(hits: SearchHit[], tty: boolean): void {
  const bold = (s: string) => (tty ? s.replace(/«/g, "\x1b[1;33m").replace(/»/g, "\x1b[0m") : s);
  const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
  for (const h of hits) {
    const when = h.captured_at.toISOString().replace("T", " ").slice(0, 19);
    const where = printable([h.app_name, h.window_title].filter(Boolean).join(" · "));
    console.log(`${when}  ${where}  ${dim(`${h.score.toFixed(4)} ${h.matched}`)}`);
    const snippet = printable(h.snippet.replace(/\s+/g, " ").trim());
    if (snippet) console.log(`  ${bold(snippet)}`);
    console.log(dim(`  ${h.frame_id}${h.duplicate_of ? ` (near-duplicate of ${h.duplicate_of})` : ""}  ${printable(h.image_ref ?? "")}`));
  }
}
