/**
 * One private database namespace per test file, on whichever database test/globalSetup.ts chose.
 *
 * - URL (TEST_DATABASE_URL or testcontainers): a pg Pool whose connections use a fresh schema
 *   `t_<name>_<random>` first on their search_path; close() drops it (CASCADE) and ends the pool.
 * - PGlite: a fresh in-memory instance (about 2 s to initdb, research P9), with the same schema
 *   created and put on its search_path so tests read the same on both; close() closes the instance.
 *
 * Drivers disagree on some types (int8 is a string from pg, a number from PGlite; research P8):
 * compare through the project's own parsing, not raw driver values.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { TestDatabase } from '../globalSetup.js';

/** A row as returned by either driver; parse it (zod) before trusting its shape. */
export type TestRow = Record<string, unknown>;

/** A test file's private database namespace. */
export interface TestDatabaseHandle {
  /** Which database globalSetup chose for the whole run. */
  kind: TestDatabase['kind'];
  /** Connection string when `kind` is 'url'; undefined for PGlite. */
  url?: string;
  /** The unquoted schema name (always matches /^[a-z0-9_]+$/), first on the search_path. */
  schema: string;
  /**
   * Runs one statement with `$1`-style parameters. With no (or empty) params it may hold several
   * statements, e.g. a migration file; the rows of the last one are returned.
   */
  query(sql: string, params?: unknown[]): Promise<{ rows: TestRow[] }>;
  /** Drops the schema (URL) or closes the instance (PGlite). Safe to call twice. */
  close(): Promise<void>;
}

/** Postgres truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
const MAX_IDENTIFIER_LENGTH = 63;

/** `t_<name>_<8 hex>`, lower-case [a-z0-9_] only, at most 63 characters. */
export function createSchemaName(name: string): string {
  const suffix = randomBytes(4).toString('hex');
  const room = MAX_IDENTIFIER_LENGTH - 't__'.length - suffix.length;
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, room);
  return `t_${cleaned}_${suffix}`;
}

/** Double-quotes an identifier, doubling embedded quotes (the schema is also sanitised). */
export function quoteIdentifier(identifier: string): string {
  return pg.escapeIdentifier(identifier);
}

/** pg resolves a multi-statement simple query to one result per statement, which its types omit. */
function lastResult(
  result: pg.QueryResult<TestRow> | pg.QueryResult<TestRow>[],
): pg.QueryResult<TestRow> | undefined {
  return Array.isArray(result) ? result.at(-1) : result;
}

async function createUrlDatabase(url: string, schema: string): Promise<TestDatabaseHandle> {
  const quoted = quoteIdentifier(schema);
  // `options` sets the search_path on every pooled connection at startup, so no SET can be
  // forgotten on a second connection; the schema name is sanitised, so it is safe in this string.
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema},public` });
  try {
    await pool.query(`CREATE SCHEMA ${quoted}`);
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed = false;
  return {
    kind: 'url',
    url,
    schema,
    async query(sql, params) {
      const last = lastResult(await pool.query<TestRow>(sql, params));
      return { rows: last?.rows ?? [] };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pool.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}

async function createPgliteDatabase(schema: string): Promise<TestDatabaseHandle> {
  const db = await PGlite.create();
  const quoted = quoteIdentifier(schema);
  try {
    // One connection only, so a session-level SET covers every later query.
    await db.exec(`CREATE SCHEMA ${quoted}; SET search_path TO ${quoted}, public;`);
  } catch (error) {
    await db.close();
    throw error;
  }
  let closed = false;
  return {
    kind: 'pglite',
    schema,
    async query(sql, params) {
      if (params === undefined || params.length === 0) {
        // PGlite's query() uses the extended protocol (one statement); exec() matches pg's simple query.
        const results = await db.exec(sql);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      const result = await db.query<TestRow>(sql, params);
      return { rows: result.rows };
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

/**
 * Gives the calling test file its own schema (URL) or instance (PGlite). Call it in `beforeAll`
 * and `close()` it in `afterAll` so nothing leaks between files.
 */
export async function createTestDatabase(name: string): Promise<TestDatabaseHandle> {
  const chosen = inject('testDatabase');
  const schema = createSchemaName(name);
  return chosen.kind === 'url' ? createUrlDatabase(chosen.url, schema) : createPgliteDatabase(schema);
}
