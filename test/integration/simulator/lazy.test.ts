/**
 * Lazy mode: incidents and log entries computed per request from (seed, number). Read back through windows
 * over real HTTP, they must add up to the truth counts, appear exactly once, page stably, match their
 * single-object routes, and keep eager mode's JSON shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createClient,
  DAY,
  expectError,
  isoUtc,
  NOW,
  parsePage,
  type Query,
  type SimClient,
} from './simHttp.js';

const item = z.object({ id: z.string(), created_at: z.string() }).loose();
type Item = z.infer<typeof item>;
const INCIDENTS = 30_000;
const DAYS = 60;

/** Every page of one window (limit 100, total on the first page), checking the envelope as it goes. */
async function readWindow(client: SimClient, path: string, key: string, query: Query) {
  const items: Item[] = [];
  let total = 0;
  for (let offset = 0; ; offset += 100) {
    const page = parsePage(await client.get(path, { ...query, limit: 100, offset, total: true }), key, item);
    total = page.total ?? -1;
    items.push(...page.items);
    if (!page.more) break;
  }
  expect(items).toHaveLength(total);
  return { items, total };
}

/** [since, until) windows of `days` days covering the whole history (and a day either side). */
function windows(sim: Simulator, days: number): [string, string][] {
  const out: [string, string][] = [];
  for (let t = sim.account.now - (DAYS + 1) * DAY; t < sim.account.now + DAY; t += days * DAY)
    out.push([isoUtc(t), isoUtc(t + days * DAY)]);
  return out;
}

