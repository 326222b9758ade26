// `pgrecall model`: is the embedding model installed, and does it load?
import { Command } from "commander";
import { ConfigError, readConfig } from "../config.js";
import { EMBEDDING_DIMENSIONS } from "../engines/embedder.js";

export default new Command("model")
  .description("Check the embedding model: where it is looked for, whether it loads, and a test embedding.")
  .action(async () => {
    const { embedding } = readConfig();
    const { Embedder } = await import("../engines/embedder.js");
    const embedder = new Embedder(embedding);
    console.log(`model:      ${embedding.model}${embedding.quantized ? " (quantized)" : ""}`);
    console.log(`models dir: ${embedding.modelsDir}${embedding.allowRemote ? " (remote download allowed)" : " (offline)"}`);
    const t = Date.now();
    const v = await embedder.embed("pgrecall model check: invoice INV-2026-0042");
    if (v.length !== EMBEDDING_DIMENSIONS) {
      throw new ConfigError(`${embedding.model} makes ${v.length}-dimension vectors; pgrecall.frames.embedding holds ${EMBEDDING_DIMENSIONS} (all-MiniLM-L6-v2's size).`);
    }
    console.log(`ok:         ${v.length} dimensions, loaded and embedded in ${Date.now() - t} ms`);
  });
