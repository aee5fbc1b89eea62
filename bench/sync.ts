/**
 * Sync benchmark: backfill of the `large` account (5,000 incidents, ~32,000 log entries, 400 days) into
 * Postgres and into the embedded PGlite, then incremental runs with nothing changed and with ~1% changed.
 * Postgres: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres (a throw-away schema).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import type { CliIo } from '../src/cli/io.js';
import { syncOnce } from '../src/cli/syncCommand.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';

const sink = new Writable({ write: (_c, _e, done) => done() });
const io: CliIo = {
  env: {},
  out: () => undefined,
  err: (l) => console.error(l),
  isTTY: false,
  logDestination: sink,
};

async function sync(sim: Simulator, env: Record<string, string>) {
  const now = sim.account.now + 120_000;
  const config = parseConfig(
    {
      PAGERDUTY_TOKEN: 'bench',
      PAGERDUTY_API_URL: sim.url,
      SYNC_START: '405d',
      PAGERDUTY_MAX_RPM: '10000',
      LOG_LEVEL: 'warn',
      // BENCH_SYNC_RESOURCES narrows the run (e.g. services,incidents,log_entries,oncalls); default: all.
      ...(process.env.BENCH_SYNC_RESOURCES ? { SYNC_RESOURCES: process.env.BENCH_SYNC_RESOURCES } : {}),
      ...env,
    },
    {},
    now,
  );
  const before = sim.stats.requests;
  const t0 = performance.now();
  const { code, result } = await syncOnce(config, createLogger({ level: 'warn', destination: sink }), io, {
    now: () => now,
  });
  if (code !== 0 || !result) throw new Error(`sync failed: ${result?.error ?? code}`);
  const written = Object.values(result.resources).reduce((n, r) => n + r.written, 0);
  return { ms: performance.now() - t0, requests: sim.stats.requests - before, written };
}

export interface SyncBenchResult {
  target: string;
  backfill: {
    seconds: number;
    requests: number;
    incidents: number;
    log_entries: number;
    incidents_per_s: number;
  };
  unchanged: { requests: number; rows_written: number };
  one_percent: { changed_incidents: number; requests: number; requests_per_changed: number };
}

async function benchTarget(target: string, env: Record<string, string>): Promise<SyncBenchResult> {
  const sim = await startSimulator({ preset: 'large', seed: 1, rpm: 1_000_000 });
  try {
    const truth = sim.truth().counts;
    const full = await sync(sim, env);
    const unchanged = await sync(sim, env);
    const changes = Math.round(truth.incidents / 100);
    const report = sim.advance(60, {
      newIncidents: 0,
      priorityChanges: changes,
      renameService: false,
      deleteService: false,
    });
    const inc = await sync(sim, env);
    return {
      target,
      backfill: {
        seconds: Number((full.ms / 1000).toFixed(2)),
        requests: full.requests,
        incidents: truth.incidents,
        log_entries: truth.log_entries,
        incidents_per_s: Math.round(truth.incidents / (full.ms / 1000)),
      },
      unchanged: { requests: unchanged.requests, rows_written: unchanged.written },
      one_percent: {
        changed_incidents: report.changedIncidentIds.length,
        requests: inc.requests,
        requests_per_changed: Number(
          (inc.requests / Math.max(1, report.changedIncidentIds.length)).toFixed(2),
        ),
      },
    };
  } finally {
    await sim.close();
  }
}

export async function runSyncBench(): Promise<SyncBenchResult[]> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = `bench_${Date.now()}`;
  const out: SyncBenchResult[] = [];
  try {
    out.push(await benchTarget('postgres', { DATABASE_URL: url, DATABASE_SCHEMA: schema }));
  } finally {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
  const dir = mkdtempSync(join(tmpdir(), 'pdw-bench-'));
  try {
    out.push(await benchTarget('pglite', { PD_WAREHOUSE_DATA_DIR: dir }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
