import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const INCIDENT_VALUES = 'GET /incidents/{id}/custom_fields/values';
const SERVICE_VALUES = 'GET /services/{id}/custom_fields/values';

/** Requests the simulator saw on any custom-field path. */
function customFieldRequests(sim: Simulator): Record<string, number> {
  return Object.fromEntries(
    Object.entries(sim.stats.byPath).filter(([path]) => path.includes('custom_fields')),
  );
}

const sortRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.entries(r))).sort();

async function expectTableMatches(
  db: Database,
  sim: Simulator,
  name: 'incident_custom_fields' | 'service_custom_fields',
) {
  const truth = sim.truth().tables[name] as unknown as Record<string, unknown>[];
  expect(truth.length, name).toBeGreaterThan(0);
  const select = Object.keys(truth[0] ?? {})
    .map((f) => `"${f}"`)
    .join(', ');
  const rows = await db.query<Record<string, unknown>>(`SELECT ${select} FROM ${name}`);
  expect(sortRows(rows), name).toEqual(sortRows(truth));
}

async function lastRun(db: Database) {
  const rows = await db.query<{
    requests: number;
    resources: Record<string, { written: number; pages: number }>;
  }>('SELECT requests, resources FROM sync_runs ORDER BY id DESC LIMIT 1');
  return rows[0];
}

describe('custom fields, opt-in (small)', () => {
  let sim: Simulator;
  let wh: Warehouse;
  const env = { PAGERDUTY_MAX_RPM: '10000', SYNC_CUSTOM_FIELDS: 'true' };
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, preset: 'small', now: NOW, rpm: 100_000 });
    wh = createWarehouse('custom-fields');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('loads incident and service custom field values row for row as the truth', async () => {
    const run = await syncAgainst(sim, wh, env);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const requests = customFieldRequests(sim);
    expect(requests[INCIDENT_VALUES]).toBe(sim.truth().counts.incidents);
    expect(requests[SERVICE_VALUES]).toBeGreaterThan(0);
    const db = await wh.open();
    try {
      await expectTableMatches(db, sim, 'incident_custom_fields');
      await expectTableMatches(db, sim, 'service_custom_fields');
      const runRow = await lastRun(db);
      const report = runRow?.resources.custom_fields;
      expect(report?.pages).toBe((requests[INCIDENT_VALUES] ?? 0) + (requests[SERVICE_VALUES] ?? 0));
      expect(report?.written).toBeGreaterThan(0);
      expect(runRow?.requests).toBe(run.requests);
    } finally {
      await db.close();
    }
  });

  it('a second run reads no incident values when nothing changed and writes 0', async () => {
    const before = customFieldRequests(sim);
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    const after = customFieldRequests(sim);
    expect(after[INCIDENT_VALUES]).toBe(before[INCIDENT_VALUES]);
    // Service values are re-read for every listed service each run (a change there leaves no trace).
    expect((after[SERVICE_VALUES] ?? 0) - (before[SERVICE_VALUES] ?? 0)).toBe(before[SERVICE_VALUES]);
    const db = await wh.open();
    try {
      expect((await lastRun(db))?.resources.custom_fields?.written).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('re-reads the values of changed incidents: a cleared value disappears', async () => {
    const before = customFieldRequests(sim)[INCIDENT_VALUES] ?? 0;
    sim.advance(60, { customFieldChanges: 20 });
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    expect(customFieldRequests(sim)[INCIDENT_VALUES]).toBeGreaterThan(before);
    const db = await wh.open();
    try {
      await expectTableMatches(db, sim, 'incident_custom_fields');
      await expectTableMatches(db, sim, 'service_custom_fields');
    } finally {
      await db.close();
    }
  });
});

describe('custom fields disabled', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, preset: 'small', now: NOW, rpm: 100_000 });
    wh = createWarehouse('custom-fields-off');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('makes no custom-field request and records no custom_fields entry', async () => {
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
    expect(run.code).toBe(0);
    expect(customFieldRequests(sim)).toEqual({});
    expect(run.result?.resources.custom_fields).toBeUndefined();
  });
});
