/**
 * The database handle's types, shared by client.ts (which opens it) and the modules that use it.
 */
import type pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Tables } from './tables.js';

/** A drizzle instance over the warehouse tables, on either driver. */
export type DrizzleDb = PgDatabase<PgQueryResultHKT, Tables>;

/** Anything that runs one SQL statement with `$1`-style parameters and returns its rows. */
export interface Queryable {
  /** `T` is the caller's claim about the row shape: parse untrusted shapes (zod) instead. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `COPY … FROM STDIN` with `data` as its whole input. Only a transaction's handle has it (on a
   * server or in PGlite): one connection, so a temporary table filled by COPY is there for the next
   * statement (db/upsert.ts).
   */
  copyFrom?(sql: string, data: Buffer): Promise<void>;
  /**
   * `copyFrom`, then `sql` (no parameters; it may hold several statements), sent together so the server
   * needs no answer from us in between: one round trip instead of three. Returns the rows of `sql`'s
   * first statement that returns rows. Only a transaction on a server has it.
   */
  copyThenQuery?<T = Record<string, unknown>>(copySql: string, data: Buffer, sql: string): Promise<T[]>;
}

/** Inside `transaction()`: raw queries and drizzle on the transaction's one connection. */
export interface TxHandle extends Queryable {
  /** Drizzle bound to the transaction; do not open nested transactions on it. */
  db: DrizzleDb;
}

interface DatabaseBase extends Queryable {
  /** The validated, unquoted schema every connection uses. */
  schema: string;
  db: DrizzleDb;
  /** Runs `fn` in BEGIN … COMMIT on one connection; ROLLBACK and rethrow when it throws. */
  transaction<T>(fn: (tx: TxHandle) => Promise<T>): Promise<T>;
  /** Ends the pool or closes PGlite. Safe to call twice. */
  close(): Promise<void>;
}

/** A Postgres server through a pg Pool (at most 4 connections). */
export interface ServerDatabase extends DatabaseBase {
  kind: 'pg';
  pool: pg.Pool;
}

/** The embedded PGlite: one in-process connection, file-backed. */
export interface EmbeddedDatabase extends DatabaseBase {
  kind: 'pglite';
  pglite: PGlite;
  /** Absolute path of the data directory, or `memory://`. */
  dataDir: string;
}

export type Database = ServerDatabase | EmbeddedDatabase;

export interface OpenDatabaseOptions {
  /** postgres:// connection string; unset → embedded PGlite in `dataDir`. */
  url?: string | undefined;
  /** PGlite data directory (created when missing; `memory://` for a throw-away in-memory one). */
  dataDir?: string | undefined;
  /** DATABASE_SCHEMA, e.g. `pagerduty`; must match SCHEMA_NAME_PATTERN. */
  schema: string;
  /** An idle pooled connection failed (server restart…); pg drops it and reconnects on next use. */
  onIdleError?: (error: Error) => void;
}
