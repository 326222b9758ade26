// `pgrecall secrets` as a user runs it: check a value from stdin, list counts, manage rules.
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fingerprintSecret } from "../../src/engines/secrets.js";
import { loadSecretKey } from "../../src/secret-key.js";
import { randomPhash, useTestDatabase } from "../helpers/db.js";

const db = useTestDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "pgrecall-secrets-cli-"));
const cli = (args: string[], input = "") =>
  new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
    const child = execFile("node", ["bin/pgrecall.js", "secrets", ...args], { env: { ...process.env, DATABASE_URL: db.url, PGRECALL_DATA_DIR: dataDir } },
      (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }));
    child.stdin!.end(input);
  });

describe("pgrecall secrets", () => {
  it("check says whether a value read on stdin was on a screen, by its fingerprint, and never prints it", async () => {
    const key = loadSecretKey(dataDir, undefined, { create: true });
    const value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash, app_name) values ('desk', ${randomPhash()}, 'Terminal') returning id`;
    await db.sql`select pgrecall.frame_ocr_done(${f!.id}, ${"key = " + "█".repeat(40)}, null, null,
      ${db.sql.json([{ rule: "aws-secret-access-key", kind: "AWS secret access key", category: "secret", start: 6, end: 46, boxes: [], fingerprint: fingerprintSecret(value, key), preview: "wJal…(40)" }] as never)},
      'blob:sha256:' || repeat('a', 64))`;
    const seen = await cli(["check"], value + "\n");
    expect(seen.code).toBe(3);
    expect(seen.stdout).toMatch(/seen on 1 screen\(s\)/);
    expect(seen.stdout).toContain("AWS secret access key wJal…(40)");
    expect(seen.stdout).not.toContain(value);
    const unseen = await cli(["check"], "not-a-key-I-ever-showed");
    expect(unseen).toMatchObject({ code: 0, stdout: expect.stringMatching(/^not seen/) });
    const list = await cli(["list"]);
    expect(list.stdout + list.stderr).toMatch(/desk {2}AWS secret access key: 1 finding\(s\), 1 distinct/);
  });

  it("rule add refuses what the detector cannot run safely, with the reason, and saves the rest", async () => {
    const bad = await cli(["rule", "add", JSON.stringify({ name: "mine", kind: "x", category: "secret", pattern: "(a+)+\\1", enabled: true })]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rule refused: /);
    const ok = await cli(["rule", "add", JSON.stringify({ name: "acme-token", kind: "Acme token", category: "secret", pattern: "acme_[A-Za-z0-9]{32}", enabled: true })]);
    expect(ok.stdout).toMatch(/rule acme-token saved/);
    expect((await cli(["rule", "add", JSON.stringify({ name: "email", enabled: true })])).code).toBe(0);
    expect((await cli(["rule", "list"])).stdout).toMatch(/acme-token[\s\S]*email/);
    expect((await cli(["rule", "remove", "email"])).stdout).toMatch(/removed/);
  });
});
