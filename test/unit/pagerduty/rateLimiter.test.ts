/**
 * The shared limiter on a fake clock: vitest's fake timers drive both p-queue (Date.now, setInterval) and
 * the injected now()/sleep(), so minutes of pacing run in milliseconds.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, RATE_WINDOW_MS, type RateLimiter } from '../../../src/pagerduty/rateLimiter.js';

const T0 = Date.UTC(2026, 2, 20, 15, 0, 0);
const clock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** The most starts inside any half-open 60 s window [t, t + 60 s). */
function maxInAnyWindow(starts: readonly number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && (sorted[j] ?? 0) < (sorted[i] ?? 0) + RATE_WINDOW_MS) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

/** Adds `n` tasks that record their start time and take `ms` (fake) to finish. */
function addTasks(limiter: RateLimiter, starts: number[], n: number, ms = 10): Promise<number[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      limiter.run(async () => {
        starts.push(Date.now());
        await clock.sleep(ms);
        return i;
      }),
    ),
  );
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('rate limiter: sliding 60 s window', () => {
  it('does not burst 2 × maxRpm across a fixed-interval boundary', async () => {
    const limiter = createRateLimiter({ maxRpm: 5, concurrency: 4, ...clock });
    const starts: number[] = [];
    await vi.advanceTimersByTimeAsync(0);
    const first = addTasks(limiter, starts, 1);
    await vi.advanceTimersByTimeAsync(59_000);
    // A fixed interval (p-queue's intervalCap) opened at T0 renews at T0 + 60 s: it would start 4 now and 5
    // more at 60 s, 9 within one second. The sliding window must hold the second batch back.
    const burst = addTasks(limiter, starts, 12);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await expect(first).resolves.toEqual([0]);
    await expect(burst).resolves.toHaveLength(12);
    expect(starts).toHaveLength(13);
    expect(maxInAnyWindow(starts)).toBeLessThanOrEqual(5);
    // 4 at 59 s; at 60 s only the slot of the T0 start is free again.
    expect(starts.filter((t) => t >= T0 + 59_000 && t <= T0 + 61_000)).toHaveLength(5);
  });

  it('never more than maxRpm starts in any 60 s, for tasks arriving at random times', async () => {
    const limiter = createRateLimiter({ maxRpm: 30, concurrency: 4, ...clock });
    const starts: number[] = [];
    const done: Promise<number[]>[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 60; i++) {
      done.push(addTasks(limiter, starts, 1 + Math.floor(rand() * 4), Math.floor(rand() * 3000)));
      await vi.advanceTimersByTimeAsync(Math.floor(rand() * 8000));
    }
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    const finished = await Promise.all(done);
    expect(starts).toHaveLength(finished.flat().length);
    expect(starts.length).toBeGreaterThan(100);
    expect(maxInAnyWindow(starts)).toBeLessThanOrEqual(30);
  });

  it('keeps concurrency: at most N tasks in flight', async () => {
    const limiter = createRateLimiter({ maxRpm: 1000, concurrency: 3, ...clock });
    let inFlight = 0;
    let most = 0;
    const all = Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          most = Math.max(most, ++inFlight);
          await clock.sleep(100);
          inFlight--;
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await all;
    expect(most).toBe(3);
  });
});

describe('rate limiter: ratelimit-remaining / ratelimit-reset', () => {
  it('pauses new starts until reset when remaining ≤ concurrency + 1', async () => {
    const limiter = createRateLimiter({ maxRpm: 900, concurrency: 2, ...clock });
    limiter.observe({ 'ratelimit-limit': '960', 'ratelimit-remaining': '4', 'ratelimit-reset': '30' });
    expect(limiter.pausedUntil()).toBe(0);
    limiter.observe({ 'ratelimit-limit': '960', 'ratelimit-remaining': '3', 'ratelimit-reset': '10' });
    expect(limiter.pausedUntil()).toBe(T0 + 10_000);
    const starts: number[] = [];
    const tasks = addTasks(limiter, starts, 3);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(100);
    await tasks;
    expect(starts).toEqual([T0 + 10_000, T0 + 10_000, T0 + 10_010]);
  });

  it('ignores answers without the headers, and never pauses longer than the 60 s window', () => {
    const limiter = createRateLimiter({ maxRpm: 900, concurrency: 4, ...clock });
    limiter.observe({});
    limiter.observe({ 'ratelimit-remaining': 'lots', 'ratelimit-reset': '5' });
    expect(limiter.pausedUntil()).toBe(0);
    limiter.observe({ 'ratelimit-remaining': '0', 'ratelimit-reset': '3600' });
    expect(limiter.pausedUntil()).toBe(T0 + 60_000);
  });
});

describe('rate limiter: 429', () => {
  it('pauses the whole queue for ratelimit-reset seconds; requests in flight finish', async () => {
    const limiter = createRateLimiter({ maxRpm: 900, concurrency: 4, ...clock });
    const starts: number[] = [];
    const running = addTasks(limiter, starts, 1, 5_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(limiter.rateLimited({ 'ratelimit-remaining': '0', 'ratelimit-reset': '7' }, 1)).toBe(7_000);
    const waiting = addTasks(limiter, starts, 6);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(running).resolves.toEqual([0]);
    expect(starts).toEqual([T0]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(starts).toEqual([T0]);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(100);
    await waiting;
    expect(starts.slice(1).every((t) => t >= T0 + 8_000)).toBe(true);
    expect(starts).toHaveLength(7);
  });

  it('a bare 429 (no headers) pauses for jittered exponential backoff by attempt', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000, jitter: 0.5 };
    const limiter = createRateLimiter({ maxRpm: 900, retry: policy, random: () => 0.5, ...clock });
    expect(limiter.rateLimited({}, 1)).toBe(375);
    expect(limiter.rateLimited({}, 3)).toBe(1_500);
    expect(limiter.pausedUntil()).toBe(T0 + 1_500);
    // A later, shorter pause never shortens the current one.
    expect(limiter.rateLimited({ 'ratelimit-reset': '1' }, 1)).toBe(1_000);
    expect(limiter.pausedUntil()).toBe(T0 + 1_500);
  });
});

describe('rate limiter: options', () => {
  it('rejects maxRpm < 1 and concurrency < 1', () => {
    expect(() => createRateLimiter({ maxRpm: 0 })).toThrow(/maxRpm/);
    expect(() => createRateLimiter({ maxRpm: 10, concurrency: 0 })).toThrow(/concurrency/);
  });
});
