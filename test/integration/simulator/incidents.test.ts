import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import type { IncidentRec } from '../../../src/simulator/model.js';
import {
  createClient,
  DAY,
  duplicates,
  expectError,
  HOUR,
  idSchema,
  incidentSchema,
  isoUtc,
  NOW,
  parsePage,
  SECOND,
  walkPages,
  zoneOffset,
  type IncidentJson,
  type Query,
  type SimClient,
} from './simHttp.js';

const ZONE = 'America/New_York';
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

/** Every time field of a rendered incident. */
function timesOf(i: IncidentJson): string[] {
  return [
    i.created_at,
    i.updated_at,
    i.last_status_change_at,
    ...(i.resolved_at === null ? [] : [i.resolved_at]),
    ...i.assignments.map((a) => a.at),
    ...i.acknowledgements.map((a) => a.at),
  ];
}

/** `2026-03-14T09:30:00`: a wall-clock time with no offset. */
function naive(ms: number): string {
  return isoUtc(ms).slice(0, 19);
}

/** The instant a naive New York wall-clock time names (away from DST switches). */
function newYorkInstant(wallAsUtc: number): number {
  const [sign, hh = '0', mm = '0'] =
    /^([+-])(\d\d):(\d\d)$/.exec(zoneOffset(wallAsUtc + 5 * HOUR, ZONE))?.slice(1) ?? [];
  const minutes = (Number(hh) * 60 + Number(mm)) * (sign === '-' ? -1 : 1);
  return wallAsUtc - minutes * 60_000;
}

