/**
 * Backfill under a budget: a `large`-like account big enough to need minutes of a 600 requests/min budget,
 * served at 40 ms ± 15 ms, the simulator enforcing the same 600/min; every resource, into Postgres.
 */
import { startSimulator } from '../../src/simulator/index.js';
import { DATABASE_URL, envInt } from '../lib/env.js';
import { figure, target, type Figure } from '../lib/figure.js';
import { minimumRequests } from '../lib/minimum.js';
import { assertSucceeded, runSync, syncEnv } from '../lib/runSync.js';
import { withSchema } from '../lib/scratch.js';
import { seconds, throttledProgress, type Section } from '../lib/section.js';

const DAY = 86_400_000;

async function run(log: (line: string) => void): Promise<Figure[]> {
  const incidents = envInt('BENCH_BUDGET_INCIDENTS', 22_000);
  const days = envInt('BENCH_BUDGET_DAYS', 400);
  const rpm = envInt('BENCH_BUDGET_RPM', 600);
  const latencyMs = 40;
  const jitterMs = 15;
  const sim = await startSimulator({
    preset: 'large',
    seed: 1,
    incidents,
    days,
    rpm,
    faults: { latencyMs, jitterMs },
  });
  try {
    const now = sim.account.now + 120_000;
    const before = { requests: sim.stats.requests, rateLimited: sim.stats.rateLimited };
    const r = await withSchema(DATABASE_URL, 'budget', (schema) =>
      runSync(
        syncEnv(sim.url, { DATABASE_URL, DATABASE_SCHEMA: schema, PAGERDUTY_MAX_RPM: String(rpm) }),
        now,
        throttledProgress(log, 'budget backfill'),
      ),
    );
    assertSucceeded(r, 'budget backfill');
    const requests = sim.stats.requests - before.requests;
    const rateLimited = sim.stats.rateLimited - before.rateLimited;
    const minimum = minimumRequests(sim.account, { start: now - 405 * DAY, signpost: now - 60_000, now });
    const minTotal = Object.values(minimum).reduce((a, p) => a + p.requests, 0);
    const wallS = r.ms / 1000;
    const floorS = (requests / rpm) * 60;
    // PagerDuty counts over a sliding 60 s window: the first `rpm` requests may all go at once, and each
    // later request waits for the one `rpm` before it to leave the window, so the last one can start no
    // sooner than floor((requests - 1) / rpm) minutes after the first.
    const slidingFloorS = Math.floor(Math.max(0, requests - 1) / rpm) * 60;
    const setup = { incidents, days, rpm, latency_ms: latencyMs, jitter_ms: jitterMs, max_rpm: rpm };
    const S = 'budget';
    return [
      figure(S, 'budget: requests used', requests, 'requests', null, { ...setup, by_path: sim.stats.byPath }),
      figure(S, 'budget: wall time', wallS, 's', null, { rows_written: r.writtenTotal }),
      figure(S, 'budget: floor (requests used / budget)', floorS, 's', null, {
        sliding_window_floor_s: seconds(slidingFloorS * 1000),
      }),
      figure(S, 'budget: wall / floor', wallS / floorS, '×', target('<=', 1.1), {
        wall_s: seconds(r.ms),
        floor_s: seconds(floorS * 1000),
        wall_over_floor_of_minimum: wallS / ((minTotal / rpm) * 60),
      }),
      figure(S, 'budget: minimum requests', minTotal, 'requests', null, { per_resource: minimum }),
      figure(S, 'budget: requests / minimum', requests / minTotal, '×', target('<=', 1.05), {
        requests,
        minimum: minTotal,
      }),
      figure(S, 'budget: 429s received', rateLimited, '429s', target('==', 0)),
    ];
  } finally {
    await sim.close();
  }
}

export const budgetSection: Section = {
  name: 'budget',
  title: 'backfill under a 600 requests/min budget (40 ms ± 15 ms latency, every resource, Postgres)',
  run: (ctx) => run(ctx.log),
};
