/**
 * Batched upsert that writes nothing for unchanged rows:
 *
 *   INSERT INTO "t" AS t ("a", "b", …)
 *   SELECT u."a", u."b", … FROM jsonb_to_recordset($1::jsonb) AS u("a" text, "b" jsonb, …)
 *   ON CONFLICT ("a") DO UPDATE SET "b" = excluded."b", …
 *   WHERE (t."b", …) IS DISTINCT FROM (excluded."b", …)
 *   RETURNING (t.xmax = 0) AS inserted, t."a"::text AS key
 *
 * (or, for a caller that needs no keys, the same INSERT in a CTE answering with two counts).
 * The whole batch is ONE parameter, a JSON array of row objects keyed by column name, so the 65,535-
 * parameter limit never applies (research P6), and a re-sync of unchanged data neither rewrites tuples
 * nor bumps `synced_at`. jsonb cells (the raw payloads, most of the bytes) are embedded as JSON, not as
 * strings inside a text[] literal that both sides would escape and parse twice: about twice as fast as
 * one unnest array per column. jsonb is compared as jsonb (key order does not matter). Rows repeating a
 * key within one call are collapsed, last one wins (PagerDuty pagination can repeat items; research P5).
 *
 * Inside a transaction (whose handle offers `copyFrom`) the same statement reads its rows from a
 * temporary staging table filled by binary COPY instead (see `upsertStaged`): measured on 97,000 log
 * entries in 8,000-row transactions, 8% less Postgres CPU and 5% less of ours than the JSON parameter;
 * in PGlite 7% less CPU for a whole backfill. The pool's one-off statements keep the JSON parameter.
 *
 * `synced_at`, when among the columns, is set on insert and on a real change only; a row that leaves
 * it out gets now(). Build the spec of a drizzle table with `upsertSpecFor()` (db/upsertSpec.ts).
 */
import xxhash from 'xxhash-wasm';
import { SyncError } from '../errors.js';
import type { Queryable } from './types.js';
import { quoteIdentifier } from './identifiers.js';
import { encodeValue, JsonBytes, SQL_TYPE } from './values.js';
import type { ColumnType, Encoded } from './values.js';

export type { ColumnType } from './values.js';

/** xxHash64 in WebAssembly (xxhash-wasm), compiled once when this module loads: rowHash's function. */
const hasher = await xxhash();

export interface UpsertColumn {
  /** SQL column name. */
  name: string;
  type: ColumnType;
  /** Property holding the value in each row object; defaults to `name`. */
  field?: string;
}

export interface UpsertSpec {
  /** Table name, unqualified (the connection's search_path picks the schema). */
  table: string;
  columns: readonly UpsertColumn[];
  /** Columns of the primary key or unique constraint that the conflict is on. */
  key: readonly string[];
  /** Columns whose change counts as a change; default: every non-key column except `synced_at`. */
  compare?: readonly string[];
  /**
   * How to combine the stored and the incoming value of a column instead of overwriting it, e.g.
   * `{ acknowledged_at: 'least' }`: the first acknowledgement only moves earlier. The change check
   * compares the stored value with the combined one, so a row whose combination is unchanged is
   * still not written. Duplicate keys within one call are collapsed before (last wins).
   */
  merge?: Readonly<Record<string, MergeRule>>;
  /** Rows per statement; default 1000 (faster than larger batches, research §3). */
  batchSize?: number;
  /**
   * A nullable bigint column holding a hash of the row as last upserted (synced_at aside); single-column
   * keys only. Rows whose stored hash equals the incoming one are skipped after one light query, without
   * sending or comparing their payload; the column is neither compared nor counted as a change.
   */
  hashColumn?: string;
}

/**
 * `least` / `greatest`: of stored and incoming, ignoring NULLs (Postgres LEAST/GREATEST);
 * `coalesce`: the incoming value unless it is NULL, then the stored one;
 * `keep`: the stored value once there is one (the incoming value only fills a new row), for columns a
 * later step owns (the join keys resolved after a run).
 */
export type MergeRule = 'least' | 'greatest' | 'coalesce' | 'keep';

export interface UpsertResult {
  inserted: number;
  /** Existing rows whose compared columns changed (unchanged rows are not counted, nor written). */
  updated: number;
}

const DEFAULT_BATCH_SIZE = 1000;
const TOUCH_COLUMN = 'synced_at';

