import type { Account } from './account.js';
import { ApiError, invalidInput, missingAbility, notFound, type ApiReply } from './errors.js';
import type { IncidentRec, LogRef } from './model.js';
import { arrayListing, paginate, type Params } from './params.js';
import type { RenderCtx } from './render.js';
import { renderIncident, renderLogEntry } from './renderIncident.js';
import { addMonths, SECOND } from './time.js';
import type { Abilities } from './apiReference.js';

/** Log entry types `is_overview=true` leaves out: the noisy, per-notification ones. */
const DETAIL_ONLY = new Set(['notify_log_entry']);

function lowerBound<T>(items: readonly T[], key: (x: T) => number, value: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid] as T) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * since/until for /incidents: both optional, default the last month, at most 6 months apart. The window is
 * half-open, [since, until). The clock stands still between requests, so a default `until` of "now" must
 * still take in an incident created at the clock's very second: PagerDuty's own "now" is always later.
 */
function incidentRange(account: Account, p: Params, zone: string): [number, number] {
  const since = p.time('since', zone);
  const until = p.time('until', zone);
  const nominal = until ?? Math.max(account.now, since ?? account.now);
  const from = since ?? addMonths(nominal, -1);
  if (nominal < from)
    throw new ApiError(400, 2005, 'Invalid Query Date Range', ['Until must be after since']);
  if (nominal > addMonths(from, 6)) throw invalidInput(' is invalid.');
  return [from, until ?? nominal + SECOND];
}

const SORT_KEYS = new Set(['incident_number', 'created_at', 'resolved_at', 'urgency']);

function sorter(sortBy: string[] | undefined): ((a: IncidentRec, b: IncidentRec) => number) | null {
  if (!sortBy) return null;
  const specs = sortBy.flatMap((s) => s.split(',')).slice(0, 2);
  const parsed = specs.map((s) => {
    const [field = '', dir = 'asc'] = s.split(':');
    if (!SORT_KEYS.has(field) || (dir !== 'asc' && dir !== 'desc'))
      throw invalidInput(`Sort by ${s} is invalid`);
    return { field, sign: dir === 'desc' ? -1 : 1 };
  });
  const value = (i: IncidentRec, f: string): number =>
    f === 'incident_number'
      ? i.number
      : f === 'created_at'
        ? i.createdAt
        : f === 'resolved_at'
          ? (i.state.resolvedAt ?? Infinity)
          : i.state.urgency === 'high'
            ? 1
            : 0;
  return (a, b) => {
    for (const { field, sign } of parsed) {
      const d = value(a, field) - value(b, field);
      if (d !== 0) return d * sign;
    }
    return a.number - b.number;
  };
}

export function listIncidents(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  const page = p.page();
  const teamIds = p.list('team_ids');
  if (teamIds && !abilities.teams) throw missingAbility('teams');
  let items: IncidentRec[];
  if (p.str('date_range') === 'all') items = account.incidents;
  else {
    const [from, to] = incidentRange(account, p, ctx.timeZone);
    const list = account.incidents;
    items = list.slice(
      lowerBound(list, (i) => i.createdAt, from),
      lowerBound(list, (i) => i.createdAt, to),
    );
  }
  const statuses = p.list('statuses');
  const services = p.list('service_ids');
  const urgencies = p.list('urgencies');
  const users = p.list('user_ids');
  const key = p.str('incident_key');
  const priorities = p.list('priority_ids');
  if (statuses || services || urgencies || teamIds || users || key || priorities) {
    const st = statuses && new Set(statuses);
    const sv = services && new Set(services);
    const ur = urgencies && new Set(urgencies);
    const tm = teamIds && new Set(teamIds);
    const us = users && new Set(users);
    const pr = priorities && new Set(priorities);
    items = items.filter(
      (i) =>
        (!st || st.has(i.state.status)) &&
        (!sv || sv.has(i.serviceId)) &&
        (!ur || ur.has(i.state.urgency)) &&
        (!tm || i.teamIds.some((t) => tm.has(t))) &&
        (!us || (i.state.status !== 'resolved' && i.state.assignments.some((a) => us.has(a.userId)))) &&
        (!key || i.incidentKey === key) &&
        (!pr || (i.state.priorityId !== null && pr.has(i.state.priorityId))),
    );
  }
  const sort = sorter(p.list('sort_by') ?? (p.str('sort_by') ? [p.str('sort_by') ?? ''] : undefined));
  if (sort) items = [...items].sort(sort);
  return {
    status: 200,
    body: paginate('incidents', arrayListing(items), page, (i) => renderIncident(ctx, i)),
  };
}

export function findIncident(account: Account, idOrNumber: string): IncidentRec {
  const inc =
    account.byId.incidents.get(idOrNumber) ??
    (/^\d+$/.test(idOrNumber) ? account.incidentByNumber.get(Number(idOrNumber)) : undefined);
  if (!inc || inc.revealed === 0) throw notFound();
  return inc;
}

export function getIncident(account: Account, id: string, ctx: RenderCtx): ApiReply {
  return { status: 200, body: { incident: renderIncident(ctx, findIncident(account, id)) } };
}

function newestFirst(refs: LogRef[]): LogRef[] {
  return refs.reverse();
}

/** GET /log_entries: account-wide, newest first, filtered on the entry's own time. */
export function listLogEntries(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  const page = p.page();
  const since = p.time('since', ctx.timeZone);
  const until = p.time('until', ctx.timeZone) ?? account.now + 1000;
  const from = since ?? addMonths(until, -1);
  if (until < from) throw new ApiError(400, 2005, 'Invalid Query Date Range', ['Until must be after since']);
  const teamIds = p.list('team_ids');
  if (teamIds && !abilities.teams) throw missingAbility('teams');
  const log = account.log;
  let refs = log.slice(
    lowerBound(log, (r) => r.event.at, from),
    lowerBound(log, (r) => r.event.at, until),
  );
  if (p.flag('is_overview')) refs = refs.filter((r) => !DETAIL_ONLY.has(r.event.type));
  if (teamIds) refs = refs.filter((r) => r.incident.teamIds.some((t) => teamIds.includes(t)));
  return {
    status: 200,
    body: paginate('log_entries', arrayListing(newestFirst(refs)), page, (r) => renderLogEntry(ctx, r)),
  };
}

/** GET /incidents/{id}/log_entries: one incident's entries, newest first. */
export function listIncidentLogEntries(account: Account, id: string, p: Params, ctx: RenderCtx): ApiReply {
  const page = p.page();
  const inc = findIncident(account, id);
  const since = p.time('since', ctx.timeZone) ?? -Infinity;
  const until = p.time('until', ctx.timeZone) ?? Infinity;
  let refs: LogRef[] = inc.events
    .slice(0, inc.revealed)
    .filter((e) => e.at >= since && e.at < until)
    .map((event) => ({ incident: inc, event }));
  if (p.flag('is_overview')) refs = refs.filter((r) => !DETAIL_ONLY.has(r.event.type));
  return {
    status: 200,
    body: paginate('log_entries', arrayListing(newestFirst(refs)), page, (r) => renderLogEntry(ctx, r)),
  };
}

export function checkLogInclude(include: ReadonlySet<string>): void {
  for (const v of include)
    if (!['incidents', 'services', 'channels', 'teams'].includes(v))
      throw invalidInput(`include[] ${v} is invalid`);
}