describe(`a lazy account of ${INCIDENTS} incidents over ${DAYS} days`, () => {
  let sim: Simulator;
  let client: SimClient;
  beforeAll(async () => {
    sim = await startSimulator({
      preset: 'large',
      seed: 7,
      incidents: INCIDENTS,
      days: DAYS,
      lazy: true,
      now: NOW,
      rpm: 1_000_000,
    });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('serves every incident once across windows, totals add up to the truth, pages are stable', async () => {
    const counts = sim.truth().counts;
    expect(counts.incidents).toBe(INCIDENTS);
    const seen = new Map<string, Item>();
    let sum = 0;
    let last = '';
    for (const [since, until] of windows(sim, 4)) {
      const q = { since, until, time_zone: 'UTC' };
      const { items, total } = await readWindow(client, '/incidents', 'incidents', q);
      sum += total;
      for (const i of items) {
        expect(seen.has(i.id)).toBe(false);
        seen.set(i.id, i);
        expect(i.created_at >= since && i.created_at < until && i.created_at >= last).toBe(true);
        last = i.created_at;
      }
      const again = await client.get('/incidents', { ...q, limit: 100, offset: 300, total: true });
      const first = await client.get('/incidents', { ...q, limit: 100, offset: 300, total: true });
      expect(again.text).toBe(first.text);
    }
    expect(sum).toBe(counts.incidents);
    expect(seen.size).toBe(INCIDENTS);
    const sample = [...seen.values()].filter((_, k) => k % 1_500 === 0);
    for (const i of sample) {
      const one = await client.get(`/incidents/${i.id}`, { time_zone: 'UTC' });
      expect(one.json).toEqual({ incident: i });
    }
  });

  it('serves every log entry once, newest first; window totals add up to the truth counts', async () => {
    const counts = sim.truth().counts;
    const sums = { all: 0, overview: 0 };
    for (const [since, until] of windows(sim, 2)) {
      for (const overview of [false, true]) {
        const q = { since, until, time_zone: 'UTC', is_overview: overview, limit: 1, total: true };
        const page = parsePage(await client.get('/log_entries', q), 'log_entries', item);
        sums[overview ? 'overview' : 'all'] += page.total ?? NaN;
      }
    }
    expect(sums).toEqual({ all: counts.log_entries, overview: counts.log_entries_overview });
    expect(counts.log_entries).toBeGreaterThan(5 * INCIDENTS);

    const since = isoUtc(sim.account.now - 10 * DAY);
    const q = { since, until: isoUtc(sim.account.now - 9 * DAY), time_zone: 'UTC' };
    const { items } = await readWindow(client, '/log_entries', 'log_entries', q);
    expect(items.length).toBeGreaterThan(1_000);
    expect(new Set(items.map((e) => e.id)).size).toBe(items.length);
    const times = items.map((e) => e.created_at);
    expect(times).toEqual([...times].sort().reverse());
    const again = await readWindow(client, '/log_entries', 'log_entries', q);
    expect(again.items).toEqual(items);
    for (const e of items.filter((_, k) => k % 700 === 0)) {
      const one = await client.get(`/log_entries/${e.id}`, { time_zone: 'UTC' });
      expect(one.json).toEqual({ log_entry: e });
      const incidentId = z.object({ incident: z.object({ id: z.string() }) }).parse(e).incident.id;
      const own = await client.get(`/incidents/${incidentId}/log_entries`, { time_zone: 'UTC', limit: 100 });
      expect(parsePage(own, 'log_entries', item).items).toContainEqual(e);
    }
  });

  it('renders incidents and log entries with the same fields as eager mode', async () => {
    const eager = await startSimulator({ preset: 'large', seed: 7, incidents: 300, days: DAYS, now: NOW });
    const eagerClient = createClient(eager.url);
    try {
      const keys = async (c: SimClient, path: string, key: string) => {
        const q = { since: isoUtc(NOW - 20 * DAY), until: isoUtc(NOW), limit: 100, time_zone: 'UTC' };
        const page = parsePage(await c.get(path, q), key, z.record(z.string(), z.unknown()));
        return [...new Set(page.items.flatMap((i) => Object.keys(i)))].sort();
      };
      for (const [path, key] of [
        ['/incidents', 'incidents'],
        ['/log_entries', 'log_entries'],
      ] as const)
        expect(await keys(client, path, key)).toEqual(await keys(eagerClient, path, key));
    } finally {
      await eagerClient.close();
      await eager.close();
    }
  });

  it('filters by status and urgency and sorts by sort_by, as eager mode does', async () => {
    const q = { since: isoUtc(NOW - 12 * DAY), until: isoUtc(NOW - 11 * DAY), time_zone: 'UTC' };
    const number = z.object({ incident_number: z.number(), status: z.string(), urgency: z.string() }).loose();
    const total = async (extra: Query) =>
      parsePage(
        await client.get('/incidents', { ...q, ...extra, limit: 1, total: true }),
        'incidents',
        number,
      ).total ?? NaN;
    const all = await total({});
    const byStatus = await Promise.all(
      ['triggered', 'acknowledged', 'resolved'].map((s) => total({ 'statuses[]': s })),
    );
    expect(byStatus.reduce((a, b) => a + b, 0)).toBe(all);
    const high = await total({ 'urgencies[]': 'high' });
    expect(high).toBeGreaterThan(0);
    expect(high + (await total({ 'urgencies[]': 'low' }))).toBe(all);
    const desc = parsePage(
      await client.get('/incidents', {
        ...q,
        sort_by: 'incident_number:desc',
        limit: 100,
        offset: all - 100,
      }),
      'incidents',
      number,
    );
    const asc = parsePage(await client.get('/incidents', { ...q, limit: 100 }), 'incidents', number);
    expect(desc.items.map((i) => i.incident_number)).toEqual(
      asc.items.map((i) => i.incident_number).reverse(),
    );
    const low = parsePage(
      await client.get('/incidents', { ...q, 'urgencies[]': 'low', limit: 100 }),
      'incidents',
      number,
    );
    expect(low.items.length).toBeGreaterThan(0);
    expect(low.items.every((i) => i.urgency === 'low')).toBe(true);
  });

  it('keeps the API rules (offset cap, 6-month range, unknown ids) and refuses to change', async () => {
    const since = isoUtc(NOW - 30 * DAY);
    expectError(await client.get('/incidents', { since, offset: 9_950, limit: 100 }), 400, 2002);
    expectError(await client.get('/log_entries', { since, offset: 9_901, limit: 100 }), 400, 2002);
    expectError(await client.get('/incidents', { since: isoUtc(NOW - 300 * DAY) }), 400, 2001);
    expectError(await client.get('/incidents/QAAAAAAA000001'), 404, 2100);
    expectError(await client.get('/log_entries/RAAAAAAAAAAAAAAAAA00000100'), 404, 2100);
    expect(() => sim.advance(60)).toThrow(/not supported in lazy mode/);
    expect(() => sim.truth().incidents).toThrow(/not supported in lazy mode/);
  });
});