/** Upserts `rows` in batches; returns how many were inserted and how many really changed. */
export async function upsertRows(
  q: Queryable,
  spec: UpsertSpec,
  rows: readonly Record<string, unknown>[],
  /** Called with the first key column (as text) of each row inserted or really changed. */
  onWritten?: (key: string) => void,
): Promise<UpsertResult> {
  return runUpsert(q, prepareUpsert(q, spec, rows), onWritten);
}

/** An upsert's rows encoded and split into statements, ready to run: the CPU half of `upsertRows`. */
export interface PreparedUpsert {
  spec: UpsertSpec;
  /** Through COPY and a staging table (any transaction), or one JSON parameter (anything else). */
  copy: boolean;
  /** The statement returns each written row's key (else only the counts; onWritten is not called). */
  keys: boolean;
  sql: string;
  /**
   * `data`: the batch as the statement takes it (COPY input, or the JSON parameter), built ahead when no
   * hash check will filter the rows first.
   */
  batches: { rows: EncodedRow[]; data: Buffer | string | null }[];
}

/**
 * Encodes `rows` for `q` without touching the database, so a caller can prepare the next rows while the
 * previous statement runs. Run the result with `runUpsert` on the same `q`.
 */
export function prepareUpsert(
  q: Queryable,
  spec: UpsertSpec,
  rows: readonly Record<string, unknown>[],
  /**
   * `keys: false`: the caller needs no key of the rows written, only how many: the statement answers
   * with two counts instead of a row per row written.
   */
  opts: { keys?: boolean } = {},
): PreparedUpsert {
  const keys = opts.keys ?? true;
  const unique = dedupeByKey(encodeRows(spec, rows));
  const size = spec.batchSize ?? DEFAULT_BATCH_SIZE;
  const copy = q.copyFrom !== undefined;
  // Rows a hash check may still filter get their data once it has run.
  const checked = spec.hashColumn !== undefined && !nothingStored(q, spec);
  const batches: PreparedUpsert['batches'] = [];
  for (let start = 0; start < unique.length; start += size) {
    const batch = unique.slice(start, start + size);
    batches.push({ rows: batch, data: checked ? null : batchData(spec, batch, copy) });
  }
  const sql = buildUpsertSql(spec, { ...(copy ? { stage: stageName(spec) } : {}), counts: !keys });
  return { spec, copy, keys, sql, batches };
}

function batchData(spec: UpsertSpec, rows: readonly EncodedRow[], copy: boolean): Buffer | string {
  return copy ? copyData(spec, rows) : batchJson(spec, rows);
}

/** Runs a prepared upsert; returns how many rows were inserted and how many really changed. */
export async function runUpsert(
  q: Queryable,
  prepared: PreparedUpsert,
  onWritten?: (key: string) => void,
): Promise<UpsertResult> {
  const { spec, sql, copy } = prepared;
  const total: UpsertResult = { inserted: 0, updated: 0 };
  for (const prepare of prepared.batches) {
    let batch = prepare.rows;
    let data = prepare.data;
    if (data === null && spec.hashColumn && !nothingStored(q, spec)) {
      batch = await withoutUnchanged(q, spec, batch);
    }
    if (batch.length === 0) continue;
    data ??= batchData(spec, batch, copy);
    const returned =
      typeof data === 'string'
        ? await q.query<Returned>(sql, [jsonbParam(data)])
        : await upsertStaged(q, spec, sql, data);
    // With keys, the rows written; without, every row of the batch may be one that was not written.
    const written = new Set<string>();
    let count = 0;
    for (const row of returned) {
      if (!prepared.keys) {
        const counts = row as unknown as UpsertResult;
        total.inserted += counts.inserted;
        total.updated += counts.updated;
        count += counts.inserted + counts.updated;
        continue;
      }
      written.add(row.key);
      onWritten?.(row.key);
      if (row.inserted) total.inserted += 1;
      else total.updated += 1;
      count += 1;
    }
    if (spec.hashColumn && count < batch.length) await storeHashes(q, spec, batch, written);
  }
  return total;
}

/** One row's cells in column order, its conflict key, and (hashed specs) its hash. */
interface EncodedRow {
  cells: Encoded[];
  /** For deduplication: the key cell as text (single-column keys), or the key cells as JSON. */
  id: string;
  /** The first key column as text: what RETURNING reports. */
  key: string;
  hash: number | null;
}

