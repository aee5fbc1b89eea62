import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const ANALYTICS = 'POST /analytics/raw/incidents';
/** Columns compared with the simulator's truth (the API's field names are the column names). */
const COLUMNS = [
  'id',
  'incident_number',
  'created_at',
  'updated_at',
  'resolved_at',
  'status',
  'urgency',
  'major',
  'service_id',
  'team_id',
  'priority_id',
  'seconds_to_first_ack',
  'seconds_to_engage',
  'seconds_to_mobilize',
  'seconds_to_resolve',
  'engaged_seconds',
  'engaged_user_count',
  'acknowledgement_count',
  'assignment_count',
  'escalation_count',
  'reassignment_count',
  'auto_resolved',
  'resolved_by_user_id',
  'business_hour_interruptions',
  'off_hour_interruptions',
  'sleep_hour_interruptions',
  'total_interruptions',
  'total_notifications',
  'acknowledged_user_ids',
  'assigned_user_ids',
] as const;
const TIMES = new Set(['created_at', 'updated_at', 'resolved_at']);

const analyticsRequests = (sim: Simulator) => sim.stats.byPath[ANALYTICS] ?? 0;

function normalise(row: Record<string, unknown>): string {
  return JSON.stringify(
    COLUMNS.map((c) => {
      const v = row[c];
      if (v instanceof Date) return v.toISOString().replace(/\.000Z$/, 'Z');
      if (TIMES.has(c) && typeof v === 'string') return new Date(v).toISOString().replace(/\.000Z$/, 'Z');
      return v ?? null;
    }),
  );
}

