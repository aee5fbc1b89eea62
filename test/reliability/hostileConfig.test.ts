/**
 * Hostile configuration through the real CLI (`node bin/pd-warehouse.js sync|worker`) against an already
 * synced warehouse: every bad value stops the command with exactly one line on stderr naming the variable,
 * no stack trace, no secret, exit code 2 (1 for a database that cannot be reached), and the warehouse is
 * exactly as it was (row counts, newest synced_at, runs and cursors).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { createWarehouse, expectNoSecrets, syncAgainst, type Warehouse } from '../helpers/syncHarness.js';
import { cleanEnv, fingerprint, runBin } from './reliabilityHelpers.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const TOKEN = 'hostile-token-0123456789';
const ROUTING_KEY = 'R0123456789abcdef0123456789abcdef';

interface Case {
  name: string;
  command: 'sync' | 'worker';
  env: Record<string, string | undefined>;
  /** The variable the one line must name. */
  names: RegExp;
  code: 1 | 2;
}

const sync = (name: string, env: Case['env'], names: RegExp, code: 1 | 2 = 2): Case => ({
  name,
  command: 'sync',
  env,
  names,
  code,
});
const worker = (name: string, env: Case['env'], names: RegExp): Case => ({
  name,
  command: 'worker',
  env,
  names,
  code: 2,
});

const CASES: Case[] = [
  sync('PAGERDUTY_API_URL not a URL', { PAGERDUTY_API_URL: 'api.pagerduty.com' }, /PAGERDUTY_API_URL/),
  sync(
    'PAGERDUTY_API_URL wrong scheme',
    { PAGERDUTY_API_URL: 'ftp://api.pagerduty.com' },
    /PAGERDUTY_API_URL/,
  ),
  sync('DATABASE_URL not a URL', { DATABASE_URL: 'postgres//localhost/x' }, /DATABASE_URL/),
  sync('DATABASE_URL wrong scheme', { DATABASE_URL: 'mysql://u@127.0.0.1/x' }, /DATABASE_URL/),
  sync(
    'PAGERDUTY_EVENTS_URL not a URL',
    { PAGERDUTY_ROUTING_KEY: ROUTING_KEY, PAGERDUTY_EVENTS_URL: 'events' },
    /PAGERDUTY_EVENTS_URL/,
  ),
  sync('PAGERDUTY_MAX_RPM negative', { PAGERDUTY_MAX_RPM: '-1' }, /PAGERDUTY_MAX_RPM/),
  sync('PAGERDUTY_MAX_RPM absurd', { PAGERDUTY_MAX_RPM: '1e9' }, /PAGERDUTY_MAX_RPM/),
  sync('PAGERDUTY_MAX_RPM not a number', { PAGERDUTY_MAX_RPM: 'abc' }, /PAGERDUTY_MAX_RPM/),
  worker('SHUTDOWN_TIMEOUT_S zero', { SHUTDOWN_TIMEOUT_S: '0' }, /SHUTDOWN_TIMEOUT_S/),
  worker('METRICS_PORT out of range', { METRICS_PORT: '70000' }, /METRICS_PORT/),
  worker('SYNC_SCHEDULE minute 61', { SYNC_SCHEDULE: '61 * * * *' }, /SYNC_SCHEDULE/),
  worker('SYNC_SCHEDULE prose', { SYNC_SCHEDULE: 'every day' }, /SYNC_SCHEDULE/),
  sync('SYNC_START prose', { SYNC_START: '5 weeks' }, /SYNC_START/),
  sync('SYNC_START negative', { SYNC_START: '-3d' }, /SYNC_START/),
  sync('SYNC_RESOURCES unknown name', { SYNC_RESOURCES: 'incidents,bogus' }, /SYNC_RESOURCES/),
  sync('DATABASE_SCHEMA with quotes', { DATABASE_SCHEMA: 'pd"; drop' }, /DATABASE_SCHEMA/),
  sync('PAGERDUTY_TOKEN with a line break', { PAGERDUTY_TOKEN: 'abc0123456\ndef0123456' }, /PAGERDUTY_TOKEN/),
  sync('SYNC_ANALYTICS yes', { SYNC_ANALYTICS: 'yes' }, /SYNC_ANALYTICS/),
  sync('SERVICE_KEY_SOURCE unknown kind', { SERVICE_KEY_SOURCE: 'label:x' }, /SERVICE_KEY_SOURCE/),
  sync(
    'PAGERDUTY_REGION asia with client credentials',
    {
      PAGERDUTY_TOKEN: undefined,
      PAGERDUTY_CLIENT_ID: 'client-id-0123',
      PAGERDUTY_CLIENT_SECRET: 'client-secret-0123456789',
      PAGERDUTY_SUBDOMAIN: 'acme',
      PAGERDUTY_REGION: 'asia',
    },
    /PAGERDUTY_REGION/,
  ),
  sync(
    'DATABASE_URL to nowhere (with a password)',
    { DATABASE_URL: 'postgres://u:secretpw@127.0.0.1:1/x' },
    /DATABASE_URL/,
    1,
  ),
];

describe('hostile configuration through the CLI', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let before: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 81, preset: 'small', now: NOW, rpm: 100_000 });
    wh = createWarehouse('hostilecfg');
    const first = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
    expect(first.code).toBe(0);
    const db = await wh.open();
    try {
      before = await fingerprint(db);
    } finally {
      await db.close();
    }
    expect(Number(before.incidents?.split(' ')[0])).toBeGreaterThan(0);
  }, 60_000);
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  // The cases run concurrently, but an embedded (PGlite) warehouse takes one open at a time.
  let opening: Promise<unknown> = Promise.resolve();
  function fingerprintNow(): Promise<Record<string, string>> {
    const next = opening.then(async () => {
      const db = await wh.open();
      try {
        return await fingerprint(db);
      } finally {
        await db.close();
      }
    });
    opening = next.catch(() => undefined);
    return next;
  }

  function envFor(overrides: Case['env']): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...cleanEnv(),
      PAGERDUTY_TOKEN: TOKEN,
      PAGERDUTY_API_URL: sim.url,
      SYNC_START: '800d',
      LOG_LEVEL: 'info',
      ...wh.env,
      SYNC_ON_START: 'true',
      SYNC_SCHEDULE: '*/5 * * * * *',
    };
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  }

  // Proves each bad value is refused before anything is touched, with one line a user can act on.
  // Concurrent: none of them may write, and each child takes seconds to start.
  it.concurrent.each(CASES)(
    '$name: one line naming it, exit $code, nothing written',
    async (c) => {
      const env = envFor(c.env);
      const requests = sim.stats.requests;
      const r = await runBin([c.command], env, 45_000);
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^pd-warehouse: /);
      expect(lines[0]).toMatch(c.names);
      expect(r.stderr).not.toContain('    at ');
      expect(r.code).toBe(c.code);
      expect(r.stdout).toBe('');
      expectNoSecrets(env, r.stdout + r.stderr);
      expect(r.stdout + r.stderr).not.toContain('secretpw');
      expect(sim.stats.requests).toBe(requests);
      expect(await fingerprintNow()).toEqual(before);
    },
    60_000,
  );

  // A DATABASE_URL that does not parse is not echoed: an unescaped '#' in its password would print it.
  it('a malformed DATABASE_URL is refused without echoing its password', async () => {
    const env = envFor({ DATABASE_URL: 'postgres://u:pw#secretpw@127.0.0.1:1/x' });
    const r = await runBin(['sync'], env, 20_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stderr).not.toContain('secretpw');
  });
});
