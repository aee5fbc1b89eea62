import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedDatabaseExists, IN_MEMORY, openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { serveEmbedded, type EmbeddedServer } from '../db/serveEmbedded.js';
import { SyncError } from '../errors.js';
import { parseConfigForDatabase } from './dbConfig.js';
import type { CliIo } from './io.js';
import { UsageError } from './usageError.js';

export const DB_USAGE = `usage: pd-warehouse db <subcommand> [options]

subcommands:
  serve   serve the embedded database over the Postgres wire protocol (psql, Metabase, Grafana)

Run 'pd-warehouse db <subcommand> --help' for its options.
`;

export const DB_SERVE_USAGE = `usage: pd-warehouse db serve [options]

Serves the embedded database in PD_WAREHOUSE_DATA_DIR (default ./.pd-warehouse, made by 'sync' or 'demo')
over the Postgres wire protocol until stopped (Ctrl-C), so psql, Metabase or Grafana can query it. The
search_path is DATABASE_SCHEMA (default pagerduty), then public. Any user name and password are accepted
(no authentication, no SSL), and all connections share one session. A sync on the same directory has to
wait until the server stops.

options:
  --port N              port to listen on, 1-65535 (default 5432)
  --host H              address to bind (default 127.0.0.1: this machine only; 0.0.0.0: every network
                        interface, so anyone who can reach the machine can read and write the warehouse)
  --max-connections N   concurrent client connections, 1-100 (default 8)
`;

const DEFAULT_PORT = 5432;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_MAX_CONNECTIONS = 8;

/** `pd-warehouse db <subcommand>`. */
export async function dbCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'serve':
      return await serveCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(DB_USAGE);
      return 0;
    default:
      throw new UsageError(`unknown subcommand 'db ${sub}'; run 'pd-warehouse db --help' for the list`);
  }
}

function intFlag(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got '${raw}')`);
  }
  return n;
}

/** `pd-warehouse db serve`: resolves with 0 once stopped by SIGINT/SIGTERM and the database is closed. */
async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'max-connections': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(DB_SERVE_USAGE);
    return 0;
  }
  const port = intFlag('port', values.port, 1, 65_535, DEFAULT_PORT);
  const maxConnections = intFlag(
    'max-connections',
    values['max-connections'],
    1,
    100,
    DEFAULT_MAX_CONNECTIONS,
  );
  const host = values.host ?? DEFAULT_HOST;
  if (host.trim() === '') throw new UsageError("--host must be an address such as 127.0.0.1 (got '')");
  const { database } = parseConfigForDatabase(io.env);
  if (database.url) {
    throw new UsageError(
      'DATABASE_URL is set: that warehouse is on a Postgres server already, so connect to it directly (db serve serves the embedded database)',
    );
  }
  const dataDir = database.dataDir === IN_MEMORY ? IN_MEMORY : resolve(database.dataDir);
  if (!embeddedDatabaseExists(dataDir)) {
    throw new SyncError(
      `no embedded database in ${dataDir}: run 'pd-warehouse sync' (or 'pd-warehouse demo --dir ${dataDir}') first, or set PD_WAREHOUSE_DATA_DIR`,
    );
  }
  const db = await openDatabase({ dataDir, schema: database.schema });
  try {
    if (db.kind !== 'pglite') throw new SyncError('db serve needs the embedded database');
    // An older warehouse gets the current tables and views; an up-to-date one is untouched.
    await migrateDatabase(db);
    const server = await serveEmbedded(db, { host, port, maxConnections }).catch((error: unknown) => {
      throw listenError(error, host, port);
    });
    printBanner(io, server, dataDir, database.schema);
    await untilSignal();
    await server.stop();
    io.out('server stopped');
    return 0;
  } finally {
    await db.close();
  }
}

function printBanner(io: CliIo, server: EmbeddedServer, dataDir: string, schema: string): void {
  const wildcard = server.host === '0.0.0.0' || server.host === '::';
  const connectHost = wildcard ? DEFAULT_HOST : server.host;
  const hostPart = connectHost.includes(':') ? `[${connectHost}]` : connectHost;
  const url = `postgres://postgres@${hostPart}:${server.port}/postgres`;
  io.out(`serving the embedded database in ${dataDir} (schema ${schema}) at ${url}; Ctrl-C to stop`);
  io.out(`try: psql '${url}' -c 'select count(*) from incidents'`);
  if (server.host !== DEFAULT_HOST && server.host !== 'localhost' && server.host !== '::1') {
    io.err(
      `pd-warehouse: listening on ${server.host}: anyone who can reach this address can read and write the warehouse (no password)`,
    );
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** A listen failure as one line naming the port or host and the flag that fixes it. */
function listenError(error: unknown, host: string, port: number): SyncError {
  const code = errorCode(error);
  const message =
    code === 'EADDRINUSE'
      ? `port ${port} on ${host} is already in use (another Postgres?): pick another with --port`
      : code === 'EACCES'
        ? `no permission to listen on port ${port}: pick one above 1023 with --port`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? `cannot listen on ${host} (${code}): pass an address of this machine with --host`
          : `cannot listen on ${host}:${port} (${error instanceof Error ? error.message : String(error)})`;
  return new SyncError(message, { host, port }, { cause: error });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
