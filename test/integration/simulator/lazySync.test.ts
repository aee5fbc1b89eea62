/**
 * The real sync over real HTTP against a lazy account, the way the benchmark runs it (parseConfig +
 * syncOnce): every incident and every overview log entry must land in the warehouse.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { syncOnce } from '../../../src/cli/syncCommand.js';
import { parseConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, type Warehouse } from '../../helpers/syncHarness.js';
import { NOW } from './simHttp.js';

const sink = new Writable({ write: (_c, _e, done) => done() });
const io: CliIo = { env: {}, out: () => undefined, err: () => undefined, isTTY: false, logDestination: sink };

describe('the sync of a lazy account of 12,000 incidents over 30 days', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({
      preset: 'large',
      seed: 11,
      incidents: 12_000,
      days: 30,
      lazy: true,
      now: NOW,
      rpm: 1_000_000,
    });
    wh = createWarehouse('lazy');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('stores exactly the truth counts of incidents and overview log entries', async () => {
    const now = sim.account.now + 120_000;
    const env = {
      PAGERDUTY_TOKEN: 'lazy',
      PAGERDUTY_API_URL: sim.url,
      SYNC_START: '35d',
      PAGERDUTY_MAX_RPM: '10000',
      LOG_LEVEL: 'warn',
      SYNC_RESOURCES: 'incidents',
      ...wh.env,
    };
    const config = parseConfig(env, {}, now);
    const logger = createLogger({ level: 'warn', destination: sink });
    const { code, result } = await syncOnce(config, logger, io, { now: () => now });
    expect(result?.error ?? null).toBeNull();
    expect(code).toBe(0);
    const counts = sim.truth().counts;
    const db = await wh.open();
    try {
      const rows = async (table: string) =>
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;
      expect(await rows('incidents')).toBe(counts.incidents);
      expect(await rows('log_entries')).toBe(counts.log_entries_overview);
      expect(await rows('services')).toBe(counts.services);
    } finally {
      await db.close();
    }
  }, 300_000);
});