describe('GET /incidents', () => {
  let sim: Simulator;
  let client: SimClient;
  let all: IncidentRec[];

  const ids = async (query: Query) =>
    (await walkPages(client, '/incidents', 'incidents', idSchema, query)).map((x) => x.id);
  const created = (from: number, to: number) =>
    all.filter((i) => i.createdAt >= from && i.createdAt < to).map((i) => i.id);
  const total = async (query: Query) =>
    parsePage(await client.get('/incidents', { ...query, total: 'true', limit: 1 }), 'incidents', idSchema)
      .total;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, now: NOW, incidents: 1500, days: 30, rpm: 100_000 });
    client = createClient(sim.url);
    all = sim.account.incidents;
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  describe('since/until', () => {
    it('filters on created_at over [since, until)', async () => {
      const from = NOW - 10 * DAY;
      const to = NOW - 5 * DAY;
      const expected = created(from, to);
      expect(expected.length).toBeGreaterThan(100);
      expect(await ids({ since: isoUtc(from), until: isoUtc(to), time_zone: 'UTC' })).toEqual(expected);
    });

    it('since is inclusive and until exclusive', async () => {
      const inc = all[700];
      if (!inc) throw new Error('fixture too small');
      const at = inc.createdAt;
      const atSecond = await ids({ since: isoUtc(at), until: isoUtc(at + SECOND) });
      expect(atSecond).toContain(inc.id);
      expect(atSecond).toEqual(created(at, at + SECOND));
      const before = await ids({ since: isoUtc(at - HOUR), until: isoUtc(at) });
      expect(before).not.toContain(inc.id);
      expect(before).toEqual(created(at - HOUR, at));
    });

    it('defaults to the last month when neither is given', async () => {
      const expected = all
        .filter((i) => i.createdAt >= addMonths(NOW, -1) && i.createdAt <= NOW)
        .map((i) => i.id);
      expect(expected.length).toBeLessThan(all.length); // the account holds 30 days; a month back is 28
      expect(await ids({})).toEqual(expected);
    });

    it('until alone reaches back one month from until', async () => {
      const until = NOW - 10 * DAY;
      expect(await ids({ until: isoUtc(until) })).toEqual(created(addMonths(until, -1), until));
    });

    it('allows exactly 6 months and refuses a longer window with 400 code 2001', async () => {
      expect(await total({ since: isoUtc(addMonths(NOW, -6)), until: isoUtc(NOW) })).toBe(all.length);
      expect(await total({ since: isoUtc(addMonths(NOW, -6)) })).toBe(all.length);
      for (const q of [
        { since: isoUtc(addMonths(NOW, -6) - DAY), until: isoUtc(NOW) },
        { since: isoUtc(NOW - 400 * DAY), until: isoUtc(NOW) },
        { since: isoUtc(NOW - 200 * DAY) },
      ]) {
        expectError(await client.get('/incidents', q), 400, 2001);
      }
    });

    it('date_range=all ignores since/until (and their 6-month limit)', async () => {
      const empty = { since: '2020-01-01T00:00:00Z', until: '2020-02-01T00:00:00Z' };
      expect(await total(empty)).toBe(0);
      expect(await total({ ...empty, date_range: 'all' })).toBe(all.length);
      expect(await total({ date_range: 'all', since: '2015-01-01T00:00:00Z', until: isoUtc(NOW) })).toBe(
        all.length,
      );
    });

    it('reads naive since/until in the account zone unless time_zone is given', async () => {
      const inc = all.find((i) => i.createdAt > Date.UTC(2026, 2, 12) && i.createdAt < Date.UTC(2026, 2, 16));
      if (!inc) throw new Error('no incident in the chosen days');
      const wallSince = inc.createdAt - HOUR;
      const wallUntil = inc.createdAt + 2 * DAY;
      const q = { since: naive(wallSince), until: naive(wallUntil) };
      const inNewYork = await ids(q);
      expect(inNewYork).not.toContain(inc.id); // 1 h before it in UTC is 3 h after it in New York
      expect(inNewYork).toEqual(created(newYorkInstant(wallSince), newYorkInstant(wallUntil)));
      const inUtc = await ids({ ...q, time_zone: 'UTC' });
      expect(inUtc).toContain(inc.id);
      expect(inUtc).toEqual(created(wallSince, wallUntil));
      // An explicit offset wins over both.
      expect(await ids({ since: `${naive(wallSince)}Z`, until: `${naive(wallUntil)}+00:00` })).toEqual(inUtc);
    });
  });

  describe('filters', () => {
    const ALL = { date_range: 'all' };

    it('statuses[] filters; several values are OR-ed', async () => {
      const open = all.filter((i) => i.state.status !== 'resolved').map((i) => i.id);
      expect(open.length).toBeGreaterThan(1);
      expect(await ids({ ...ALL, 'statuses[]': ['triggered', 'acknowledged'] })).toEqual(open);
      for (const status of ['triggered', 'acknowledged', 'resolved'] as const) {
        const n = all.filter((i) => i.state.status === status).length;
        expect(await total({ ...ALL, 'statuses[]': status })).toBe(n);
      }
    });

    it('a bare statuses= (no brackets) is ignored, as PagerDuty ignores it', async () => {
      expect(await total({ ...ALL, statuses: 'triggered' })).toBe(all.length);
      expect(await total({ ...ALL, service_ids: all[0]?.serviceId ?? '' })).toBe(all.length);
    });

    it('service_ids[] filters', async () => {
      const services = sim.account.activeServices().map((s) => s.id);
      const [a, b] = services;
      if (!a || !b) throw new Error('need two services');
      expect(await ids({ ...ALL, 'service_ids[]': [b] })).toEqual(
        all.filter((i) => i.serviceId === b).map((i) => i.id),
      );
      const both = all.filter((i) => i.serviceId === a || i.serviceId === b).map((i) => i.id);
      expect(both.length).toBeLessThan(all.length);
      expect(await ids({ ...ALL, 'service_ids[]': [a, b] })).toEqual(both);
    });

    it('team_ids[] filters', async () => {
      for (const team of sim.account.teams) {
        const expected = all.filter((i) => i.teamIds.includes(team.id)).map((i) => i.id);
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(all.length);
        expect(await ids({ ...ALL, 'team_ids[]': team.id })).toEqual(expected);
      }
    });

    it('urgencies[] filters', async () => {
      const low = all.filter((i) => i.state.urgency === 'low').map((i) => i.id);
      expect(low.length).toBeGreaterThan(0);
      expect(await ids({ ...ALL, 'urgencies[]': 'low' })).toEqual(low);
      expect(await total({ ...ALL, 'urgencies[]': 'high' })).toBe(all.length - low.length);
    });

    it('sort_by=created_at:desc returns newest first; the default is oldest first', async () => {
      const q = { since: isoUtc(NOW - 7 * DAY), until: isoUtc(NOW), time_zone: 'UTC' };
      const desc = await walkPages(client, '/incidents', 'incidents', incidentSchema, {
        ...q,
        sort_by: 'created_at:desc',
      });
      const times = desc.map((i) => Date.parse(i.created_at));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      expect(times[0]).toBeGreaterThan(times.at(-1) ?? Infinity);
      expect(desc.map((i) => i.id).sort()).toEqual(created(NOW - 7 * DAY, NOW).sort());
      const asc = await walkPages(client, '/incidents', 'incidents', incidentSchema, q);
      expect(asc.map((i) => Date.parse(i.created_at))).toEqual([...times].reverse());
    });
  });

  it('include[]=services embeds full service objects; without it, references', async () => {
    const withServices = parsePage(
      await client.get('/incidents', { date_range: 'all', 'include[]': 'services', limit: 50 }),
      'incidents',
      incidentSchema,
    );
    for (const inc of withServices.items) {
      const svc = sim.account.byId.services.get(inc.service.id);
      expect(inc.service).toMatchObject({ type: 'service', name: svc?.name });
      expect(inc.service).toHaveProperty('escalation_policy');
      expect(inc.service).toHaveProperty('status');
    }
    const plain = parsePage(
      await client.get('/incidents', { date_range: 'all', limit: 50 }),
      'incidents',
      incidentSchema,
    );
    for (const inc of plain.items) {
      expect(inc.service.type).toBe('service_reference');
      expect(inc.service).not.toHaveProperty('escalation_policy');
    }
  });

  describe('GET /incidents/{id}', () => {
    it('finds an incident by id and by number', async () => {
      for (const rec of [all[0], all[1000], all.at(-1)]) {
        if (!rec) throw new Error('fixture too small');
        for (const key of [rec.id, String(rec.number)]) {
          const reply = await client.get(`/incidents/${key}`);
          expect(reply.status).toBe(200);
          const { incident } = z.object({ incident: incidentSchema }).parse(reply.json);
          expect(incident).toMatchObject({
            id: rec.id,
            incident_number: rec.number,
            status: rec.state.status,
          });
        }
      }
    });

    it('answers 404 code 2100 for an unknown id or number', async () => {
      for (const key of ['PNOSUCH', 'Q0000000000000', String(all.length + 1000)]) {
        const error = expectError(await client.get(`/incidents/${key}`), 404, 2100);
        expect(error.message).toBe('Not Found');
      }
    });
  });

  describe('lifecycle fields', () => {
    let rendered: IncidentJson[];

    beforeAll(async () => {
      rendered = await walkPages(client, '/incidents', 'incidents', incidentSchema, {
        date_range: 'all',
        time_zone: 'UTC',
      });
    });

    it('walks the whole account once', () => {
      expect(duplicates(rendered.map((i) => i.id))).toEqual([]);
      expect(rendered).toHaveLength(all.length);
    });

    it('acknowledgements are non-empty exactly for acknowledged incidents, empty once resolved', () => {
      const truth = new Map(sim.truth().incidents.map((t) => [t.id, t]));
      let acked = 0;
      let resolvedAfterAck = 0;
      for (const inc of rendered) {
        expect(inc.acknowledgements.length > 0, `${inc.id} ${inc.status}`).toBe(
          inc.status === 'acknowledged',
        );
        if (inc.status === 'acknowledged') acked++;
        if (inc.status === 'resolved' && truth.get(inc.id)?.first_acknowledged_at) resolvedAfterAck++;
        for (const a of inc.acknowledgements)
          expect(Date.parse(a.at)).toBeGreaterThanOrEqual(Date.parse(inc.created_at));
      }
      expect(acked).toBeGreaterThan(0);
      expect(resolvedAfterAck).toBeGreaterThan(100);
    });

    it('resolved incidents have resolved_at (the truth’s), open ones null and no assignments once resolved', () => {
      const truth = new Map(sim.truth().incidents.map((t) => [t.id, t]));
      for (const inc of rendered) {
        const t = truth.get(inc.id);
        expect(t?.status).toBe(inc.status);
        if (inc.status === 'resolved') {
          expect(inc.resolved_at).not.toBeNull();
          expect(Date.parse(inc.resolved_at ?? '')).toBe(Date.parse(t?.resolved_at ?? ''));
          expect(inc.assignments).toEqual([]);
        } else {
          expect(inc.resolved_at).toBeNull();
          expect(inc.assignments.length).toBeGreaterThan(0);
        }
        expect(Date.parse(inc.created_at)).toBe(Date.parse(t?.created_at ?? ''));
      }
    });

    it('with time_zone=UTC every time ends in Z', () => {
      for (const inc of rendered)
        for (const t of timesOf(inc)) expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it('without time_zone times carry the account zone’s offset (-05:00 / -04:00)', async () => {
      const local = await walkPages(client, '/incidents', 'incidents', incidentSchema, { date_range: 'all' });
      const seen = new Set<string>();
      local.forEach((inc, n) => {
        const utc = rendered[n];
        expect(inc.id).toBe(utc?.id);
        const times = timesOf(inc);
        expect(times).toHaveLength(utc ? timesOf(utc).length : -1);
        times.forEach((t, k) => {
          expect(t).toMatch(TIME_RE);
          const instant = Date.parse(t);
          expect(instant).toBe(Date.parse(utc ? (timesOf(utc)[k] ?? '') : ''));
          expect(t.slice(19)).toBe(zoneOffset(instant, ZONE));
          seen.add(t.slice(19));
        });
      });
      expect([...seen].sort()).toEqual(['-04:00', '-05:00']);
    });

    it('time_zone= renders in that zone', async () => {
      const page = parsePage(
        await client.get('/incidents', { date_range: 'all', time_zone: 'Asia/Kolkata', limit: 5 }),
        'incidents',
        incidentSchema,
      );
      for (const inc of page.items) expect(inc.created_at).toMatch(/\+05:30$/);
      expectError(await client.get('/incidents', { time_zone: 'Mars/Olympus' }), 400, 2001);
    });
  });
});

describe('GET /incidents: the frozen clock', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 9, now: NOW, incidents: 40, days: 20 });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('the default window includes an incident created at the clock’s very second', async () => {
    const report = sim.advance(1 / 60, {
      newIncidents: 1,
      priorityChanges: 0,
      renameService: false,
      deleteService: false,
      addOverride: false,
    });
    const [id] = report.newIncidentIds;
    const rec = id ? sim.account.byId.incidents.get(id) : undefined;
    expect(rec?.createdAt).toBe(sim.account.now);
    const page = parsePage(await client.get('/incidents', { limit: 100 }), 'incidents', idSchema);
    expect(page.items.map((x) => x.id)).toContain(id);
    // An explicit until of "now" is exclusive, like any until.
    const until = parsePage(
      await client.get('/incidents', { until: isoUtc(sim.account.now), limit: 100 }),
      'incidents',
      idSchema,
    );
    expect(until.items.map((x) => x.id)).not.toContain(id);
  });
});
