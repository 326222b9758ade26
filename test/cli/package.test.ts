// What `npm pack` puts in the tarball that `npm install -g` installs: the built CLI, the SQL
// API, the committed migrations, the page, and nothing the installed command could not run
// without (no dev dependency imported at run time, nothing imported from outside the tarball).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

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
    for (const f of files) {
      if (!f.endsWith(".js")) continue;
      const code = readFileSync(join(root, f), "utf8");
      for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)[^;'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)) {
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
