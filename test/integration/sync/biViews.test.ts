import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { slugKey } from '../../../src/resources/fields.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import type { Distribution, Truth } from '../../../src/simulator/truth.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

/** A metric row of a rollup view, keyed for comparison with the truth. */
interface RollupRow {
  key: string | null;
  period: string;
  incidents: number;
  acknowledged: number;
  resolved: number;
  mtta_mean_seconds: number | null;
  mtta_median_seconds: number | null;
  mtta_p90_seconds: number | null;
  mttr_mean_seconds: number | null;
  mttr_median_seconds: number | null;
  mttr_p90_seconds: number | null;
}

/** To the millisecond: both sides work in whole seconds, so only float noise may differ. */
const ms = (v: number | null) => (v === null ? null : Math.round(v * 1000));

function fromTruth(key: string, period: string, n: number, tta: Distribution, ttr: Distribution) {
  return JSON.stringify([
    key,
    period,
    n,
    tta.count,
    ttr.count,
    ms(tta.mean),
    ms(tta.median),
    ms(tta.p90),
    ms(ttr.mean),
    ms(ttr.median),
    ms(ttr.p90),
  ]);
}

function fromView(r: RollupRow) {
  return JSON.stringify([
    r.key ?? '',
    r.period,
    r.incidents,
    r.acknowledged,
    r.resolved,
    ms(r.mtta_mean_seconds),
    ms(r.mtta_median_seconds),
    ms(r.mtta_p90_seconds),
    ms(r.mttr_mean_seconds),
    ms(r.mttr_median_seconds),
    ms(r.mttr_p90_seconds),
  ]);
}

const METRICS = `incidents, acknowledged, resolved, mtta_mean_seconds, mtta_median_seconds, mtta_p90_seconds,
  mttr_mean_seconds, mttr_median_seconds, mttr_p90_seconds`;

