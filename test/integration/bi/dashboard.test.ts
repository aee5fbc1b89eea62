/**
 * Every SQL query of the provisioned Grafana dashboard (template variables and panel targets) runs on a
 * warehouse synced from the simulator's `large` account and returns rows. The queries are expanded the way
 * Grafana expands them (grafanaSql.ts): the time range spans the account's history, each variable has "All"
 * selected (its values come from running the variable's own query first), and `pagerduty.` becomes the
 * test's private schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import type { Database } from '../../../src/db/client.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';
import { queriesOf, readDashboard } from './biFiles.js';
import { expandGrafanaSql, type GrafanaContext } from './grafanaSql.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const DAY = 86_400_000;

describe('the Grafana dashboard on a synced large account', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let db: Database;
  let ctx: GrafanaContext & { variables: Map<string, string[]> };
  const dashboard = readDashboard();

  beforeAll(async () => {
    sim = await startSimulator({ seed: 61, preset: 'large', now: NOW });
    wh = createWarehouse('grafana');
    const run = await syncAgainst(sim, wh);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    db = await wh.open();
    ctx = {
      // The whole history, and the on-call shifts synced ahead of the account's clock.
      from: new Date(NOW - (sim.account.spec.days + 7) * DAY),
      to: new Date(NOW + 35 * DAY),
      variables: new Map(),
      schema: db.schema,
    };
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await sim?.close();
    await wh?.drop();
  });

  it('each template variable returns values (in dashboard order: $service depends on $team)', async () => {
    for (const v of dashboard.templating.list) {
      const rows = await db.query<Record<string, unknown>>(expandGrafanaSql(v.query, ctx));
      // Grafana takes __value when the query has one, else the first column.
      const values = rows.map((r) => String('__value' in r ? r.__value : Object.values(r)[0]));
      expect(values.length, `$${v.name}`).toBeGreaterThan(0);
      ctx.variables.set(v.name, values);
    }
  });

  it('each panel query returns at least one row', async () => {
    expect(ctx.variables.size).toBe(dashboard.templating.list.length);
    const panelQueries = queriesOf(dashboard).filter((q) => q.where.startsWith('panel'));
    expect(panelQueries.length).toBeGreaterThanOrEqual(10);
    const empty: string[] = [];
    for (const q of panelQueries) {
      const sql = expandGrafanaSql(q.sql, ctx);
      const rows = await db.query<Record<string, unknown>>(sql).catch((error: unknown) => {
        throw new Error(`${q.where} failed: ${String(error)}\n${sql}`);
      });
      if (rows.length === 0) empty.push(q.where);
      // A time series needs its "time" column.
      if (q.where.endsWith('(time_series)') && rows[0])
        expect(Object.keys(rows[0]), q.where).toContain('time');
    }
    expect(empty).toEqual([]);
  });
});
