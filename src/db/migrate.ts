/**
 * Applies migrations/ to the account's schema: creates the schema, then runs drizzle's migrator with
 * its journal (`__drizzle_migrations`) in that same schema, so accounts never share bookkeeping.
 * Idempotent: a second call applies nothing.
 */
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { SyncError } from '../errors.js';
import type { Database, EmbeddedDatabase, ServerDatabase } from './types.js';
import { quoteIdentifier } from './identifiers.js';

/**
 * Resolved from this module, not the cwd (research P10): src/db/ and dist/db/ both sit two levels
 * below the package root, which ships migrations/.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/** `UNIQUE NULLS NOT DISTINCT` (oncalls' natural key) needs PostgreSQL 15. */
const MIN_SERVER_VERSION = 150000;

/** Creates the schema and applies every pending migration in one transaction. */
export async function migrateDatabase(database: Database): Promise<void> {
  try {
    if (database.kind === 'pg') await migrateServer(database);
    else await migrateEmbedded(database);
  } catch (error) {
    if (error instanceof SyncError) throw error;
    throw new SyncError(
      `migrating schema "${database.schema}" failed: ${describe(error)}`,
      {},
      { cause: error },
    );
  }
}

/** drizzle wraps the driver's error ("Failed query: …"); the driver's own message is the useful part. */
function describe(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return (inner instanceof Error ? inner.message : String(inner)).split('\n')[0] ?? '';
}

async function migrateServer(database: ServerDatabase): Promise<void> {
  const client = await database.pool.connect();
  const lockKey = `pd-warehouse-migrate:${database.schema}`;
  try {
    const version = await client.query<{ v: number }>(
      "SELECT current_setting('server_version_num')::int AS v",
    );
    const found = version.rows[0]?.v ?? 0;
    if (found < MIN_SERVER_VERSION) {
      throw new SyncError(
        `PostgreSQL 15 or newer is required (the server is ${Math.floor(found / 10000)}): upgrade it or leave DATABASE_URL unset for the embedded database`,
      );
    }
    // Two processes migrating at once would both see an empty journal; the second waits here instead.
    // A key apart from the sync lock's, so a process holding that one can still migrate.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database.schema)}`);
      await migratePg(drizzlePg(client), {
        migrationsFolder: MIGRATIONS_FOLDER,
        migrationsSchema: database.schema,
      });
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    client.release();
  }
}

async function migrateEmbedded(database: EmbeddedDatabase): Promise<void> {
  // One in-process connection: nothing can migrate concurrently, so no lock is needed.
  await database.pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database.schema)}`);
  await migratePglite(drizzlePglite(database.pglite), {
    migrationsFolder: MIGRATIONS_FOLDER,
    migrationsSchema: database.schema,
  });
}
