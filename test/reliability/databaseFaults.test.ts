/**
 * Database faults under a real `pd-warehouse sync` (the CLI as a child process) on a `large` backfill:
 * sessions terminated mid-run, the server "restarting" (a TCP proxy that drops every connection and
 * refuses new ones for seconds), and a database that refuses writes. A run either completes or fails with
 * one clear line (no stack trace, no password); the next run completes, and the warehouse then equals the
 * simulator's truth with no duplicates, while no cursor was ever ahead of the committed data.
 *
 * Needs a Postgres server: on PGlite there is no connection to cut or role to restrict, so it is skipped.
 * A full disk is not simulated (a small tablespace needs root and a mount); its SQLSTATE mapping is unit
 * tested in test/unit/db/databaseFailure.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { createWarehouse, expectNoSecrets, syncAgainst, type Warehouse } from '../helpers/syncHarness.js';
import { expectWarehouseMatchesTruth } from '../integration/sync/compare.js';
import {
  adminQuery,
  cleanEnv,
  fingerprint,
  runBin,
  startDbProxy,
  terminateBackends,
  until,
  urlWith,
  type ChildResult,
} from './reliabilityHelpers.js';

const target = inject('testDatabase');
const PASSWORD = 'dbfault-pw-9f8e7d';
const TOKEN = 'dbfault-token-0123456789';

/** A `large` account whose clock is 5 minutes behind the real one (the child syncs on the real clock). */
function largeAccount(seed: number): Promise<Simulator> {
  return startSimulator({
    seed,
    preset: 'large',
    now: Date.now() - 5 * 60_000,
    rpm: 100_000,
    // Slow answers stretch the backfill to several seconds, so the faults land in the middle of it.
    faults: { latencyMs: 30 },
  });
}

function childEnv(sim: Simulator, wh: Warehouse, databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(),
    ...wh.env,
    DATABASE_URL: databaseUrl,
    PAGERDUTY_TOKEN: TOKEN,
    PAGERDUTY_API_URL: sim.url,
    PAGERDUTY_MAX_RPM: '10000',
    SYNC_START: `${sim.account.spec.days + 5}d`,
    LOG_LEVEL: 'warn',
  };
}

/** stderr without the JSON log lines: what a user reads. */
function messages(r: ChildResult): string[] {
  return r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
}

/** Completed, or failed with exactly one `pd-warehouse:` line; never a stack trace or a secret. */
function expectCompletedOrOneLine(r: ChildResult, env: NodeJS.ProcessEnv): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expectNoSecrets(env, r.stdout + r.stderr);
  if (r.code === 0) {
    expect(r.stdout).toMatch(/run succeeded/);
    return;
  }
  expect(r.code, r.stderr).toBe(1);
  const lines = messages(r);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^pd-warehouse: /);
}

async function incidentRows(schema: string): Promise<number> {
  const rows = await adminQuery<{ n: number }>(
    String(target.url),
    `SELECT count(*)::int AS n FROM "${schema}".incidents`,
  ).catch(() => [{ n: 0 }]);
  return rows[0]?.n ?? 0;
}

/**
 * Every incident the simulator created before the saved `incidents` cursor is in the warehouse: the
 * cursor never runs ahead of committed data, whatever the fault interrupted.
 */
async function expectCursorsBehindData(wh: Warehouse, sim: Simulator): Promise<void> {
  const db = await wh.open();
  try {
    const [state] = await db.query<{ cursor: Date | null }>(
      `SELECT cursor FROM sync_state WHERE resource = 'incidents'`,
    );
    const cursor = state?.cursor ? state.cursor.getTime() : -Infinity;
    const held = new Set((await db.query<{ id: string }>('SELECT id FROM incidents')).map((r) => r.id));
    const missing = sim
      .truth()
      .incidents.filter((i) => Date.parse(i.created_at) < cursor && !held.has(i.id))
      .map((i) => i.id);
    expect(missing).toEqual([]);
  } finally {
    await db.close();
  }
}

/** The warehouse equals the truth, and no natural key is held twice. */
async function expectMatchesTruthWithoutDuplicates(wh: Warehouse, sim: Simulator): Promise<void> {
  const db = await wh.open();
  try {
    await expectWarehouseMatchesTruth(db, sim);
    const [dupes] = await db.query<{ incidents: number; log: number; oncalls: number }>(
      `SELECT (SELECT count(*) - count(DISTINCT id) FROM incidents)::int AS incidents,
              (SELECT count(*) - count(DISTINCT id) FROM log_entries)::int AS log,
              (SELECT count(*) - count(DISTINCT (escalation_policy_id, escalation_level, schedule_id, user_id, start_at, end_at))
                 FROM oncalls)::int AS oncalls`,
    );
    expect(dupes).toEqual({ incidents: 0, log: 0, oncalls: 0 });
  } finally {
    await db.close();
  }
}

