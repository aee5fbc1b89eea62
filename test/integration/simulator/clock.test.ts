import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';

type Json = Record<string, unknown>;

async function get(sim: Simulator, path: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sim.url}${path}`, { headers: { authorization: 'Token token=clock-test' } });
  return { status: res.status, body: (await res.json()) as Json };
}

async function all(sim: Simulator, path: string, key: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let offset = 0; ; offset += 100) {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body } = await get(sim, `${path}${sep}limit=100&offset=${offset}&time_zone=UTC`);
    expect(status).toBe(200);
    out.push(...(body[key] as Json[]));
    if (!body.more) return out;
  }
}

describe('advancing the clock', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 21, preset: 'small', now: Date.UTC(2026, 5, 1, 12) });
  });
  afterAll(() => sim.close());

  it('creates incidents, moves open ones on, changes old ones, and writes the log entries for all of it', async () => {
    const before = sim.truth();
    const openBefore = before.incidents.filter((i) => i.status !== 'resolved');
    const from = new Date(sim.account.now).toISOString();
    const report = sim.advance(24 * 60, {
      newIncidents: 12,
      priorityChanges: 3,
      renameService: true,
      addOverride: true,
    });
    const after = sim.truth();
    const until = new Date(sim.account.now + 1000).toISOString();

    // New incidents are listed by /incidents in the advanced window.
    expect(report.newIncidentIds).toHaveLength(12);
    const listed = await all(sim, `/incidents?since=${from}&until=${until}`, 'incidents');
    expect(listed.map((i) => i.id).sort()).toEqual([...report.newIncidentIds].sort());
    expect(after.counts.incidents).toBe(before.counts.incidents + 12);

    // Incidents open before were acknowledged or resolved on their course (small lifecycles end within a day
    // unless long-running); whatever changed is in the log feed for the period.
    const feed = await all(sim, `/log_entries?since=${from}&until=${until}`, 'log_entries');
    const touched = new Set(feed.map((e) => (e.incident as Json).id));
    expect([...touched].sort()).toEqual([...report.changedIncidentIds].sort());
    for (const o of openBefore) {
      const now = after.incidents.find((i) => i.id === o.id);
      if (now?.status !== o.status) expect(touched.has(o.id)).toBe(true);
    }

    // Old resolved incidents got a priority change: visible on the incident and as a log entry.
    expect(report.priorityChangedIds).toHaveLength(3);
    for (const id of report.priorityChangedIds) {
      const was = before.incidents.find((i) => i.id === id);
      const { body } = await get(sim, `/incidents/${id}?time_zone=UTC`);
      const inc = body.incident as Json;
      expect(was?.status).toBe('resolved');
      expect((inc.priority as Json | null)?.id ?? null).not.toBe(was?.priority_id ?? null);
      expect(feed.some((e) => e.type === 'priority_change_log_entry' && (e.incident as Json).id === id)).toBe(
        true,
      );
      expect(Date.parse(String(inc.created_at))).toBeLessThan(Date.parse(from));
    }

    // A renamed service shows its new name, in /services and in incident references.
    const renamed = report.renamedServices[0];
    expect(renamed).toBeDefined();
    const { body: svc } = await get(sim, `/services/${renamed?.id}`);
    expect((svc.service as Json).name).toBe(renamed?.to);

    // The override shows up in /oncalls for its period.
    const o = report.overrides[0];
    expect(o).toBeDefined();
    const mid = new Date((Date.parse(o?.start ?? '') + Date.parse(o?.end ?? '')) / 2).toISOString();
    const oncalls = await all(sim, `/oncalls?since=${mid}&until=${mid}`, 'oncalls');
    expect(
      oncalls.some(
        (x) =>
          (x.schedule as Json | null)?.id === o?.scheduleId &&
          (x.user as Json).id === o?.userId &&
          x.start === o?.start.replace('.000Z', 'Z'),
      ),
    ).toBe(true);
  });

  it('leaves what did not change alone: priorities, and the incidents nobody touched, read the same', async () => {
    const priorities = await all(sim, '/priorities', 'priorities');
    const resolvedBefore = (
      await all(sim, '/incidents?statuses[]=resolved&date_range=all', 'incidents')
    ).slice(0, 50);
    const report = sim.advance(3 * 60, { newIncidents: 0, priorityChanges: 1, renameService: false });
    expect(await all(sim, '/priorities', 'priorities')).toEqual(priorities);
    const touched = new Set(report.changedIncidentIds);
    for (const incident of resolvedBefore) {
      if (touched.has(String(incident.id))) continue;
      const { body } = await get(sim, `/incidents/${String(incident.id)}?time_zone=UTC`);
      expect(body.incident).toEqual(incident);
    }
  });

  it('deletes a service: gone from /services, 404 on /services/{id}, its incidents kept', async () => {
    const report = sim.advance(60, { newIncidents: 0, deleteService: true });
    const id = report.deletedServiceIds[0];
    expect(id).toBeDefined();
    const services = await all(sim, '/services', 'services');
    expect(services.some((s) => s.id === id)).toBe(false);
    expect((await get(sim, `/services/${id}`)).status).toBe(404);
    const incidents = sim.truth().incidents.filter((i) => i.service_id === id);
    expect(incidents.length).toBeGreaterThan(0);
    expect((await get(sim, `/incidents/${incidents[0]?.id}`)).status).toBe(200);
  });

  it('is exposed over HTTP: POST /_sim/advance and GET /_sim/truth', async () => {
    const before = (await (await fetch(`${sim.url}/_sim/truth`)).json()) as { now: string };
    const res = await fetch(`${sim.url}/_sim/advance?minutes=30`, { method: 'POST' });
    expect(res.status).toBe(200);
    const after = (await (await fetch(`${sim.url}/_sim/truth`)).json()) as { now: string };
    expect(Date.parse(after.now) - Date.parse(before.now)).toBe(30 * 60_000);
    expect((await fetch(`${sim.url}/_sim/advance?minutes=-1`, { method: 'POST' })).status).toBe(400);
  });
});

describe('ground truth', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 4, preset: 'small', now: Date.UTC(2026, 3, 10) });
  });
  afterAll(() => sim.close());

  it('matches what the API serves, incident by incident', async () => {
    const truth = sim.truth();
    const listed = await all(sim, '/incidents?date_range=all', 'incidents');
    expect(listed).toHaveLength(truth.counts.incidents);
    const byId = new Map(listed.map((i) => [i.id, i]));
    for (const t of truth.incidents) {
      const api = byId.get(t.id);
      expect(api?.status).toBe(t.status);
      expect(api?.urgency).toBe(t.urgency);
      expect((api?.service as Json).id).toBe(t.service_id);
      expect(ms(api?.created_at)).toBe(Date.parse(t.created_at));
      expect(ms(api?.resolved_at)).toBe(t.resolved_at === null ? null : Date.parse(t.resolved_at));
      expect((api?.priority as Json | null)?.id ?? null).toBe(t.priority_id);
    }
    const services = await all(sim, '/services', 'services');
    expect(services).toHaveLength(truth.counts.services);
  });

  it('computes first-ack times from the acknowledge log entries, and MTTA/MTTR per service and ISO week', async () => {
    const truth = sim.truth();
    const sample = truth.incidents.filter((i) => i.status === 'resolved').slice(0, 25);
    for (const t of sample) {
      const entries = await all(sim, `/incidents/${t.id}/log_entries`, 'log_entries');
      const acks = entries
        .filter((e) => e.type === 'acknowledge_log_entry')
        .map((e) => Date.parse(String(e.created_at)));
      expect(t.first_acknowledged_at === null ? null : Date.parse(t.first_acknowledged_at)).toBe(
        acks.length ? Math.min(...acks) : null,
      );
    }
    const weeks = truth.mttaMttrByServiceWeek;
    expect(weeks.reduce((n, w) => n + w.incidents, 0)).toBe(truth.counts.incidents);
    const w = weeks.find((x) => x.mtta_seconds.count > 2);
    expect(w).toBeDefined();
    const members = truth.incidents.filter(
      (i) =>
        i.service_id === w?.service_id &&
        i.first_acknowledged_at &&
        isoWeekStart(i.created_at) === w?.week_start,
    );
    const ttas = members.map(
      (i) => (Date.parse(i.first_acknowledged_at ?? '') - Date.parse(i.created_at)) / 1000,
    );
    expect(w?.mtta_seconds.count).toBe(ttas.length);
    expect(w?.mtta_seconds.mean).toBeCloseTo(ttas.reduce((s, v) => s + v, 0) / ttas.length, 6);
  });
});

describe('the same log query before and after the clock moves', () => {
  it('lists the entries revealed in between (listings are cached per account version)', async () => {
    const sim = await startSimulator({ seed: 22, preset: 'small', now: Date.UTC(2026, 5, 1, 12) });
    try {
      const since = new Date(sim.account.now - 3 * 86_400_000).toISOString();
      const until = new Date(sim.account.now + 3 * 86_400_000).toISOString();
      const query = `/log_entries?since=${since}&until=${until}&is_overview=true`;
      const before = await all(sim, query, 'log_entries');
      expect(before.length).toBeGreaterThan(0);
      const report = sim.advance(24 * 60, { newIncidents: 5 });
      const after = await all(sim, query, 'log_entries');
      const fresh = after.filter((e) => !before.some((b) => b.id === e.id));
      const named = new Set(fresh.map((e) => (e.incident as Json).id));
      expect(report.newIncidentIds).toHaveLength(5);
      for (const id of report.newIncidentIds) expect(named.has(id)).toBe(true);
      // Newest first, and nothing listed before is lost.
      expect(after.slice(after.length - before.length).map((e) => e.id)).toEqual(before.map((e) => e.id));
    } finally {
      await sim.close();
    }
  });
});

/** Epoch ms of an ISO string from the API, or null when the field is null or missing. */
function ms(value: unknown): number | null {
  return typeof value === 'string' ? Date.parse(value) : null;
}

function isoWeekStart(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)).toISOString();
}
