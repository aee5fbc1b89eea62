import type { Account } from './account.js';
import type { IncidentRec, LogRef, Urgency } from './model.js';
import { LruCache } from './lruCache.js';
import { arrayListing, type Listing } from './params.js';

/** One sort_by key, as /incidents takes it: `created_at:desc`. */
export interface SortSpec {
  field: 'incident_number' | 'created_at' | 'resolved_at' | 'urgency';
  sign: 1 | -1;
}

/** What sorting incidents reads: an IncidentRec, or lazy mode's small stand-in for one. */
export interface SortView {
  number: number;
  createdAt: number;
  state: { resolvedAt: number | null; urgency: Urgency };
}

/** GET /incidents after parsing: a created_at window (±Infinity for date_range=all), filter and sort. */
export interface IncidentQuery {
  from: number;
  to: number;
  filter: ((i: IncidentRec) => boolean) | null;
  sort: SortSpec[] | null;
  /** Names filter and sort, for caches: equal keys, equal filter and sort. */
  key: string;
}

/** GET /log_entries after parsing: the entries' own time window [from, to) and a filter. */
export interface LogQuery {
  from: number;
  to: number;
  filter: ((r: LogRef) => boolean) | null;
  key: string;
}

/** Where the /incidents and /log_entries handlers read incidents from: eager arrays, or lazy mode. */
export interface IncidentSource {
  /** Incidents created in [from, to), filtered; by created_at (ties: number) unless sorted. */
  incidents(q: IncidentQuery): Listing<IncidentRec>;
  /** Revealed log entries with from ≤ time < to, filtered, newest first. */
  logEntries(q: LogQuery): Listing<LogRef>;
  /** A revealed incident by id or number. */
  find(idOrNumber: string): IncidentRec | undefined;
}

function sortValue(i: SortView, f: SortSpec['field']): number {
  if (f === 'incident_number') return i.number;
  if (f === 'created_at') return i.createdAt;
  if (f === 'resolved_at') return i.state.resolvedAt ?? Infinity;
  return i.state.urgency === 'high' ? 1 : 0;
}

/** The comparator for sort_by: each key in turn, then the incident number (ascending, whatever the keys). */
export function compareBy(specs: readonly SortSpec[]): (a: SortView, b: SortView) => number {
  return (a, b) => {
    for (const { field, sign } of specs) {
      const d = sortValue(a, field) - sortValue(b, field);
      if (d !== 0) return d * sign;
    }
    return a.number - b.number;
  };
}

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
 * Per account: recent log listings, newest first, keyed by the account's version and the query. Paging
 * through one listing reads the same selection once per page; selecting it again for each page cost more
 * than rendering the page (a year of `large` is tens of thousands of entries). Never mutated once cached.
 */
const logListings = new WeakMap<Account, LruCache<string, readonly LogRef[]>>();

function eagerLogEntries(account: Account, q: LogQuery): readonly LogRef[] {
  let cache = logListings.get(account);
  if (!cache) {
    cache = new LruCache(8);
    logListings.set(account, cache);
  }
  return cache.getOrSet(`${account.version}|${q.key}|${q.from}|${q.to}`, () => {
    const log = account.log;
    let refs = log.slice(
      lowerBound(log, (r) => r.event.at, q.from),
      lowerBound(log, (r) => r.event.at, q.to),
    );
    if (q.filter) refs = refs.filter(q.filter);
    return refs.reverse();
  });
}

/** Eager mode: the account's sorted incident and log arrays, sliced by binary search. */
export function eagerIncidents(account: Account): IncidentSource {
  return {
    incidents: (q) => {
      const list = account.incidents;
      let items =
        q.from === -Infinity && q.to === Infinity
          ? list
          : list.slice(
              lowerBound(list, (i) => i.createdAt, q.from),
              lowerBound(list, (i) => i.createdAt, q.to),
            );
      if (q.filter) items = items.filter(q.filter);
      if (q.sort) items = [...items].sort(compareBy(q.sort));
      return arrayListing(items);
    },
    logEntries: (q) => arrayListing(eagerLogEntries(account, q)),
    find: (idOrNumber) => {
      const inc =
        account.byId.incidents.get(idOrNumber) ??
        (/^\d+$/.test(idOrNumber) ? account.incidentByNumber.get(Number(idOrNumber)) : undefined);
      return inc && inc.revealed > 0 ? inc : undefined;
    },
  };
}

/** The account's incident source: lazy mode's when it has one, else its eager arrays. */
export function incidentSource(account: Account): IncidentSource {
  return account.lazy ?? eagerIncidents(account);
}
