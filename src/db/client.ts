/**
 * One handle over either database the warehouse runs on: a Postgres server through a `pg` Pool
 * (DATABASE_URL set) or an embedded, file-backed PGlite (unset). Tables are unqualified; every
 * connection puts the account's schema alone on its `search_path`, so the same drizzle tables and
 * migrations serve any DATABASE_SCHEMA, and nothing can fall through to `public`.
 *
 * Driver differences are normalised here for raw `query()` results: int8 and numeric come back as
 * numbers on both (pg returns them as strings, research P8); timestamptz as Date; jsonb as objects.
 */
import { resolve } from 'node:path';
import { SyncError } from '../errors.js';
import { IN_MEMORY, openEmbedded } from './embedded.js';
import { assertSchemaName } from './identifiers.js';
import { openServer } from './postgres.js';
import type { Database, OpenDatabaseOptions } from './types.js';

export { embeddedDatabaseExists, IN_MEMORY } from './embedded.js';
export type {
  Database,
  DrizzleDb,
  EmbeddedDatabase,
  OpenDatabaseOptions,
  Queryable,
  ServerDatabase,
  TxHandle,
} from './types.js';

/** Opens the database (and checks it answers); every failure is a one-line SyncError. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = assertSchemaName(options.schema);
  if (options.url) return openServer(options.url, schema, options.onIdleError);
  if (!options.dataDir)
    throw new SyncError('no DATABASE_URL and no data directory for the embedded database');
  return openEmbedded(options.dataDir === IN_MEMORY ? IN_MEMORY : resolve(options.dataDir), schema);
}
