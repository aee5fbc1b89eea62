/**
 * The sync as a user meets it: through `main()` and through `node bin/pd-warehouse.js`, with the mistakes
 * users make (a wrong token, no DATABASE_URL) and the first command they run (`demo`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { cleanEnv, runBin } from '../../helpers/bin.js';
import { createWarehouse, type Warehouse } from '../../helpers/syncHarness.js';
import { count } from './compare.js';

interface Captured {
  code: number;
  out: string[];
  err: string[];
  logs: string;
}

/** Runs `main(argv)` in-process with the given environment, capturing every line and log. */
async function runMain(argv: string[], env: Record<string, string>): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  let logs = '';
  const io: CliIo = {
    env,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY: false,
    logDestination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logs += chunk.toString();
        done();
      },
    }),
  };
  const code = await main(argv, io);
  return { code, out, err, logs };
}

describe('a wrong token', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 71, preset: 'small', tokens: ['right-token-0123456789'] });
    wh = createWarehouse('wrongtoken');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  // Proves a rejected token stops the run at once with the fix in one line, leaks the token nowhere
  // (output, error, logs at debug level) and writes no data.
  it('exits non-zero within 5 s with the 401 guidance, shows the token nowhere, writes nothing', async () => {
    const token = 'wrong-token-5f0c2a9e77';
    const started = Date.now();
    const r = await runMain(['sync'], {
      ...wh.env,
      PAGERDUTY_TOKEN: token,
      PAGERDUTY_API_URL: sim.url,
      LOG_LEVEL: 'debug',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).not.toBe(0);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/401/);
    expect(r.err[0]).toMatch(/PAGERDUTY_TOKEN/);
    expect(r.err[0]).toMatch(/api\.eu\.pagerduty\.com/);
    expect([...r.out, ...r.err, r.logs].join('\n')).not.toContain(token);
    // Exactly one request: a 401 is not retried, and no other resource is tried after it.
    expect(sim.stats.requests).toBe(1);
    // No data rows; on a first run on the embedded database, not even the tables (the token came first).
    const db = await wh.open();
    try {
      for (const table of ['incidents', 'services', 'log_entries', 'oncalls', 'incident_assignments']) {
        const [exists] = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
        if (exists?.t) expect(await count(db, table), table).toBe(0);
      }
    } finally {
      await db.close();
    }
  });
});

describe('a wrong token on a first run without DATABASE_URL', () => {
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 72, preset: 'small', tokens: ['right-token-0123456789'] });
    dir = mkdtempSync(join(tmpdir(), 'pdw-cli-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves the token is checked before the embedded database is created (which takes seconds): the
  // command, node start-up included, exits within 5 s with the one-line 401 message and leaves no database.
  it('`pd-warehouse sync` exits 1 within 5 s with the 401 guidance and creates no database', async () => {
    const token = 'wrong-token-b1d2e3f4a5';
    const dataDir = join(dir, 'data');
    const env = {
      ...cleanEnv(),
      PAGERDUTY_TOKEN: token,
      PAGERDUTY_API_URL: sim.url,
      PD_WAREHOUSE_DATA_DIR: dataDir,
    };
    const r = await runBin(['sync'], env, 30_000);
    expect(r.ms).toBeLessThan(5000);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pd-warehouse: PagerDuty rejected the token \(401\): check PAGERDUTY_TOKEN/);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('no DATABASE_URL: the embedded database', () => {
  let sim: Simulator;
  let dir: string;
  beforeAll(async () => {
    // The child syncs on the real clock: the account's clock is 5 minutes behind it, so the signpost
    // (now - 1 min) is past everything the account holds.
    sim = await startSimulator({ seed: 73, preset: 'small', now: Date.now() - 5 * 60_000 });
    dir = mkdtempSync(join(tmpdir(), 'pdw-cli-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves `sync` and `status` work with nothing but a token: the embedded database in PD_WAREHOUSE_DATA_DIR.
  it('`sync` loads the account into PD_WAREHOUSE_DATA_DIR and `status` shows its rows', async () => {
    const env = {
      ...cleanEnv(),
      PAGERDUTY_TOKEN: 'cli-token-0123456789',
      PAGERDUTY_API_URL: sim.url,
      PD_WAREHOUSE_DATA_DIR: join(dir, 'data'),
      SYNC_START: '130d',
      LOG_LEVEL: 'warn',
    };
    const sync = await runBin(['sync'], env, 60_000);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/run succeeded/);
    const status = await runBin(['status'], env, 30_000);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const rows = (name: string) => Number(new RegExp(`^${name}\\s+(\\d+)`, 'm').exec(status.stdout)?.[1]);
    const truth = sim.truth();
    expect(rows('incidents')).toBe(truth.counts.incidents);
    expect(rows('services')).toBe(truth.counts.services);
    expect(rows('log_entries')).toBeGreaterThan(0);
    expect(rows('oncalls')).toBeGreaterThan(0);
    expect(status.stdout).toMatch(/last run: #1 succeeded/);
  }, 90_000);

  // Proves the first command of the README: a simulator and an embedded database in a fresh folder,
  // one sync, then the MTTA/MTTR table, in under a minute.
  it('`demo` finishes in under a minute and prints the MTTA/MTTR table', async () => {
    const demo = await runBin(['demo', '--dir', join(dir, 'demo')], cleanEnv(), 70_000);
    expect(demo.code).toBe(0);
    expect(demo.ms).toBeLessThan(60_000);
    expect(demo.stdout).toContain('MTTA');
    expect(demo.stdout).toContain('MTTR');
  }, 90_000);
});