describe.skipIf(target.kind !== 'url')('database faults (Postgres only; skipped on PGlite)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()?.();
  });

  // Proves sessions killed by pg_terminate_backend mid-backfill lose nothing: one clean line at worst,
  // and the next run completes to the truth.
  it('connections terminated mid-run: completes, or one line and the next run completes', async () => {
    const sim = await largeAccount(91);
    const wh = createWarehouse('dbfault_term');
    cleanup.push(
      () => sim.close(),
      () => wh.drop(),
    );
    const app = `pdw-dbfault-${randomBytes(4).toString('hex')}`;
    const env = childEnv(sim, wh, urlWith(String(target.url), { app, password: PASSWORD }));
    const running = runBin(['sync'], env, 120_000);
    let injected = 0;
    let terminated = 0;
    // Three rounds, a second apart, once the first incidents are committed.
    expect(await until(async () => (await incidentRows(String(wh.env.DATABASE_SCHEMA))) > 0, 60_000)).toBe(
      true,
    );
    for (let round = 0; round < 3; round++) {
      const n = await terminateBackends(String(target.url), app);
      if (n > 0) injected++;
      terminated += n;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const first = await running;
    expect(injected).toBeGreaterThan(0);
    expectCompletedOrOneLine(first, env);
    await expectCursorsBehindData(wh, sim);
    const second = await runBin(['sync'], env, 120_000);
    expect(second.code, second.stderr).toBe(0);
    await expectMatchesTruthWithoutDuplicates(wh, sim);
    report('terminate_backend', injected, terminated, first, second);
  }, 240_000);

  // Proves a server that drops every connection and refuses new ones for seconds (a restart) is met the
  // same way, without restarting the shared test server.
  it('Postgres restarted mid-run (proxy outage): completes, or one line and the next run completes', async () => {
    const sim = await largeAccount(92);
    const wh = createWarehouse('dbfault_restart');
    const proxy = await startDbProxy(new URL(String(target.url)));
    cleanup.push(
      () => sim.close(),
      () => wh.drop(),
      () => proxy.stop(),
    );
    const viaProxy = new URL(urlWith(String(target.url), { password: PASSWORD }));
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const env = childEnv(sim, wh, viaProxy.toString());
    const running = runBin(['sync'], env, 120_000);
    expect(await until(async () => (await incidentRows(String(wh.env.DATABASE_SCHEMA))) > 0, 60_000)).toBe(
      true,
    );
    await proxy.outage(3000);
    const first = await running;
    expect(proxy.dropped()).toBeGreaterThan(0);
    expectCompletedOrOneLine(first, env);
    await expectCursorsBehindData(wh, sim);
    const second = await runBin(['sync'], env, 120_000);
    expect(second.code, second.stderr).toBe(0);
    await expectMatchesTruthWithoutDuplicates(wh, sim);
    report('proxy_outage_3s', 1, proxy.dropped(), first, second);
  }, 240_000);
});

describe.skipIf(target.kind !== 'url')('a database that refuses writes (Postgres only)', () => {
  let sim: Simulator;
  let wh: Warehouse;
  const role = `pdw_ro_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 93, preset: 'small', now: Date.UTC(2026, 9, 1, 12), rpm: 100_000 });
    wh = createWarehouse('dbfault_ro');
    const first = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
    expect(first.code).toBe(0);
    const schema = String(wh.env.DATABASE_SCHEMA);
    await adminQuery(
      String(target.url),
      `CREATE ROLE ${role} LOGIN;
       GRANT USAGE ON SCHEMA "${schema}" TO ${role};
       GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO ${role};`,
    );
  }, 60_000);
  afterAll(async () => {
    await sim.close();
    await wh.drop();
    await adminQuery(String(target.url), `DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`);
  });

  const variants = [
    { name: 'a role with only USAGE and SELECT', change: { user: role }, says: /permission denied/ },
    {
      name: 'default_transaction_read_only = on (a replica)',
      change: { options: '-c default_transaction_read_only=on' },
      says: /read-only/,
    },
  ];

  // Proves a read-only warehouse stops `sync` with one line saying the database refused writes and what to
  // do, exit 1, no stack, and leaves the data exactly as it was.
  it.each(variants)(
    '$name: one line, exit 1, data unchanged',
    async ({ change, says }) => {
      const url = new URL(urlWith(String(target.url), { password: PASSWORD, user: change.user }));
      if (change.options) url.searchParams.set('options', change.options);
      const env = {
        ...childEnv(sim, wh, url.toString()),
        PAGERDUTY_API_URL: sim.url,
        SYNC_START: '800d',
        LOG_LEVEL: 'info',
      };
      const db = await wh.open();
      const before = await fingerprint(db).finally(() => db.close());
      const r = await runBin(['sync'], env, 60_000);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expectNoSecrets(env, r.stdout + r.stderr);
      const lines = messages(r);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^pd-warehouse: the database refused writes/);
      expect(lines[0]).toMatch(says);
      expect(lines[0]).toMatch(/: (grant|point DATABASE_URL)/);
      const after = await wh.open();
      expect(await fingerprint(after).finally(() => after.close())).toEqual(before);
    },
    90_000,
  );
});

/** One row of the figures table, printed for the report. */
function report(fault: string, injected: number, killed: number, first: ChildResult, second: ChildResult) {
  const outcome = first.code === 0 ? 'first run completed' : `first run: ${messages(first)[0] ?? '?'}`;
  process.stdout.write(
    `[dbfault] ${fault}: injected ${injected}x (${killed} connections), runs 2, first exit ${first.code}, second exit ${second.code}; ${outcome}\n`,
  );
}
