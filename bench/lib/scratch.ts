/** Throw-away Postgres schemas and temp directories that are removed whatever happens. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { quoteIdentifier } from '../../src/db/identifiers.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/client.js';

/** Runs `fn` with a fresh schema name (not yet created); drops the schema afterwards, also on failure. */
export async function withSchema<T>(
  url: string,
  label: string,
  fn: (schema: string) => Promise<T>,
): Promise<T> {
  const schema = `bench_${label}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
  try {
    return await fn(schema);
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    } finally {
      await client.end();
    }
  }
}

/** Runs `fn` with a fresh temp directory; removes it afterwards, also on failure. */
export async function withTempDir<T>(label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `pdw-bench-${label}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates and migrates `schema` with the project's own migrations (what a sync does first). */
export async function migrateSchema(url: string, schema: string): Promise<void> {
  const db = await openDatabase({ url, schema });
  try {
    await migrateDatabase(db);
  } finally {
    await db.close();
  }
}
