// `pgrecall model`: is the embedding model installed, and does it load?
// `pgrecall model install [MODEL]`: download it once (in the hub's layout, from the hub or a
// mirror), check it embeds, and requeue the frames whose embedding failed for want of it.
import { Command } from "commander";
import { readConfig } from "../config.js";
import { withSql } from "../db.js";
import { CHECK_SENTENCE, DEFAULT_MODEL_HOST, checkEmbeds, checkHost, checkModelName, installModel, requeueMissingModel } from "../model-install.js";

const install = new Command("install")
  .description(
    "Download the embedding model (default PGRECALL_EMBED_MODEL) once into PGRECALL_MODELS_DIR, check it loads and embeds, " +
      "and requeue the frames whose embedding failed because it was missing (nothing else downloads it unless PGRECALL_ALLOW_REMOTE_MODELS=1).",
  )
  .argument("[model]", "hub model id (owner/name)")
  .option("--host <url>", "download from this Hugging Face hub mirror (default PGRECALL_MODEL_HOST, else https://huggingface.co/)")
  .option("--deployment <id>", "requeue only this deployment's frames")
  .action(async (name: string | undefined, opts: { host?: string; deployment?: string }) => {
    const config = readConfig();
    const { embedding } = config;
    const model = checkModelName(name ?? embedding.model);
    const host = checkHost(opts.host ?? embedding.remoteHost ?? DEFAULT_MODEL_HOST);
    console.log(`model:      ${model}${embedding.quantized ? " (quantized)" : ""}`);
    console.log(`models dir: ${embedding.modelsDir}`);
    const t = Date.now();
    const r = await installModel({ ...embedding, model }, host, (line) => console.log(`  ${line}`));
    if (r.alreadyInstalled) {
      console.log(`already installed in ${r.dir}: nothing downloaded`);
    } else {
      const bytes = r.files.reduce((s, f) => s + f.bytes, 0);
      console.log(`installed:  ${r.dir} (${r.files.length} files, ${(bytes / 1e6).toFixed(1)} MB from ${host})`);
    }
    console.log(`ok:         loads and embeds ("${CHECK_SENTENCE}" → ${r.dimensions} dimensions) in ${Date.now() - t} ms`);
    if (model !== embedding.model) {
      console.log(`note:       pgrecall embeds with ${embedding.model}; set PGRECALL_EMBED_MODEL=${model} to use this one. Nothing requeued.`);
      return;
    }
    try {
      const n = await withSql(config.databaseUrl, (sql) => requeueMissingModel(sql, opts.deployment ?? null), { max: 1 });
      console.log(
        `requeued:   ${n} frame(s) whose embedding failed because the model was missing${opts.deployment ? ` (deployment ${opts.deployment})` : ""}; ` +
          "other embedding failures stay failed (pgrecall requeue --stage embedding requeues them all)",
      );
    } catch (err) {
      console.log(`requeued:   nothing, the database is not reachable (${(err as Error).message}); later: pgrecall model install again, or pgrecall requeue --stage embedding`);
    }
  });

export default new Command("model")
  .description("Check the embedding model: where it is looked for, whether it loads, and a test embedding. `model install` downloads it.")
  .addCommand(install)
  .action(async () => {
    const { embedding } = readConfig();
    console.log(`model:      ${embedding.model}${embedding.quantized ? " (quantized)" : ""}`);
    console.log(`models dir: ${embedding.modelsDir}${embedding.allowRemote ? " (remote download allowed)" : " (offline)"}`);
    const t = Date.now();
    const dims = await checkEmbeds(embedding);
    console.log(`ok:         ${dims} dimensions, loaded and embedded in ${Date.now() - t} ms`);
  });
