import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ANALYTICS_LAG_MAX_MINUTES,
  ANALYTICS_LAG_MIN_MINUTES,
  startSimulator,
  type Simulator,
} from '../../../src/simulator/index.js';
import { createClient, duplicates, expectError, NOW, type SimClient } from './simHttp.js';

const PATH = '/analytics/raw/incidents';
const MINUTE = 60_000;
const WALL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/; // no offset, as in the spec's example

const recordSchema = z.looseObject({
  id: z.string(),
  incident_number: z.number().int(),
  created_at: z.string().regex(WALL),
  updated_at: z.string().regex(WALL),
  resolved_at: z.string().regex(WALL).nullable(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  urgency: z.enum(['high', 'low']),
  major: z.boolean(),
  service_id: z.string(),
  team_id: z.string().nullable(),
  priority_id: z.string().nullable(),
  priority_name: z.string().nullable(),
  seconds_to_first_ack: z.number().int().nullable(),
  seconds_to_resolve: z.number().int().nullable(),
  seconds_to_engage: z.number().int().nullable(),
  seconds_to_mobilize: z.number().int().nullable(),
  engaged_user_count: z.number().int(),
  acknowledged_user_ids: z.array(z.string()),
  business_hour_interruptions: z.number().int(),
  off_hour_interruptions: z.number().int(),
  sleep_hour_interruptions: z.number().int(),
  total_interruptions: z.number().int(),
  total_notifications: z.number().int(),
});
type Rec = z.infer<typeof recordSchema>;
const pageSchema = z.object({
  data: z.array(recordSchema),
  first: z.string().nullable(),
  last: z.string().nullable(),
  limit: z.number().int(),
  more: z.boolean(),
  order: z.enum(['asc', 'desc']),
  order_by: z.string(),
  filters: z.record(z.string(), z.unknown()),
  time_zone: z.string(),
  starting_after: z.string().nullable(),
  ending_before: z.string().nullable(),
});
type Page = z.infer<typeof pageSchema>;

/** Wall-clock time of `ms` in `zone`, from Intl (not from the simulator's own time code). */
function wall(ms: number, zone: string): string {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return f.format(new Date(ms)).replace(' ', 'T');
}
const utcMs = (w: string) => Date.parse(`${w}Z`);

describe('POST /analytics/raw/incidents', () => {
  let sim: Simulator;
  let client: SimClient;

  const post = async (body: unknown, c: SimClient = client): Promise<Page> => {
    const reply = await c.post(PATH, body);
    expect(reply.status, reply.text).toBe(200);
    return pageSchema.parse(reply.json);
  };
  /** Follows starting_after = last while more, checking each page's echo. */
  const walk = async (body: Record<string, unknown>, limit: number): Promise<Rec[]> => {
    const out: Rec[] = [];
    let after: string | null = null;
    for (let i = 0; i < 1000; i++) {
      const page: Page = await post({ ...body, limit, ...(after ? { starting_after: after } : {}) });
      expect(page.limit).toBe(limit);
      expect(page.starting_after).toBe(after);
      out.push(...page.data);
      if (!page.more) return out;
      expect(page.data).toHaveLength(limit);
      after = page.last;
      expect(after).not.toBe(page.data.at(-1)?.id); // opaque, not an incident id
    }
    throw new Error('runaway pagination');
  };

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 23,
      now: NOW,
      preset: 'large',
      incidents: 500,
      days: 20,
      rpm: 100_000,
    });
    // Fresh activity right up to the clock, so some incidents are too new for the pipeline.
    sim.advance(30, { newIncidents: 30 });
    client = createClient(sim.url, 'analytics-main');
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('pages with starting_after visit every processed incident exactly once, newest first; the newest are not there yet', async () => {
    const all = await walk({}, 37);
    const ids = all.map((r) => r.id);
    expect(duplicates(ids)).toEqual([]);
    const now = sim.account.now;
    const visible = sim.account.incidents.filter((i) => i.revealed > 0);
    const settled = visible.filter((i) => i.createdAt <= now - ANALYTICS_LAG_MAX_MINUTES * MINUTE);
    const fresh = visible.filter((i) => i.createdAt > now - ANALYTICS_LAG_MIN_MINUTES * MINUTE);
    expect(fresh.length).toBeGreaterThan(0);
    const seen = new Set(ids);
    expect(settled.filter((i) => !seen.has(i.id))).toEqual([]);
    expect(fresh.filter((i) => seen.has(i.id)).map((i) => i.id)).toEqual([]);
    expect(all.every((r) => sim.account.byId.incidents.get(r.id)?.revealed)).toBe(true);
    const created = all.map((r) => utcMs(r.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    for (const r of all) expect(utcMs(r.updated_at)).toBeLessThanOrEqual(now);
    // A notification sent in the last few minutes is not counted yet: the record lags the incident.
    const notifies = (id: string) => {
      const inc = sim.account.byId.incidents.get(id);
      return inc ? inc.events.slice(0, inc.revealed).filter((e) => e.type === 'notify_log_entry') : [];
    };
    let lagging = 0;
    for (const r of all) {
      const sent = notifies(r.id);
      expect(r.total_notifications).toBeLessThanOrEqual(sent.length);
      const newest = sent.at(-1)?.at ?? 0;
      if (newest > now - ANALYTICS_LAG_MIN_MINUTES * MINUTE) {
        lagging++;
        expect(r.total_notifications).toBeLessThan(sent.length);
      }
    }
    expect(lagging).toBeGreaterThan(0);
  });

  it('order asc by seconds_to_resolve walks everything once, unresolved (null) last', async () => {
    const all = await walk({ order: 'asc', order_by: 'seconds_to_resolve' }, 100);
    expect(all).toHaveLength((await walk({}, 1000)).length);
    expect(duplicates(all.map((r) => r.id))).toEqual([]);
    const keys = all.map((r) => r.seconds_to_resolve ?? Infinity);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(keys.at(-1)).toBe(Infinity);
  });

  it('ending_before returns the page before a cursor', async () => {
    const first = await post({ limit: 15 });
    const second = await post({ limit: 15, starting_after: first.last });
    const back = await post({ limit: 15, ending_before: second.first });
    expect(back.data.map((r) => r.id)).toEqual(first.data.map((r) => r.id));
    expect(back.ending_before).toBe(second.first);
    expect(back.more).toBe(false);
  });

  it('limit: default 20, 1..1000 accepted, anything else 400; malformed requests 400', async () => {
    expect((await post({})).data).toHaveLength(20);
    expect((await post({ limit: 1000 })).limit).toBe(1000);
    expect((await post({ limit: 1 })).data).toHaveLength(1);
    for (const limit of [1001, 0, -5, 2.5, '10']) expectError(await client.post(PATH, { limit }), 400, 2001);
    expectError(await client.post(PATH, '{not json'), 400, 2001);
    expectError(await client.post(PATH, { starting_after: 'bm90IGEgY3Vyc29y' }), 400, 2001);
    expectError(await client.post(PATH, { order: 'up' }), 400, 2001);
    expectError(await client.post(PATH, { order_by: 'updated_at' }), 400, 2001);
    expectError(await client.post(PATH, { time_zone: 'Mars/Olympus' }), 400, 2001);
    expectError(await client.post(PATH, { filters: { urgency: 'urgent' } }), 400, 2001);
    expectError(await client.post(PATH, { filters: { created_at_start: 'yesterday' } }), 400, 2001);
    const first = await post({ limit: 5 });
    expectError(
      await client.post(PATH, { starting_after: first.last, ending_before: first.first }),
      400,
      2001,
    );
  });

  it('records agree with the incidents: times in time_zone without offset, seconds from the lifecycle', async () => {
    const zone = 'America/New_York';
    const all = await walk({ time_zone: zone }, 1000);
    const truth = new Map(sim.truth().incidents.map((t) => [t.id, t]));
    const settledBefore = sim.account.now - ANALYTICS_LAG_MAX_MINUTES * MINUTE;
    let checked = 0;
    for (const r of all) {
      const inc = sim.account.byId.incidents.get(r.id);
      const t = truth.get(r.id);
      if (!inc || !t) throw new Error(`unknown incident ${r.id}`);
      expect(r.incident_number).toBe(t.incident_number);
      expect(r.created_at).toBe(wall(inc.createdAt, zone));
      expect(r.service_id).toBe(t.service_id);
      const last = inc.events[inc.revealed - 1]?.at ?? 0;
      if (last > settledBefore) continue; // the pipeline may not have caught up with this one
      checked++;
      expect(r.status).toBe(t.status);
      expect(r.urgency).toBe(t.urgency);
      expect(r.priority_id).toBe(t.priority_id);
      const created = Date.parse(t.created_at);
      const ack = t.first_acknowledged_at;
      expect(r.seconds_to_first_ack).toBe(ack === null ? null : (Date.parse(ack) - created) / 1000);
      const resolved = t.resolved_at;
      expect(r.seconds_to_resolve).toBe(resolved === null ? null : (Date.parse(resolved) - created) / 1000);
      expect(r.resolved_at).toBe(resolved === null ? null : wall(Date.parse(resolved), zone));
      expect(r.engaged_user_count).toBe(new Set(r.acknowledged_user_ids).size);
      if (r.engaged_user_count < 2)
        expect([r.seconds_to_engage, r.seconds_to_mobilize]).toEqual([null, null]);
      const parts = r.business_hour_interruptions + r.off_hour_interruptions + r.sleep_hour_interruptions;
      expect(r.total_interruptions).toBe(parts);
      expect(r.total_interruptions).toBeLessThanOrEqual(r.total_notifications);
      const revealed = inc.events.slice(0, inc.revealed);
      expect(r.total_notifications).toBe(revealed.filter((e) => e.type === 'notify_log_entry').length);
    }
    expect(checked).toBeGreaterThan(400);
  });

  it('filters: created_at range, service_ids, urgency, major, priority_names; the echo', async () => {
    const svc = sim.account.services[1]?.id ?? '';
    const filters = {
      created_at_start: '2026-03-10T00:00:00',
      created_at_end: '2026-03-15T00:00:00',
      service_ids: [svc],
      urgency: 'high',
    };
    const page = await post({ filters, limit: 1000, time_zone: 'Etc/UTC' });
    expect(page.filters).toEqual(filters);
    expect(page.data.length).toBeGreaterThan(0);
    for (const r of page.data) {
      expect(r.created_at >= '2026-03-10T00:00:00' && r.created_at < '2026-03-15T00:00:00').toBe(true);
      expect([r.service_id, r.urgency]).toEqual([svc, 'high']);
    }
    const unfiltered = await walk({}, 1000);
    const expected = unfiltered.filter(
      (r) =>
        r.service_id === svc &&
        r.urgency === 'high' &&
        r.created_at >= '2026-03-10' &&
        r.created_at < '2026-03-15',
    );
    expect(page.data.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    const major = await post({ filters: { major: true }, limit: 1000 });
    expect(major.data.length).toBeGreaterThan(0);
    expect(major.data.every((r) => r.major)).toBe(true);
    const p1 = await post({ filters: { priority_names: ['P1'] }, limit: 1000 });
    expect(p1.data.length).toBeGreaterThan(0);
    expect(p1.data.every((r) => r.priority_name === 'P1')).toBe(true);
  });

  it('updated_after returns exactly the records the pipeline processed since', async () => {
    const before = await walk({}, 1000);
    const watermark =
      before
        .map((r) => r.updated_at)
        .sort()
        .at(-1) ?? '';
    expect((await post({ filters: { updated_after: watermark }, limit: 1000 })).data).toEqual([]);
    // No rename: a new service name shows in the records without a new analytics updated_at.
    const report = sim.advance(45, { newIncidents: 10, priorityChanges: 5, renameService: false });
    const after = await walk({}, 1000);
    const prior = new Map(before.map((r) => [r.id, JSON.stringify(r)]));
    const changed = after.filter((r) => prior.get(r.id) !== JSON.stringify(r)).map((r) => r.id);
    const inc = await walk({ filters: { updated_after: watermark } }, 50);
    expect(inc.map((r) => r.id).sort()).toEqual([...changed].sort());
    for (const r of inc) expect(r.updated_at > watermark).toBe(true);
    expect(inc.some((r) => report.priorityChangedIds.includes(r.id))).toBe(true);
    expect(inc.some((r) => !prior.has(r.id))).toBe(true);
  });

  it('abilities switch at runtime: analytics off → 402 (2014), teams off → team_ids 402', async () => {
    sim.abilities.analytics = false;
    try {
      const e = expectError(await client.post(PATH, {}), 402, 2014);
      expect(e.errors?.join(' ')).toContain('analytics');
    } finally {
      sim.abilities.analytics = true;
    }
    await post({ limit: 1 });
    const team = sim.account.teams[0]?.id ?? '';
    await post({ filters: { team_ids: [team] } });
    sim.abilities.teams = false;
    try {
      expectError(await client.post(PATH, { filters: { team_ids: [team] } }), 402, 2014);
      expectError(await client.get('/teams'), 402, 2014);
    } finally {
      sim.abilities.teams = true;
    }
    expect((await client.get('/teams')).status).toBe(200);
  });
});

describe('analytics daily quota', () => {
  let sim: Simulator;
  let a: SimClient;
  let b: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, now: NOW, preset: 'small', analyticsDailyQuota: 6, rpm: 100_000 });
    a = createClient(sim.url, 'token-a');
    b = createClient(sim.url, 'token-b');
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await sim.close();
  });

  it('each token gets N analytics requests a day, then 429; REST calls and other tokens are unaffected', async () => {
    for (let i = 0; i < 6; i++) expect((await a.post(PATH, { limit: 1 })).status).toBe(200);
    const refused = await a.post(PATH, { limit: 1 });
    const e = expectError(refused, 429, 2020);
    expect(e.message).toMatch(/quota/i);
    expect(e.errors?.[0]).toMatch(/6 analytics requests/);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(refused.headers['ratelimit-reset'])).toBeLessThanOrEqual(86_400);
    expectError(await a.post(PATH, { limit: 1 }), 429, 2020);
    expect((await a.get('/incidents')).status).toBe(200);
    expect((await b.post(PATH, { limit: 1 })).status).toBe(200);
    sim.analyticsQuota.reset();
    expect((await a.post(PATH, { limit: 1 })).status).toBe(200);
  });
});
