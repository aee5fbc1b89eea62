/**
 * A tap on the simulator's own counters: the time (on the shared accelerated clock) of every request it
 * counted and of every request its rate limiter refused. The simulator increments `stats.requests` as a
 * request arrives and `stats.rateLimited` when its limiter (budget or storm) refuses one, so accessors on
 * those two fields see each event at the moment the simulator counts it, with nothing in between.
 */
import type { Simulator } from '../../src/simulator/index.js';

export interface SimTap {
  /** Arrival times of the requests the simulator counted (epoch ms, accelerated clock), ascending. */
  readonly arrivals: number[];
  /** Times of the limiter's refusals (budget or storm; not the injected 429s). */
  readonly refusals: number[];
  /** Called after each counted arrival with the running total. */
  onArrival: (count: number) => void;
}

/** Wraps `sim.stats.requests` and `sim.stats.rateLimited` with accessors that record each increment. */
export function tapSimulator(sim: Simulator, now: () => number): SimTap {
  const tap: SimTap = { arrivals: [], refusals: [], onArrival: () => undefined };
  let requests = sim.stats.requests;
  let rateLimited = sim.stats.rateLimited;
  Object.defineProperty(sim.stats, 'requests', {
    enumerable: true,
    get: () => requests,
    set: (v: number) => {
      for (let i = requests; i < v; i++) tap.arrivals.push(now());
      requests = v;
      tap.onArrival(v);
    },
  });
  Object.defineProperty(sim.stats, 'rateLimited', {
    enumerable: true,
    get: () => rateLimited,
    set: (v: number) => {
      for (let i = rateLimited; i < v; i++) tap.refusals.push(now());
      rateLimited = v;
    },
  });
  return tap;
}

/** The most events any sliding window of `windowMs` holds, the simulator's way: (t − windowMs, t]. */
export function maxPerSlidingWindow(times: readonly number[], windowMs = 60_000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to++) {
    const t = sorted[to] ?? 0;
    while ((sorted[from] ?? t) <= t - windowMs) from++;
    max = Math.max(max, to - from + 1);
  }
  return max;
}
