import type { Account } from './account.js';
import { analyticsRows, incidentTypeId, type AnalyticsRow } from './analytics.js';
import type { Abilities } from './apiReference.js';
import { ApiError, invalidInput, missingAbility, type ApiReply } from './errors.js';
import { renderAnalyticsIncident } from './renderAnalytics.js';
import { isValidTimeZone, parseTime } from './time.js';

/**
 * POST /analytics/raw/incidents. Body: { filters, limit (1..1000, default 20, the spec's example),
 * order (desc), order_by (created_at | seconds_to_resolve), starting_after | ending_before, time_zone
 * (default Etc/UTC) }. Filters: created_at_start (>=), created_at_end (<), updated_after (>, on the
 * analytics updated_at), urgency, major, team_ids (the record's team; needs the teams ability),
 * service_ids, priority_ids, priority_names, incident_type_ids; unknown filter keys are ignored. Times
 * without an offset are read in time_zone. Cursors are opaque (base64url of the sort key and incident
 * number); `starting_after` pages forward, `ending_before` returns the `limit` records just before the
 * cursor, and `more` says whether records remain in the direction of travel. seconds_to_resolve sorts
 * unresolved incidents (null) as largest, as Postgres does. Every request that reaches this handler
 * (with the analytics ability) counts against the token's daily quota.
 */

type OrderBy = 'created_at' | 'seconds_to_resolve';

interface Filters {
  created_at_start?: string;
  created_at_end?: string;
  updated_after?: string;
  urgency?: string;
  major?: boolean;
  team_ids?: string[];
  service_ids?: string[];
  priority_ids?: string[];
  priority_names?: string[];
  incident_type_ids?: string[];
}

const STRING_FILTERS = ['created_at_start', 'created_at_end', 'updated_after', 'urgency'] as const;
const LIST_FILTERS = [
  'team_ids',
  'service_ids',
  'priority_ids',
  'priority_names',
  'incident_type_ids',
] as const;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseFilters(raw: unknown): Filters {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw invalidInput('filters must be an object');
  const out: Filters = {};
  for (const k of STRING_FILTERS) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalidInput(`filters.${k} must be a string`);
    out[k] = v;
  }
  if (out.urgency !== undefined && out.urgency !== 'high' && out.urgency !== 'low')
    throw invalidInput('filters.urgency must be one of high, low');
  if (raw.major !== undefined && raw.major !== null) {
    if (typeof raw.major !== 'boolean') throw invalidInput('filters.major must be a boolean');
    out.major = raw.major;
  }
  for (const k of LIST_FILTERS) {
    const v = raw[k];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw invalidInput(`filters.${k} must be an array of strings`);
    out[k] = v;
  }
  return out;
}

interface Cursor {
  by: OrderBy;
  key: number | null;
  number: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.by, c.key, c.number])).toString('base64url');
}

function decodeCursor(raw: unknown, name: string, by: OrderBy): Cursor {
  const bad = () => invalidInput(`${name} is not a valid cursor`);
  if (typeof raw !== 'string' || raw === '') throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw bad();
  const [cBy, key, number] = parsed as unknown[];
  if (cBy !== by || (key !== null && typeof key !== 'number') || typeof number !== 'number') throw bad();
  return { by, key, number };
}

function sortKey(r: AnalyticsRow, by: OrderBy): number | null {
  return by === 'created_at' ? r.inc.createdAt : r.secondsToResolve;
}

/** Ascending comparison of (key, incident number); a null key sorts last. */
function compare(a: { key: number | null; number: number }, b: { key: number | null; number: number }) {
  const ka = a.key ?? Infinity;
  const kb = b.key ?? Infinity;
  return ka !== kb ? (ka < kb ? -1 : 1) : a.number - b.number;
}

function readTime(value: string | undefined, name: string, zone: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTime(value, zone);
  if (ms === null) throw invalidInput(`filters.${name} is invalid`);
  return ms;
}

