/**
 * Incremental runs on the `large` preset (every resource, Postgres): after a backfill, a run with nothing
 * changed, then one after an hour in which 1% of the incidents had their priority changed.
 */
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { RESOURCE_NAMES } from '../../src/config.js';
import { DATABASE_URL } from '../lib/env.js';
import { figure, target, type Figure } from '../lib/figure.js';
import { assertSucceeded, runSync, syncEnv, unthrottledRpm, type SyncRunResult } from '../lib/runSync.js';
import { withSchema } from '../lib/scratch.js';
import { seconds, type Section } from '../lib/section.js';

/** Requests per path (ids collapsed, as the simulator counts them) made since `before`. */
function pathDelta(sim: Simulator, before: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [path, n] of Object.entries(sim.stats.byPath)) {
    const d = n - (before[path] ?? 0);
    if (d > 0) out[path] = d;
  }
  return out;
}

async function measured(sim: Simulator, run: () => Promise<SyncRunResult>, what: string) {
  const before = { requests: sim.stats.requests, byPath: { ...sim.stats.byPath } };
  const r = await run();
  assertSucceeded(r, what);
  return { r, requests: sim.stats.requests - before.requests, byPath: pathDelta(sim, before.byPath) };
}

async function runAll(sim: Simulator, schema: string): Promise<Figure[]> {
  const env = syncEnv(sim.url, {
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    PAGERDUTY_MAX_RPM: unthrottledRpm(),
  });
  const at = () => sim.account.now + 120_000;
  const backfill = await measured(sim, () => runSync(env, at()), 'backfill');
  const open = sim.account.incidents.filter((i) => i.revealed > 0 && i.state.status !== 'resolved').length;
  const unchanged = await measured(sim, () => runSync(env, at()), 'nothing-changed run');
  const incidents = sim.account.incidents.length;
  const report = sim.advance(60, {
    newIncidents: 0,
    priorityChanges: Math.round(incidents / 100),
    renameService: false,
    deleteService: false,
  });
  const changed = report.changedIncidentIds.length;
  const onePercent = await measured(sim, () => runSync(env, at()), '1%-changed run');
  const allowed = RESOURCE_NAMES.length + Math.ceil(open / 100);
  const S = 'incremental';
  return [
    figure(S, 'incremental: backfill (large, every resource)', backfill.r.ms / 1000, 's', null, {
      requests: backfill.requests,
      rows_written: backfill.r.writtenTotal,
      incidents,
    }),
    figure(
      S,
      'incremental: nothing changed, requests',
      unchanged.requests,
      'requests',
      target('<=', allowed),
      {
        allowed: `${RESOURCE_NAMES.length} resources + ceil(${open} open incidents / 100)`,
        by_path: unchanged.byPath,
        seconds: seconds(unchanged.r.ms),
      },
    ),
    figure(
      S,
      'incremental: nothing changed, rows written',
      unchanged.r.writtenTotal,
      'rows',
      target('==', 0),
      {
        per_resource: unchanged.r.written,
      },
    ),
    figure(
      S,
      'incremental: 1% changed, requests / changed incident',
      onePercent.requests / changed,
      '×',
      target('<=', 1.2),
      {
        requests: onePercent.requests,
        changed_incidents: changed,
        priority_changes: report.priorityChangedIds.length,
        by_path: onePercent.byPath,
        rows_written: onePercent.r.writtenTotal,
        rows_written_per_resource: onePercent.r.written,
        seconds: seconds(onePercent.r.ms),
      },
    ),
  ];
}

export const incrementalSection: Section = {
  name: 'incremental',
  title: 'incremental runs on `large` (every resource, Postgres): nothing changed, then 1% changed',
  run: async () => {
    const sim = await startSimulator({ preset: 'large', seed: 1, rpm: 1_000_000 });
    try {
      return await withSchema(DATABASE_URL, 'incremental', (schema) => runAll(sim, schema));
    } finally {
      await sim.close();
    }
  },
};
