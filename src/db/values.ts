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

/**
 * A jsonb cell's JSON as UTF-8 bytes (a record as the API sent it: pagerduty/rawItems.ts). Hashed, sent and
 * compared exactly like the same text as a string; `toString()` gives that string.
 */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}

  toString(): string {
    return this.bytes.toString('utf8');
  }
}

/** One cell: string, number, boolean or null; a jsonb cell may also come as its bytes. */
export type Encoded = string | number | boolean | null | JsonBytes;

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
  readonly text: string | JsonBytes;
  /** `bytes`: the same value's JSON as it was received (valid UTF-8, no `\u0000`), used as is. */
  constructor(value: unknown, bytes?: Buffer) {
    this.text = bytes ? new JsonBytes(bytes) : toJson(value);
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

/**
 * A Date parsed from API text that remembers the text: written back as a timestamp without formatting
 * the Date again (a backfill writes millions; toISOString is the slow part).
 */
export class Instant extends Date {
  private readonly parsedMs: number;
  constructor(readonly text: string) {
    super(text);
    this.parsedMs = this.getTime();
  }

  /** The instant as `toISOString()` gives it, from the text when that is a plain UTC timestamp. */
  iso(): string | undefined {
    if (this.getTime() !== this.parsedMs) return undefined; // changed since it was parsed
    return plainUtc(this.text);
  }
}

/** ISO 8601 in UTC: strings are normalised too, so equal instants compare (and dedupe) equal. */
function toTimestamp(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const plain = plainUtc(value);
    if (plain !== undefined) return plain;
  } else if (value instanceof Instant) {
    const plain = value.iso();
    if (plain !== undefined) return plain;
  } else if (value instanceof Date && value === lastDate.date && value.getTime() === lastDate.time) {
    return lastDate.iso; // a batch's rows share one synced_at Date
  }
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  const time = date?.getTime();
  if (!date || time === undefined || Number.isNaN(time)) return undefined;
  const iso = date.toISOString();
  if (date === value) lastDate = { date, time, iso };
  return iso;
}

let lastDate: { date: Date | null; time: number; iso: string } = { date: null, time: NaN, iso: '' };

/** How PagerDuty writes UTC instants: `2015-10-06T21:30:42Z`. */
const PLAIN_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `toISOString()` of a plain UTC timestamp whose every field is in range, without a Date (a backfill
 * normalises millions); undefined for anything else, which takes the Date path (an offset, fractions,
 * February 30th, which Date rolls over to March 1st, and every invalid string).
 */
function plainUtc(s: string): string | undefined {
  if (s.length !== 20 || !PLAIN_UTC.test(s)) return undefined;
  const two = (i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
  const year = two(0) * 100 + two(2);
  const month = two(5);
  const day = two(8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = (DAYS_IN_MONTH[month - 1] ?? 0) + (leap && month === 2 ? 1 : 0);
  if (day < 1 || day > days || two(11) > 23 || two(14) > 59 || two(17) > 59) return undefined;
  return `${s.slice(0, 19)}.000Z`;
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
