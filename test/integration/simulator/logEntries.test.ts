import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createClient,
  DAY,
  duplicates,
  expectError,
  isoUtc,
  logEntrySchema,
  NOW,
  parsePage,
  SECOND,
  walkPages,
  type LogEntryJson,
  type Query,
  type SimClient,
} from './simHttp.js';

const times = (entries: LogEntryJson[]) => entries.map((e) => Date.parse(e.created_at));

describe('GET /log_entries', () => {
  let sim: Simulator;
  let client: SimClient;
  /** Every entry of the account, read once through the API. */
  let everything: LogEntryJson[];
  const ALL: Query = { since: isoUtc(NOW - 60 * DAY), until: isoUtc(NOW + SECOND), time_zone: 'UTC' };

  const walk = (query: Query, path = '/log_entries') =>
    walkPages(client, path, 'log_entries', logEntrySchema, query);

  beforeAll(async () => {
    sim = await startSimulator({ seed: 21, now: NOW, incidents: 400, days: 30, rpm: 100_000 });
    client = createClient(sim.url);
    everything = await walk({ ...ALL, 'include[]': 'incidents' });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('returns every log entry of the account once', () => {
    expect(duplicates(everything.map((e) => e.id))).toEqual([]);
    expect(everything.map((e) => e.id).sort()).toEqual(sim.account.log.map((r) => r.event.id).sort());
  });

  it('is newest first', () => {
    const t = times(everything);
    expect(t).toEqual([...t].sort((a, b) => b - a));
    expect(t[0]).toBeGreaterThan(t.at(-1) ?? Infinity);
  });

  it('filters on the entry’s own time over [since, until)', async () => {
    const from = NOW - 10 * DAY;
    const to = NOW - 9 * DAY;
    const expected = sim.account.log
      .filter((r) => r.event.at >= from && r.event.at < to)
      .map((r) => r.event.id);
    expect(expected.length).toBeGreaterThan(10);
    const got = await walk({ since: isoUtc(from), until: isoUtc(to) });
    expect(got.map((e) => e.id).sort()).toEqual([...expected].sort());
    for (const t of times(got)) {
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThan(to);
    }
    // The entries of an incident created before the window still count if they fall inside it.
    const olderIncidents = sim.account.log.filter(
      (r) => r.event.at >= from && r.event.at < to && r.incident.createdAt < from,
    );
    expect(olderIncidents.length).toBeGreaterThan(0);
    // until is exclusive: an entry exactly at until is left out, one exactly at since is kept.
    const first = sim.account.log.find((r) => r.event.at >= from);
    if (!first) throw new Error('no entry');
    const at = first.event.at;
    expect((await walk({ since: isoUtc(at - DAY), until: isoUtc(at) })).map((e) => e.id)).not.toContain(
      first.event.id,
    );
    expect((await walk({ since: isoUtc(at), until: isoUtc(at + SECOND) })).map((e) => e.id)).toContain(
      first.event.id,
    );
  });

  it('is_overview=true drops notify_log_entry and keeps the rest', async () => {
    const notify = everything.filter((e) => e.type === 'notify_log_entry');
    expect(notify.length).toBeGreaterThan(0);
    const overview = await walk({ ...ALL, is_overview: 'true' });
    expect(overview.some((e) => e.type === 'notify_log_entry')).toBe(false);
    expect(overview.map((e) => e.id).sort()).toEqual(
      everything
        .filter((e) => e.type !== 'notify_log_entry')
        .map((e) => e.id)
        .sort(),
    );
    const notOverview = parsePage(
      await client.get('/log_entries', { ...ALL, is_overview: 'True', total: 'true', limit: 1 }),
      'log_entries',
      logEntrySchema,
    );
    expect(notOverview.total).toBe(everything.length);
  });

  it('include[]=incidents embeds the incident as it was at the entry’s time', () => {
    const expectedStatus: Record<string, string> = {
      trigger_log_entry: 'triggered',
      acknowledge_log_entry: 'acknowledged',
      unacknowledge_log_entry: 'triggered',
      resolve_log_entry: 'resolved',
    };
    const truth = new Map(sim.truth().incidents.map((t) => [t.id, t]));
    let triggerOfResolved = 0;
    for (const e of everything) {
      expect(e.incident.type).toBe('incident');
      const want = expectedStatus[e.type];
      if (want) expect(e.incident.status, `${e.type} of ${e.incident.id}`).toBe(want);
      if (e.type === 'trigger_log_entry' && truth.get(e.incident.id)?.status === 'resolved')
        triggerOfResolved++;
    }
    expect(triggerOfResolved).toBeGreaterThan(100);
  });

  it('without include[]=incidents the incident is a reference', async () => {
    const page = parsePage(await client.get('/log_entries', ALL), 'log_entries', logEntrySchema);
    for (const e of page.items) {
      expect(e.incident.type).toBe('incident_reference');
      expect(e.incident.status).toBeUndefined();
    }
  });

  it('each incident’s first-ack time in the truth is its earliest acknowledge_log_entry', () => {
    const firstAck = new Map<string, number>();
    for (const e of everything) {
      if (e.type !== 'acknowledge_log_entry') continue;
      const t = Date.parse(e.created_at);
      firstAck.set(e.incident.id, Math.min(t, firstAck.get(e.incident.id) ?? Infinity));
    }
    const incidents = sim.truth().incidents;
    expect(incidents.filter((i) => i.first_acknowledged_at !== null).length).toBeGreaterThan(100);
    for (const inc of incidents) {
      const fromLog = firstAck.get(inc.id);
      expect(fromLog ?? null, inc.id).toBe(
        inc.first_acknowledged_at === null ? null : Date.parse(inc.first_acknowledged_at),
      );
    }
  });

  it('rejects an unknown include[]', async () => {
    expectError(await client.get('/log_entries', { 'include[]': 'bananas' }), 400, 2001);
  });

  describe('GET /incidents/{id}/log_entries', () => {
    it('returns that incident’s entries, newest first, in an order that matches its lifecycle', async () => {
      const truth = sim.truth().incidents;
      const picks = [
        ...truth.filter((t) => t.status === 'resolved' && t.first_acknowledged_at !== null).slice(0, 5),
        ...truth.filter((t) => t.status === 'resolved' && t.first_acknowledged_at === null).slice(0, 3),
        ...truth.filter((t) => t.status !== 'resolved'),
      ];
      expect(picks.some((t) => t.status !== 'resolved')).toBe(true);
      for (const t of picks) {
        const entries = await walk({}, `/incidents/${t.id}/log_entries`);
        const expected = everything.filter((e) => e.incident.id === t.id);
        expect(entries.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
        expect(entries.every((e) => e.incident.id === t.id)).toBe(true);
        const ts = times(entries);
        expect(ts).toEqual([...ts].sort((a, b) => b - a));
        const oldest = Math.min(...ts);
        const newest = Math.max(...ts);
        const triggers = entries.filter((e) => e.type === 'trigger_log_entry');
        expect(triggers).toHaveLength(1);
        expect(Date.parse(triggers[0]?.created_at ?? '')).toBe(oldest);
        expect(oldest).toBe(Date.parse(t.created_at));
        const resolves = entries.filter((e) => e.type === 'resolve_log_entry');
        if (t.status === 'resolved') {
          expect(resolves).toHaveLength(1);
          expect(entries[0]?.type).toBe('resolve_log_entry');
          expect(Date.parse(resolves[0]?.created_at ?? '')).toBe(newest);
          expect(newest).toBe(Date.parse(t.resolved_at ?? ''));
        } else {
          expect(resolves).toEqual([]);
        }
        const acks = entries.filter((e) => e.type === 'acknowledge_log_entry');
        expect(acks.length > 0).toBe(t.first_acknowledged_at !== null);
      }
    });

    it('also works by incident number and answers 404 code 2100 for an unknown incident', async () => {
      const inc = sim.account.incidents[10];
      if (!inc) throw new Error('fixture too small');
      const byNumber = await walk({}, `/incidents/${inc.number}/log_entries`);
      expect(byNumber.length).toBe(inc.revealed);
      expectError(await client.get('/incidents/PNOSUCH/log_entries'), 404, 2100);
    });
  });
});
