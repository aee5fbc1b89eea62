import type { Account } from './account.js';
import type { IncidentRec } from './model.js';
import { isoWeek } from './time.js';
import { distribution, type Distribution } from './truthStats.js';

/**
 * Ground truth for the BI views, computed from the simulator's own model (never from the warehouse's SQL):
 * per incident escalations, reassignments, the responders' time zone and the off-hours flag, and the
 * MTTA/MTTR rollups per team and ISO week and per priority and month.
 */
export interface IncidentMetricTruth {
  incident_id: string;
  service_id: string;
  /** The lowest team id of the incident (the view's "first team"), or null. */
  team_id: string | null;
  priority_id: string | null;
  escalation_count: number;
  reassignment_count: number;
  time_zone: string;
  off_hours: boolean;
  seconds_to_first_ack: number | null;
  seconds_to_resolve: number | null;
}

export interface RollupTruth {
  /** team_id, or priority_id ('' for none). */
  key: string;
  /** ISO week label (`2026-W14`) or month (`2026-04`). */
  period: string;
  incidents: number;
  mtta_seconds: Distribution;
  mttr_seconds: Distribution;
}

export interface MetricsTruth {
  incidents: IncidentMetricTruth[];
  byTeamWeek: RollupTruth[];
  byPriorityMonth: RollupTruth[];
}

/** The time zone of the first schedule the policy pages: lowest level first, then target order. */
function responderZone(account: Account, policyId: string): string {
  const ep = account.byId.escalationPolicies.get(policyId);
  for (const rule of ep?.rules ?? []) {
    for (const t of rule.targets) {
      if (t.type !== 'schedule') continue;
      const zone = account.byId.schedules.get(t.id)?.timeZone;
      if (zone) return zone;
    }
  }
  return 'UTC';
}

/** Outside Monday–Friday 09:00–18:00 local time (wall clock from Intl, not from the SQL under test). */
function offHours(ms: number, zone: string): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const weekday = parts.find((p) => p.type === 'weekday')?.value ?? '';
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  return weekday === 'Sat' || weekday === 'Sun' || hour < 9 || hour >= 18;
}

function incidentMetric(account: Account, i: IncidentRec): IncidentMetricTruth {
  let escalations = 0;
  let reassignments = 0;
  for (const e of i.events.slice(0, i.revealed)) {
    if (e.type === 'escalate_log_entry') escalations++;
    else if (e.type === 'assign_log_entry' && e.agent?.type === 'user') reassignments++;
  }
  const zone = responderZone(account, i.escalationPolicyId);
  const s = i.state;
  return {
    incident_id: i.id,
    service_id: i.serviceId,
    team_id: [...i.teamIds].sort()[0] ?? null,
    priority_id: s.priorityId,
    escalation_count: escalations,
    reassignment_count: reassignments,
    time_zone: zone,
    off_hours: offHours(i.createdAt, zone),
    seconds_to_first_ack: s.firstAckAt === null ? null : (s.firstAckAt - i.createdAt) / 1000,
    seconds_to_resolve: s.resolvedAt === null ? null : (s.resolvedAt - i.createdAt) / 1000,
  };
}

function rollup(rows: { key: string; period: string; m: IncidentMetricTruth }[]): RollupTruth[] {
  const groups = new Map<string, { key: string; period: string; tta: number[]; ttr: number[]; n: number }>();
  for (const { key, period, m } of rows) {
    const id = `${key}|${period}`;
    let g = groups.get(id);
    if (!g) {
      g = { key, period, tta: [], ttr: [], n: 0 };
      groups.set(id, g);
    }
    g.n++;
    if (m.seconds_to_first_ack !== null) g.tta.push(m.seconds_to_first_ack);
    if (m.seconds_to_resolve !== null) g.ttr.push(m.seconds_to_resolve);
  }
  return [...groups.values()]
    .map((g) => ({
      key: g.key,
      period: g.period,
      incidents: g.n,
      mtta_seconds: distribution(g.tta),
      mttr_seconds: distribution(g.ttr),
    }))
    .sort((a, b) => a.period.localeCompare(b.period) || a.key.localeCompare(b.key));
}

export function computeMetrics(account: Account): MetricsTruth {
  const visible = account.incidents.filter((i) => i.revealed > 0);
  const metrics = visible.map((i) => ({ i, m: incidentMetric(account, i) }));
  const byTeamWeek = rollup(
    metrics.flatMap(({ i, m }) =>
      i.teamIds.map((team) => ({ key: team, period: isoWeek(i.createdAt).label, m })),
    ),
  );
  const byPriorityMonth = rollup(
    metrics.map(({ i, m }) => ({
      key: m.priority_id ?? '',
      period: new Date(i.createdAt).toISOString().slice(0, 7),
      m,
    })),
  );
  return { incidents: metrics.map((x) => x.m), byTeamWeek, byPriorityMonth };
}
