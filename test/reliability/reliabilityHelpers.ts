/**
 * Shared by the reliability tests: the CLI as a child process, one-shot admin SQL on the test server,
 * a schema fingerprint (what "nothing changed" means), and a TCP proxy in front of Postgres that can
 * drop every connection and refuse new ones for a while, as a restarting server does.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { Database } from '../../src/db/client.js';

export { cleanEnv, runBin, type ChildResult } from '../helpers/bin.js';

/** Runs statements on their own short-lived connection (as the superuser of the test server). */
export async function adminQuery<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params?: unknown[],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** `url` with `application_name` (and a password, for the no-password-anywhere checks) set. */
export function urlWith(url: string, changes: { app?: string; user?: string; password?: string }): string {
  const u = new URL(url);
  if (changes.app) u.searchParams.set('application_name', changes.app);
  if (changes.user) u.username = changes.user;
  if (changes.password) u.password = changes.password;
  return u.toString();
}

/**
 * Row counts per table, newest synced_at, and the cursors, read through `db` (either database kind):
 * equal fingerprints before and after a command mean it wrote nothing.
 */
export async function fingerprint(db: Database): Promise<Record<string, string>> {
  const tables = await db.query<{ table_name: string; synced: boolean }>(
    `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
       AND c.table_name = t.table_name AND c.column_name = 'synced_at') AS synced
     FROM information_schema.tables t
     WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY t.table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name: t, synced } of tables) {
    const [row] = await db.query<{ n: number; m: string | null }>(
      `SELECT count(*)::int AS n, ${synced ? 'max(synced_at)::text' : 'NULL::text'} AS m FROM ${pg.escapeIdentifier(t)}`,
    );
    out[t] = `${row?.n ?? '?'}${row?.m ? ` @ ${row.m}` : ''}`;
  }
  const [cursors] = await db.query<{ c: string | null }>(
    `SELECT string_agg(resource || '=' || coalesce(cursor::text, '-'), ',' ORDER BY resource) AS c FROM sync_state`,
  );
  out.cursors = cursors?.c ?? '';
  return out;
}

/** Ends every backend whose application_name is `app`; returns how many. */
export async function terminateBackends(url: string, app: string): Promise<number> {
  const rows = await adminQuery<{ ok: boolean }>(
    url,
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
    [app],
  );
  return rows.filter((r) => r.ok).length;
}

export interface DbProxy {
  port: number;
  /** Drops every connection and refuses new ones (nothing listens) for `ms`, then listens again. */
  outage(ms: number): Promise<void>;
  /** How many connections the proxy dropped so far. */
  dropped(): number;
  stop(): Promise<void>;
}

/** A TCP proxy in front of Postgres on a fixed port, so it can "restart" under its clients. */
export async function startDbProxy(target: URL): Promise<DbProxy> {
  const sockets = new Set<Socket>();
  let dropped = 0;
  const onClient = (client: Socket) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  };
  let server: Server = createServer(onClient);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));
  const killAll = () => {
    dropped += [...sockets].filter((s) => s.remoteAddress === '127.0.0.1' && s.localPort === port).length;
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  return {
    port,
    async outage(ms) {
      const closing = close(server);
      killAll();
      await closing;
      await new Promise((r) => setTimeout(r, ms));
      server = createServer(onClient);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    dropped: () => dropped,
    async stop() {
      const closing = close(server);
      killAll();
      await closing;
    },
  };
}

/** Polls `probe` every 100 ms until it returns true or `timeoutMs` passes; returns whether it did. */
export async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
