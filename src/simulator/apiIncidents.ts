import type { Account } from './account.js';
import { ApiError, invalidInput, missingAbility, notFound, type ApiReply } from './errors.js';
import type { IncidentRec, LogRef } from './model.js';
import { arrayListing, paginate, type Params } from './params.js';
import type { RenderCtx } from './render.js';
import { renderIncident, renderLogEntry } from './renderIncident.js';
import { addMonths, SECOND } from './time.js';
import { incidentSource, type LogQuery, type SortSpec } from './incidentSource.js';
import type { Abilities } from './apiReference.js';

/** Log entry types `is_overview=true` leaves out: the noisy, per-notification ones. */
const DETAIL_ONLY = new Set(['notify_log_entry']);

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

function parseSort(sortBy: string[] | undefined): SortSpec[] | null {
  if (!sortBy) return null;
  const specs = sortBy.flatMap((s) => s.split(',')).slice(0, 2);
  return specs.map((s) => {
    const [field = '', dir = 'asc'] = s.split(':');
    if (!SORT_KEYS.has(field) || (dir !== 'asc' && dir !== 'desc'))
      throw invalidInput(`Sort by ${s} is invalid`);
    return { field: field as SortSpec['field'], sign: dir === 'desc' ? -1 : 1 };
  });
}

/** The filters of GET /incidents as one predicate (null: none given) and a key naming them. */
function incidentFilter(p: Params): { test: ((i: IncidentRec) => boolean) | null; key: string } {
  const statuses = p.list('statuses');
  const services = p.list('service_ids');
  const urgencies = p.list('urgencies');
  const teamIds = p.list('team_ids');
  const users = p.list('user_ids');
  const key = p.str('incident_key');
  const priorities = p.list('priority_ids');
  const cacheKey = JSON.stringify([statuses, services, urgencies, teamIds, users, key, priorities]);
  if (!(statuses || services || urgencies || teamIds || users || key || priorities))
    return { test: null, key: cacheKey };
  const st = statuses && new Set(statuses);
  const sv = services && new Set(services);
  const ur = urgencies && new Set(urgencies);
  const tm = teamIds && new Set(teamIds);
  const us = users && new Set(users);
  const pr = priorities && new Set(priorities);
  const test = (i: IncidentRec) =>
    (!st || st.has(i.state.status)) &&
    (!sv || sv.has(i.serviceId)) &&
    (!ur || ur.has(i.state.urgency)) &&
    (!tm || i.teamIds.some((t) => tm.has(t))) &&
    (!us || (i.state.status !== 'resolved' && i.state.assignments.some((a) => us.has(a.userId)))) &&
    (!key || i.incidentKey === key) &&
    (!pr || (i.state.priorityId !== null && pr.has(i.state.priorityId)));
  return { test, key: cacheKey };
}

export function listIncidents(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  const page = p.page();
  if (p.list('team_ids') && !abilities.teams) throw missingAbility('teams');
  const [from, to] =
    p.str('date_range') === 'all' ? [-Infinity, Infinity] : incidentRange(account, p, ctx.timeZone);
  const filter = incidentFilter(p);
  const sort = parseSort(p.list('sort_by') ?? (p.str('sort_by') ? [p.str('sort_by') ?? ''] : undefined));
  const key = `${filter.key}|${JSON.stringify(sort)}`;
  const listing = incidentSource(account).incidents({ from, to, filter: filter.test, sort, key });
  return {
    status: 200,
    body: paginate('incidents', listing, page, (i) => renderIncident(ctx, i)),
  };
}

export function findIncident(account: Account, idOrNumber: string): IncidentRec {
  const inc = incidentSource(account).find(idOrNumber);
  if (!inc) throw notFound();
  return inc;
}

export function getIncident(account: Account, id: string, ctx: RenderCtx): ApiReply {
  return { status: 200, body: { incident: renderIncident(ctx, findIncident(account, id)) } };
}

function newestFirst(refs: LogRef[]): LogRef[] {
  return refs.reverse();
}

/** The filters of GET /log_entries (is_overview, team_ids[]) as one predicate and a key naming them. */
function logFilter(p: Params, teamIds: string[] | undefined): Pick<LogQuery, 'filter' | 'key'> {
  const overview = p.flag('is_overview');
  const key = JSON.stringify([overview, teamIds]);
  if (!overview && !teamIds) return { filter: null, key };
  const filter = (r: LogRef) =>
    (!overview || !DETAIL_ONLY.has(r.event.type)) &&
    (!teamIds || r.incident.teamIds.some((t) => teamIds.includes(t)));
  return { filter, key };
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
  const listing = incidentSource(account).logEntries({ from, to: until, ...logFilter(p, teamIds) });
  return {
    status: 200,
    body: paginate('log_entries', listing, page, (r) => renderLogEntry(ctx, r)),
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
