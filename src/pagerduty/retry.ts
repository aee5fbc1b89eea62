/**
 * Retry policy as data, plus the two pure decisions the HTTP client makes with it: how long to wait
 * (`computeDelay`) and whether a failure is worth another attempt at all (`classify`).
 */
import { ConfigError } from '../errors.js';

/** How the client retries one request. Config data; every field has a default. */
export interface RetryPolicy {
  /** Attempts per request, the first one included. Default 8. */
  maxAttempts: number;
  /** Backoff base in ms: attempt n waits about baseDelayMs · 2^(n−1). Default 500. */
  baseDelayMs: number;
  /** Upper bound in ms for any wait, the server's own included. Default 60_000 (PagerDuty's window). */
  maxDelayMs: number;
  /** Share of the backoff that is random, 0..1: 1 = full jitter, 0.5 = equal jitter, 0 = none. Default 0.5. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  jitter: 0.5,
});

/** Fills defaults and rejects nonsense (a negative delay, jitter outside 0..1, zero attempts). */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) problems.push('maxAttempts ≥ 1');
  if (!(policy.baseDelayMs >= 0)) problems.push('baseDelayMs ≥ 0');
  if (!(policy.maxDelayMs >= policy.baseDelayMs)) problems.push('maxDelayMs ≥ baseDelayMs');
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) problems.push('jitter in 0..1');
  if (problems.length > 0) {
    throw new ConfigError(`invalid retry policy: need ${problems.join(', ')}`, { policy });
  }
  return policy;
}

/**
 * The wait in ms after failed attempt number `attempt` (1-based). The server's own wait (PagerDuty's
 * `ratelimit-reset`, a `Retry-After`) wins when given, clamped to [0, maxDelayMs]; otherwise exponential
 * backoff, capped at maxDelayMs, with `jitter` of it drawn from `random` (so attempts spread out).
 */
export function computeDelay(
  attempt: number,
  retryAfterMs: number | null,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== null && Number.isFinite(retryAfterMs)) {
    return Math.round(Math.min(Math.max(retryAfterMs, 0), policy.maxDelayMs));
  }
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * (1 - policy.jitter) + ceiling * policy.jitter * r);
}

/** What to do about a failure: retry after backoff, pause the whole queue, stop the run, or give up. */
export type FailureClass = 'retry' | 'rate_limit' | 'auth' | 'fatal';

/** Network and parse failures worth another attempt (undici 7 shapes; research node20-packages.md §6). */
const RETRIABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
  'TimeoutError',
  'SyntaxError',
  'not-json',
]);

/** PagerDuty error codes (research pagerduty-api.md §g) that decide the class on their own. */
const PD_CODES: Record<number, FailureClass> = {
  2000: 'retry', // internal error
  2016: 'retry', // the request took too long
  2020: 'rate_limit',
  2006: 'auth', // authentication failed
  2010: 'auth', // access denied
  2012: 'auth', // account expired
};

/**
 * Classifies an HTTP status (100..599), a PagerDuty error code (2000+) or a network/parse error code
 * (`'ECONNRESET'`, `'UND_ERR_SOCKET'`, `'SyntaxError'`, …). Anything unknown is fatal: never retry blind.
 */
export function classify(statusOrCode: number | string): FailureClass {
  if (typeof statusOrCode === 'string') return RETRIABLE_CODES.has(statusOrCode) ? 'retry' : 'fatal';
  if (statusOrCode >= 1000) return PD_CODES[statusOrCode] ?? 'fatal';
  if (statusOrCode === 429) return 'rate_limit';
  if (statusOrCode === 401 || statusOrCode === 403) return 'auth';
  if (statusOrCode === 408 || (statusOrCode >= 500 && statusOrCode <= 599)) return 'retry';
  return 'fatal';
}

/** The code `classify` understands for a thrown network/body error: its `code`, else its name. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof SyntaxError) return 'SyntaxError';
  if (error instanceof Error) {
    const code = 'code' in error ? error.code : undefined;
    if (typeof code === 'string' && code !== '') return code;
    return error.name;
  }
  return 'unknown';
}