function encodeRows(spec: UpsertSpec, rows: readonly Record<string, unknown>[]): EncodedRow[] {
  const keyIndexes = spec.key.map((name) => spec.columns.findIndex((c) => c.name === name));
  const hashIndex = spec.hashColumn ? spec.columns.findIndex((c) => c.name === spec.hashColumn) : -1;
  const single = keyIndexes.length === 1 ? (keyIndexes[0] ?? -1) : -1;
  return rows.map((row) => {
    const cells = spec.columns.map((column) => encodeValue(column, row, spec.table));
    const hash = hashIndex >= 0 ? rowHash(spec, cells) : null;
    if (hashIndex >= 0) cells[hashIndex] = hash;
    // One column has one type, so its text tells its keys apart (and "1" and 1 are one key to Postgres).
    if (single >= 0) {
      const key = String(cells[single] ?? null);
      return { cells, id: key, key, hash };
    }
    const keyCells = keyIndexes.map((i) => cells[i] ?? null);
    return { cells, id: JSON.stringify(keyCells), key: String(keyCells[0]), hash };
  });
}

/** Where rowHash assembles a row's bytes; grown when a row needs more. */
let hashInput = Buffer.allocUnsafe(64 * 1024);

/** Makes room for `more` bytes past `at` in hashInput, keeping the first `at`. */
function reserve(at: number, more: number): void {
  if (at + more <= hashInput.length) return;
  const grown = Buffer.allocUnsafe(Math.max(at + more, 2 * hashInput.length));
  hashInput.copy(grown, 0, 0, at);
  hashInput = grown;
}

/** A cell's kind in the hashed bytes: text (a jsonb cell's JSON, as a string or as bytes, is text too). */
const KIND = { null: 0, text: 1, number: 2, true: 3, false: 4 } as const;

/**
 * 48 bits of xxHash64 over every cell but `synced_at` and the hash itself, stored negative: -(h + 1).
 * Each cell is a kind byte, then for text and numbers a 4-byte length and the UTF-8; a cell held as bytes
 * is copied in as is, so it hashes like the same JSON as a string. Stored hashes of the earlier function
 * (48 bits of MD5, not negative) never equal these: such a row is compared, and rehashed once (storeHashes).
 */
function rowHash(spec: UpsertSpec, cells: readonly Encoded[]): number {
  let at = 0;
  for (let i = 0; i < cells.length; i++) {
    const column = spec.columns[i];
    if (!column || column.name === TOUCH_COLUMN || column.name === spec.hashColumn) continue;
    const cell = cells[i] ?? null;
    reserve(at, 5);
    if (cell === null || typeof cell === 'boolean') {
      hashInput[at++] = cell === null ? KIND.null : cell ? KIND.true : KIND.false;
      continue;
    }
    hashInput[at] = typeof cell === 'number' ? KIND.number : KIND.text;
    let length: number;
    if (cell instanceof JsonBytes) {
      reserve(at + 5, cell.bytes.length);
      length = cell.bytes.copy(hashInput, at + 5);
    } else {
      const text = typeof cell === 'number' ? String(cell) : cell;
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      reserve(at + 5, 3 * text.length);
      length = hashInput.write(text, at + 5);
    }
    hashInput.writeUInt32BE(length, at + 1);
    at += 5 + length;
  }
  return -Number(BigInt.asUintN(48, hasher.h64Raw(hashInput.subarray(0, at)))) - 1;
}

/**
 * SQL pieces shared by the hash queries: the table, and a condition matching its row to `k.key` (the key
 * as text) of an `unnest($1::text[], $2::int8[]) AS k(key, h)`; null when the spec is not hashed.
 */
function hashJoin(spec: UpsertSpec): { table: string; matches: string; hash: string } | null {
  const keyColumn = spec.columns.find((c) => c.name === spec.key[0]);
  if (!keyColumn || !spec.hashColumn || spec.key.length !== 1) return null;
  return {
    table: quoteIdentifier(spec.table),
    matches: `t.${quoteIdentifier(keyColumn.name)} = k.key::${SQL_TYPE[keyColumn.type]}`,
    hash: quoteIdentifier(spec.hashColumn),
  };
}

const keysAndHashes = (rows: readonly EncodedRow[]) => [rows.map((r) => r.key), rows.map((r) => r.hash)];

/** Rows a batch must have for "none of them stored unchanged" to say the transaction writes new history. */
const MIN_FRESH_BATCH = 100;

/**
 * Per transaction (its Queryable; never the database handle, which lives on): the tables where a whole
 * batch of at least MIN_FRESH_BATCH rows had no unchanged row stored. A backfill's window is all new rows,
 * so after its first batch the check is skipped for the rest of its transaction. Only a shortcut: a stored
 * row is still compared by the upsert's IS DISTINCT FROM guard, and not written when unchanged.
 */
