import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createWarehouse,
  INCIDENT_RESOURCES,
  syncAgainst,
  type Warehouse,
} from '../../helpers/syncHarness.js';
import { count, expectOncallsMatch, expectWarehouseMatchesTruth } from './compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);

describe('sync of the small account', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 31, preset: 'small', now: NOW });
    wh = createWarehouse('small');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('loads every incident, log entry, service and on-call exactly as the truth, first acks included', async () => {
    const run = await syncAgainst(sim, wh);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
      const truth = sim.truth();
      // The point of log-based first acks: resolved incidents keep them although PagerDuty dropped them.
      const resolvedAcked = truth.incidents.filter((i) => i.status === 'resolved' && i.first_acknowledged_at);
      expect(resolvedAcked.length).toBeGreaterThan(100);
      const now = sim.account.now + 120_000;
      await expectOncallsMatch(db, sim, now, now + 30 * 86_400_000);
      const runs = await db.query<{ status: string; requests: number }>(
        'SELECT status, requests FROM sync_runs',
      );
      expect(runs).toEqual([{ status: 'succeeded', requests: run.requests }]);
    } finally {
      await db.close();
    }
  });

  it('a second run writes nothing and leaves no duplicates', async () => {
    const db = await wh.open();
    const before = await db.query<{ xmin: string; id: string }>(
      'SELECT xmin::text, id FROM incidents ORDER BY id',
    );
    await db.close();
    const run = await syncAgainst(sim, wh);
    expect(run.code).toBe(0);
    const reports = Object.values(run.result?.resources ?? {});
    expect(reports).toHaveLength(10);
    expect(reports.map((r) => r.written)).toEqual(reports.map(() => 0));
    const db2 = await wh.open();
    try {
      const after = await db2.query<{ xmin: string; id: string }>(
        'SELECT xmin::text, id FROM incidents ORDER BY id',
      );
      expect(after).toEqual(before);
      const dupes = await db2.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM (SELECT id FROM log_entries GROUP BY id HAVING count(*) > 1) d',
      );
      expect(dupes[0]?.n).toBe(0);
      expect(await count(db2, 'incidents')).toBe(sim.truth().counts.incidents);
    } finally {
      await db2.close();
    }
  });

  it('after the clock moves, one more sync matches the truth again, at a cost set by what changed', async () => {
    const report = sim.advance(6 * 60, {
      newIncidents: 4,
      priorityChanges: 3,
      renameService: true,
      deleteService: true,
    });
    expect(report.deletedServiceIds).toHaveLength(1);
    // The request bound belongs to the issue-3 resources; teams and tags fan out one request per item.
    const run = await syncAgainst(sim, wh, {}, { resources: INCIDENT_RESOURCES });
    expect(run.code).toBe(0);
    const changed = new Set([...report.changedIncidentIds]).size;
    expect(run.requests).toBeLessThanOrEqual(10 + changed);
    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
    } finally {
      await db.close();
    }
  });

  it('another sync holding the lock makes a run skip without touching data', async () => {
    const db = await wh.open();
    try {
      const { tryAdvisoryLock } = await import('../../../src/db/lock.js');
      const lock = await tryAdvisoryLock(db, db.schema);
      expect(lock.acquired).toBe(true);
      const runsBefore = await count(db, 'sync_runs');
      if (db.kind === 'pg') {
        const run = await syncAgainst(sim, wh);
        expect(run.code).toBe(0);
        expect(run.out.join('\n')).toContain(`another sync holds the lock for schema ${db.schema}; skipped`);
        expect(await count(db, 'sync_runs')).toBe(runsBefore);
      }
      await lock.release();
    } finally {
      await db.close();
    }
  });
});