export function analyticsRawIncidents(account: Account, body: string, abilities: Abilities): ApiReply {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new ApiError(400, 2001, 'Invalid Input Provided', ['The request body is not valid JSON']);
  }
  if (!isRecord(parsed)) throw invalidInput('The request body must be a JSON object');
  const filters = parseFilters(parsed.filters);
  const limit = parsed.limit ?? 20;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw invalidInput('limit must be an integer between 1 and 1000');
  const order = parsed.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidInput('order must be one of asc, desc');
  const by = parsed.order_by ?? 'created_at';
  if (by !== 'created_at' && by !== 'seconds_to_resolve')
    throw invalidInput('order_by must be one of created_at, seconds_to_resolve');
  const timeZone = parsed.time_zone ?? 'Etc/UTC';
  if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) throw invalidInput('time_zone is invalid');
  const after = parsed.starting_after ?? null;
  const before = parsed.ending_before ?? null;
  if (after !== null && before !== null)
    throw invalidInput('starting_after and ending_before cannot be used together');
  const cursor =
    after !== null
      ? decodeCursor(after, 'starting_after', by)
      : before !== null
        ? decodeCursor(before, 'ending_before', by)
        : null;
  if (filters.team_ids && !abilities.teams) throw missingAbility('teams');

  const start = readTime(filters.created_at_start, 'created_at_start', timeZone);
  const end = readTime(filters.created_at_end, 'created_at_end', timeZone);
  const updatedAfter = readTime(filters.updated_after, 'updated_after', timeZone);
  const set = (xs: string[] | undefined) => (xs ? new Set(xs) : null);
  const teams = set(filters.team_ids);
  const services = set(filters.service_ids);
  const priorities = set(filters.priority_ids);
  const names = set(filters.priority_names);
  const types = set(filters.incident_type_ids);
  const typeId = incidentTypeId(account);
  const rows = analyticsRows(account).filter((r) => {
    const p = r.state.priorityId;
    return (
      (start === undefined || r.inc.createdAt >= start) &&
      (end === undefined || r.inc.createdAt < end) &&
      (updatedAfter === undefined || r.processedAt > updatedAfter) &&
      (filters.urgency === undefined || r.state.urgency === filters.urgency) &&
      (filters.major === undefined || r.major === filters.major) &&
      (!teams || (r.teamId !== null && teams.has(r.teamId))) &&
      (!services || services.has(r.inc.serviceId)) &&
      (!priorities || (p !== null && priorities.has(p))) &&
      (!names || (p !== null && names.has(account.byId.priorities.get(p)?.name ?? ''))) &&
      (!types || types.has(typeId))
    );
  });
  const sign = order === 'asc' ? 1 : -1;
  const pos = (r: AnalyticsRow) => ({ key: sortKey(r, by), number: r.inc.number });
  const keyed = rows.map((r) => ({ r, key: sortKey(r, by), number: r.inc.number }));
  const sorted = keyed.sort((a, b) => sign * compare(a, b)).map((x) => x.r);
  let page: AnalyticsRow[];
  let more: boolean;
  if (cursor && before !== null) {
    const preceding = sorted.filter((r) => sign * compare(pos(r), cursor) < 0);
    page = preceding.slice(Math.max(0, preceding.length - limit));
    more = preceding.length > limit;
  } else {
    const rest = cursor ? sorted.filter((r) => sign * compare(pos(r), cursor) > 0) : sorted;
    page = rest.slice(0, limit);
    more = rest.length > limit;
  }
  const cursorOf = (r: AnalyticsRow | undefined) => (r ? encodeCursor({ by, ...pos(r) }) : null);
  return {
    status: 200,
    body: {
      data: page.map((r) => renderAnalyticsIncident(account, r, timeZone)),
      first: cursorOf(page[0]),
      last: cursorOf(page[page.length - 1]),
      limit,
      more,
      order,
      order_by: by,
      filters,
      time_zone: timeZone,
      starting_after: after,
      ending_before: before,
    },
  };
}