async function expectMatchesTruth(db: Database, sim: Simulator): Promise<number> {
  const truth = sim.truth().tables.analytics_incidents;
  expect(truth.length).toBeGreaterThan(0);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM analytics_incidents`,
  );
  expect(rows.map(normalise).sort()).toEqual(truth.map(normalise).sort());
  return rows.length;
}

async function lastReport(db: Database) {
  const rows = await db.query<{
    status: string;
    resources: Record<string, { status: string; written: number; pages: number; error?: string }>;
  }>('SELECT status, resources FROM sync_runs ORDER BY id DESC LIMIT 1');
  return rows[0];
}

describe('analytics, opt-in (large): cursor pages, increments, the daily quota', () => {
  let sim: Simulator;
  let wh: Warehouse;
  // Services only besides analytics: the analytics pass does not depend on the incident tables.
  const env = { PAGERDUTY_MAX_RPM: '10000', SYNC_ANALYTICS: 'true', SYNC_RESOURCES: 'services' };
  beforeAll(async () => {
    // A fixed quota clock mid-day, so the quota's reset is hours away whatever the wall clock says.
    sim = await startSimulator({
      seed: 5,
      preset: 'large',
      now: NOW,
      rpm: 100_000,
      analyticsDailyQuota: 3,
      rateClock: () => NOW,
    });
    wh = createWarehouse('analytics');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('stops cleanly when the daily quota is spent, keeping the pages it read', async () => {
    const total = sim.truth().tables.analytics_incidents.length;
    expect(total).toBeGreaterThan(3000); // more pages (1,000 records each) than the quota allows
    const run = await syncAgainst(sim, wh, env);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    // Three pages granted, the fourth refused with 429 and not retried.
    expect(analyticsRequests(sim)).toBe(4);
    expect(run.logs.match(/daily quota spent/g)).toHaveLength(1);
    const db = await wh.open();
    try {
      const report = await lastReport(db);
      expect(report?.status).toBe('succeeded');
      expect(report?.resources.analytics?.status).toBe('deferred');
      expect(report?.resources.analytics?.written).toBe(3000);
      expect(report?.resources.analytics?.error).toMatch(/quota/);
      const [{ n } = { n: 0 }] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM analytics_incidents',
      );
      expect(n).toBe(3000);
      // The cursor has not moved: the pass is unfinished.
      const [state] = await db.query<{ cursor: Date | null; extra: { pass?: unknown } }>(
        `SELECT cursor, extra FROM sync_state WHERE resource = 'analytics_incidents'`,
      );
      expect(state?.cursor).toBeNull();
      expect(state?.extra.pass).toBeTruthy();
    } finally {
      await db.close();
    }
  });

  it('after the reset, the next run goes on from the saved page and completes the table', async () => {
    sim.analyticsQuota.reset();
    sim.analyticsQuota.limit = 1000;
    const before = analyticsRequests(sim);
    const total = sim.truth().tables.analytics_incidents.length;
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    // Only the pages not read yet: ceil(total / 1000) − 3.
    expect(analyticsRequests(sim) - before).toBe(Math.ceil(total / 1000) - 3);
    const db = await wh.open();
    try {
      expect(await expectMatchesTruth(db, sim)).toBe(total);
      const report = await lastReport(db);
      expect(report?.resources.analytics?.status).toBe('succeeded');
      const [state] = await db.query<{ cursor: Date | null; extra: { pass?: unknown } }>(
        `SELECT cursor, extra FROM sync_state WHERE resource = 'analytics_incidents'`,
      );
      expect(state?.cursor).not.toBeNull();
      expect(state?.extra.pass).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('a second run reads only recently updated records (one page) and writes 0', async () => {
    const before = analyticsRequests(sim);
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    expect(analyticsRequests(sim) - before).toBe(1);
    const db = await wh.open();
    try {
      expect((await lastReport(db))?.resources.analytics?.written).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('picks up new and changed incidents through updated_after', async () => {
    sim.advance(90, { newIncidents: 12 });
    const before = analyticsRequests(sim);
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    expect(analyticsRequests(sim) - before).toBe(1);
    const db = await wh.open();
    try {
      await expectMatchesTruth(db, sim);
      expect((await lastReport(db))?.resources.analytics?.written).toBeGreaterThanOrEqual(12);
    } finally {
      await db.close();
    }
  });
});

describe('analytics: a saved page cursor the API refuses', () => {
  let sim: Simulator;
  let wh: Warehouse;
  const env = { PAGERDUTY_MAX_RPM: '10000', SYNC_ANALYTICS: 'true', SYNC_RESOURCES: 'services' };
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, preset: 'small', now: NOW, rpm: 100_000 });
    wh = createWarehouse('analytics-cursor');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('starts the pass over once and completes it', async () => {
    expect((await syncAgainst(sim, wh, env)).code).toBe(0);
    const db = await wh.open();
    try {
      // The position a run that stopped mid-pass saved, with a cursor the API no longer accepts.
      const start = new Date(sim.account.now + 120_000 - (sim.account.spec.days + 5) * 86_400_000);
      await db.query(
        `UPDATE sync_state SET extra = jsonb_build_object('pass', jsonb_build_object(
           'createdAtStart', $1::text, 'updatedAfter', NULL, 'startingAfter', 'no-such-cursor',
           'maxUpdatedAt', NULL)) WHERE resource = 'analytics_incidents'`,
        [start.toISOString()],
      );
    } finally {
      await db.close();
    }
    const before = analyticsRequests(sim);
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    expect(run.logs).toMatch(/resuming the pass/);
    expect(run.logs).toMatch(/refused \(400\); starting the pass over/);
    // The refused resume, then one fresh pass over the last day's updates.
    expect(analyticsRequests(sim) - before).toBe(2);
  });
});

describe('analytics off, or not on the plan', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 6, preset: 'small', now: NOW, rpm: 100_000 });
    wh = createWarehouse('analytics-off');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('disabled (the default): no analytics request and no analytics entry', async () => {
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000', SYNC_RESOURCES: 'services' });
    expect(run.code).toBe(0);
    expect(analyticsRequests(sim)).toBe(0);
    const db = await wh.open();
    try {
      expect((await lastReport(db))?.resources.analytics).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it('without the analytics ability (402): recorded as unavailable, one warning, the run succeeds', async () => {
    sim.abilities.analytics = false;
    const run = await syncAgainst(sim, wh, {
      PAGERDUTY_MAX_RPM: '10000',
      SYNC_RESOURCES: 'services',
      SYNC_ANALYTICS: 'true',
    });
    expect(run.code).toBe(0);
    expect(run.logs.match(/unavailable on this plan/g)).toHaveLength(1);
    expect(analyticsRequests(sim)).toBe(1);
    const db = await wh.open();
    try {
      const report = await lastReport(db);
      expect(report?.status).toBe('succeeded');
      expect(report?.resources.analytics?.status).toBe('unavailable');
    } finally {
      await db.close();
    }
  });
});
