/**
 * Experiment (not a section; no target): what would mapping log entries in SQL save? The same log entry
 * pages, already fetched from the simulator, written into Postgres two ways, in the same 80-page
 * transactions a backfill window uses:
 *
 *   A. the sync's own path: JSON.parse, zod, toRows, row hash, COPY staging, INSERT … ON CONFLICT;
 *   B. each page's bytes as one jsonb parameter, mapped by `jsonb_array_elements` in one INSERT … SELECT.
 *
 * It prints the client's and the Postgres backend's CPU per row for each, twice, and checks that both
 * stored the same rows (every column but row_hash and synced_at). Needs a local Postgres (/proc).
 *
 *   npx tsx bench/experiments/sqlMapping.ts        BENCH_EXPERIMENT_INCIDENTS=30000 by default
 */
import pino from 'pino';
import { openDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import type { Queryable } from '../../src/db/types.js';
import { quoteIdentifier as q } from '../../src/db/identifiers.js';
import { jsonbParam } from '../../src/db/upsert.js';
import { logEntries } from '../../src/resources/logEntries.js';
import type { ResourceReport } from '../../src/sync/context.js';
import { collectItems, RowBatch } from '../../src/sync/collect.js';
import { prepareBatch, writePrepared } from '../../src/sync/write.js';
import { startSimulator } from '../../src/simulator/index.js';
import { processCpuMs } from '../lib/cpu.js';
import { DATABASE_URL, envInt } from '../lib/env.js';
import { withSchema } from '../lib/scratch.js';

const PAGES_PER_TRANSACTION = 80;
const WEEK_MS = 7 * 86_400_000;
const COLUMNS = 'id, type, incident_id, created_at, agent_type, agent_id, channel_type, summary, raw';

/** Every log entry page of the account, in 7-day windows (the sync's own query parameters). */
async function fetchPages(incidents: number): Promise<Buffer[]> {
  const sim = await startSimulator({ preset: 'large', seed: 1, incidents, days: 400, rpm: 1e9, lazy: true });
  const pages: Buffer[] = [];
  try {
    const now = sim.account.now;
    for (let end = now; end > now - 400 * 86_400_000; end -= WEEK_MS) {
      const window = `since=${new Date(end - WEEK_MS).toISOString()}&until=${new Date(end).toISOString()}`;
      for (let offset = 0; offset < 10_000; offset += 100) {
        const query = `${window}&limit=100&offset=${offset}&is_overview=true&time_zone=UTC`;
        const res = await fetch(`${sim.url}/log_entries?${query}`, {
          headers: { authorization: 'Token token=experiment' },
        });
        const page = Buffer.from(await res.arrayBuffer());
        pages.push(page);
        if (!(JSON.parse(page.toString()) as { more?: boolean }).more) break;
      }
    }
  } finally {
    await sim.close();
  }
  return pages;
}

/** B's statement: $1 is the page (binary jsonb), $2 synced_at. */
const SQL_MAPPED = `INSERT INTO log_entries AS t (${COLUMNS}, row_hash, synced_at)
  SELECT e->>'id', e->>'type', e->'incident'->>'id', (e->>'created_at')::timestamptz, e->'agent'->>'type',
         e->'agent'->>'id', e->'channel'->>'type', e->>'summary', e,
         ('x' || left(md5(e::text), 12))::bit(48)::bigint, $2::timestamptz
    FROM jsonb_array_elements($1::jsonb -> 'log_entries') AS e
  ON CONFLICT (id) DO UPDATE SET type = excluded.type, incident_id = excluded.incident_id,
    created_at = excluded.created_at, agent_type = excluded.agent_type, agent_id = excluded.agent_id,
    channel_type = excluded.channel_type, summary = excluded.summary, raw = excluded.raw,
    row_hash = excluded.row_hash, synced_at = excluded.synced_at
   WHERE t.row_hash IS DISTINCT FROM excluded.row_hash
  RETURNING (t.xmax = 0) AS inserted, t.id AS key, t.incident_id`;

type Write = (tx: Queryable, pages: Buffer[]) => Promise<void>;

const viaSync: Write = async (tx, pages) => {
  const report: ResourceReport = {
    status: 'succeeded',
    fetched: 0,
    written: 0,
    pages: 0,
    windows: 0,
    rejected: 0,
  };
  const logger = pino({ level: 'silent' });
  let chunk = new RowBatch(null);
  for (const page of pages) {
    const body = JSON.parse(page.toString()) as { log_entries: unknown[] };
    collectItems(logEntries, body.log_entries, chunk, report, logger, new Date(), true);
    if (chunk.ids.length >= 500) {
      await writePrepared(tx, prepareBatch(tx, chunk));
      chunk = new RowBatch(null);
    }
  }
  await writePrepared(tx, prepareBatch(tx, chunk));
};

const viaSql: Write = async (tx, pages) => {
  for (const page of pages) {
    if (page.includes('\\u0000')) throw new Error('a page holds \\u0000, which jsonb refuses');
    await tx.query(SQL_MAPPED, [jsonbParam(page), new Date().toISOString()]);
  }
};

interface Measured {
  rows: number;
  clientMs: number;
  backendMs: number;
}

async function measure(schema: string, pages: Buffer[], write: Write): Promise<Measured> {
  const db = await openDatabase({ url: DATABASE_URL, schema });
  try {
    await migrateDatabase(db);
    let clientMs = 0;
    let backendMs = 0;
    for (let i = 0; i < pages.length; i += PAGES_PER_TRANSACTION) {
      await db.transaction(async (tx) => {
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = row?.pid ?? 0;
        const b0 = processCpuMs(pid);
        if (b0 === null) throw new Error(`cannot read /proc/${pid}: the experiment needs a local Postgres`);
        const c0 = process.cpuUsage();
        await write(tx, pages.slice(i, i + PAGES_PER_TRANSACTION));
        const c = process.cpuUsage(c0);
        clientMs += (c.user + c.system) / 1000;
        backendMs += (processCpuMs(pid) ?? b0) - b0;
      });
    }
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM log_entries');
    return { rows: count?.n ?? 0, clientMs, backendMs };
  } finally {
    await db.close();
  }
}

async function differingRows(a: string, b: string): Promise<number> {
  const db = await openDatabase({ url: DATABASE_URL, schema: a });
  try {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         (SELECT ${COLUMNS} FROM ${q(a)}.log_entries EXCEPT SELECT ${COLUMNS} FROM ${q(b)}.log_entries)
         UNION ALL
         (SELECT ${COLUMNS} FROM ${q(b)}.log_entries EXCEPT SELECT ${COLUMNS} FROM ${q(a)}.log_entries)) d`,
    );
    return row?.n ?? -1;
  } finally {
    await db.close();
  }
}

const incidents = envInt('BENCH_EXPERIMENT_INCIDENTS', 30_000);
const pages = await fetchPages(incidents);
const megabytes = pages.reduce((n, p) => n + p.length, 0) / 1e6;
console.log(`${pages.length} log entry pages (${megabytes.toFixed(0)} MB) from ${incidents} incidents`);
const perRow = (ms: number, rows: number) => `${((ms * 1000) / rows).toFixed(1)} µs/row`;
for (let round = 1; round <= 2; round++) {
  await withSchema(DATABASE_URL, 'experiment_sync', (a) =>
    withSchema(DATABASE_URL, 'experiment_sql', async (b) => {
      const sync = await measure(a, pages, viaSync);
      const sql = await measure(b, pages, viaSql);
      for (const [name, m] of [
        ['A sync path', sync],
        ['B SQL mapping', sql],
      ] as const) {
        const total = perRow(m.clientMs + m.backendMs, m.rows);
        console.log(
          `round ${round} ${name}: ${m.rows} rows; client ${perRow(m.clientMs, m.rows)}, Postgres backend ${perRow(m.backendMs, m.rows)}, together ${total}`,
        );
      }
      console.log(
        `round ${round}: rows that differ between A and B (all but row_hash, synced_at): ${await differingRows(a, b)}`,
      );
    }),
  );
}
