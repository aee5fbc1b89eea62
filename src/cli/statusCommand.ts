import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { parseConfigForDatabase } from './dbConfig.js';
import type { CliIo } from './io.js';

interface StateRow {
  resource: string;
  cursor: Date | null;
  updated_at: Date;
}
interface RunRow {
  id: number;
  started_at: Date;
  finished_at: Date | null;
  status: string;
  requests: number;
  error: string | null;
}

const TABLES: Record<string, string> = {
  services: 'services',
  incidents: 'incidents',
  log_entries: 'log_entries',
  oncalls: 'oncalls',
};

function age(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}

/** `pd-warehouse status`: per resource its cursor, rows and lag; the last run. */
export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(
      "usage: pd-warehouse status\n\nShows each resource's cursor, row count and lag, and the last run.",
    );
    return 0;
  }
  const { database } = parseConfigForDatabase(io.env);
  const db = await openDatabase({ url: database.url, dataDir: database.dataDir, schema: database.schema });
  try {
    await migrateDatabase(db);
    const states = await db.query<StateRow>(
      'SELECT resource, cursor, updated_at FROM sync_state ORDER BY resource',
    );
    const now = Date.now();
    io.out(`schema ${database.schema}`);
    io.out(`${'resource'.padEnd(12)} ${'rows'.padStart(9)}  ${'cursor'.padEnd(20)}  lag`);
    for (const [resource, table] of Object.entries(TABLES)) {
      const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      const s = states.find((x) => x.resource === resource);
      const cursor = s?.cursor ? new Date(s.cursor).toISOString().slice(0, 19) + 'Z' : 'never synced';
      const lag = s?.cursor ? age(now - new Date(s.cursor).getTime()) : '-';
      io.out(`${resource.padEnd(12)} ${String(count[0]?.n ?? 0).padStart(9)}  ${cursor.padEnd(20)}  ${lag}`);
    }
    const runs = await db.query<RunRow>(
      'SELECT id, started_at, finished_at, status, requests, error FROM sync_runs ORDER BY id DESC LIMIT 1',
    );
    const r = runs[0];
    if (!r) io.out('last run: none yet (run `pd-warehouse sync`)');
    else {
      const took = r.finished_at
        ? `${Math.round((new Date(r.finished_at).getTime() - new Date(r.started_at).getTime()) / 1000)} s`
        : 'running';
      io.out(
        `last run: #${r.id} ${r.status}, started ${new Date(r.started_at).toISOString()}, ${took}, ${r.requests} requests${r.error ? ` — ${r.error}` : ''}`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}
