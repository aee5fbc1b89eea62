/**
 * Derives an UpsertSpec from a drizzle table, so resource code passes its mapper's rows (drizzle
 * property names such as `incidentNumber`) without restating SQL names and types.
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { PgTable } from 'drizzle-orm/pg-core';
import { SyncError } from '../errors.js';
import type { ColumnType, MergeRule, UpsertColumn, UpsertSpec } from './upsert.js';

/** drizzle's pg-core column classes → the upsert's value types. */
const COLUMN_TYPES: Record<string, ColumnType> = {
  PgText: 'text',
  PgVarchar: 'text',
  PgInteger: 'int',
  PgSmallInt: 'int',
  PgBigInt53: 'bigint',
  PgBigInt64: 'bigint',
  PgTimestamp: 'timestamptz',
  PgTimestampString: 'timestamptz',
  PgJsonb: 'jsonb',
  PgBoolean: 'bool',
};

export interface UpsertSpecOptions {
  /** SQL names of the conflict columns; default: the table's primary key columns. */
  key?: readonly string[];
  /** SQL names of the columns whose change counts; default: all non-key but `synced_at`. */
  compare?: readonly string[];
  /** Per SQL column name, how stored and incoming values combine (UpsertSpec.merge). */
  merge?: Readonly<Record<string, MergeRule>>;
  batchSize?: number;
}

/** The column that holds the hash of a row as last upserted (incidents, log_entries). */
export const ROW_HASH_COLUMN = 'row_hash';

/** Every column except generated identities, with rows read by drizzle property name. */
export function upsertSpecFor(table: PgTable, options: UpsertSpecOptions = {}): UpsertSpec {
  const tableName = getTableName(table);
  const columns: UpsertColumn[] = [];
  const primary: string[] = [];
  for (const [field, column] of Object.entries(getTableColumns(table))) {
    if (column.generatedIdentity) continue;
    const type = COLUMN_TYPES[column.columnType];
    if (!type) {
      throw new SyncError(
        `upsert into ${tableName}: column ${column.name} has unsupported ${column.columnType}`,
      );
    }
    columns.push({ name: column.name, type, field });
    if (column.primary) primary.push(column.name);
  }
  // A composite primary key is declared beside the columns (`primaryKey({ columns })`).
  const composite = getTableConfig(table).primaryKeys[0]?.columns.map((column) => column.name) ?? [];
  const key = options.key ?? (primary.length > 0 ? primary : composite);
  if (key.length === 0) throw new SyncError(`upsert into ${tableName}: no primary key; pass options.key`);
  // A table with a row_hash column gets the skip-unchanged path (db/upsert.ts), keyed on one column.
  const hashed = key.length === 1 && columns.some((c) => c.name === ROW_HASH_COLUMN);
  return {
    table: tableName,
    columns,
    key,
    ...(hashed ? { hashColumn: ROW_HASH_COLUMN } : {}),
    ...(options.compare ? { compare: options.compare } : {}),
    ...(options.merge ? { merge: options.merge } : {}),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  };
}
