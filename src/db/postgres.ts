/**
 * A Postgres server through a `pg` Pool. Every pooled connection runs `SET search_path TO "<schema>"`
 * before it is handed out; int8 and numeric are parsed as numbers (pg returns strings, research P8).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { connectionError, parseConnectionTarget } from './connectionError.js';
import type { ConnectionTarget } from './connectionError.js';
import { quoteIdentifier } from './identifiers.js';
import { tables } from './tables.js';
import type { ServerDatabase, TxHandle } from './types.js';

const POOL_SIZE = 4;
/** The first connection answers quickly or the address is wrong. */
const PROBE_TIMEOUT_MS = 10_000;
/**
 * pg-pool's one timeout covers both connecting and waiting for a free connection, and a
 * 1,000-row upsert can hold one for seconds on a slow server; so the pool waits longer.
 */
const POOL_TIMEOUT_MS = 60_000;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * int8 (counts, identity ids) and numeric (averages) as JS numbers. Exact up to 2^53, which every
 * value we store stays far below.
 */
function pgTypeOverrides(): pg.CustomTypesConfig {
  const overrides = new pg.TypeOverrides();
  overrides.setTypeParser(PG_INT8, Number);
  overrides.setTypeParser(PG_NUMERIC, Number);
  return overrides;
}

export async function openServer(
  url: string,
  schema: string,
  onIdleError: ((error: Error) => void) | undefined,
): Promise<ServerDatabase> {
  const target = parseConnectionTarget(url);
  const setSearchPath = `SET search_path TO ${quoteIdentifier(schema)}`;
  const version = await probe(url, target);
  // `pd-warehouse serve` (PGlite behind a socket) wedges on COPY … FROM STDIN: upserts keep the JSON path.
  const copy = !/\bPGlite\b/.test(version);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: POOL_TIMEOUT_MS,
    application_name: 'pd-warehouse',
    types: pgTypeOverrides(),
    // pg-pool ≥ 3.14 awaits this before handing the connection out (its typings still say void);
    // a SET works through PgBouncer in session mode, where a startup `options` parameter does not.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    onConnect: async (client: pg.ClientBase) => {
      await client.query(setSearchPath);
    },
  });
  // Without a listener an idle client's error (server restart) would crash the process.
  pool.on('error', (error) => onIdleError?.(error));
  let closed = false;
  return {
    kind: 'pg',
    schema,
    pool,
    db: drizzlePg(pool, { schema: tables }),
    query: (sql, params) => runPg(pool, sql, params),
    transaction: (fn) => pgTransaction(pool, fn, copy),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * Connects once, outside the pool, so a wrong address fails fast with a one-line message. Returns the
 * server's `version()`.
 */
async function probe(url: string, target: ConnectionTarget): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  // A connection dropped after the probe must not surface as an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('SELECT version() AS version');
    return result.rows[0]?.version ?? '';
  } catch (error) {
    throw connectionError(error, target);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function runPg<T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]): Promise<T[]> {
  const result = await client.query(sql, params);
  return result.rows as T[];
}

/** COPY … FROM STDIN on `client`, fed with `data`; resolves once the server has taken it all. */
async function copyInto(client: pg.PoolClient, sql: string, data: Buffer): Promise<void> {
  await pipeline(Readable.from([data]), client.query(copyFromStdin(sql)));
}

/** Protocol message type bytes: CopyData and CopyDone. */
const COPY_DATA = 0x64;
const COPY_DONE = 0x63;

/** The part of pg's Connection we write to directly (as pg-copy-streams does). */
interface PgConnection {
  stream: { cork(): void; uncork(): void; write(chunk: Buffer): boolean };
}

/**
 * One simple-protocol message holding `copySql; sql`, followed at once by the COPY's data and CopyDone,
 * instead of waiting for the server's CopyInResponse first. The server reads the data when the COPY runs.
 * If a statement fails, the server skips the rest of the message and, by protocol, drops the CopyData and
 * CopyDone that arrive afterwards; the transaction is aborted and the caller rolls it back.
 */
function copyThenQuery<T>(client: pg.PoolClient, copySql: string, data: Buffer, sql: string): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const query = new pg.Query(`${copySql};\n${sql}`, (error: Error | undefined, result: unknown) => {
      if (error) reject(error);
      else resolve(firstRows<T>(result));
    });
    const submit = query.submit.bind(query);
    Object.assign(query, {
      submit(connection: PgConnection) {
        const frame = Buffer.allocUnsafe(5);
        frame[0] = COPY_DATA;
        frame.writeUInt32BE(data.length + 4, 1);
        connection.stream.cork();
        try {
          submit(connection as unknown as Parameters<typeof submit>[0]);
          connection.stream.write(frame);
          connection.stream.write(data);
          connection.stream.write(Buffer.from([COPY_DONE, 0, 0, 0, 4]));
        } finally {
          connection.stream.uncork();
        }
      },
      // The data is already on its way.
      handleCopyInResponse() {},
    });
    void client.query(query);
  });
}

/** Rows of the first statement that described rows, in a simple query's one or many results. */
function firstRows<T>(result: unknown): T[] {
  const results = (Array.isArray(result) ? result : [result]) as pg.QueryResult[];
  const withRows = results.find((r) => r.fields.length > 0);
  return (withRows?.rows ?? []) as T[];
}

async function pgTransaction<T>(
  pool: pg.Pool,
  fn: (tx: TxHandle) => Promise<T>,
  /** Offer `copyFrom` (db/upsert.ts stages batches through it). */
  copy: boolean,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // Checked out, the client has no pool listener: a session ended between two statements (the server
  // restarted, pg_terminate_backend) would be an uncaught 'error' and crash the process. Keep it instead:
  // the next statement fails with it, and the connection is destroyed on release.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn({
      query: (sql, params) => runPg(client, sql, params),
      ...(copy
        ? {
            copyFrom: (sql: string, data: Buffer) => copyInto(client, sql, data),
            copyThenQuery: <R>(copySql: string, data: Buffer, sql: string) =>
              copyThenQuery<R>(client, copySql, data, sql),
          }
        : {}),
      db: drizzlePg(client, { schema: tables }),
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      // The connection is unusable: destroy it instead of returning it to the pool.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