const freshTables = new WeakMap<Queryable, Set<string>>();

function nothingStored(q: Queryable, spec: UpsertSpec): boolean {
  return freshTables.get(q)?.has(spec.table) ?? false;
}

/** The rows whose stored hash differs from theirs (new rows, changed rows, rows written before hashing). */
async function withoutUnchanged(q: Queryable, spec: UpsertSpec, batch: EncodedRow[]): Promise<EncodedRow[]> {
  const join = hashJoin(spec);
  if (!join) return batch;
  const same = await q.query<{ key: string }>(
    `SELECT k.key FROM unnest($1::text[], $2::int8[]) AS k(key, h)
       JOIN ${join.table} AS t ON ${join.matches} AND t.${join.hash} = k.h`,
    keysAndHashes(batch),
  );
  if (same.length === 0 && batch.length >= MIN_FRESH_BATCH && !('transaction' in q)) {
    const tables = freshTables.get(q) ?? new Set<string>();
    tables.add(spec.table);
    freshTables.set(q, tables);
  }
  if (same.length === 0) return batch;
  const skip = new Set(same.map((r) => r.key));
  return batch.filter((r) => !skip.has(r.key));
}

/**
 * Rows sent but not written had equal compared columns. Those never hashed (written before the column
 * existed) or hashed by the earlier function (not negative: see rowHash) get their hash now, once, so the
 * next run skips them; not a change, so not counted. A row whose hash differs only because the same
 * content came encoded otherwise (jsonb key order) is left alone: rewriting it would write an unchanged row.
 */
async function storeHashes(q: Queryable, spec: UpsertSpec, batch: EncodedRow[], written: Set<string>) {
  const join = hashJoin(spec);
  const stale = batch.filter((r) => !written.has(r.key));
  if (!join || stale.length === 0) return;
  await q.query(
    `UPDATE ${join.table} AS t SET ${join.hash} = k.h FROM unnest($1::text[], $2::int8[]) AS k(key, h)
      WHERE ${join.matches} AND (t.${join.hash} IS NULL OR t.${join.hash} >= 0)`,
    keysAndHashes(stale),
  );
}

/**
 * The statement for one batch; throws a SyncError when the spec is inconsistent. Its rows come from the
 * JSON parameter `$1`, or, with `from.stage`, from that staging table (text columns, cast here).
 */
