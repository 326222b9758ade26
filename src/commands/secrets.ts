// `pgrecall secrets`: what was found and redacted, "was this ever on my screen?", and the user's rules.
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { withSql } from "../db.js";
import { fingerprintSecret, validateRule, type RuleInput } from "../engines/secrets.js";
import { loadSecretKey } from "../secret-key.js";
import { printable } from "../terminal.js";

async function stdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

const secrets = new Command("secrets").description("Secrets and personal data found on screens (redacted before anything was stored): counts, a check for one value, the rules.");

secrets
  .command("list")
  .description("How many findings of each kind, per deployment, and when last seen. Never a value.")
  .option("--json", "as JSON")
  .action(async (opts: { json?: boolean }) => {
    const rows = await withSql(readConfig().databaseUrl, (sql) => sql`
      select f.deployment_id, s.kind, count(*)::int as findings, count(distinct s.fingerprint)::int as distinct_values, max(f.captured_at) as last_seen
      from pgrecall.secrets s join pgrecall.frames f on f.id = s.frame_id
      group by 1, 2 order by 1, 3 desc`, { max: 1 });
    if (opts.json) return console.log(JSON.stringify(rows, null, 2));
    if (!rows.length) return console.log("no secrets found on any screen");
    for (const r of rows) console.log(printable(`${r.deployment_id}  ${r.kind}: ${r.findings} finding(s), ${r.distinct_values} distinct, last ${(r.last_seen as Date).toISOString()}`));
  });

secrets
  .command("check")
  .description("Was this value ever on a screen? Reads it from stdin (never an argument: it would land in your shell history), compares its keyed fingerprint.")
  .action(async () => {
    const config = readConfig();
    const value = await stdin();
    if (!value) throw new ConfigError("give the value on stdin, e.g. `pgrecall secrets check < key.txt` or paste it and press Ctrl-D");
    const fingerprint = fingerprintSecret(value, loadSecretKey(config.dataDir, config.secretKey));
    const rows = await withSql(config.databaseUrl, (sql) => sql`
      select f.id, f.deployment_id, f.captured_at, f.app_name, s.kind, s.preview
      from pgrecall.secrets s join pgrecall.frames f on f.id = s.frame_id
      where s.fingerprint = ${fingerprint} order by f.captured_at`, { max: 1 });
    if (!rows.length) {
      console.log("not seen: no screen pgrecall kept showed this value");
      return;
    }
    console.log(`seen on ${rows.length} screen(s) (redacted on each):`);
    for (const r of rows) console.log(printable(`  ${(r.captured_at as Date).toISOString()}  ${r.deployment_id}  ${r.app_name ?? ""}  ${r.kind} ${r.preview}  frame ${r.id}`));
    process.exitCode = 3; // scripts can tell "seen" (3) from "not seen" (0) and errors (1)
  });

secrets
  .command("rescan")
  .description("Look for secrets again in every screen OCRed so far, with the current rules (a rule change starts one by itself), in small batches run by the worker; or show how rescans are going.")
  .option("--deployment <id>", "only this deployment's screens")
  .option("--status", "show the recent rescans and their progress instead of starting one")
  .action(async (opts: { deployment?: string; status?: boolean }) => {
    await withSql(readConfig().databaseUrl, async (sql) => {
      if (!opts.status) {
        const [r] = await sql<{ id: string }[]>`select pgrecall.secrets_rescan(${opts.deployment ?? null}, 'requested') as id`;
        console.log(`pgrecall: rescan ${r!.id} queued${opts.deployment ? ` for ${opts.deployment}` : ""}; the worker runs it in batches (\`pgrecall secrets rescan --status\` shows how far it is)`);
        return;
      }
      const rows = await sql`
        select r.*, (select count(*) from pgrecall.rescan_batch(r.id, 1000))::int as left_in_next_batches
        from pgrecall.secret_rescans r order by r.id desc limit 10`;
      if (!rows.length) return console.log("no rescans yet");
      for (const r of rows) {
        const state = r.superseded_by ? `superseded by ${r.superseded_by}` : r.finished_at ? `finished ${(r.finished_at as Date).toISOString()}`
          : `running: ${r.left_in_next_batches}${r.left_in_next_batches === 1000 ? "+" : ""} screen(s) to go`;
        console.log(printable(`rescan ${r.id}  ${r.deployment_id ?? "all deployments"}  (${r.reason}, ${(r.started_at as Date).toISOString()})  ${state}; ` +
          `${r.frames_scanned} scanned, ${r.frames_redacted} redacted, ${r.findings} finding(s)${Number(r.images_missing) ? `, ${r.images_missing} image(s) could not be read` : ""}`));
      }
    }, { max: 1 });
  });

const rule = secrets.command("rule").description("Your own detection rules (pgrecall.secret_rules), applied to screens OCRed from now on and, by a rescan, to those before.");

rule
  .command("add")
  .description('Add or replace a rule: a JSON object of the SecretRule shape, e.g. {"name":"acme-token","kind":"Acme token","category":"secret","pattern":"acme_[A-Za-z0-9]{32}","enabled":true}, or a built-in\'s name with what to change, e.g. {"name":"email","enabled":true}.')
  .argument("<json>", "the rule")
  .action(async (json: string) => {
    let input: RuleInput;
    try {
      input = JSON.parse(json) as RuleInput;
    } catch (err) {
      throw new ConfigError(`the rule is not JSON: ${(err as Error).message}`);
    }
    const refused = validateRule(input);
    if (refused) throw new ConfigError(`rule refused: ${refused}`);
    // The insert's trigger starts a rescan of history with the new rule.
    const [r] = await withSql(readConfig().databaseUrl, (sql) => sql.begin(async (tx) => {
      await tx`insert into pgrecall.secret_rules (name, rule) values (${input.name}, ${tx.json(input as never)})
               on conflict (name) do update set rule = excluded.rule, updated_at = now()`;
      return tx<{ id: string }[]>`select max(id) as id from pgrecall.secret_rescans`;
    }), { max: 1 });
    console.log(`pgrecall: rule ${input.name} saved; the worker applies it to the next screens it reads, and to those it read before (rescan ${r!.id})`);
  });

rule
  .command("list")
  .description("Your rules (the built-in ones are listed in the README).")
  .action(async () => {
    const rows = await withSql(readConfig().databaseUrl, (sql) => sql`select name, rule from pgrecall.secret_rules order by name`, { max: 1 });
    if (!rows.length) console.log("no rules of your own: the built-in rules apply");
    for (const r of rows) console.log(printable(`${r.name}  ${JSON.stringify(r.rule)}`));
  });

rule
  .command("remove")
  .argument("<name>", "the rule's name")
  .action(async (name: string) => {
    const rows = await withSql(readConfig().databaseUrl, (sql) => sql`delete from pgrecall.secret_rules where name = ${name} returning name`, { max: 1 });
    if (!rows.length) throw new ConfigError(`no rule ${name}`);
    console.log(`pgrecall: rule ${name} removed`);
  });

export default secrets;