describe('BI views equal the simulator truth (large)', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let db: Database;
  let truth: Truth;
  const env = { PAGERDUTY_MAX_RPM: '10000', SERVICE_KEY_SOURCE: 'tag:service', TEAM_KEY_SOURCE: 'tag:team' };
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, preset: 'large', now: NOW, rpm: 100_000 });
    wh = createWarehouse('bi-views');
    expect((await syncAgainst(sim, wh, env)).code).toBe(0);
    // Three days later: past on-call shifts have accumulated, incidents have moved on.
    sim.advance(3 * 24 * 60, { newIncidents: 40 });
    const again = await syncAgainst(sim, wh, env);
    expect(again.err).toEqual([]);
    expect(again.code).toBe(0);
    truth = sim.truth();
    db = await wh.open();
  });
  afterAll(async () => {
    await db?.close();
    await sim.close();
    await wh.drop();
  });

  it('incident_metrics: one row per incident with escalations, reassignments, time zone and off hours', async () => {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT incident_id, service_id, team_id, priority_id, escalation_count, reassignment_count, time_zone,
              off_hours, seconds_to_first_ack, seconds_to_resolve FROM incident_metrics`,
    );
    const want = truth.metrics.incidents.map((m) => JSON.stringify(Object.values(m))).sort();
    expect(rows.map((r) => JSON.stringify(Object.values(r))).sort()).toEqual(want);
    // The data exercises every branch: escalated, reassigned, off hours and within hours, several zones.
    expect(truth.metrics.incidents.some((m) => m.escalation_count > 0)).toBe(true);
    expect(truth.metrics.incidents.some((m) => m.reassignment_count > 0)).toBe(true);
    expect(new Set(truth.metrics.incidents.map((m) => m.off_hours)).size).toBe(2);
    expect(new Set(truth.metrics.incidents.map((m) => m.time_zone)).size).toBeGreaterThan(1);
  });

  it('mttr_by_service_week: count, mean, median and p90 of MTTA and MTTR per service and ISO week', async () => {
    const rows = await db.query<RollupRow>(
      `SELECT service_id AS key, iso_week AS period, ${METRICS} FROM mttr_by_service_week`,
    );
    const want = truth.mttaMttrByServiceWeek.map((w) =>
      fromTruth(w.service_id, w.week, w.incidents, w.mtta_seconds, w.mttr_seconds),
    );
    expect(rows.map(fromView).sort()).toEqual(want.sort());
    const [first] = await db.query<{ week_start: Date; iso_week: string }>(
      `SELECT week_start, iso_week FROM mttr_by_service_week ORDER BY week_start LIMIT 1`,
    );
    expect(first?.week_start.getUTCDay()).toBe(1); // a Monday
  });

  it('mttr_by_team_week and mttr_by_priority_month', async () => {
    const teams = await db.query<RollupRow>(
      `SELECT team_id AS key, iso_week AS period, ${METRICS} FROM mttr_by_team_week`,
    );
    const teamWant = truth.metrics.byTeamWeek.map((g) =>
      fromTruth(g.key, g.period, g.incidents, g.mtta_seconds, g.mttr_seconds),
    );
    expect(teams.map(fromView).sort()).toEqual(teamWant.sort());
    const prios = await db.query<RollupRow>(
      `SELECT priority_id AS key, month AS period, ${METRICS} FROM mttr_by_priority_month`,
    );
    const prioWant = truth.metrics.byPriorityMonth.map((g) =>
      fromTruth(g.key, g.period, g.incidents, g.mtta_seconds, g.mttr_seconds),
    );
    expect(prios.map(fromView).sort()).toEqual(prioWant.sort());
    const none = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mttr_by_priority_month WHERE priority_id IS NULL AND priority_name = 'none'`,
    );
    expect(none[0]?.n).toBeGreaterThan(0);
  });

  it('oncall_hours_by_user_week: the union of each user’s shifts, cut at the on-call cursor, per week', async () => {
    const shifts = await db.query<{ user_id: string; start_at: Date; end_at: Date }>(
      'SELECT user_id, start_at, end_at FROM oncalls WHERE start_at IS NOT NULL AND end_at IS NOT NULL',
    );
    const [state] = await db.query<{ cursor: Date }>(
      `SELECT cursor FROM sync_state WHERE resource = 'oncalls'`,
    );
    const until = state?.cursor.getTime() ?? 0;
    // Merge each user's intervals, then split by UTC ISO week (Monday 00:00).
    const byUser = new Map<string, [number, number][]>();
    for (const s of shifts) {
      const end = Math.min(s.end_at.getTime(), until);
      if (s.start_at.getTime() >= end) continue;
      const list = byUser.get(s.user_id) ?? [];
      list.push([s.start_at.getTime(), end]);
      byUser.set(s.user_id, list);
    }
    const want = new Map<string, number>();
    for (const [user, list] of byUser) {
      list.sort((a, b) => a[0] - b[0]);
      const merged: [number, number][] = [];
      for (const [a, b] of list) {
        const last = merged[merged.length - 1];
        if (last && a <= last[1]) last[1] = Math.max(last[1], b);
        else merged.push([a, b]);
      }
      for (const [a, b] of merged) {
        // 1970-01-01 was a Thursday: Mondays are 4 days after epoch + k weeks.
        let week = Math.floor((a - 4 * 24 * HOUR) / WEEK) * WEEK + 4 * 24 * HOUR;
        for (; week < b; week += WEEK) {
          const part = Math.min(b, week + WEEK) - Math.max(a, week);
          if (part <= 0) continue;
          const key = `${user}|${new Date(week).toISOString().slice(0, 10)}`;
          want.set(key, (want.get(key) ?? 0) + part / HOUR);
        }
      }
    }
    const rows = await db.query<{ user_id: string; week_start: Date; hours: number }>(
      'SELECT user_id, week_start, hours FROM oncall_hours_by_user_week',
    );
    const got = new Map<string, number>(
      rows.map((r) => [`${r.user_id}|${r.week_start.toISOString().slice(0, 10)}`, r.hours] as const),
    );
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, hours] of want) expect(got.get(key), key).toBeCloseTo(hours, 6);
    expect(rows.length).toBeGreaterThan(0);
    // Three days passed between the runs: someone carried a whole day or more.
    expect(Math.max(...rows.map((r) => r.hours))).toBeGreaterThanOrEqual(24);
  });

  it('service_keys: the service: tag of the escalation policy, else the slug; team keys from team: tags', async () => {
    const services = await db.query<{ id: string; name: string; escalation_policy_id: string }>(
      'SELECT id, name, escalation_policy_id FROM services',
    );
    const epTag = new Map<string, string>();
    const teamTag = new Map<string, string>();
    for (const t of truth.tables.entity_tags) {
      if (t.tag_value === null) continue;
      if (t.entity_type === 'escalation_policies' && t.tag_key === 'service')
        epTag.set(t.entity_id, t.tag_value);
      if (t.entity_type === 'teams' && t.tag_key === 'team') teamTag.set(t.entity_id, t.tag_value);
    }
    const keys = await db.query<{
      service_id: string;
      service_key: string;
      team_id: string;
      team_key: string;
    }>('SELECT service_id, service_key, team_id, team_key, env, tags FROM service_keys');
    expect(keys).toHaveLength(services.length);
    let fromTag = 0;
    for (const s of services) {
      const row = keys.find((k) => k.service_id === s.id);
      const tagged = epTag.get(s.escalation_policy_id);
      if (tagged !== undefined && tagged !== slugKey(s.name)) fromTag++;
      expect(row?.service_key, s.name).toBe(tagged ?? slugKey(s.name));
      expect(row?.team_key).toBe(teamTag.get(row?.team_id ?? '') ?? expect.any(String));
    }
    expect(fromTag).toBeGreaterThan(0); // the source really differs from the slug somewhere
    // services.service_key itself carries the resolved key, and a third run leaves it alone.
    const direct = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM services s JOIN service_keys k ON k.service_id = s.id WHERE s.service_key = k.service_key',
    );
    expect(direct[0]?.n).toBe(services.length);
    // Closed around the run: an embedded (PGlite) warehouse takes one open at a time.
    await db.close();
    const third = await syncAgainst(sim, wh, {
      ...env,
      SYNC_RESOURCES: 'teams,services,escalation_policies,tags',
    });
    db = await wh.open();
    expect(third.code).toBe(0);
    const [run] = await db.query<{ resources: Record<string, { written: number }> }>(
      'SELECT resources FROM sync_runs ORDER BY id DESC LIMIT 1',
    );
    expect(run?.resources.services?.written).toBe(0);
    expect(run?.resources.teams?.written).toBe(0);
  });

  it('service_tags and service_links: inherited tags; repository, runbook and dashboard links', async () => {
    const env = await db.query<{ service_id: string; env: string | null }>(
      'SELECT service_id, env FROM service_keys',
    );
    expect(env.every((r) => r.env === 'prod' || r.env === 'staging')).toBe(true);
    const tags = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM service_tags WHERE tag_key = 'team' AND inherited_from = 'team'`,
    );
    expect(tags[0]?.n).toBeGreaterThan(0);
    const links = await db.query<{
      service_id: string;
      url: string;
      kind: string;
      host: string;
      path: string;
    }>('SELECT l.service_id, l.url, l.kind, l.host, l.path FROM service_links l');
    const descriptions = new Map(
      (await db.query<{ id: string; description: string }>('SELECT id, description FROM services')).map(
        (r) => [r.id, r.description] as const,
      ),
    );
    for (const l of links) {
      expect(descriptions.get(l.service_id)).toContain(l.url);
      expect(l.url).not.toMatch(/[.,;:)\]]$/);
      expect(l.url.startsWith(`https://${l.host}${l.path}`)).toBe(true);
    }
    for (const id of descriptions.keys()) {
      const mine = links.filter((l) => l.service_id === id);
      expect(
        mine.filter((l) => l.kind === 'repository'),
        id,
      ).toHaveLength(1);
      expect(mine.every((l) => ['repository', 'runbook', 'dashboard'].includes(l.kind))).toBe(true);
    }
    expect(links.some((l) => l.kind === 'runbook')).toBe(true);
    expect(links.some((l) => l.kind === 'dashboard')).toBe(true);
  });

  it('sync_freshness: every resource with its cursor, age and last status', async () => {
    const rows = await db.query<{
      resource: string;
      cursor: Date;
      age_seconds: number;
      last_run_status: string | null;
      last_success_at: Date | null;
    }>('SELECT resource, cursor, age_seconds, last_run_status, last_success_at FROM sync_freshness');
    const names = rows.map((r) => r.resource);
    for (const r of ['services', 'incidents', 'log_entries', 'oncalls', 'teams', 'users'])
      expect(names).toContain(r);
    for (const r of rows) {
      expect(r.last_run_status).toBe('succeeded');
      expect(r.last_success_at).not.toBeNull();
      expect(Math.abs(r.age_seconds - (Date.now() - r.cursor.getTime()) / 1000)).toBeLessThan(60);
    }
  });
});

