/**
 * 10% injected faults: 5xx pages from a proxy, connection resets mid-body, truncated JSON, slow answers
 * and 429s (half of them bare: no headers, no body). Every row must arrive, or the run must fail cleanly
 * (exit 1, one error line) and the next run complete with every row.
 *
 * An injected 429 carries the real `ratelimit-reset` (up to 60 s), which the sync honours by pausing
 * every request; an accelerated clock shared by the simulator's limiter and the sync's client makes
 * those pauses (and the backoffs) take a fraction of the time, under the same rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import type { FaultKind } from '../../../src/simulator/faults.js';
import {
  createAcceleratedClock,
  createWarehouse,
  syncAgainst,
  type AcceleratedClock,
  type SyncRun,
  type Warehouse,
} from '../../helpers/syncHarness.js';
import { startProxy } from '../../helpers/proxy.js';
import { expectWarehouseMatchesTruth } from './compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const FAULTS = { rate: 0.1, latencyMs: 0, slowMs: 300 };

interface RunRow {
  status: string;
  requests: number;
  retries: number;
  rate_limited: number;
}

describe('sync under 10% injected faults', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let clock: AcceleratedClock;
  beforeAll(async () => {
    clock = createAcceleratedClock(30);
    // A `small` account with ten times the incidents: ~190 requests, so ~20 faults, every kind among them.
    sim = await startSimulator({
      seed: 61,
      preset: 'small',
      incidents: 3000,
      now: NOW,
      faults: FAULTS,
      rateClock: clock.now,
    });
    wh = createWarehouse('faults');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  async function runs(): Promise<RunRow[]> {
    const db = await wh.open();
    try {
      return await db.query<RunRow>(
        'SELECT status, requests, retries, rate_limited FROM sync_runs ORDER BY id',
      );
    } finally {
      await db.close();
    }
  }

  async function expectMatchesTruth(): Promise<void> {
    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
    } finally {
      await db.close();
    }
  }

  /** A run either succeeds, or fails cleanly: exit 1, one error line naming what failed, no stack. */
  function expectSucceededOrFailedCleanly(run: SyncRun): void {
    if (run.code === 0) {
      expect(run.err).toEqual([]);
      expect(run.result?.status).toBe('succeeded');
      return;
    }
    expect(run.code).toBe(1);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(/^pd-warehouse: sync failed: /);
    expect(run.err[0]).not.toMatch(/\n|\bat .*\.(ts|js):\d+/);
  }

  // Proves retries of every fault kind lose nothing and invent nothing: the warehouse equals the truth
  // after the first run, or (if some request ran out of attempts) after the next one.
  it('every row arrives, or the run fails cleanly and the next run completes with every row', async () => {
    const first = await syncAgainst(sim, wh, {}, {}, { clientClock: clock });
    expectSucceededOrFailedCleanly(first);
    if (first.code !== 0) {
      const second = await syncAgainst(sim, wh, {}, {}, { clientClock: clock });
      expect(second.err).toEqual([]);
      expect(second.code).toBe(0);
    }
    const seen = sim.stats.faults;
    for (const kind of [
      'server_error',
      'reset',
      'truncated',
      'slow',
      'rate_limited',
      'bare_429',
    ] as FaultKind[]) {
      expect(seen[kind], kind).toBeGreaterThan(0);
    }
    const recorded = await runs();
    expect(recorded[0]?.retries).toBeGreaterThan(0);
    // Every injected 429 (with headers or bare) was met and counted; the budget itself was never exceeded.
    expect(sim.stats.rateLimited).toBe(0);
    expect(recorded.reduce((n, r) => n + r.rate_limited, 0)).toBe(seen.rate_limited + seen.bare_429);
    await expectMatchesTruth();
  });

  // Proves the incremental paths (log feed, per-incident re-reads, open sweep, service snapshot) under the
  // same faults: after the clock moves, one more run equals the truth again.
  it('after the clock moves, an incremental run under the same faults equals the truth', async () => {
    sim.advance(6 * 60, { newIncidents: 8, priorityChanges: 6, renameService: true, deleteService: true });
    const run = await syncAgainst(sim, wh, {}, {}, { clientClock: clock });
    expectSucceededOrFailedCleanly(run);
    if (run.code !== 0) {
      const again = await syncAgainst(sim, wh, {}, {}, { clientClock: clock });
      expect(again.code).toBe(0);
    }
    await expectMatchesTruth();
  });
});

describe('a run that fails after the log feed, before its re-reads', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 63, preset: 'small', now: NOW });
    wh = createWarehouse('rereads');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  // Proves the re-reads the log feed asked for survive a failed run: the log cursor has moved past the
  // entries that named them, yet the next run still re-reads those incidents (old incidents whose
  // priority changed are found by the log feed only).
  it('the next run still re-reads every incident the committed log entries named', async () => {
    const clock = createAcceleratedClock(60);
    expect((await syncAgainst(sim, wh)).code).toBe(0);
    const report = sim.advance(6 * 60, {
      newIncidents: 0,
      priorityChanges: 5,
      renameService: false,
      deleteService: false,
    });
    expect(report.priorityChangedIds).toHaveLength(5);
    // Once the log feed was read, every incident read answers 503 (by id, or a listing of the span that
    // holds several changed ones): the run fails after the log feed committed, at its re-reads.
    let logRead = false;
    const proxy = await startProxy(sim.url, (path) => {
      if (path.startsWith('/log_entries')) logRead = true;
      return logRead && /^\/incidents(\/[^/?]+)?(\?|$)/.test(path)
        ? { status: 503, body: '<html>503</html>' }
        : undefined;
    });
    try {
      const failed = await syncAgainst(sim, wh, { PAGERDUTY_API_URL: proxy.url }, {}, { clientClock: clock });
      expect(failed.code).toBe(1);
      expect(failed.err).toHaveLength(1);
      expect(failed.err[0]).toMatch(
        /^pd-warehouse: sync failed: incidents: GET \/incidents\S* failed after 8 attempts: 503/,
      );
    } finally {
      await proxy.close();
    }
    // Later, with nothing new in the log feed since: the next run must still catch the five changes.
    sim.advance(60, {
      newIncidents: 0,
      priorityChanges: 0,
      renameService: false,
      deleteService: false,
      addOverride: false,
    });
    const next = await syncAgainst(sim, wh, {}, {}, { clientClock: clock });
    expect(next.err).toEqual([]);
    expect(next.code).toBe(0);
    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
    } finally {
      await db.close();
    }
    // Re-reads once owed are not owed forever: a run with nothing new reads no incident by id.
    const byId = () => sim.stats.byPath['GET /incidents/{id}'] ?? 0;
    const before = byId();
    expect((await syncAgainst(sim, wh, {}, {}, { clientClock: clock })).code).toBe(0);
    expect(byId()).toBe(before);
  });
});
