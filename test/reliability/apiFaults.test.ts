/**
 * API faults at scale: a `large` backfill (5,000 incidents over 400 days) under the simulator's whole fault
 * mix (5xx with HTML bodies, resets mid-body, truncated JSON, slow answers, 429s with headers and bare
 * ones) plus a 429 storm in the middle of the run, with a request budget (PAGERDUTY_MAX_RPM).
 *
 * One accelerated clock is shared by the simulator's rate limiter and the sync's HTTP client (limiter,
 * pauses, backoff): the budget is real (a sliding 60 s window on that clock) while the test takes seconds.
 * A tap on the simulator's counters (simTap.ts) times every request it counted and every refusal of its
 * limiter, so the test can check the budget per sliding minute and tell storm refusals from budget ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, finishRun, startRun } from '../../src/db/syncState.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import type { FaultKind } from '../../src/simulator/faults.js';
import {
  createAcceleratedClock,
  createWarehouse,
  syncAgainst,
  type AcceleratedClock,
  type Warehouse,
} from '../helpers/syncHarness.js';
import { expectWarehouseMatchesTruth } from '../integration/sync/compare.js';
import { maxPerSlidingWindow, tapSimulator, type SimTap } from './simTap.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const SPEED = 20;
/** Requests per (accelerated) minute the sync is told to keep to. */
const BUDGET = 120;
/**
 * Requests in flight (the client's concurrency): a request is counted by the sync as it starts and by the
 * simulator a moment later as it arrives; the accelerated clock magnifies that moment SPEED times. The
 * simulator's limiter gets this much tolerance so that only a real overrun is refused.
 */
const IN_FLIGHT = 4;
/** 10% of requests get a fault; slow answers stall 300 ms (real time), well under the 30 s timeout. */
const FAULTS = { rate: 0.1, slowMs: 300 };
/** The storm starts as this request arrives (about halfway through the backfill, ~420 requests) and lasts STORM_S seconds. */
const STORM_AT = 200;
const STORM_S = 8;
/** Clock skew allowed between the limiter's reading of the clock and the tap's (accelerated ms). */
const SKEW_MS = 50;

const KINDS: readonly FaultKind[] = [
  'server_error',
  'reset',
  'truncated',
  'slow',
  'rate_limited',
  'bare_429',
];

interface RunRow {
  status: string;
  requests: number;
  retries: number;
  rate_limited: number;
  resources: Record<string, unknown>;
}

function clientErrorsOf(row: RunRow | undefined): Record<string, number> {
  const client = row?.resources[CLIENT_KEY] as { errors?: Record<string, number> } | undefined;
  return client?.errors ?? {};
}

const sum = (values: readonly number[]) => values.reduce((n, v) => n + v, 0);

