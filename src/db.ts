// Database access: one postgres.js client per process.
import postgres from "postgres";

export type Sql = postgres.Sql<{ bigint: bigint }>;

export function connect(url: string, options: Omit<postgres.Options<{}>, "types"> = {}): Sql {
  return postgres(url, {
    max: 4,
    onnotice: () => {},
    // bigint phashes must survive the round trip exactly: int8 as BigInt, not a lossy number.
    types: { bigint: postgres.BigInt },
    connection: { application_name: "pgrecall" },
    ...options,
  });
}

/** Creates the database named in `url` if it does not exist (connecting to its server's `postgres` db). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (row) return false;
    await sql.unsafe(`create database ${quoteIdent(name)}`);
    return true;
  } finally {
    await sql.end();
  }
}

export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A bigint[] parameter as Postgres array text (postgres.js does not serialise BigInt arrays): cast it with ::bigint[]. */
export function int8ArrayLiteral(values: readonly bigint[] | null | undefined): string | null {
  return values ? "{" + values.join(",") + "}" : null;
}

/**
 * Text from the outside world (window titles, app names) as PostgreSQL can receive it: without
 * NUL, which no text value may hold (22021). Other control characters are SQL's to replace.
 */
export function clientText(value: string | null | undefined): string | null {
  return value == null ? null : value.replace(/\0/g, "");
}

/** Runs `fn` with a connection pool that is closed afterwards, however `fn` ends. */
export async function withSql<T>(url: string, fn: (sql: Sql) => Promise<T>, options: Parameters<typeof connect>[1] = {}): Promise<T> {
  const sql = connect(url, options);
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
