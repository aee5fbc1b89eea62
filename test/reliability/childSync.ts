/**
 * `pd-warehouse sync` as a child process (node bin/pd-warehouse.js sync), the way cron or a Kubernetes
 * CronJob runs it: so a test can SIGKILL it at any instant, or run several at once against one database.
 * The simulator lives in the test process; the child syncs on the real clock, so start the simulator a few
 * minutes in the past (`now: Date.now() - 5 * 60_000`) for the signpost (now - 1 min) to be past it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { expectNoSecrets, type Warehouse } from '../helpers/syncHarness.js';

const BIN = fileURLToPath(new URL('../../bin/pd-warehouse.js', import.meta.url));
const DAY_MS = 86_400_000;

/** Why a reliability file skips: processes cannot share the embedded database. */
export const NEEDS_SERVER =
  inject('testDatabase').kind === 'url'
    ? null
    : 'skipped: needs a PostgreSQL server (TEST_DATABASE_URL or Docker); the embedded PGlite cannot be shared by processes';

export interface ChildSync {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process is gone (its output checked for secrets); `signal` is set when killed. */
  exited: Promise<ChildExit>;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Epoch ms of the exit. */
  at: number;
}

/** SYNC_START as an instant, so the test and every child agree on where history starts. */
export function syncStartOf(sim: Simulator): string {
  return new Date(sim.account.now - (sim.account.spec.days + 5) * DAY_MS).toISOString();
}

/** Starts `pd-warehouse sync [args]` against `sim` into `wh`; `env` overrides (e.g. PAGERDUTY_MAX_RPM). */
export function startChildSync(
  sim: Simulator,
  wh: Warehouse,
  env: Record<string, string> = {},
  args: string[] = [],
): ChildSync {
  const base = { ...process.env };
  for (const name of Object.keys(base)) {
    if (/^(DATABASE_|PAGERDUTY_|PD_WAREHOUSE_|SYNC_|LOG_LEVEL$)/.test(name)) delete base[name];
  }
  const childEnv = {
    ...base,
    PAGERDUTY_TOKEN: 'reliability-token-0123',
    PAGERDUTY_API_URL: sim.url,
    SYNC_START: syncStartOf(sim),
    LOG_LEVEL: 'warn',
    ...wh.env,
    ...env,
  };
  const child = spawn(process.execPath, [BIN, 'sync', ...args], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<ChildExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      try {
        expectNoSecrets(childEnv, stdout + stderr);
        resolve({ code, signal, stdout, stderr, at: Date.now() });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
  return { child, output: () => stdout + stderr, exited };
}