export function buildUpsertSql(spec: UpsertSpec, from: { stage?: string; counts?: boolean } = {}): string {
  const names = spec.columns.map((column) => column.name);
  const updates = names.filter((name) => !spec.key.includes(name));
  const compare = spec.compare ?? updates.filter((name) => name !== TOUCH_COLUMN && name !== spec.hashColumn);
  checkSpec(spec, names, updates, compare);
  const q = quoteIdentifier;
  const staged = from.stage !== undefined;
  const select = spec.columns.map((c) => selectExpression(c, q(c.name), staged));
  const definitions = spec.columns.map((c) => `${q(c.name)} ${SQL_TYPE[c.type]}`);
  const source = from.stage ?? `jsonb_to_recordset($1::jsonb) AS u(${definitions.join(', ')})`;
  const incoming = (name: string) => incomingExpression(q(name), spec.merge?.[name]);
  const onConflict =
    updates.length === 0 || compare.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((n) => `${q(n)} = ${incoming(n)}`).join(', ')}` +
        ` WHERE (${compare.map((n) => `t.${q(n)}`).join(', ')})` +
        ` IS DISTINCT FROM (${compare.map(incoming).join(', ')})`;
  const insert =
    `INSERT INTO ${q(spec.table)} AS t (${names.map(q).join(', ')})` +
    ` SELECT ${select.join(', ')} FROM ${source}${staged ? ' AS u' : ''}` +
    ` ON CONFLICT (${spec.key.map(q).join(', ')}) ${onConflict}` +
    // xmax is 0 on a freshly inserted tuple and set on one that ON CONFLICT updated.
    ` RETURNING (t.xmax = 0) AS inserted, t.${q(spec.key[0] ?? '')}::text AS key`;
  if (!from.counts) return insert;
  return (
    `WITH w AS (${insert}) SELECT (count(*) FILTER (WHERE inserted))::int AS inserted,` +
    ` (count(*) FILTER (WHERE NOT inserted))::int AS updated FROM w`
  );
}

function checkSpec(spec: UpsertSpec, names: string[], updates: string[], compare: readonly string[]): void {
  const known = new Set(names);
  if (known.size !== names.length) throw specError(spec, 'a column is listed twice');
  if (spec.key.length === 0) throw specError(spec, 'the key is empty');
  for (const name of [...spec.key, ...compare]) {
    if (!known.has(name)) throw specError(spec, `"${name}" is not one of its columns`);
  }
  for (const name of Object.keys(spec.merge ?? {})) {
    if (!updates.includes(name)) throw specError(spec, `merge: "${name}" is not a non-key column`);
  }
}

/** The value an update writes: the incoming one, or its combination with the stored one. */
function incomingExpression(quoted: string, rule: MergeRule | undefined): string {
  switch (rule) {
    case undefined:
      return `excluded.${quoted}`;
    case 'least':
      return `least(t.${quoted}, excluded.${quoted})`;
    case 'greatest':
      return `greatest(t.${quoted}, excluded.${quoted})`;
    case 'coalesce':
      return `coalesce(excluded.${quoted}, t.${quoted})`;
    case 'keep':
      return `coalesce(t.${quoted}, excluded.${quoted})`;
  }
}

/** A `synced_at` left out of a row (NULL) means now(), like its default. Staged cells are text: cast. */
function selectExpression(column: UpsertColumn, quoted: string, staged: boolean): string {
  const value = staged ? `u.${quoted}::${SQL_TYPE[column.type]}` : `u.${quoted}`;
  if (column.name === TOUCH_COLUMN) return `coalesce(${value}, now())`;
  return value;
}

/**
 * The batch as one JSON array of objects keyed by column name. A jsonb cell is already JSON text (from
 * encodeValue, U+0000 removed) and goes in as is; any other cell is a JSON string, number, boolean or
 * null, which jsonb_to_recordset reads with the column type's own input function. JSON null is SQL NULL.
 */
export function encodeBatch(spec: UpsertSpec, rows: readonly Record<string, unknown>[]): string {
  return batchJson(spec, encodeRows(spec, rows));
}

function batchJson(spec: UpsertSpec, rows: readonly EncodedRow[]): string {
  // `{"a":` for the first column, `,"b":` for the others: one concatenation per cell, no arrays per row.
  const prefixes = spec.columns.map((column, i) => `${i === 0 ? '{' : ','}${JSON.stringify(column.name)}:`);
  const isJsonb = spec.columns.map((column) => column.type === 'jsonb');
  let out = '[';
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r]?.cells ?? [];
    let object = r === 0 ? '' : ',';
    for (let i = 0; i < prefixes.length; i++) {
      const value = cells[i] ?? null;
      object += prefixes[i];
      object += value === null ? 'null' : isJsonb[i] ? String(value) : JSON.stringify(value);
    }
    out += `${object}}`;
  }
  return `${out}]`;
}

/**
 * The COPY path, for a transaction (`q.copyFrom`): the batch goes into a temporary staging table with one
 * text column per column (jsonb columns stay jsonb: see stagedType), by binary COPY, and one INSERT …
 * SELECT … ON CONFLICT casts it into the table, exactly like the JSON statement. Binary COPY sends each
 * cell as its length and its UTF-8 bytes: nothing to escape on either side, so Postgres spends less per row
 * than on the JSON parameter. The staging table lives until the transaction ends (ON COMMIT DROP) and is
 * emptied after each batch.
 */
const stagedTables = new WeakMap<Queryable, Set<string>>();
/** Per transaction: the batch in flight, so two upserts on one transaction never share the staging table. */
const stagingTurn = new WeakMap<Queryable, Promise<unknown>>();

/**
 * Staging columns are text, read by each type's input function in the INSERT, except jsonb: a payload
 * over 2 kB is compressed where it is stored, so as text it would be compressed in the staging table,
 * decompressed for the cast and compressed again in the table (a sixth of the server's CPU in a backfill).
 * As jsonb it is parsed and compressed once, by the COPY, and the INSERT moves the compressed value.
 */
function stagedType(column: UpsertColumn): string {
  return column.type === 'jsonb' ? 'jsonb' : 'text';
}

function stageName(spec: UpsertSpec): string {
  return quoteIdentifier(`pdw_stage_${spec.table}`);
}

type Returned = { inserted: boolean; key: string };

async function upsertStaged(q: Queryable, spec: UpsertSpec, sql: string, data: Buffer): Promise<Returned[]> {
  const copyFrom = q.copyFrom?.bind(q);
  if (!copyFrom) throw new SyncError(`upsert into ${spec.table}: COPY needs a transaction`);
  const run = async () => {
    const stage = stageName(spec);
    const staged = stagedTables.get(q) ?? new Set<string>();
    stagedTables.set(q, staged);
    if (!staged.has(spec.table)) {
      const columns = spec.columns.map((c) => `${quoteIdentifier(c.name)} ${stagedType(c)}`).join(', ');
      await q.query(`CREATE TEMPORARY TABLE ${stage} (${columns}) ON COMMIT DROP`);
      staged.add(spec.table);
    }
    const copySql = `COPY ${stage} FROM STDIN (FORMAT binary)`;
    // Emptied for the next batch. After a failure the transaction is rolled back, the table with it.
    const empty = `TRUNCATE ${stage}`;
    if (q.copyThenQuery) return q.copyThenQuery<Returned>(copySql, data, `${sql};\n${empty}`);
    await copyFrom(copySql, data);
    const returned = await q.query<Returned>(sql);
    await q.query(empty);
    return returned;
  };
  const turn = (stagingTurn.get(q) ?? Promise.resolve()).then(run, run);
  stagingTurn.set(
    q,
    turn.catch(() => undefined),
  );
  return turn;
}

/** The first byte of jsonb's binary form: its format version. */
const JSONB_VERSION = 1;

/** Binary COPY's 11-byte signature, then 32-bit flags (0) and header-extension length (0). */
const COPY_HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);

/** A cell as the text its column type reads (booleans `t`/`f`), or its bytes; null for SQL NULL. */
function cellText(cell: Encoded): string | Buffer | null {
  if (cell === null) return null;
  if (typeof cell === 'string') return cell;
  if (cell instanceof JsonBytes) return cell.bytes;
  if (typeof cell === 'boolean') return cell ? 't' : 'f';
  return String(cell);
}

/**
 * The rows as binary COPY input: per row the field count, then per cell its byte length (-1: NULL) and
 * bytes: a text column's UTF-8, or for a jsonb column jsonb's binary form (version 1, then the JSON text).
 */
function copyData(spec: UpsertSpec, rows: readonly EncodedRow[]): Buffer {
  const width = spec.columns.length;
  const isJsonb = spec.columns.map((c) => stagedType(c) === 'jsonb');
  const texts: (string | Buffer | null)[] = [];
  let size = COPY_HEADER.length + 2;
  for (const { cells } of rows) {
    size += 2;
    for (let i = 0; i < width; i++) {
      const text = cellText(cells[i] ?? null);
      texts.push(text);
      if (text === null) size += 4;
      else
        size += 4 + (isJsonb[i] ? 1 : 0) + (typeof text === 'string' ? Buffer.byteLength(text) : text.length);
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = COPY_HEADER.copy(out, 0);
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    at = out.writeInt16BE(width, at);
    for (let i = 0; i < width; i++) {
      const text = texts[k++] ?? null;
      if (text === null) {
        at = out.writeInt32BE(-1, at);
        continue;
      }
      const version = isJsonb[i] ? 1 : 0;
      if (version) out[at + 4] = JSONB_VERSION;
      const start = at + 4 + version;
      const length = typeof text === 'string' ? out.write(text, start) : text.copy(out, start);
      out.writeInt32BE(version + length, at);
      at = start + length;
    }
  }
  out.writeInt16BE(-1, at); // end of data
  return out;
}

/**
 * A jsonb parameter in jsonb's binary wire form: format version 1, then the JSON text as UTF-8. Both
 * drivers send a Buffer as a binary parameter, as is. The server reads it exactly like the text form;
 * the point is the client: PGlite measures a string parameter's UTF-8 length in a JavaScript loop, twice,
 * which took a sixth of an embedded backfill's CPU for the batch's megabyte.
 */
export function jsonbParam(json: string | Buffer): Buffer {
  const param = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
  param[0] = JSONB_VERSION;
  if (typeof json === 'string') param.write(json, 1);
  else json.copy(param, 1); // already UTF-8 (a response body as it came)
  return param;
}

function specError(spec: UpsertSpec, problem: string): SyncError {
  return new SyncError(`upsert into ${spec.table}: ${problem}`, { table: spec.table });
}

/** Keeps the last row for each key, in first-seen order. */
function dedupeByKey(rows: readonly EncodedRow[]): EncodedRow[] {
  const byKey = new Map<string, EncodedRow>();
  for (const row of rows) byKey.set(row.id, row);
  return [...byKey.values()];
}