describe('service_links classification', () => {
  let wh: Warehouse;
  let db: Database;
  beforeAll(async () => {
    wh = createWarehouse('bi-links');
    const { migrateDatabase } = await import('../../../src/db/migrate.js');
    db = await wh.open();
    await migrateDatabase(db);
  });
  afterAll(async () => {
    await db?.close();
    await wh.drop();
  });

  it('extracts URLs from free text and classifies them', async () => {
    const description = [
      'Code: https://github.com/acme/shop, mirrored at https://gitlab.example.com/acme/shop.',
      '[Runbook](https://acme.atlassian.net/wiki/spaces/OPS/pages/1/Shop+Runbook) and the',
      'playbook https://github.com/acme/playbooks/blob/main/shop.md;',
      'dashboards: https://app.datadoghq.com/dashboard/abc-123?from=1 and https://metrics.acme.io/d/xyz/shop',
      'status page (https://status.acme.io/shop) docs <https://docs.acme.io/shop>',
    ].join('\n');
    await db.query(
      `INSERT INTO services (id, name, service_key, description, status, raw) VALUES ('PLINKS1', 'Shop', 'shop', $1, 'active', '{}')`,
      [description],
    );
    const rows = await db.query<{ url: string; kind: string; host: string; path: string }>(
      `SELECT url, kind, host, path FROM service_links WHERE service_id = 'PLINKS1' ORDER BY url`,
    );
    expect(rows).toEqual(
      [
        {
          url: 'https://acme.atlassian.net/wiki/spaces/OPS/pages/1/Shop+Runbook',
          kind: 'runbook',
          host: 'acme.atlassian.net',
          path: '/wiki/spaces/OPS/pages/1/Shop+Runbook',
        },
        {
          url: 'https://app.datadoghq.com/dashboard/abc-123?from=1',
          kind: 'dashboard',
          host: 'app.datadoghq.com',
          path: '/dashboard/abc-123',
        },
        { url: 'https://docs.acme.io/shop', kind: 'other', host: 'docs.acme.io', path: '/shop' },
        {
          url: 'https://github.com/acme/playbooks/blob/main/shop.md',
          kind: 'runbook',
          host: 'github.com',
          path: '/acme/playbooks/blob/main/shop.md',
        },
        { url: 'https://github.com/acme/shop', kind: 'repository', host: 'github.com', path: '/acme/shop' },
        {
          url: 'https://gitlab.example.com/acme/shop',
          kind: 'repository',
          host: 'gitlab.example.com',
          path: '/acme/shop',
        },
        {
          url: 'https://metrics.acme.io/d/xyz/shop',
          kind: 'dashboard',
          host: 'metrics.acme.io',
          path: '/d/xyz/shop',
        },
        { url: 'https://status.acme.io/shop', kind: 'other', host: 'status.acme.io', path: '/shop' },
      ].sort((a, b) => a.url.localeCompare(b.url)),
    );
  });
});
