import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  classify,
  computeDelay,
  DEFAULT_RETRY_POLICY,
  errorCodeOf,
  retryPolicy,
  type RetryPolicy,
} from '../../../src/pagerduty/retry.js';

const policy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000, jitter: 0.5 };
const fixed = (value: number) => () => value;

describe('computeDelay', () => {
  it('prefers the server wait, clamped to [0, maxDelayMs]', () => {
    expect(computeDelay(1, 20_000, policy, fixed(0.9))).toBe(20_000);
    expect(computeDelay(5, 0, policy, fixed(0.9))).toBe(0);
    expect(computeDelay(1, 600_000, policy, fixed(0.9))).toBe(60_000);
    expect(computeDelay(1, -5, policy, fixed(0.9))).toBe(0);
  });

  it('without a server wait: exponential backoff with equal jitter at jitter=0.5', () => {
    // ceiling = 500 · 2^(n−1); delay = ceiling/2 + ceiling/2 · random
    expect(computeDelay(1, null, policy, fixed(0))).toBe(250);
    expect(computeDelay(1, null, policy, fixed(1))).toBe(500);
    expect(computeDelay(2, null, policy, fixed(0.5))).toBe(750);
    expect(computeDelay(4, null, policy, fixed(0))).toBe(2000);
  });

  it('full jitter (1) spans [0, ceiling]; no jitter (0) is exact', () => {
    expect(computeDelay(3, null, { ...policy, jitter: 1 }, fixed(0))).toBe(0);
    expect(computeDelay(3, null, { ...policy, jitter: 1 }, fixed(0.25))).toBe(500);
    expect(computeDelay(3, null, { ...policy, jitter: 0 }, fixed(0.99))).toBe(2000);
  });

  it('caps the backoff at maxDelayMs, even for absurd attempt numbers', () => {
    expect(computeDelay(20, null, policy, fixed(1))).toBe(60_000);
    expect(computeDelay(5000, null, policy, fixed(0))).toBe(30_000);
    expect(computeDelay(0, null, policy, fixed(1))).toBe(500);
  });

  it('treats a NaN/Infinity server wait as absent', () => {
    expect(computeDelay(1, Number.NaN, policy, fixed(1))).toBe(500);
    expect(computeDelay(1, Number.POSITIVE_INFINITY, policy, fixed(1))).toBe(500);
  });

  it('every delay stays within [0, maxDelayMs] for random draws', () => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      for (const r of [0, 0.1, 0.5, 0.999, 1]) {
        const d = computeDelay(attempt, null, policy, fixed(r));
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(policy.maxDelayMs);
      }
    }
  });
});

describe('retryPolicy', () => {
  it('fills the documented defaults', () => {
    expect(retryPolicy()).toEqual({ maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000, jitter: 0.5 });
    expect(retryPolicy({ maxAttempts: 3 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 3 });
  });

  it('rejects nonsense with a ConfigError', () => {
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(ConfigError);
    expect(() => retryPolicy({ jitter: 1.5 })).toThrow(/jitter/);
    expect(() => retryPolicy({ baseDelayMs: 10, maxDelayMs: 5 })).toThrow(/maxDelayMs/);
  });
});

describe('classify', () => {
  it('HTTP statuses', () => {
    expect(classify(429)).toBe('rate_limit');
    expect(classify(401)).toBe('auth');
    expect(classify(403)).toBe('auth');
    for (const s of [408, 500, 502, 503, 504]) expect(classify(s)).toBe('retry');
    for (const s of [400, 402, 404, 409, 422]) expect(classify(s)).toBe('fatal');
  });

  it('PagerDuty error codes', () => {
    expect(classify(2020)).toBe('rate_limit');
    expect(classify(2006)).toBe('auth');
    expect(classify(2010)).toBe('auth');
    expect(classify(2000)).toBe('retry');
    expect(classify(2016)).toBe('retry');
    expect(classify(2002)).toBe('fatal');
    expect(classify(2001)).toBe('fatal');
    expect(classify(2100)).toBe('fatal');
  });

  it('network and parse error codes (undici 7)', () => {
    for (const c of [
      'ECONNRESET',
      'UND_ERR_SOCKET',
      'UND_ERR_HEADERS_TIMEOUT',
      'SyntaxError',
      'TimeoutError',
    ]) {
      expect(classify(c)).toBe('retry');
    }
    for (const c of ['ENOTFOUND', 'UND_ERR_DESTROYED', 'UND_ERR_CLOSED', 'CERT_HAS_EXPIRED', 'Error']) {
      expect(classify(c)).toBe('fatal');
    }
  });
});

describe('errorCodeOf', () => {
  it('reads code, else name; SyntaxError by class', () => {
    expect(errorCodeOf(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(
      'ECONNRESET',
    );
    expect(errorCodeOf(new SyntaxError('Unexpected end of JSON input'))).toBe('SyntaxError');
    expect(errorCodeOf(new DOMException('timed out', 'TimeoutError'))).toBe('TimeoutError');
    expect(errorCodeOf('boom')).toBe('unknown');
  });
});
