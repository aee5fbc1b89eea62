import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createClient,
  DAY,
  duplicates,
  expectError,
  idSchema,
  isoUtc,
  NOW,
  parsePage,
  SECOND,
  walkPages,
  type Query,
  type SimClient,
} from './simHttp.js';

interface Case {
  path: string;
  key: string;
  query: Query;
  /** Every id the endpoint must return, from the account itself. */
  expected: (sim: Simulator) => string[];
}

/** Small enough to walk, large enough for several pages at the default limit. */
const CASES: Case[] = [
  {
    path: '/incidents',
    key: 'incidents',
    query: { date_range: 'all' },
    expected: (sim) => sim.account.incidents.map((i) => i.id),
  },
  {
    path: '/log_entries',
    key: 'log_entries',
    query: { since: isoUtc(NOW - 40 * DAY), until: isoUtc(NOW + SECOND) },
    expected: (sim) => sim.account.log.map((r) => r.event.id),
  },
  { path: '/users', key: 'users', query: {}, expected: (sim) => sim.account.users.map((u) => u.id) },
  { path: '/tags', key: 'tags', query: {}, expected: (sim) => sim.account.tags.map((t) => t.id) },
  {
    path: '/services',
    key: 'services',
    query: {},
    expected: (sim) => sim.account.activeServices().map((s) => s.id),
  },
];

describe('classic pagination', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 11,
      now: NOW,
      preset: 'large',
      incidents: 400,
      days: 30,
      rpm: 100_000,
    });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('the fixture has enough data for several pages everywhere', () => {
    for (const c of CASES) expect(c.expected(sim).length, c.path).toBeGreaterThan(5);
    expect(sim.account.incidents.length).toBeGreaterThan(100);
  });

  it.each(CASES)('$path: walking all pages returns every item exactly once', async (c) => {
    const expected = c.expected(sim);
    const limit = Math.min(100, Math.max(3, Math.ceil(expected.length / 7)));
    const ids = (await walkPages(client, c.path, c.key, idSchema, c.query, limit)).map((x) => x.id);
    expect(duplicates(ids)).toEqual([]);
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  it.each(CASES)('$path: total is null unless total=true (lower case)', async (c) => {
    const count = c.expected(sim).length;
    for (const total of [undefined, 'True', 'TRUE', '1', 'yes', 'false']) {
      const page = parsePage(await client.get(c.path, { ...c.query, total }), c.key, idSchema);
      expect(page.total, `total=${total}`).toBeNull();
    }
    const page = parsePage(await client.get(c.path, { ...c.query, total: 'true' }), c.key, idSchema);
    expect(page.total).toBe(count);
  });

  it.each(CASES)('$path: offset, more and the last page', async (c) => {
    const count = c.expected(sim).length;
    const last = parsePage(
      await client.get(c.path, { ...c.query, offset: count - 2, limit: 5 }),
      c.key,
      idSchema,
    );
    expect(last).toMatchObject({ offset: count - 2, limit: 5, more: false });
    expect(last.items).toHaveLength(2);
    const full = parsePage(
      await client.get(c.path, { ...c.query, offset: count - 5, limit: 5 }),
      c.key,
      idSchema,
    );
    expect(full.items).toHaveLength(5);
    expect(full.more).toBe(false);
    const before = parsePage(
      await client.get(c.path, { ...c.query, offset: count - 6, limit: 5 }),
      c.key,
      idSchema,
    );
    expect(before.more).toBe(true);
    const past = parsePage(await client.get(c.path, { ...c.query, offset: count + 10 }), c.key, idSchema);
    expect(past).toMatchObject({ items: [], more: false, offset: count + 10 });
  });

  it.each(CASES.filter((c) => c.path === '/incidents' || c.path === '/log_entries'))(
    '$path: default limit is 25, the maximum 100 (limit=500 → 100 items, limit echoed 100)',
    async (c) => {
      expect(c.expected(sim).length).toBeGreaterThan(100);
      const first = parsePage(await client.get(c.path, c.query), c.key, idSchema);
      expect(first).toMatchObject({ limit: 25, offset: 0, more: true });
      expect(first.items).toHaveLength(25);
      const big = parsePage(await client.get(c.path, { ...c.query, limit: 500 }), c.key, idSchema);
      expect(big).toMatchObject({ limit: 100, more: true });
      expect(big.items).toHaveLength(100);
      // Pages at different limits line up: items 25..49 are the second default page.
      const second = parsePage(await client.get(c.path, { ...c.query, offset: 25 }), c.key, idSchema);
      expect(second.items.map((x) => x.id)).toEqual(big.items.slice(25, 50).map((x) => x.id));
    },
  );

  it('offset+limit past 10,000 is refused even when the list is short', async () => {
    const error = expectError(await client.get('/users', { offset: 9990, limit: 20 }), 400, 2002);
    expect(error.errors?.[0]).toMatch(/^Offset\+limit exceeds maximum allowed value of 10000/);
    expect(
      parsePage(await client.get('/users', { offset: 9980, limit: 20 }), 'users', idSchema).items,
    ).toEqual([]);
  });
});

