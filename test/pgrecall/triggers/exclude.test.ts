// _150_exclude: a frame that matches an exclusion rule keeps nothing of what was on screen.
import { describe, expect, it } from "vitest";
import { jobsOf, randomPhash, useTestDatabase } from "../../helpers/db.js";
import { pipeline } from "../../../src/status.js";

const db = useTestDatabase();

const insert = async (app: string | null, title: string | null, deployment = "ex") => {
  const [r] = await db.sql`insert into pgrecall.frames (deployment_id, app_name, window_title, image_ref, phash)
                           values (${deployment}, ${app}, ${title}, '/shots/x.png', ${randomPhash()})
                           returning id, app_name, window_title, image_ref, phash, excluded_by,
                                     hash_status, ocr_status, vision_status, embedding_status, ocr_message`;
  return r!;
};

describe("exclusion rules", () => {
  it("by default keep nothing of private browsing windows and password managers, and say why", async () => {
    for (const [app, title] of [
      ["Google Chrome", "New Tab - Google Chrome (Incognito)"],
      ["firefox", "Mozilla Firefox Private Browsing"],
      ["Microsoft Edge", "InPrivate - Microsoft Edge"],
      ["1Password", "1Password – Personal vault"],
      ["KeePassXC", "Passwords.kdbx - KeePassXC"],
      ["Bitwarden", "My Vault | Bitwarden"],
      // Wayland and Flatpak app ids
      ["org.keepassxc.KeePassXC", "Passwords.kdbx - KeePassXC"],
      ["org.gnome.seahorse.Application", "Passwords and Keys"],
      ["com.bitwarden.desktop", "Bitwarden"],
    ]) {
      const f = await insert(app!, title!);
      expect(f).toMatchObject({ app_name: app, window_title: null, image_ref: null, phash: null,
                                hash_status: 3, ocr_status: 3, vision_status: 3, embedding_status: 3 });
      expect(f.excluded_by).toMatch(/^(private browsing window|password manager) \(exclusion \d+\)$/);
      expect(f.ocr_message).toBe(`excluded: ${f.excluded_by}`);
      expect(await jobsOf(db.sql, f.id)).toEqual([]);
    }
  });

  it("leave ordinary screens alone (a page about passwords is not a password manager)", async () => {
    for (const [app, title] of [["Code", "passwords.ts — auth"], ["Firefox", "How private browsing works - MDN"], ["Terminal", "keepass-notes"], ["org.gnome.TextEditor", "keeper.txt"]]) {
      const f = await insert(app!, title!);
      if (title === "How private browsing works - MDN") {
        // Titles that name private browsing are taken for it: the rule errs on the side of not keeping.
        expect(f.excluded_by).toMatch(/private browsing/);
        continue;
      }
      expect(f.excluded_by).toBeNull();
      expect(await jobsOf(db.sql, f.id)).toEqual(["ocr"]);
    }
  });

  it("a user rule applies to its deployment only, matches without regard to case, and is counted in the pipeline", async () => {
    await db.sql`insert into pgrecall.exclusions (deployment_id, app_regex, title_regex, reason)
                 values ('work', '^slack$', 'hr-private', 'HR channel')`;
    expect((await insert("Slack", "#HR-Private | Acme", "work")).excluded_by).toMatch(/^HR channel \(exclusion \d+\)$/);
    expect((await insert("Slack", "#hr-private | Acme", "home")).excluded_by).toBeNull();
    const by = Object.fromEntries((await pipeline(db.sql)).map((r) => [r.stage, r]));
    expect(by.ocr!.excluded).toBeGreaterThanOrEqual(7);
  });

  it("refuses a rule whose regex does not compile, or that matches nothing in particular, with the reason", async () => {
    await expect(db.sql`insert into pgrecall.exclusions (app_regex, reason) values ('(unclosed', 'x')`).rejects.toThrow(
      /app_regex is not a valid regular expression: .*parentheses/,
    );
    await expect(db.sql`insert into pgrecall.exclusions (reason) values ('x')`).rejects.toThrow(/exclusions_something_check/);
    await expect(db.sql`insert into pgrecall.exclusions (title_regex, reason) values (${"a".repeat(501)}, 'x')`).rejects.toThrow(/exclusions_title_regex_check/);
  });

  it("an excluded frame cannot be requeued into keeping something", async () => {
    const f = await insert("1Password", "vault");
    expect(await db.sql`select pgrecall.requeue_skipped('ocr') as n`).toEqual([{ n: 0 }]);
    await expect(db.sql`select pgrecall.requeue(${f.id}, 'ocr')`).rejects.toThrow(/cannot requeue ocr/);
  });
});
