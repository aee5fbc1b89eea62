import { parseConfigForDatabase } from './dbConfig.js';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import type { CliIo } from './io.js';

/** `pd-warehouse migrate`: creates the schema and applies pending migrations; idempotent. */
export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(
      'usage: pd-warehouse migrate\n\nCreates DATABASE_SCHEMA in the database and applies pending migrations.',
    );
    return 0;
  }
  const { database } = parseConfigForDatabase(io.env);
  const db = await openDatabase({ url: database.url, dataDir: database.dataDir, schema: database.schema });
  try {
    await migrateDatabase(db);
    io.out(
      `schema ${database.schema} is up to date (${database.url ? 'Postgres' : `embedded database in ${database.dataDir}`})`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
