/**
 * Runs the real sync (config → database → HTTP client → engine) in-process against a simulator, on the
 * database the test run chose: a private schema on TEST_DATABASE_URL (or testcontainers), else (or with
 * `{ embedded: true }`) a fresh file-backed PGlite directory. The sync's clock is the simulator's, two
 * minutes on (nothing is in flight); the HTTP client's may be an accelerated one (createAcceleratedClock).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { inject } from 'vitest';
import { syncOnce, type SyncOutcome } from '../../src/cli/syncCommand.js';
import type { CliIo } from '../../src/cli/io.js';
import { parseConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { createLogger } from '../../src/logger.js';
import type { Simulator } from '../../src/simulator/index.js';
import { createSchemaName } from './database.js';

export interface Warehouse {
  env: Record<string, string>;
  /** Opens the warehouse for assertions (close it after). */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export interface WarehouseOptions {
  /** The embedded database (file-backed PGlite) whatever the test run chose, so CI covers PGlite too. */
  embedded?: boolean;
}

export function createWarehouse(name: string, opts: WarehouseOptions = {}): Warehouse {
  const target = inject('testDatabase');
  if (target.kind === 'url' && !opts.embedded) {
    const schema = createSchemaName(name);
    return {
      env: { DATABASE_URL: target.url, DATABASE_SCHEMA: schema },
      open: () => openDatabase({ url: target.url, schema }),
      drop: async () => {
        const client = new pg.Client({ connectionString: target.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `pdw-${name}-`));
  return {
    env: { PD_WAREHOUSE_DATA_DIR: dir, DATABASE_SCHEMA: 'pagerduty' },
    open: () => openDatabase({ dataDir: dir, schema: 'pagerduty' }),
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

export interface SyncRun extends SyncOutcome {
  out: string[];
  err: string[];
  logs: string;
  /** Requests the simulator saw during this run. */
  requests: number;
}

/** A clock running `factor` times faster than real time, and a sleep that matches it. */
export interface AcceleratedClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Real time sped up `factor` times, from now. Shared by the simulator's rate limiter (`rateClock`) and the
 * sync's HTTP client (`clientClock`), it makes PagerDuty's 60 s rate window pass in 60 / factor seconds
 * while both sides keep exactly their production rules.
 */
export function createAcceleratedClock(factor: number): AcceleratedClock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * factor,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / factor)),
  };
}

export interface SyncAgainstOptions {
  /** The HTTP client's clock (see createAcceleratedClock); default real time. */
  clientClock?: AcceleratedClock;
}

/** One `pd-warehouse sync` against `sim` into `wh`; `env` overrides (e.g. PAGERDUTY_MAX_RPM). */
export async function syncAgainst(
  sim: Simulator,
  wh: Warehouse,
  env: Record<string, string> = {},
  flags: { full?: boolean; since?: string; resources?: string; allowRejects?: boolean } = {},
  opts: SyncAgainstOptions = {},
): Promise<SyncRun> {
  const now = sim.account.now + 120_000;
  const out: string[] = [];
  const err: string[] = [];
  let logs = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  const io: CliIo = {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY: false,
    logDestination: destination,
  };
  const fullEnv = {
    PAGERDUTY_TOKEN: 'test-token-0123456789',
    PAGERDUTY_API_URL: sim.url,
    SYNC_START: `${sim.account.spec.days + 5}d`,
    LOG_LEVEL: 'info',
    ...wh.env,
    ...env,
  };
  const config = parseConfig(fullEnv, flags, now);
  const before = sim.stats.requests;
  const outcome = await syncOnce(config, createLogger({ level: config.logLevel, destination }), io, {
    now: () => now,
    clientClock: opts.clientClock,
  });
  expectNoSecrets(fullEnv, [logs, ...out, ...err].join('\n'));
  return { ...outcome, out, err, logs, requests: sim.stats.requests - before };
}

/**
 * The secrets an environment holds: tokens, OAuth client secrets, routing keys and database passwords.
 * Every run of the suite (syncAgainst, the worker child processes) checks its whole output against them.
 */
export function secretsOf(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const name of [
    'PAGERDUTY_TOKEN',
    'PAGERDUTY_OAUTH_TOKEN',
    'PAGERDUTY_CLIENT_SECRET',
    'PAGERDUTY_ROUTING_KEY',
  ]) {
    const v = env[name]?.trim();
    if (v && v.length >= 6) out.push(v);
  }
  try {
    const password = env.DATABASE_URL ? decodeURIComponent(new URL(env.DATABASE_URL).password) : '';
    if (password.length >= 4) out.push(password);
  } catch {
    // not a URL: nothing to hide
  }
  return out;
}

/** Fails the calling test when any secret of `env` appears in `text`. */
export function expectNoSecrets(env: Record<string, string | undefined>, text: string): void {
  for (const secret of secretsOf(env)) {
    if (text.includes(secret)) {
      throw new Error(`a secret (${secret.slice(0, 3)}…) appeared in the output of a run`);
    }
  }
}

/** The first sync slice (services, incidents, log entries, on-calls): what the incremental request bounds cover. */
export const INCIDENT_RESOURCES = 'services,incidents,log_entries,oncalls';
