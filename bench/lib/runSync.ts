/**
 * One `pd-warehouse sync` run, driven the way the CLI drives it (syncOnce + parseConfig), with the
 * simulator's clock as "now". Used in-process (bench/lib/syncInProcess.ts) and in the sync child process.
 */
import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { syncOnce } from '../../src/cli/syncCommand.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { ClientStats } from '../../src/pagerduty/http.js';

export interface SyncRunResult {
  code: number;
  status: string;
  error: string | null;
  /** syncOnce from call to return (open, migrate, lock, sync, record), ms. */
  ms: number;
  client: ClientStats | null;
  /** Per resource: items read and rows inserted or really changed. */
  fetched: Record<string, number>;
  written: Record<string, number>;
  writtenTotal: number;
}

const sink = new Writable({ write: (_c, _e, done) => done() });

/** The sync's environment for the bench: a token, the simulator, 405 days of history, warn logs. */
export function syncEnv(apiUrl: string, extra: Record<string, string>): Record<string, string> {
  return {
    PAGERDUTY_TOKEN: 'bench',
    PAGERDUTY_API_URL: apiUrl,
    SYNC_START: '405d',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** The highest PAGERDUTY_MAX_RPM the config accepts (100,000 if it takes it, else 10,000). */
export function unthrottledRpm(): string {
  for (const rpm of ['100000', '10000']) {
    try {
      parseConfig({ PAGERDUTY_TOKEN: 'x', PAGERDUTY_MAX_RPM: rpm, DATABASE_URL: 'postgres://x/y' });
      return rpm;
    } catch {
      // the config refuses it: try the next
    }
  }
  return '900';
}

/** Runs one sync at `now` (epoch ms; the simulator's clock plus a margin). `status` sees progress lines. */
export async function runSync(
  env: Record<string, string>,
  now: number,
  status?: (line: string) => void,
): Promise<SyncRunResult> {
  const config = parseConfig(env, {}, now);
  const io: CliIo = {
    env: {},
    out: () => undefined,
    err: (line) => console.error(line),
    // A "terminal" only so that the sync reports progress; nothing is drawn.
    isTTY: status !== undefined,
    status,
    clearLine: () => undefined,
    logDestination: sink,
  };
  const logger = createLogger({ level: config.logLevel, destination: sink });
  const t0 = performance.now();
  const outcome = await syncOnce(config, logger, io, { now: () => now });
  const ms = performance.now() - t0;
  const resources = Object.entries(outcome.result?.resources ?? {});
  const written = Object.fromEntries(resources.map(([name, r]) => [name, r.written]));
  return {
    code: outcome.code,
    status: outcome.result?.status ?? 'not run',
    error: outcome.result?.error ?? null,
    ms,
    client: outcome.stats ?? null,
    fetched: Object.fromEntries(resources.map(([name, r]) => [name, r.fetched])),
    written,
    writtenTotal: Object.values(written).reduce((a, b) => a + b, 0),
  };
}

/** Throws unless the run succeeded: a figure of a failed sync would measure nothing. */
export function assertSucceeded(r: SyncRunResult, what: string): void {
  if (r.code !== 0 || r.status !== 'succeeded')
    throw new Error(`${what}: sync ${r.status} (exit ${r.code}): ${r.error ?? 'no error given'}`);
}
