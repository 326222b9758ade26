// What `npm pack` puts in the tarball that `npm install -g` installs: the built CLI, the SQL
// API, the committed migrations, the page, and nothing the installed command could not run
// without (no dev dependency imported at run time, nothing imported from outside the tarball).
// Then the real thing: the tarball installed with `npm install -g` into a prefix of its own,
// with no override of package.json applying and no network but the npm registry (no install
// script may fetch from elsewhere), and the installed command run on a database it creates:
// migrate, status, the model installed from a loopback hub, an embedding, a Screenpipe import.
// The install costs about two CPU-minutes, most of it compiling better-sqlite3 (its prebuilt
// binaries are on GitHub); PGRECALL_TEST_SKIP_GLOBAL_INSTALL=1 leaves this part out.
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildScreenpipe, distinctScreens } from "../../fixtures/screenpipe.js";
import { TINY_MODEL, tinyModelConfig } from "../helpers/model.js";
import { withDatabase } from "../helpers/server.js";

const run = promisify(execFile);

const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("the package", () => {
  // --ignore-scripts: the files of a build already made (npm test builds first).
  const listed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" })) as [
    { files: { path: string }[] },
  ];
  const files = new Set(listed[0].files.map((f) => f.path));

  it("holds the CLI, every SQL file, every committed migration, the graphile-migrate settings and the page", () => {
    for (const f of ["bin/pgrecall.js", "dist/src/cli.js", ".gmrc", "package.json", "README.md", "scripts/provision.sh"]) expect(files, f).toContain(f);
    for (const f of readdirSync(join(root, "sql"))) expect(files, f).toContain(`sql/${f}`);
    for (const f of readdirSync(join(root, "migrations", "committed"))) expect(files, f).toContain(`migrations/committed/${f}`);
    for (const f of readdirSync(join(root, "web"))) expect(files, f).toContain(`web/${f}`);
    expect([...files].filter((f) => /^(test|fixtures|bench|src|tasks)\//.test(f))).toEqual([]);
  });

  it("imports at run time only its dependencies and its own packed files", () => {
    const problems: string[] = [];
    // A dynamic import is `import(…)` on its own; `ObjC.import("CoreGraphics")` in a JXA script
    // the macOS backend hands to osascript is a method call, not one.
    for (const f of files) {
      if (!f.endsWith(".js")) continue;
      const code = readFileSync(join(root, f), "utf8");
      for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)[^;'"]*?from\s*["']([^"']+)["']|(?<![.\w$])import\(\s*["']([^"']+)["']\s*\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith("node:")) continue;
        if (spec.startsWith(".")) {
          const target = relative(root, normalize(join(dirname(join(root, f)), spec)));
          if (!files.has(target)) problems.push(`${f} imports ${spec}, which is not packed`);
          continue;
        }
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (!Object.hasOwn(pkg.dependencies, name)) problems.push(`${f} imports ${name}, ${Object.hasOwn(pkg.devDependencies, name) ? "a dev dependency" : "not a dependency"}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe.skipIf(process.env.PGRECALL_TEST_SKIP_GLOBAL_INSTALL === "1")("npm install -g of the packed tarball", () => {
  const work = mkdtempSync(join(tmpdir(), "pgrecall-global-"));
  const prefix = join(work, "prefix");
  const name = `pgrecall_g_${randomBytes(4).toString("hex")}`;
  const dbUrl = () => withDatabase(inject("serverUrl"), name);
  // The child npm must not see the npm that runs the tests (npm test sets npm_config_*, npm_package_*).
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env = (extra: Record<string, string> = {}) => ({
    ...cleanEnv,
    PATH: `${join(prefix, "bin")}:${process.env.PATH}`,
    DATABASE_URL: dbUrl(),
    PGRECALL_DATA_DIR: join(work, "data"),
    PGRECALL_SECRET_KEY: "k".repeat(64),
    ...extra,
  });
  // Run from an empty folder: nothing of the checkout is on the command's way.
  const pgrecall = (args: string[], extra: Record<string, string> = {}) =>
    run(join(prefix, "bin", "pgrecall"), args, { cwd: work, env: env(extra), maxBuffer: 16 << 20 })
      .then((r) => ({ ...r, code: 0 }))
      .catch((e: { stdout: string; stderr: string; code: number }) => e);
  let installLog = "";

  beforeAll(async () => {
    // The build the checkout has (npm test builds first), packed once; the install uses the local
    // npm cache where it can (--prefer-offline), the registry for the rest.
    const [packed] = JSON.parse(
      (await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: root, env: cleanEnv, maxBuffer: 16 << 20 })).stdout,
    ) as [{ filename: string }];
    const r = await run("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", join(work, packed.filename)], {
      cwd: work,
      env: cleanEnv,
      maxBuffer: 16 << 20,
    }).catch((e: { stdout: string; stderr: string }) => {
      throw new Error(`npm install -g failed:\n${e.stderr}\n${e.stdout}`);
    });
    installLog = r.stdout + r.stderr;
  }, 900_000);

  afterAll(async () => {
    // graphile-migrate keeps its pool 200 ms after the last use in the commands it ran; they have exited.
    const admin = postgres(inject("serverUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
    rmSync(work, { recursive: true, force: true });
  });

  it("installs the command with its native parts: better-sqlite3 built or fetched, sharp's prebuilt libvips, onnxruntime's own binaries", () => {
    const modules = join(prefix, "lib", "node_modules", "pgrecall", "node_modules");
    expect(existsSync(join(prefix, "bin", "pgrecall"))).toBe(true);
    expect(existsSync(join(modules, "better-sqlite3", "build", "Release", "better_sqlite3.node")), installLog).toBe(true);
    expect(existsSync(join(modules, "onnxruntime-node", "bin", "napi-v3", process.platform, process.arch, "onnxruntime_binding.node"))).toBe(true);
    // One sharp, the project's (0.34, prebuilt from the registry): nothing asks for one with a download script.
    const sharps = execFileSync("find", [modules, "-path", "*/node_modules/sharp/package.json"], { encoding: "utf8" }).trim().split("\n");
    expect(sharps.map((f) => (JSON.parse(readFileSync(f, "utf8")) as { version: string }).version.split(".").slice(0, 2).join("."))).toEqual(["0.34"]);
  });

  it("runs --help, migrates a database it creates, and reports it healthy", async () => {
    const help = await pgrecall(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["migrate", "status", "worker", "import", "model", "serve"]) expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    const m = await pgrecall(["migrate"]);
    expect(m.stderr + m.stdout).toContain("database created and migrated");
    expect(m.code).toBe(0);
    const s = await pgrecall(["status"]);
    expect(s.stdout).toContain("pgrecall: healthy");
    expect(s.code).toBe(0);
  });

  it("installs the embedding model from a hub and embeds a frame with it", async () => {
    const source = tinyModelConfig();
    const hub: Server = createServer((req, res) => {
      const m = /^\/(.+)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(req.url ?? ""));
      const file = m && !m[2]!.includes("..") ? join(source.modelsDir, ...m[1]!.split("/"), m[2]!) : null;
      if (!file || !existsSync(file)) return res.writeHead(404).end("Entry not found");
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(readFileSync(file));
    });
    await new Promise<void>((ok) => hub.listen(0, "127.0.0.1", ok));
    try {
      const models = { PGRECALL_MODELS_DIR: join(work, "models"), PGRECALL_EMBED_MODEL: TINY_MODEL };
      const i = await pgrecall(["model", "install", "--host", `http://127.0.0.1:${(hub.address() as AddressInfo).port}`], models);
      expect(i.stderr).toBe("");
      expect(i.stdout).toMatch(/ok: +loads and embeds \(.* → 384 dimensions\)/);
      expect(i.code).toBe(0);

      const sql = postgres(dbUrl(), { max: 1, onnotice: () => {} });
      try {
        const [f] = await sql`insert into pgrecall.frames (deployment_id, phash, window_title) values ('global', 4242, 'Invoices') returning id`;
        await sql`select pgrecall.frame_ocr_done(${f!.id}, 'const total = sum(lines)')`;
        const w = await pgrecall(["worker", "--once", "--only", "embed"], models);
        expect(w.code).toBe(0);
        const [row] = await sql`select embedding_status, embedding_model, vector_dims(embedding) as dims from pgrecall.frames where id = ${f!.id}`;
        expect(row).toEqual({ embedding_status: 1, embedding_model: TINY_MODEL, dims: 384 });
      } finally {
        await sql.end();
      }
    } finally {
      await new Promise<void>((ok) => hub.close(() => ok()));
    }
  });

  it("imports a Screenpipe history (better-sqlite3 reading its WAL, ffmpeg extracting the frames)", async () => {
    const fx = await buildScreenpipe({
      version: "2025",
      dir: join(work, "screenpipe"),
      chunks: [{ screens: await distinctScreens(2, "global") }],
      frames: [
        { at: 0, chunk: 0, offset: 0, app: "Code", window: "invoice.js", text: "export async function loadInvoice" },
        { at: 2, chunk: 0, offset: 1, app: "Firefox", window: "Docs", text: "PostgreSQL documentation" },
      ],
      walFrom: 1,
    });
    try {
      const r = await pgrecall(["import", "screenpipe", fx.dir, "--deployment", "global-import"]);
      expect(r.stdout).toMatch(/2 frames imported/);
      expect(r.code).toBe(0);
    } finally {
      fx.close();
    }
    const sql = postgres(dbUrl(), { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`select window_title, ocr_text, image_ref is not null as has_image from pgrecall.frames where deployment_id = 'global-import' order by captured_at`;
      expect(rows).toEqual([
        { window_title: "invoice.js", ocr_text: "export async function loadInvoice", has_image: true },
        { window_title: "Docs", ocr_text: "PostgreSQL documentation", has_image: true },
      ]);
    } finally {
      await sql.end();
    }
  });
});
