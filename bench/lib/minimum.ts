/**
 * The fewest requests a backfill can make, from the simulator's ground truth (not from what the sync did).
 *
 * Windowed listings: the fewest windows the API forces (incidents: a range of at most 180 days and at most
 * 10,000 records, past which offsets are refused; log entries: at most 10,000 records), found greedily
 * from the oldest record (each window reaches as far as both limits allow), costing ceil(rows / 100) pages
 * each and at least one page even when empty. Every other listing: ceil(count / 100) pages, at least one;
 * fan-outs (team members, tagged entities) once per parent. The open-incident sweep is not counted: a
 * backfill that has just read every incident does not need it.
 */
import type { Account } from '../../src/simulator/index.js';
import { escalationPolicyOncalls } from '../../src/simulator/oncall.js';

const DAY = 86_400_000;
const PAGE = 100;
const OFFSET_CAP = 10_000;
/** GET /incidents refuses a since/until range over 6 months; the sync's windows stay within 180 days. */
const INCIDENT_MAX_WINDOW_MS = 180 * DAY;
/** What `is_overview=true` leaves out of /log_entries (simulator apiIncidents.ts DETAIL_ONLY). */
const DETAIL_ONLY = new Set(['notify_log_entry']);
/** The sync reads on-calls from now to now + 30 days, in requests of at most 90 days. */
const ONCALL_HORIZON_MS = 30 * DAY;

const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface WindowPlan {
  windows: number;
  requests: number;
  records: number;
}

/** Greedy fewest windows over [from, to) for sorted record times; Σ pages over them. */
export function windowedMinimum(
  times: readonly number[],
  from: number,
  to: number,
  maxWindowMs: number,
): WindowPlan {
  let cursor = from;
  let i = lowerBound(times, from);
  const plan: WindowPlan = { windows: 0, requests: 0, records: 0 };
  while (cursor < to) {
    let end = Math.min(to, cursor + maxWindowMs);
    let j = lowerBound(times, end);
    if (j - i > OFFSET_CAP) {
      end = times[i + OFFSET_CAP] ?? end;
      if (end <= cursor)
        throw new Error('more than 10,000 records share one instant: no window can list them');
      j = lowerBound(times, end);
    }
    plan.windows++;
    plan.requests += pages(j - i);
    plan.records += j - i;
    cursor = end;
    i = j;
  }
  return plan;
}

/** Minimum requests per resource for a backfill over [start, signpost) at `now` (all epoch ms). */
export function minimumRequests(
  account: Account,
  range: { start: number; signpost: number; now: number },
): Record<string, WindowPlan> {
  const { start, signpost, now } = range;
  const incidentTimes = account.incidents.filter((i) => i.revealed > 0).map((i) => i.createdAt);
  const logTimes = account.log.filter((r) => !DETAIL_ONLY.has(r.event.type)).map((r) => r.event.at);
  const listing = (n: number, fanOut: number[] = []): WindowPlan => ({
    windows: 1,
    requests: pages(n) + fanOut.reduce((a, b) => a + pages(b), 0),
    records: n + fanOut.reduce((a, b) => a + b, 0),
  });
  const oncalls = account.escalationPolicies.flatMap((ep) =>
    escalationPolicyOncalls(ep, account.byId.schedules, now, now + ONCALL_HORIZON_MS),
  ).length;
  return {
    teams: listing(
      account.teams.length,
      account.teams.map((t) => t.members.length),
    ),
    users: listing(account.users.length),
    escalation_policies: listing(account.escalationPolicies.length),
    schedules: listing(account.schedules.length),
    priorities: listing(account.priorities.length),
    tags: listing(
      account.tags.length,
      account.tags.flatMap((t) => [t.userIds.length, t.teamIds.length, t.escalationPolicyIds.length]),
    ),
    services: listing(account.activeServices().length),
    incidents: windowedMinimum(incidentTimes, start, signpost, INCIDENT_MAX_WINDOW_MS),
    log_entries: windowedMinimum(logTimes, start, signpost, Infinity),
    oncalls: listing(oncalls),
  };
}
