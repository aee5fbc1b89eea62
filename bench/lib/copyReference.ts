/**
 * The physical reference for the unthrottled backfill: the same rows the sync wrote, loaded the fastest
 * simple way Postgres offers (research §3, method c): per table, COPY into a temporary table, then one
 * INSERT … SELECT … ON CONFLICT DO UPDATE into the real one, all in one transaction.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { quoteIdentifier as q } from '../../src/db/identifiers.js';
import { migrateSchema } from './scratch.js';

interface TableShape {
  table: string;
  /** Columns in order, identity columns included (the export and the import use the same list). */
  columns: string[];
  key: string[];
  constraint: string;
}

async function shapeOf(client: pg.Client, schema: string, table: string): Promise<TableShape> {
  const cols = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [`${q(schema)}.${q(table)}`],
  );
  const key = await client.query<{ conname: string; cols: string[] }>(
    `SELECT c.conname, array_agg(a.attname ORDER BY k.ord)::text[] AS cols
       FROM pg_constraint c
       CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
      WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u')
      GROUP BY c.conname, c.contype ORDER BY c.contype = 'p' DESC LIMIT 1`,
    [`${q(schema)}.${q(table)}`],
  );
  const k = key.rows[0];
  if (!k) throw new Error(`${table} has no primary key or unique constraint to upsert on`);
  return { table, columns: cols.rows.map((c) => c.name), key: k.cols, constraint: k.conname };
}

/** COPY … TO STDOUT of a whole table into memory. */
async function exportTable(client: pg.Client, schema: string, shape: TableShape): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const list = shape.columns.map(q).join(', ');
  const stream = client.query(copyTo(`COPY (SELECT ${list} FROM ${q(schema)}.${q(shape.table)}) TO STDOUT`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

async function importTable(client: pg.Client, shape: TableShape, chunks: Buffer[]): Promise<number> {
  const tmp = q(`bench_tmp_${shape.table}`);
  const list = shape.columns.map(q).join(', ');
  const nonKey = shape.columns.filter((c) => !shape.key.includes(c));
  await client.query(`CREATE TEMP TABLE ${tmp} (LIKE ${q(shape.table)} INCLUDING DEFAULTS) ON COMMIT DROP`);
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${tmp} (${list}) FROM STDIN`)));
  const set = nonKey.length
    ? `DO UPDATE SET ${nonKey.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
    : 'DO NOTHING';
  const r = await client.query(
    `INSERT INTO ${q(shape.table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${tmp}
     ON CONFLICT ON CONSTRAINT ${q(shape.constraint)} ${set}`,
  );
  return r.rowCount ?? 0;
}

export interface ReferenceResult {
  rows: number;
  ms: number;
  perTable: Record<string, number>;
  exportMs: number;
}

/**
 * Exports `tables` of `sourceSchema` into memory, then times loading them into `targetSchema` (created and
 * migrated here first, so the tables, indexes and constraints are the sync's own).
 */
export async function copyReference(
  url: string,
  sourceSchema: string,
  targetSchema: string,
  tables: readonly string[],
): Promise<ReferenceResult> {
  await migrateSchema(url, targetSchema);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = performance.now();
    const data: { shape: TableShape; chunks: Buffer[] }[] = [];
    for (const table of tables) {
      const shape = await shapeOf(client, sourceSchema, table);
      data.push({ shape, chunks: await exportTable(client, sourceSchema, shape) });
    }
    const exportMs = performance.now() - t0;
    await client.query(`SET search_path TO ${q(targetSchema)}`);
    const perTable: Record<string, number> = {};
    const t1 = performance.now();
    await client.query('BEGIN');
    try {
      for (const { shape, chunks } of data) perTable[shape.table] = await importTable(client, shape, chunks);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
    const ms = performance.now() - t1;
    return { rows: Object.values(perTable).reduce((a, b) => a + b, 0), ms, perTable, exportMs };
  } finally {
    await client.end();
  }
}
