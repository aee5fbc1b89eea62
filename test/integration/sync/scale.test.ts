/**
 * The sync at size: a `large` account (5,000 incidents over 400 days) loads completely and its incremental
 * runs cost what changed, not what is stored; a `burst` account (25,000 incidents within hours of one day)
 * loads completely without one request past PagerDuty's 10,000 offset cap.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createWarehouse,
  INCIDENT_RESOURCES,
  syncAgainst,
  type Warehouse,
} from '../../helpers/syncHarness.js';
import { count, expectWarehouseMatchesTruth } from './compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);

describe('sync of the large account', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 41, preset: 'large', now: NOW });
    wh = createWarehouse('large');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('a full sync equals the truth', async () => {
    const run = await syncAgainst(sim, wh);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    // No window of this account comes near the cap, so it never bisects or asks past it.
    expect(sim.stats.maxOffsetPlusLimit).toBeLessThanOrEqual(10_000);
    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
    } finally {
      await db.close();
    }
  });

  // Proves that an incremental run's cost grows with what changed, not with 400 days of history.
  it('after the clock moves, one more sync matches the truth at ≤ 10 requests + 1 per changed incident', async () => {
    const report = sim.advance(6 * 60, {
      newIncidents: 5,
      priorityChanges: 4,
      renameService: true,
      deleteService: true,
    });
    expect(report.deletedServiceIds).toHaveLength(1);
    expect(report.renamedServices).toHaveLength(1);
    // The request bound belongs to the issue-3 resources; teams and tags fan out one request per item.
    const run = await syncAgainst(sim, wh, {}, { resources: INCIDENT_RESOURCES });
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.requests).toBeLessThanOrEqual(10 + report.changedIncidentIds.length);
    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
    } finally {
      await db.close();
    }
  });
});

// The issue asks for the burst on Postgres (CI sets TEST_DATABASE_URL); on the embedded database it takes
// about a minute, so a bare `npm test` skips it visibly (embedded.test.ts covers PGlite).
const onServer = inject('testDatabase').kind === 'url';

describe.skipIf(!onServer)(
  `sync of the burst account${onServer ? '' : ' (skipped: no server database)'}`,
  () => {
    let sim: Simulator;
    let wh: Warehouse;
    beforeAll(async () => {
      // The budget is not under test here (budget.test.ts): a high one keeps ~1,550 requests (270 incident
      // pages, 1,280 log-entry pages) to seconds.
      sim = await startSimulator({ seed: 43, preset: 'burst', now: NOW, rpm: 100_000 });
      wh = createWarehouse('burst');
    });
    afterAll(async () => {
      await sim.close();
      await wh.drop();
    });

    // Proves windows are bisected under the cap: 25,000 incidents of one day all arrive, and no request
    // ever asks for offset + limit > 10,000 (PagerDuty would answer 400, code 2002).
    it('loads all 25,400 incidents without one request past the offset cap', async () => {
      const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      expect(sim.stats.maxOffsetPlusLimit).toBeLessThanOrEqual(10_000);
      expect(sim.stats.status['400']).toBeUndefined();
      const truth = sim.truth();
      expect(truth.counts.incidents).toBe(25_400);
      const db = await wh.open();
      try {
        expect(await count(db, 'incidents')).toBe(truth.counts.incidents);
        await expectWarehouseMatchesTruth(db, sim);
        // The burst day needed bisected windows (split_depth > 0 inside it), none of them over the cap.
        const burstDay = Date.UTC(2026, 9, 1) - 3 * 86_400_000;
        const split = await db.query<{ n: number; depth: number }>(
          `SELECT count(*)::int AS n, max(split_depth)::int AS depth FROM sync_windows
         WHERE resource = 'incidents' AND split_depth > 0
           AND window_start >= $1::timestamptz AND window_end <= $2::timestamptz`,
          [new Date(burstDay).toISOString(), new Date(burstDay + 86_400_000).toISOString()],
        );
        expect(split[0]?.n).toBeGreaterThan(0);
        const largest = await db.query<{ rows: number }>('SELECT max(rows)::int AS rows FROM sync_windows');
        expect(largest[0]?.rows).toBeLessThanOrEqual(10_000);
      } finally {
        await db.close();
      }
    }, 120_000);
  },
);
