import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { scheduleUserAt } from '../../../src/simulator/oncall.js';
import {
  createClient,
  DAY,
  expectError,
  HOUR,
  isoUtc,
  NOW,
  oncallSchema,
  SECOND,
  walkPages,
  zoneOffset,
  type OncallJson,
  type Query,
  type SimClient,
} from './simHttp.js';

const startOf = (o: OncallJson) => (o.start === null ? null : Date.parse(o.start));
const endOf = (o: OncallJson) => (o.end === null ? null : Date.parse(o.end));
const keyOf = (o: OncallJson) => `${o.escalation_policy.id}/${o.escalation_level}/${o.user.id}`;

/** What the account's escalation policies target, level by level. */
function targets(sim: Simulator) {
  return sim.account.escalationPolicies.flatMap((ep) =>
    ep.rules.flatMap((rule, i) => rule.targets.map((t) => ({ ep: ep.id, level: i + 1, ...t }))),
  );
}

describe('GET /oncalls', () => {
  let sim: Simulator;
  let client: SimClient;
  const oncalls = (query: Query = {}) => walkPages(client, '/oncalls', 'oncalls', oncallSchema, query);

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 31,
      now: NOW,
      preset: 'large',
      incidents: 100,
      days: 30,
      rpm: 100_000,
    });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('by default (since = until = now) lists who is on call now', async () => {
    const now = await oncalls({ time_zone: 'UTC' });
    const expected = targets(sim);
    expect(expected.some((t) => t.type === 'user')).toBe(true);
    expect(now).toHaveLength(expected.length);
    for (const t of expected) {
      const matching = now.filter(
        (o) =>
          o.escalation_policy.id === t.ep &&
          o.escalation_level === t.level &&
          (t.type === 'schedule' ? o.schedule?.id === t.id : o.schedule === null && o.user.id === t.id),
      );
      expect(matching, `${t.ep} level ${t.level}`).toHaveLength(1);
      const [entry] = matching;
      if (!entry) continue;
      if (t.type === 'schedule') {
        const schedule = sim.account.byId.schedules.get(t.id);
        expect(schedule).toBeDefined();
        if (schedule) expect(entry.user.id).toBe(scheduleUserAt(schedule, NOW));
        expect(startOf(entry)).toBeLessThanOrEqual(NOW);
        expect(endOf(entry)).toBeGreaterThan(NOW);
      } else {
        expect(entry).toMatchObject({ schedule: null, start: null, end: null });
      }
    }
  });

  it('a range lists every shift that overlaps it, and the shifts cover it', async () => {
    const since = NOW + 2 * DAY + 30 * 60 * SECOND;
    const until = NOW + 9 * DAY;
    const got = await oncalls({ since: isoUtc(since), until: isoUtc(until), time_zone: 'UTC' });
    const scheduled = got.filter((o) => o.schedule !== null);
    for (const o of scheduled) {
      expect(startOf(o)).toBeLessThan(until);
      expect(endOf(o)).toBeGreaterThan(since);
    }
    // Shifts of one policy level keep their real bounds: some start before since or end after until.
    expect(scheduled.some((o) => (startOf(o) ?? 0) < since)).toBe(true);
    // Coverage: at every sampled instant the schedule's on-call user has a covering entry.
    for (const t of targets(sim).filter((x) => x.type === 'schedule')) {
      const schedule = sim.account.byId.schedules.get(t.id);
      if (!schedule) throw new Error('dangling schedule');
      const mine = scheduled
        .filter(
          (o) => o.escalation_policy.id === t.ep && o.escalation_level === t.level && o.schedule?.id === t.id,
        )
        .sort((a, b) => (startOf(a) ?? 0) - (startOf(b) ?? 0));
      for (let i = 1; i < mine.length; i++)
        expect(startOf(mine[i] as OncallJson)).toBeGreaterThanOrEqual(endOf(mine[i - 1] as OncallJson) ?? 0);
      for (let at = since; at < until; at += HOUR) {
        const covering = mine.filter((o) => (startOf(o) ?? 0) <= at && at < (endOf(o) ?? 0));
        expect(
          covering.map((o) => o.user.id),
          `${t.ep}/${t.level} at ${isoUtc(at)}`,
        ).toEqual([scheduleUserAt(schedule, at)]);
      }
    }
    // Direct user targets appear once, permanently on call.
    const direct = got.filter((o) => o.schedule === null);
    expect(direct).toHaveLength(targets(sim).filter((t) => t.type === 'user').length);
    for (const o of direct) expect(o).toMatchObject({ start: null, end: null });
  });

  it('until defaults to now: since alone in the past means [since, now]', async () => {
    const since = isoUtc(NOW - 3 * DAY);
    const alone = await oncalls({ since });
    expect(alone).toEqual(await oncalls({ since, until: isoUtc(NOW) }));
    expect(alone.length).toBeGreaterThan((await oncalls({})).length);
  });

  it('renders start/end in the account zone unless time_zone is given', async () => {
    const local = await oncalls({});
    const withTimes = local.filter((o) => o.start !== null && o.end !== null);
    expect(withTimes.length).toBeGreaterThan(0);
    for (const o of withTimes) {
      for (const t of [o.start ?? '', o.end ?? ''])
        expect(t.slice(19)).toBe(zoneOffset(Date.parse(t), 'America/New_York'));
    }
    for (const o of await oncalls({ time_zone: 'UTC' })) if (o.start) expect(o.start).toMatch(/Z$/);
  });

  it('allows a 90-day range and refuses a longer one (or until before since) with 400', async () => {
    const ok = await client.get('/oncalls', { since: isoUtc(NOW), until: isoUtc(NOW + 90 * DAY), limit: 1 });
    expect(ok.status).toBe(200);
    expectError(
      await client.get('/oncalls', { since: isoUtc(NOW), until: isoUtc(NOW + 91 * DAY) }),
      400,
      2001,
    );
    expectError(
      await client.get('/oncalls', { since: isoUtc(NOW - 100 * DAY), until: isoUtc(NOW) }),
      400,
      2001,
    );
    expectError(await client.get('/oncalls', { since: isoUtc(NOW), until: isoUtc(NOW - DAY) }), 400, 2001);
  });

  describe('filters', () => {
    const RANGE = { since: isoUtc(NOW), until: isoUtc(NOW + 7 * DAY) };
    let unfiltered: OncallJson[];

    beforeAll(async () => {
      unfiltered = await oncalls(RANGE);
    });

    it('escalation_policy_ids[]', async () => {
      const [a, b] = sim.account.escalationPolicies;
      if (!a || !b) throw new Error('need two policies');
      const got = await oncalls({ ...RANGE, 'escalation_policy_ids[]': [a.id, b.id] });
      const expected = unfiltered.filter(
        (o) => o.escalation_policy.id === a.id || o.escalation_policy.id === b.id,
      );
      expect(expected.length).toBeLessThan(unfiltered.length);
      expect(got).toEqual(expected);
    });

    it('user_ids[]', async () => {
      const user = unfiltered.find((o) => o.schedule !== null)?.user.id ?? '';
      const got = await oncalls({ ...RANGE, 'user_ids[]': user });
      const expected = unfiltered.filter((o) => o.user.id === user);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(unfiltered.length);
      expect(got).toEqual(expected);
    });

    it('schedule_ids[]', async () => {
      const schedule = sim.account.schedules[1]?.id ?? '';
      const got = await oncalls({ ...RANGE, 'schedule_ids[]': schedule });
      const expected = unfiltered.filter((o) => o.schedule?.id === schedule);
      expect(expected.length).toBeGreaterThan(0);
      expect(got).toEqual(expected);
    });

    it('earliest=true keeps only the earliest on-call per policy, level and user', async () => {
      const got = await oncalls({ ...RANGE, earliest: 'true' });
      const keys = got.map(keyOf);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(unfiltered.map(keyOf))).toEqual(new Set(keys));
      expect(got.length).toBeLessThan(unfiltered.length);
      for (const o of got) {
        const starts = unfiltered.filter((u) => keyOf(u) === keyOf(o)).map((u) => startOf(u) ?? -Infinity);
        expect(startOf(o) ?? -Infinity).toBe(Math.min(...starts));
      }
    });
  });
});

describe('GET /oncalls: overrides', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 32, now: NOW, incidents: 30, days: 10 });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('an override added by the clock shows up as that user’s shift', async () => {
    const report = sim.advance(10, { newIncidents: 0, priorityChanges: 0, addOverride: true });
    const [o] = report.overrides;
    if (!o) throw new Error('no override added');
    const start = Date.parse(o.start);
    const end = Date.parse(o.end);
    const got = await walkPages(client, '/oncalls', 'oncalls', oncallSchema, {
      since: isoUtc(start - DAY),
      until: isoUtc(end + DAY),
      'schedule_ids[]': o.scheduleId,
      time_zone: 'UTC',
    });
    const covering = got.filter((x) => (startOf(x) ?? 0) <= start && end <= (endOf(x) ?? 0));
    expect(covering.length).toBeGreaterThan(0);
    for (const x of covering) expect(x.user.id).toBe(o.userId);
  });
});
