/**
 * The one request budget for a whole run. Every HTTP attempt of every resource goes through `run()`.
 *
 * Three brakes, all applied at the moment a request really starts:
 * 1. a p-queue: `concurrency` requests in flight;
 * 2. our own sliding window of start times. PagerDuty counts over a sliding 60 s window, so a start that
 *    would make more than maxRpm in any 61 s (RATE_WINDOW_MARGIN_MS, for network jitter) waits.
 *    (p-queue's own `intervalCap` is not used: a fixed interval can let 2 × maxRpm through across its
 *    boundary, the sliding window already implies it, and its timer would ignore the injected clock);
 * 3. a pause: when an answer says the budget is nearly gone (`ratelimit-remaining` ≤ concurrency + 1), or
 *    on a 429, no new request starts until `ratelimit-reset` has passed (backoff when a 429 has no headers).
 * Time comes only from the injected `now()`/`sleep()`, so tests can run a fake or accelerated clock.
 */
import PQueue from 'p-queue';
import { ConfigError } from '../errors.js';
import { computeDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

/** PagerDuty's rate-limit window. */
export const RATE_WINDOW_MS = 60_000;
/**
 * Our starts are spaced over the window plus this margin: the API counts arrivals, and network latency
 * varies by tens of ms, so a start exactly 60 s after the one it replaces can arrive inside the window.
 * A second is 1.7% of the budget.
 */
export const RATE_WINDOW_MARGIN_MS = 1_000;

export interface RateLimiterOptions {
  /** Requests per minute for the whole run (PagerDuty allows 960 per token; we default to 900 in config). */
  maxRpm: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Backoff for a 429 without a `ratelimit-reset` header. Default DEFAULT_RETRY_POLICY. */
  retry?: RetryPolicy;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
  /** Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Default Math.random. */
  random?: () => number;
}

export interface RateLimiter {
  /** Runs `task` once a start is allowed (not paused, under maxRpm in any 60 s, within concurrency). */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Reads `ratelimit-remaining`/`ratelimit-reset` from any answer; pauses new starts if the budget is low. */
  observe(headers: Readonly<Record<string, string>>): void;
  /**
   * A 429 answer: pauses every new start for `ratelimit-reset` seconds, or for jittered exponential backoff
   * (by `attempt`, 1-based) when the header is missing. Returns the pause in ms.
   */
  rateLimited(headers: Readonly<Record<string, string>>, attempt: number): number;
  /** Epoch ms before which no request starts (0 when not paused). */
  pausedUntil(): number;
  /** Requests waiting for a start, and in flight. */
  readonly size: number;
  readonly pending: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A non-negative numeric header (`ratelimit-remaining`, `ratelimit-reset` in seconds), else null. */
export function headerNumber(headers: Readonly<Record<string, string>>, name: string): number | null {
  const raw = headers[name];
  if (raw === undefined || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/** Start times of the last `maxRpm` requests; says how long the next start must wait. */
function createSlidingWindow(maxRpm: number) {
  const starts: number[] = [];
  return {
    waitMs(now: number): number {
      const span = RATE_WINDOW_MS + RATE_WINDOW_MARGIN_MS;
      while (starts.length > 0 && (starts[0] ?? 0) <= now - span) starts.shift();
      if (starts.length < maxRpm) return 0;
      return (starts[starts.length - maxRpm] ?? now) + span - now;
    },
    record(now: number): void {
      starts.push(now);
      if (starts.length > maxRpm) starts.shift();
    },
  };
}

/** The pause plus the sliding window: every start passes here, after p-queue has dequeued it. */
function createStartGate(maxRpm: number, now: () => number, sleep: (ms: number) => Promise<void>) {
  const window = createSlidingWindow(maxRpm);
  let resumeAt = 0;
  return {
    pauseUntil(at: number): void {
      resumeAt = Math.max(resumeAt, at);
    },
    pausedUntil: (): number => (resumeAt > now() ? resumeAt : 0),
    /** Waits out the pause and the window, then claims a start; check and claim run without a gap. */
    async waitForStart(): Promise<void> {
      for (;;) {
        const t = now();
        const wait = Math.max(resumeAt - t, window.waitMs(t));
        if (wait <= 0) return window.record(t);
        await sleep(wait);
      }
    },
  };
}

function checkOptions(maxRpm: number, concurrency: number): void {
  if (!(Number.isInteger(maxRpm) && maxRpm >= 1)) throw new ConfigError(`maxRpm must be ≥ 1, got ${maxRpm}`);
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new ConfigError(`concurrency must be an integer ≥ 1, got ${concurrency}`);
  }
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const { maxRpm, concurrency = 4, retry = DEFAULT_RETRY_POLICY, random = Math.random } = opts;
  checkOptions(maxRpm, concurrency);
  const now = opts.now ?? Date.now;
  const queue = new PQueue({ concurrency });
  const gate = createStartGate(maxRpm, now, opts.sleep ?? defaultSleep);
  return {
    run: <T>(task: () => Promise<T>): Promise<T> =>
      queue.add(async () => {
        await gate.waitForStart();
        return task();
      }),
    observe(headers) {
      const remaining = headerNumber(headers, 'ratelimit-remaining');
      const resetSeconds = headerNumber(headers, 'ratelimit-reset');
      if (remaining === null || resetSeconds === null || remaining > concurrency + 1) return;
      gate.pauseUntil(now() + Math.min(resetSeconds * 1000, RATE_WINDOW_MS));
    },
    rateLimited(headers, attempt) {
      const resetSeconds = headerNumber(headers, 'ratelimit-reset');
      const waitMs = computeDelay(attempt, resetSeconds === null ? null : resetSeconds * 1000, retry, random);
      gate.pauseUntil(now() + waitMs);
      return waitMs;
    },
    pausedUntil: gate.pausedUntil,
    get size() {
      return queue.size;
    },
    get pending() {
      return queue.pending;
    },
  };
}