describe('classic pagination: the 10,000-record cap (burst preset)', () => {
  let sim: Simulator;
  let client: SimClient;
  let window: Query;
  let windowIds: string[];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, now: NOW, preset: 'burst', rpm: 100_000 });
    client = createClient(sim.url);
    // The busiest UTC day of the account: the burst.
    const perDay = new Map<number, number>();
    for (const i of sim.account.incidents) {
      const day = Math.floor(i.createdAt / DAY) * DAY;
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const [day] = [...perDay.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0];
    window = { since: isoUtc(day), until: isoUtc(day + DAY), time_zone: 'UTC' };
    windowIds = sim.account.incidents
      .filter((i) => i.createdAt >= day && i.createdAt < day + DAY)
      .map((i) => i.id);
  }, 60_000);
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('a one-day window holds more than 10,000 incidents, and total says so', async () => {
    expect(windowIds.length).toBeGreaterThan(10_000);
    const page = parsePage(
      await client.get('/incidents', { ...window, total: 'true' }),
      'incidents',
      idSchema,
    );
    expect(page.total).toBe(windowIds.length);
    expect(page.more).toBe(true);
  });

  it('offset 9900 + limit 100 (exactly 10,000) is allowed and returns the right slice', async () => {
    const page = parsePage(
      await client.get('/incidents', { ...window, offset: 9900, limit: 100 }),
      'incidents',
      idSchema,
    );
    expect(page).toMatchObject({ offset: 9900, limit: 100, more: true });
    expect(page.items.map((x) => x.id)).toEqual(windowIds.slice(9900, 10_000));
    const tail = parsePage(
      await client.get('/incidents', { ...window, offset: 9975 }),
      'incidents',
      idSchema,
    );
    expect(tail.items.map((x) => x.id)).toEqual(windowIds.slice(9975, 10_000));
  });

  it.each([
    { offset: 9901, limit: 100 },
    { offset: 10_000 },
    { offset: 9976 },
    { offset: 9950, limit: 500 },
    { offset: 20_000, limit: 1 },
  ])('offset+limit > 10,000 → 400 code 2002 with the real message (%j)', async (q) => {
    for (const path of ['/incidents', '/log_entries']) {
      const error = expectError(await client.get(path, { ...window, ...q }), 400, 2002);
      expect(error.message).toBe('Arguments Caused Error');
      expect(error.errors).toEqual([
        'Offset+limit exceeds maximum allowed value of 10000. Please try to refine your search to reduce the returned set of records below this number, like adding a date range.',
      ]);
    }
  });

  it('/log_entries: offset 9900 + limit 100 works on a big window', async () => {
    const page = parsePage(
      await client.get('/log_entries', { ...window, offset: 9900, limit: 100 }),
      'log_entries',
      idSchema,
    );
    expect(page.items).toHaveLength(100);
    expect(page.more).toBe(true);
  });
});
