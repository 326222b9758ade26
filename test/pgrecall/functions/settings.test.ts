// pgrecall.settings_for: a deployment's row overrides only what it sets; the '*' row stays.
import { describe, expect, it } from "vitest";
import { randomPhash, useTestDatabase } from "../../helpers/db.js";

const db = useTestDatabase();

const settingsOf = async (deployment: string) => {
  const [r] = await db.sql`select deployment_id, phash_threshold, recent_window::text, history_threshold, job_max_attempts
                           from pgrecall.settings_for(${deployment})`;
  return r;
};

describe("pgrecall.settings_for", () => {
  it("gives a deployment without a row of its own the '*' row's values, under its own name", async () => {
    expect(await settingsOf("nobody")).toEqual({
      deployment_id: "nobody", phash_threshold: 5, recent_window: "00:15:00", history_threshold: 3, job_max_attempts: 5,
    });
  });

  it("inherits what a deployment's row leaves null: the README's example", async () => {
    await db.sql`update pgrecall.settings set recent_window = '30 minutes' where deployment_id = '*'`;
    await db.sql`insert into pgrecall.settings (deployment_id, phash_threshold) values ('laptop', 8)`;
    expect(await settingsOf("laptop")).toMatchObject({ phash_threshold: 8, recent_window: "00:30:00", history_threshold: 3 });
    // A later change of '*' reaches every column the deployment did not set.
    await db.sql`update pgrecall.settings set job_max_attempts = 9 where deployment_id = '*'`;
    expect(await settingsOf("laptop")).toMatchObject({ phash_threshold: 8, job_max_attempts: 9 });
  });

  it("queues jobs with the inherited max_attempts", async () => {
    await db.sql`insert into pgrecall.settings (deployment_id, recent_window) values ('jobs', '1 minute') on conflict do nothing`;
    await db.sql`update pgrecall.settings set job_max_attempts = 7 where deployment_id = '*'`;
    const [f] = await db.sql`insert into pgrecall.frames (deployment_id, phash) values ('jobs', ${randomPhash()}) returning id`;
    const jobs = await db.sql`select max_attempts from graphile_worker.jobs where key = ${"pgrecall:ocr:" + f!.id}`;
    expect(jobs).toEqual([{ max_attempts: 7 }]);
  });

  it("refuses to delete, rename or truncate away the '*' row, and to leave one of its values empty", async () => {
    await expect(db.sql`delete from pgrecall.settings where deployment_id = '*'`).rejects.toThrow(/holds the defaults of every deployment/);
    await expect(db.sql`update pgrecall.settings set deployment_id = 'x' where deployment_id = '*'`).rejects.toThrow(/cannot be removed/);
    await expect(db.sql`truncate pgrecall.settings`).rejects.toThrow(/cannot be removed/);
    await expect(db.sql`update pgrecall.settings set phash_threshold = null where deployment_id = '*'`).rejects.toThrow(/settings_default_row_complete/);
    // A deployment's own row can go: it inherits everything again.
    await db.sql`insert into pgrecall.settings (deployment_id, phash_threshold) values ('gone', 9)`;
    await db.sql`delete from pgrecall.settings where deployment_id = 'gone'`;
    expect((await settingsOf("gone"))!.phash_threshold).toBe(5);
  });
});
