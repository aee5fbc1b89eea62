/**
 * The request budget (PagerDuty: N requests per minute per token, over a sliding 60 s window).
 *
 * A run that needs more than one minute of budget must take more than a minute, so these tests share one
 * accelerated clock between the simulator's rate limiter and the sync's HTTP client (its limiter and
 * backoff): both keep their production rules, and a 60 s window passes in 60 / SPEED real seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createAcceleratedClock,
  createWarehouse,
  syncAgainst,
  type Warehouse,
} from '../../helpers/syncHarness.js';
import { startProxy } from '../../helpers/proxy.js';
import { expectWarehouseMatchesTruth } from './compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const SPEED = 20;
const BUDGET = 120;
/** Requests the sync has in flight at once (the HTTP client's default concurrency). */
const IN_FLIGHT = 4;
/** A `small` account with ten times the incidents: about 190 requests, well over one minute's budget. */
const ACCOUNT = { preset: 'small', incidents: 3000 } as const;

interface RunRow {
  status: string;
  requests: number;
  retries: number;
  rate_limited: number;
}

const TOKEN = 'budget-token-0123456789';

/** Another client of the same token: requests until the simulator refuses one; returns its 429s (1). */
async function spendBudget(sim: Simulator, token: string): Promise<number> {
  for (let i = 0; i < 10 * BUDGET; i++) {
    const res = await fetch(`${sim.url}/priorities`, { headers: { authorization: `Token token=${token}` } });
    await res.arrayBuffer();
    if (res.status === 429) return 1;
  }
  throw new Error('the simulator never refused a request');
}

async function lastRun(wh: Warehouse): Promise<RunRow | undefined> {
  const db = await wh.open();
  try {
    const rows = await db.query<RunRow>(
      'SELECT status, requests, retries, rate_limited FROM sync_runs ORDER BY id DESC LIMIT 1',
    );
    return rows[0];
  } finally {
    await db.close();
  }
}

async function expectMatchesTruth(wh: Warehouse, sim: Simulator): Promise<void> {
  const db = await wh.open();
  try {
    await expectWarehouseMatchesTruth(db, sim);
  } finally {
    await db.close();
  }
}

