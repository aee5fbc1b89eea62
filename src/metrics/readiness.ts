import { existsSync } from 'node:fs';
import pg from 'pg';
import { connectionError, parseConnectionTarget } from '../db/connectionError.js';
import type { Readiness } from './healthServer.js';
import type { SyncMetrics } from './metrics.js';

/** Ready = the database answers and the sync has not been failing for longer than `failingThresholdMs`. */
export function createReadiness(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  metrics: SyncMetrics;
  failingThresholdMs: number;
  now?: () => number;
}): () => Promise<Readiness> {
  const now = opts.now ?? Date.now;
  return async () => {
    const database = opts.databaseUrl ? await pingPostgres(opts.databaseUrl) : embedded(opts.dataDir);
    if (!database.ok) return database;
    const since = opts.metrics.failingSince();
    if (since !== null && now() - since > opts.failingThresholdMs) {
      const minutes = Math.round((now() - since) / 60_000);
      return {
        ok: false,
        reason: `the sync has been failing for ${minutes} min (last status ${opts.metrics.lastStatus()})`,
      };
    }
    return { ok: true, reason: `database reachable; last run ${opts.metrics.lastStatus() ?? 'not yet'}` };
  };
}

function embedded(dataDir: string): Readiness {
  // The embedded database is opened by each run (one process at a time), so readiness checks its folder.
  return existsSync(dataDir)
    ? { ok: true, reason: 'embedded database folder present' }
    : { ok: false, reason: `embedded database folder ${dataDir} is missing` };
}

async function pingPostgres(url: string): Promise<Readiness> {
  const target = parseConnectionTarget(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000, query_timeout: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true, reason: 'database reachable' };
  } catch (err) {
    return { ok: false, reason: connectionError(err, target).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
