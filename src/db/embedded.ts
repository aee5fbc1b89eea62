/**
 * The embedded, file-backed PGlite: one in-process connection whose session-level search_path is
 * the schema; a lock file keeps a second process (or open) off the same directory.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { SyncError } from '../errors.js';
import { lockDataDir } from './dataDirLock.js';
import { quoteIdentifier } from './identifiers.js';
import { tables } from './tables.js';
import type { DrizzleDb, EmbeddedDatabase } from './types.js';

/** PGlite's own name for a throw-away in-memory database (tests, experiments): no directory, no lock. */
export const IN_MEMORY = 'memory://';

/** True once `dataDir` holds an embedded database (PGlite wrote its PG_VERSION there on the first open). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return dataDir === IN_MEMORY || existsSync(join(dataDir, 'PG_VERSION'));
}

const defaultJsonb = pgliteTypes.serializers[pgliteTypes.JSONB];

/**
 * A jsonb parameter already in binary form (db/upsert.ts `jsonbParam`) is passed through, so PGlite sends
 * it as a binary parameter; any other value is serialised as PGlite would.
 */
function jsonbSerializer(value: unknown): string {
  if (ArrayBuffer.isView(value)) return value as unknown as string; // PGlite sends typed arrays as binary
  return defaultJsonb ? defaultJsonb(value) : JSON.stringify(value);
}

export async function openEmbedded(dataDir: string, schema: string): Promise<EmbeddedDatabase> {
  const inMemory = dataDir === IN_MEMORY;
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true }).catch((error: unknown) => {
      throw embeddedError(dataDir, error);
    });
  }
  const unlock = inMemory ? () => Promise.resolve() : await lockDataDir(dataDir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create(dataDir, {
      parsers: { [pgliteTypes.INT8]: Number, [pgliteTypes.NUMERIC]: Number },
      serializers: { [pgliteTypes.JSONB]: jsonbSerializer },
    });
    // One connection: a session-level SET covers every later query and transaction.
    await pglite.exec(`SET search_path TO ${quoteIdentifier(schema)}`);
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    await unlock();
    throw embeddedError(dataDir, error);
  }
  const instance = pglite;
  let closed = false;
  return {
    kind: 'pglite',
    schema,
    pglite: instance,
    dataDir,
    db: drizzlePglite(instance, { schema: tables }),
    query: (sql, params) => runPglite(instance, sql, params),
    transaction: (fn) =>
      instance.transaction((tx) =>
        fn({
          query: (sql, params) => runPglite(tx, sql, params),
          db: drizzleOverTransaction(tx),
          copyFrom: (sql: string, data: Buffer) => copyFromBlob(tx, sql, data),
        }),
      ),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await instance.close();
      } finally {
        await unlock();
      }
    },
  };
}

/**
 * `COPY … FROM STDIN` in-process: PGlite reads a COPY's input from the virtual file `/dev/blob`, which a
 * query's `blob` option fills. Staging upserts this way (db/upsert.ts) costs PGlite about 7% less CPU than
 * the JSON parameter, and it runs on this process's one thread.
 */
async function copyFromBlob(tx: Transaction, sql: string, data: Buffer): Promise<void> {
  const fromBlob = sql.replace(/\bFROM STDIN\b/, "FROM '/dev/blob'");
  if (fromBlob === sql) throw new SyncError(`copyFrom takes COPY … FROM STDIN, not: ${sql.slice(0, 80)}`);
  await tx.query(fromBlob, [], { blob: new Blob([data]) });
}

async function runPglite<T>(client: PGlite | Transaction, sql: string, params?: unknown[]): Promise<T[]> {
  return (await client.query<T>(sql, params)).rows;
}

function embeddedError(dataDir: string, error: unknown): SyncError {
  const why = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return new SyncError(
    `cannot open the embedded database at ${dataDir} (${why}): check PD_WAREHOUSE_DATA_DIR`,
    { dataDir },
    { cause: error },
  );
}

/**
 * Drizzle over a PGlite transaction. Queries on the PGlite instance itself would wait for the
 * transaction to end (its mutex), so they must go through `tx`. drizzle's own PGlite session takes a
 * Transaction (it does exactly this in `db.transaction()`); only its public factory is typed narrower.
 */
function drizzleOverTransaction(tx: Transaction): DrizzleDb {
  return drizzlePglite({ client: tx as unknown as PGlite, schema: tables });
}
