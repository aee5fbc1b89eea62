/**
 * Windows fetched over real HTTP from the simulator: complete and in order, the 10,000 cap never crossed,
 * and every page correct through injected faults (5xx HTML, resets, truncated bodies, timeouts, bare 429s).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createPagerDutyClient,
  type PagerDutyClient,
  type PagerDutyClientOptions,
} from '../../../src/pagerduty/http.js';
import {
  countWindow,
  fetchWindow,
  WindowTooLargeError,
  type WindowSpec,
} from '../../../src/pagerduty/paginate.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { captureLogs, FAST_RETRY, HOUR, isoUtc, NOW, rejectionOf } from './helpers.js';

const idsOf = (page: unknown[]): string[] =>
  z
    .array(z.object({ id: z.string() }))
    .parse(page)
    .map((x) => x.id);

async function readAll(
  client: PagerDutyClient,
  spec: WindowSpec,
): Promise<{ total: number | null; pages: string[][] }> {
  const { total, pages } = await fetchWindow(client, spec);
  const out: string[][] = [];
  for await (const page of pages) out.push(idsOf(page));
  return { total, pages: out };
}

function connect(sim: Simulator, overrides: Partial<PagerDutyClientOptions> = {}): PagerDutyClient {
  return createPagerDutyClient({
    baseUrl: sim.url,
    auth: { kind: 'token', token: 'pages-token' },
    maxRpm: 900,
    retry: FAST_RETRY,
    ...overrides,
  });
}

describe('fetchWindow: small account', () => {
  let sim: Simulator;
  let client: PagerDutyClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 71, preset: 'small', now: NOW });
  });
  afterAll(async () => {
    await sim.close();
  });
  afterEach(async () => {
    await client.close();
  });

  it('fetches every page, concurrently but in offset order', async () => {
    client = connect(sim, { concurrency: 4 });
    const spec = { path: '/incidents', dataKey: 'incidents', query: { date_range: 'all', time_zone: 'UTC' } };
    const expected = sim.account.incidents.map((i) => i.id);
    const { total, pages } = await readAll(client, { ...spec, limit: 7, concurrency: 8 });
    expect(total).toBe(expected.length);
    expect(pages.length).toBe(Math.ceil(expected.length / 7));
    expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect(pages.flat()).toEqual(expected);
    expect(client.stats()).toMatchObject({ requests: pages.length, retries: 0 });
    // The same window at 100 a page agrees.
    expect((await readAll(client, spec)).pages.flat()).toEqual(expected);
  });

  it('countWindow matches a time window; log entries page the same way', async () => {
    client = connect(sim);
    const query = { since: isoUtc(NOW - 40 * 24 * HOUR), until: isoUtc(NOW), time_zone: 'UTC' };
    const total = await countWindow(client, '/incidents', query);
    const { pages } = await readAll(client, { path: '/incidents', dataKey: 'incidents', query, limit: 25 });
    expect(pages.flat()).toHaveLength(total);
    expect(total).toBeGreaterThan(25);
    const logQuery = { ...query, is_overview: true };
    const logs = await readAll(client, {
      path: '/log_entries',
      dataKey: 'log_entries',
      query: logQuery,
      limit: 50,
    });
    const ids = logs.pages.flat();
    expect(ids).toHaveLength(logs.total ?? -1);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('fetchWindow: the burst preset (25,000 incidents in 6 hours)', () => {
  let sim: Simulator;
  let client: PagerDutyClient;
  const day = Date.UTC(2026, 2, 17);

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, preset: 'burst', now: NOW });
    client = connect(sim, { concurrency: 6 });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('a window over 10,000 throws WindowTooLargeError after one request, never past the cap', async () => {
    const query = { since: isoUtc(day), until: isoUtc(day + 24 * HOUR), time_zone: 'UTC' };
    const total = await countWindow(client, '/incidents', query);
    expect(total).toBeGreaterThan(20_000);
    const error = await rejectionOf(
      fetchWindow(client, { path: '/incidents', dataKey: 'incidents', query }),
      WindowTooLargeError,
    );
    expect(error).toMatchObject({ total, exact: true, path: '/incidents' });
    expect(error.message).toContain('split it');
    expect(sim.stats.byPath['GET /incidents']).toBe(2);
    expect(sim.stats.status['400']).toBeUndefined();
  });

  it('split into hour windows, each under the cap is fetched whole', async () => {
    const hour = day + 9 * HOUR;
    const query = { since: isoUtc(hour), until: isoUtc(hour + HOUR), time_zone: 'UTC' };
    const { total, pages } = await readAll(client, { path: '/incidents', dataKey: 'incidents', query });
    expect(total).toBeGreaterThan(4_000);
    expect(total).toBeLessThanOrEqual(10_000);
    const ids = pages.flat();
    expect(ids).toHaveLength(total ?? -1);
    expect(new Set(ids).size).toBe(ids.length);
    const inHour = sim.account.incidents.filter((i) => i.createdAt >= hour && i.createdAt < hour + HOUR);
    expect(ids).toEqual(inHour.map((i) => i.id));
    expect(sim.stats.status['400']).toBeUndefined();
  });
});

describe('fetchWindow: through injected faults', () => {
  let sim: Simulator;
  let client: PagerDutyClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 81, preset: 'small', now: NOW });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('every page arrives correct with ~20% faults; the client retried', async () => {
    const spec = {
      path: '/incidents',
      dataKey: 'incidents',
      query: { date_range: 'all' },
      limit: 10,
      concurrency: 6,
    };
    const reference = connect(sim);
    const expected = (await readAll(reference, spec)).pages;
    await reference.close();

    const { logger, lines } = captureLogs();
    client = connect(sim, { timeoutMs: 150, logger });
    sim.setFaults({
      rate: 0.2,
      mix: { server_error: 3, reset: 2, truncated: 2, slow: 1, rate_limited: 2 },
      bare429Share: 1,
      slowMs: 400,
    });
    try {
      for (let pass = 0; pass < 3; pass++) expect((await readAll(client, spec)).pages).toEqual(expected);
    } finally {
      sim.setFaults({ rate: 0 });
    }
    const stats = client.stats();
    const faults = Object.values(sim.stats.faults).reduce((a, b) => a + b, 0);
    expect(faults).toBeGreaterThan(5);
    expect(stats.retries).toBeGreaterThan(0);
    expect(stats.retries).toBe(stats.requests - 3 * expected.length);
    for (const kind of ['server_error', 'reset', 'truncated', 'slow', 'bare_429'] as const) {
      expect(sim.stats.faults[kind], kind).toBeGreaterThan(0);
    }
    // Each failure shape seen from the client side: 5xx HTML, 429, a timeout, a body cut short.
    expect(Object.keys(stats.errors).filter((k) => /^5\d\d$/.test(k)).length).toBeGreaterThan(0);
    expect(stats.errors).toHaveProperty('429');
    expect(stats.errors).toHaveProperty('TimeoutError');
    expect((stats.errors.ECONNRESET ?? 0) + (stats.errors.UND_ERR_SOCKET ?? 0)).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('retrying') || l.includes('rate limit')).length).toBe(
      stats.retries,
    );
    expect(lines.join('')).not.toContain('pages-token');
  });
});
