/** The PagerDuty client over real HTTP against the simulator: auth, query encoding, errors, 429s. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthError, HttpError } from '../../../src/errors.js';
import { createPagerDutyClient, type PagerDutyClient } from '../../../src/pagerduty/http.js';
import { isOffsetCapError } from '../../../src/pagerduty/responses.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { captureLogs, FAST_RETRY, NOW, rejectionOf } from './helpers.js';

const TOKEN = 'good-token-0123456789';

let sim: Simulator;
let client: PagerDutyClient | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 61, now: NOW, incidents: 120, days: 30, tokens: [TOKEN] });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
});

function connect(overrides: Partial<Parameters<typeof createPagerDutyClient>[0]> = {}): PagerDutyClient {
  client = createPagerDutyClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: TOKEN },
    maxRpm: 900,
    retry: FAST_RETRY,
    ...overrides,
  });
  return client;
}

const statusesOf = (body: unknown): string[] =>
  z
    .object({ incidents: z.array(z.object({ status: z.string() })) })
    .parse(body)
    .incidents.map((i) => i.status);

describe('client: requests', () => {
  it('sends the token, the v2 Accept header and repeated key[] query values', async () => {
    const c = connect();
    const res = await c.get('/incidents', {
      date_range: 'all',
      'statuses[]': ['triggered', 'acknowledged'],
      limit: 100,
      total: true,
    });
    expect(res.status).toBe(200);
    expect(res.headers['ratelimit-limit']).toBe('960');
    const open = sim.account.incidents.filter((i) => i.state.status !== 'resolved').length;
    expect(res.body).toMatchObject({ total: open });
    const statuses = statusesOf(res.body);
    expect(statuses).toHaveLength(open);
    for (const status of statuses) expect(['triggered', 'acknowledged']).toContain(status);
    expect(c.stats()).toEqual({ requests: 1, retries: 0, rateLimited: 0, errors: {} });
  });

  it('OAuth tokens go as Bearer', async () => {
    const res = await connect({ auth: { kind: 'oauth', token: TOKEN } }).get('/services');
    expect(res.status).toBe(200);
  });
});

describe('client: lifecycle', () => {
  it('refuses requests after close(), and paths that carry a query', async () => {
    const c = connect();
    await expect(c.get('/services?limit=1')).rejects.toThrow(/no query/);
    await c.close();
    await expect(c.get('/services')).rejects.toThrow(/closed/);
  });
});

describe('client: fatal answers', () => {
  it('a wrong token is an AuthError at once, with the fix in the message and no token anywhere', async () => {
    const { logger, lines } = captureLogs();
    const secret = 'wrong-token-abcdef';
    const c = connect({ auth: { kind: 'token', token: secret }, logger });
    const before = sim.stats.requests;
    const started = performance.now();
    const error = await rejectionOf(c.get('/incidents'), AuthError);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.message).toBe(
      'PagerDuty rejected the token (401): check PAGERDUTY_TOKEN, or use https://api.eu.pagerduty.com for an EU account (PAGERDUTY_API_URL)',
    );
    expect(sim.stats.requests - before).toBe(1);
    expect(JSON.stringify({ message: error.message, context: error.context })).not.toContain(secret);
    expect(lines.join('')).not.toContain(secret);
  });

  it('other 4xx are HttpErrors with PagerDuty code and message, not retried', async () => {
    const c = connect();
    const bad = await rejectionOf(c.get('/incidents', { since: 'not-a-date' }), HttpError);
    expect(bad).toMatchObject({ status: 400, retriable: false, context: { code: 2001, path: '/incidents' } });
    expect(bad.message).toMatch(/^GET \/incidents failed: PagerDuty answered 400: code 2001/);
    const missing = await c.get('/incidents/PNOSUCH1').catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, context: { code: 2100 } });
    expect(c.stats()).toMatchObject({ requests: 2, retries: 0, errors: { '400': 1, '404': 1 } });
  });

  it('400 code 2002 (past the offset cap) is distinguishable', async () => {
    const request = connect().get('/incidents', { date_range: 'all', offset: 9_950, limit: 100 });
    const error = await rejectionOf(request, HttpError);
    expect(isOffsetCapError(error)).toBe(true);
    expect(error.message).toContain('split the window');
  });

  it('gives up after maxAttempts with a one-line HttpError naming the path, not the query', async () => {
    sim.setFaults({ rate: 1, mix: { server_error: 1, reset: 0, truncated: 0, slow: 0, rate_limited: 0 } });
    try {
      const c = connect({ retry: { ...FAST_RETRY, maxAttempts: 3 } });
      const error = await rejectionOf(c.get('/services', { query: 'secret-filter' }), HttpError);
      expect(error).toMatchObject({ retriable: true, context: { attempts: 3, path: '/services' } });
      const message = error.message;
      expect(message).toMatch(/^GET \/services failed after 3 attempts: 50[0-4] /);
      expect(message).not.toContain('\n');
      expect(message).not.toContain('secret-filter');
      expect(c.stats()).toMatchObject({ requests: 3, retries: 2 });
    } finally {
      sim.setFaults({ rate: 0 });
    }
  });
});

describe('client: 429', () => {
  it('a 429 storm pauses the whole queue for ratelimit-reset, then every request completes', async () => {
    const { logger, lines } = captureLogs();
    const c = connect({ maxRpm: 1000, concurrency: 4, logger });
    const limited = sim.stats.rateLimited;
    sim.storm(1);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 12 }, () => c.get('/services', { limit: 100 })));
    const elapsed = performance.now() - started;
    expect(results.map((r) => r.status)).toEqual(Array<number>(12).fill(200));
    for (const r of results) expect(r.body).toMatchObject({ services: expect.any(Array) as unknown });
    const stats = c.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    // Only the requests already in flight when the storm began see a 429: the pause holds back the rest.
    expect(stats.rateLimited).toBeLessThanOrEqual(4);
    expect(sim.stats.rateLimited - limited).toBe(stats.rateLimited);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    expect(lines.some((l) => l.includes('pagerduty rate limit hit') && l.includes('"waitMs":1000'))).toBe(
      true,
    );
  });
});