describe('a large backfill under the full fault mix, a 429 storm and a request budget', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let clock: AcceleratedClock;
  let tap: SimTap;
  let storm = { start: 0, end: 0 };
  beforeAll(async () => {
    clock = createAcceleratedClock(SPEED);
    sim = await startSimulator({
      seed: 71,
      preset: 'large',
      now: NOW,
      rpm: BUDGET + IN_FLIGHT,
      faults: FAULTS,
      rateClock: clock.now,
    });
    tap = tapSimulator(sim, clock.now);
    tap.onArrival = (count) => {
      if (count !== STORM_AT) return;
      storm = { start: clock.now(), end: clock.now() + STORM_S * 1000 };
      sim.storm(STORM_S);
    };
    wh = createWarehouse('apifaults');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  // Proves that under every fault kind at once, a storm and a budget, one run loses nothing, duplicates
  // nothing, keeps the budget in every sliding minute (so the simulator never refused it for the budget),
  // and records every failed attempt by kind in sync_runs.
  it('every row, the budget kept in every sliding minute, every fault met and recorded', async () => {
    const started = clock.now();
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: String(BUDGET) }, {}, { clientClock: clock });
    const elapsedMs = clock.now() - started;
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.result?.status).toBe('succeeded');

    // Each kind of fault was really injected, and the storm happened inside the run.
    const injected = sim.stats.faults;
    for (const kind of KINDS) expect(injected[kind], kind).toBeGreaterThan(0);
    expect(storm.start).toBeGreaterThan(0);
    const inStorm = (t: number) => t >= storm.start - SKEW_MS && t < storm.end + SKEW_MS;
    const stormRefusals = tap.refusals.filter(inStorm).length;
    const budgetRefusals = tap.refusals.length - stormRefusals;
    expect(stormRefusals).toBeGreaterThan(0);
    // The storm paused the run instead of being hammered: only the requests in flight met it.
    expect(stormRefusals).toBeLessThanOrEqual(IN_FLIGHT);

    // The budget: every sliding minute of arrivals within it (plus the requests in flight), and not one
    // request refused by the simulator's limiter for the budget; the run needed several minutes of it.
    const maxPerMinute = maxPerSlidingWindow(tap.arrivals);
    expect(maxPerMinute).toBeLessThanOrEqual(BUDGET + IN_FLIGHT);
    expect(budgetRefusals).toBe(0);
    expect(run.requests).toBeGreaterThan(2 * BUDGET);
    expect(elapsedMs).toBeGreaterThanOrEqual(((run.requests - BUDGET) / BUDGET) * 60_000);

    // sync_runs: every request, every retry, every 429 and every failed attempt by kind.
    const db = await wh.open();
    try {
      const [row] = await db.query<RunRow>(
        'SELECT status, requests, retries, rate_limited, resources FROM sync_runs ORDER BY id',
      );
      const errors = clientErrorsOf(row);
      const byClass = (test: (kind: string) => boolean) =>
        sum(
          Object.entries(errors)
            .filter(([k]) => test(k))
            .map(([, n]) => n),
        );
      const all429 = injected.rate_limited + injected.bare_429 + stormRefusals;
      expect(row?.status).toBe('succeeded');
      expect(row?.requests).toBe(run.requests);
      expect(row?.rate_limited).toBe(all429);
      expect(errors['429']).toBe(all429);
      expect(byClass((k) => /^5\d\d$/.test(k))).toBe(injected.server_error);
      // A reset or a truncated body surfaces as a socket error or as JSON that does not parse.
      expect(byClass((k) => !/^\d{3}$/.test(k))).toBe(injected.reset + injected.truncated);
      // Slow answers came within the timeout: they cost time, not attempts.
      expect(Object.keys(errors).filter((k) => /timeout/i.test(k))).toEqual([]);
      // Every failed attempt was retriable, so each one is a retry.
      expect(row?.retries).toBe(sum(Object.values(errors)));

      await expectWarehouseMatchesTruth(db, sim);
      const truth = sim.truth();
      const ids = await db.query<{ id: string }>('SELECT id FROM incidents');
      const logs = await db.query<{ n: string; d: string }>(
        'SELECT count(*) AS n, count(DISTINCT id) AS d FROM log_entries',
      );
      const want = new Set(truth.incidents.map((t) => t.id));
      const figures = {
        injected,
        stormRefusals,
        budgetRefusals,
        maxPerMinute,
        budget: BUDGET,
        requests: run.requests,
        retries: row?.retries,
        rateLimited: row?.rate_limited,
        clientErrors: errors,
        runs: 1,
        incidentsLost: [...want].filter((id) => !ids.some((r) => r.id === id)).length,
        incidentDuplicates: ids.length - new Set(ids.map((r) => r.id)).size,
        logEntryDuplicates: Number(logs[0]?.n) - Number(logs[0]?.d),
        acceleratedMinutes: +(elapsedMs / 60_000).toFixed(1),
      };
      expect(figures.incidentsLost).toBe(0);
      expect(figures.incidentDuplicates).toBe(0);
      expect(figures.logEntryDuplicates).toBe(0);
      process.stdout.write(`[apiFaults] ${JSON.stringify(figures)}\n`);
    } finally {
      await db.close();
    }
  }, 240_000);
});

describe('the per-kind counts of the HTTP client in sync_runs', () => {
  let wh: Warehouse;
  beforeAll(() => {
    wh = createWarehouse('clienterrors');
  });
  afterAll(async () => {
    await wh.drop();
  });

  // Proves finishRun keeps the client's failed attempts by kind under the reserved `_client` key, and
  // leaves a clean run's resources holding resources only.
  it('stores failed attempts by kind under _client, and nothing for a clean run', async () => {
    const clock = createAcceleratedClock(1);
    const sim = await startSimulator({ seed: 3, preset: 'small', now: NOW, rateClock: clock.now });
    try {
      // A first sync creates and migrates the schema; its own run is clean.
      expect((await syncAgainst(sim, wh, { SYNC_RESOURCES: 'priorities' })).code).toBe(0);
    } finally {
      await sim.close();
    }
    const db = await wh.open();
    try {
      const [clean] = await db.query<RunRow>('SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1');
      expect(Object.keys(clean?.resources ?? {})).not.toContain(CLIENT_KEY);
      const id = await startRun(db);
      const resources = { incidents: { status: 'succeeded', written: 3 } };
      const clientErrors = { '503': 2, ECONNRESET: 1, SyntaxError: 0 };
      await finishRun(db, id, {
        status: 'succeeded',
        resources,
        requests: 9,
        retries: 3,
        rateLimited: 0,
        clientErrors,
      });
      const [row] = await db.query<RunRow>('SELECT * FROM sync_runs WHERE id = $1', [id]);
      expect(row?.resources).toEqual({ ...resources, [CLIENT_KEY]: { errors: { '503': 2, ECONNRESET: 1 } } });
    } finally {
      await db.close();
    }
  });
});
