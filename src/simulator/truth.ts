import type { Account } from './account.js';
import { escalationPolicyOncalls } from './oncall.js';
import { isoWeek } from './time.js';
import type { AccountTables, DeletedTruth } from './truthRows.js';
import { computeDeleted, computeTables } from './truthTables.js';
import { computeMetrics, type MetricsTruth } from './truthMetrics.js';
import { distribution, type Distribution } from './truthStats.js';
import { lazyTruth, type LazyCounts } from './lazyTruth.js';

/** What a perfect sync of one incident must hold. Times are ISO-8601 UTC. */
export interface IncidentTruth {
  id: string;
  incident_number: number;
  status: string;
  urgency: string;
  service_id: string;
  escalation_policy_id: string;
  priority_id: string | null;
  created_at: string;
  first_acknowledged_at: string | null;
  resolved_at: string | null;
  last_status_change_at: string;
}

export { distribution, type Distribution } from './truthStats.js';

/** MTTA over acknowledged incidents, MTTR over resolved ones, grouped by service and ISO week of creation (UTC). */
export interface ServiceWeekTruth {
  service_id: string;
  week: string;
  week_start: string;
  incidents: number;
  mtta_seconds: Distribution;
  mttr_seconds: Distribution;
}

export interface TruthCounts {
  services: number;
  services_deleted: number;
  teams: number;
  users: number;
  escalation_policies: number;
  schedules: number;
  priorities: number;
  tags: number;
  incidents: number;
  incidents_open: number;
  /** Every revealed log entry, including notify_log_entry. */
  log_entries: number;
  /** The log entries `is_overview=true` serves (all but notify_log_entry): what a sync stores. */
  log_entries_overview: number;
  oncalls_now: number;
}

export interface Truth {
  now: string;
  counts: TruthCounts;
  incidents: IncidentTruth[];
  mttaMttrByServiceWeek: ServiceWeekTruth[];
  /** The whole account, one row array per warehouse table (live entities only). */
  tables: AccountTables;
  /** Ids deleted in the simulator: a sync must mark them deleted_at. */
  deleted: DeletedTruth;
  /** What the BI views must show: per-incident metrics and MTTA/MTTR per team-week and priority-month. */
  metrics: MetricsTruth;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type ReferenceCounts = Omit<TruthCounts, keyof LazyCounts>;

function referenceCounts(account: Account): ReferenceCounts {
  const oncallsNow = account.escalationPolicies.flatMap((ep) =>
    escalationPolicyOncalls(ep, account.byId.schedules, account.now, account.now),
  );
  return {
    services: account.activeServices().length,
    services_deleted: account.services.length - account.activeServices().length,
    teams: account.teams.length,
    users: account.users.length,
    escalation_policies: account.escalationPolicies.length,
    schedules: account.schedules.length,
    priorities: account.priorities.length,
    tags: account.tags.length,
    oncalls_now: oncallsNow.length,
  };
}

/**
 * Ground truth at the account's clock: what a perfect sync must end with. In lazy mode only `counts`
 * (streamed over every incident on first read); the per-row parts throw.
 */
export function computeTruth(account: Account): Truth {
  const { lazy } = account;
  if (lazy) return lazyTruth(account.now, () => ({ ...referenceCounts(account), ...lazy.counts() }));
  const visible = account.incidents.filter((i) => i.revealed > 0);
  const incidents = visible.map((i): IncidentTruth => ({
    id: i.id,
    incident_number: i.number,
    status: i.state.status,
    urgency: i.state.urgency,
    service_id: i.serviceId,
    escalation_policy_id: i.escalationPolicyId,
    priority_id: i.state.priorityId,
    created_at: new Date(i.createdAt).toISOString(),
    first_acknowledged_at: iso(i.state.firstAckAt),
    resolved_at: iso(i.state.resolvedAt),
    last_status_change_at: new Date(i.state.lastStatusChangeAt).toISOString(),
  }));
  const groups = new Map<
    string,
    { service: string; week: { start: number; label: string }; tta: number[]; ttr: number[]; n: number }
  >();
  for (const i of visible) {
    const week = isoWeek(i.createdAt);
    const key = `${i.serviceId}/${week.label}`;
    let g = groups.get(key);
    if (!g) {
      g = { service: i.serviceId, week, tta: [], ttr: [], n: 0 };
      groups.set(key, g);
    }
    g.n++;
    if (i.state.firstAckAt !== null) g.tta.push((i.state.firstAckAt - i.createdAt) / 1000);
    if (i.state.resolvedAt !== null) g.ttr.push((i.state.resolvedAt - i.createdAt) / 1000);
  }
  const mttaMttrByServiceWeek = [...groups.values()]
    .map((g) => ({
      service_id: g.service,
      week: g.week.label,
      week_start: new Date(g.week.start).toISOString(),
      incidents: g.n,
      mtta_seconds: distribution(g.tta),
      mttr_seconds: distribution(g.ttr),
    }))
    .sort((a, b) => a.week_start.localeCompare(b.week_start) || a.service_id.localeCompare(b.service_id));
  return {
    now: new Date(account.now).toISOString(),
    counts: {
      ...referenceCounts(account),
      incidents: incidents.length,
      incidents_open: incidents.filter((i) => i.status !== 'resolved').length,
      log_entries: account.log.length,
      log_entries_overview: account.log.filter((r) => r.event.type !== 'notify_log_entry').length,
    },
    incidents,
    mttaMttrByServiceWeek,
    tables: computeTables(account),
    deleted: computeDeleted(account),
    // Computed on demand: most readers of the truth never look at it.
    get metrics() {
      return computeMetrics(account);
    },
  };
}