describe('the request budget', () => {
  let sim: Simulator | undefined;
  let wh: Warehouse | undefined;
  afterEach(async () => {
    await sim?.close();
    await wh?.drop();
    sim = undefined;
    wh = undefined;
  });

  // Proves the sync keeps a 120-per-minute budget on its own: a run needing more than a minute of budget
  // completes with every row and no failed request, paced over more than a minute, and the simulator never
  // refused a request. The simulator enforces the budget with a tolerance of the requests in flight: a
  // request starts (and is counted by the sync) a moment before it arrives (and is counted by the
  // simulator), and the accelerated clock magnifies that moment 20 times.
  it('a 120 rpm budget: every row, no 429, paced over more than a minute', async () => {
    const clock = createAcceleratedClock(SPEED);
    const rpm = BUDGET + IN_FLIGHT;
    sim = await startSimulator({ seed: 51, now: NOW, rpm, rateClock: clock.now, ...ACCOUNT });
    wh = createWarehouse('budget');
    const started = clock.now();
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: String(BUDGET) }, {}, { clientClock: clock });
    const elapsed = clock.now() - started;
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.requests).toBeGreaterThan(BUDGET);
    expect(sim.stats.rateLimited).toBe(0);
    // Pacing, not luck: n requests under 120 per sliding minute need at least (n - 120) / 120 minutes.
    expect(elapsed).toBeGreaterThanOrEqual(((run.requests - BUDGET) / BUDGET) * 60_000);
    expect(await lastRun(wh)).toEqual({
      status: 'succeeded',
      requests: run.requests,
      retries: 0,
      rate_limited: 0,
    });
    await expectMatchesTruth(wh, sim);
  });

  // Proves the sync survives a budget lower than it was told: configured for 900 per minute against a 120
  // one (no tolerance), it reads ratelimit-remaining/reset on every answer and pauses before the budget
  // runs out, and on the 429s it still meets (requests already in flight) pauses the whole queue until the
  // reset. It completes with every row and without a failed request (429s are the only retries), and
  // sync_runs shows exactly the 429s the simulator sent.
  it('a budget lower than configured: every row, no failed request, the 429s met recorded', async () => {
    const clock = createAcceleratedClock(SPEED);
    sim = await startSimulator({ seed: 53, now: NOW, rpm: BUDGET, rateClock: clock.now, ...ACCOUNT });
    wh = createWarehouse('overrun');
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '900' }, {}, { clientClock: clock });
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.requests).toBeGreaterThan(BUDGET);
    const met = sim.stats.rateLimited;
    // It does not hammer: a 429 pauses every request, so only a few (those in flight) meet one.
    expect(met).toBeLessThan(run.requests / 10);
    expect(await lastRun(wh)).toEqual({
      status: 'succeeded',
      requests: run.requests,
      retries: met,
      rate_limited: met,
    });
    await expectMatchesTruth(wh, sim);
  });

  // Proves the 429 path: another client of the same token has spent the whole budget when the run's first
  // request arrives. That answer is a 429 with ratelimit-reset (up to 60 s): the run pauses every request
  // until then instead of hammering (at most one 429 per request in flight), completes with every row, and
  // sync_runs shows the 429s it met.
  it('a budget spent by another client: the run waits out the reset, records its 429s, every row', async () => {
    const clock = createAcceleratedClock(SPEED);
    const s = await startSimulator({
      seed: 57,
      now: NOW,
      preset: 'small',
      rpm: BUDGET,
      rateClock: clock.now,
    });
    sim = s;
    wh = createWarehouse('spent');
    let neighbour429s = 0;
    let spentAt = 0;
    const proxy = await startProxy(s.url, async () => {
      if (spentAt === 0) {
        spentAt = clock.now();
        neighbour429s = await spendBudget(s, TOKEN);
      }
      return undefined;
    });
    try {
      const run = await syncAgainst(
        s,
        wh,
        { PAGERDUTY_TOKEN: TOKEN, PAGERDUTY_API_URL: proxy.url },
        {},
        { clientClock: clock },
      );
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      const met = s.stats.rateLimited - neighbour429s;
      expect(met).toBeGreaterThanOrEqual(1);
      expect(met).toBeLessThanOrEqual(IN_FLIGHT);
      // It waited for the budget to come back: the neighbour's requests leave the window after ~60 s.
      expect(clock.now() - spentAt).toBeGreaterThan(50_000);
      expect(await lastRun(wh)).toMatchObject({ status: 'succeeded', rate_limited: met, retries: met });
      await expectMatchesTruth(wh, s);
    } finally {
      await proxy.close();
    }
  });

  // Proves the 429 path on real time: a 429 storm (every request refused, ratelimit-reset 2 s) starts as
  // the run's first request arrives; the run pauses instead of failing, then completes with every row,
  // and sync_runs shows the 429s it met.
  it('a 429 storm: the run pauses, completes with every row, and records the 429s', async () => {
    const s = await startSimulator({ seed: 55, now: NOW, preset: 'small' });
    sim = s;
    wh = createWarehouse('storm');
    let stormAt = 0;
    const proxy = await startProxy(s.url, () => {
      if (stormAt === 0) {
        stormAt = Date.now();
        s.storm(2);
      }
      return undefined;
    });
    try {
      const run = await syncAgainst(s, wh, { PAGERDUTY_API_URL: proxy.url });
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      expect(Date.now() - stormAt).toBeGreaterThanOrEqual(1500);
      expect(s.stats.rateLimited).toBeGreaterThan(0);
      const recorded = await lastRun(wh);
      expect(recorded?.status).toBe('succeeded');
      expect(recorded?.rate_limited).toBe(s.stats.rateLimited);
      await expectMatchesTruth(wh, s);
    } finally {
      await proxy.close();
    }
  });
});
