/**
 * Encodes JS values into the cells of the JSON batch that db/upsert.ts inserts. Types are
 * checked here so a mapper bug fails with the table, column and value kind instead of a cryptic
 * cast error from the server for the whole batch.
 */
import { SyncError } from '../errors.js';

export type ColumnType = 'text' | 'int' | 'bigint' | 'timestamptz' | 'jsonb' | 'bool';

/** The SQL type each column's cells are read as from the batch's JSON (db/upsert.ts). */
export const SQL_TYPE: Record<ColumnType, string> = {
  text: 'text',
  int: 'int4',
  bigint: 'int8',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
  bool: 'bool',
};

/** The array element for one cell: string, number, boolean or null. */
export type Encoded = string | number | boolean | null;

const NUL = '\u0000';

/** Postgres text and jsonb cannot hold U+0000; one such character must not fail a whole batch. */
function withoutNul(text: string): string {
  return text.includes(NUL) ? text.replaceAll(NUL, '') : text;
}

/**
 * A jsonb cell already serialised (NUL-free). The sync turns each record's raw payload into one as soon as
 * it is mapped: a string of the JSON is a third of the memory of the object tree it replaces, so a window
 * of thousands of records waiting for its commit stays small.
 */
export class JsonText {
  readonly text: string;
  constructor(value: unknown) {
    this.text = toJson(value);
  }
}

function toJson(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify writes U+0000 as the escape \u0000, which jsonb rejects; re-encode without it.
  if (!json.includes('\\u0000')) return json;
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'string' ? withoutNul(inner) : inner,
  );
}

/** ISO 8601 in UTC: strings are normalised too, so equal instants compare (and dedupe) equal. */
function toTimestamp(value: unknown): string | undefined {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function encodeKnown(type: ColumnType, value: unknown): Encoded | undefined {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? withoutNul(value) : undefined;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
    case 'bigint':
      if (typeof value === 'bigint') return value.toString();
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
    case 'timestamptz':
      return toTimestamp(value);
    case 'jsonb':
      return value instanceof JsonText ? value.text : toJson(value);
    case 'bool':
      return typeof value === 'boolean' ? value : undefined;
  }
}

/** One cell of `row` for `column`; `undefined` and `null` become SQL NULL. */
export function encodeValue(
  column: { name: string; type: ColumnType; field?: string },
  row: Record<string, unknown>,
  table: string,
): Encoded {
  const value = row[column.field ?? column.name];
  if (value === undefined || value === null) return null;
  const encoded = encodeKnown(column.type, value);
  if (encoded === undefined) {
    const kind = value instanceof Date ? 'invalid Date' : typeof value;
    throw new SyncError(`upsert into ${table}: column ${column.name} (${column.type}) got a ${kind}`, {
      table,
      column: column.name,
    });
  }
  return encoded;
}
