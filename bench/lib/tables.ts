/** The warehouse tables a sync fills and how many rows they hold, on Postgres or PGlite alike. */
import { openDatabase, type Queryable } from '../../src/db/client.js';
import { quoteIdentifier as q } from '../../src/db/identifiers.js';

/** Bookkeeping, not data: the run log, cursors, windows, rejects and drizzle's migration journal. */
const BOOKKEEPING = /^(sync_|__drizzle)/;

/** Base tables of `schema` that hold synced data. */
export async function dataTables(db: Queryable, schema: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema],
  );
  return rows.map((r) => r.name).filter((name) => !BOOKKEEPING.test(name));
}

/** Exact row counts of the data tables that hold any rows. */
export async function countRows(db: Queryable, schema: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await dataTables(db, schema)) {
    const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${q(schema)}.${q(table)}`);
    const n = Number(r[0]?.n ?? 0);
    if (n > 0) out[table] = n;
  }
  return out;
}

export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Counts the rows of a database the bench does not hold open (e.g. a child's PGlite directory). */
export async function countRowsIn(where: { url?: string; dataDir?: string; schema: string }) {
  const db = await openDatabase(where);
  try {
    return await countRows(db, where.schema);
  } finally {
    await db.close();
  }
}
