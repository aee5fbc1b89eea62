/**
 * The `small` account on the embedded database (file-backed PGlite), whatever database the test run
 * chose: CI sets TEST_DATABASE_URL, and without this file PGlite would go untested there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createWarehouse,
  INCIDENT_RESOURCES,
  syncAgainst,
  type Warehouse,
} from '../../helpers/syncHarness.js';
import { expectOncallsMatch, expectWarehouseMatchesTruth } from './compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);

describe('sync of the small account on the embedded database', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 81, preset: 'small', now: NOW });
    wh = createWarehouse('embedded', { embedded: true });
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  // Proves the same truth equality as on Postgres: every incident (first acks kept after resolve), log
  // entry, service and on-call.
  it('a full sync equals the truth', async () => {
    expect(wh.env.DATABASE_URL).toBeUndefined();
    const run = await syncAgainst(sim, wh);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const db = await wh.open();
    try {
      expect(db.kind).toBe('pglite');
      await expectWarehouseMatchesTruth(db, sim);
      const now = sim.account.now + 120_000;
      await expectOncallsMatch(db, sim, now, now + 30 * 86_400_000);
    } finally {
      await db.close();
    }
  });

  // Proves the upserts skip unchanged rows on PGlite too.
  it('a second run writes nothing', async () => {
    const run = await syncAgainst(sim, wh);
    expect(run.code).toBe(0);
    const reports = Object.values(run.result?.resources ?? {});
    expect(reports).toHaveLength(10);
    expect(reports.map((r) => r.written)).toEqual(reports.map(() => 0));
  });

  // Proves change capture (log feed, re-reads, open sweep, renamed and deleted services) on PGlite.
  it('after the clock moves, one more sync equals the truth at ≤ 10 requests + 1 per changed incident', async () => {
    const report = sim.advance(6 * 60, {
      newIncidents: 4,
      priorityChanges: 3,
      renameService: true,
      deleteService: true,
    });
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
