import { OFFSET_CAP } from './errors.js';
import type { HistoryCurve } from './historyCurve.js';
import type { IncidentQuery, LogQuery, SortView } from './incidentSource.js';
import { compareBy } from './incidentSource.js';
import type { IncidentRec } from './model.js';

/** A computed listing: its full size, and the refs of its first 10,000 items (no page can reach further). */
export interface CachedList {
  count: number;
  refs: Float64Array;
}

/** A log entry's ref: its incident's number and its index in the incident's events. */
export const EVENTS_PER_INCIDENT = 256;

/** What the scans read from lazy mode's incident store. */
export interface LazyScan {
  readonly curve: HistoryCurve;
  /** No incident has events later than this long after its creation, ms. */
  readonly maxLifetime: number;
  /** True when incident `n` is known to have no event at or after `t`. */
  endsBefore(n: number, t: number): boolean;
  /** Incident `n` as of the clock; `keep` false: not worth caching. */
  incident(n: number, keep?: boolean): IncidentRec;
  /** Caches incident `n` (planned with `keep` false) after all. */
  keep(n: number, incident: IncidentRec): void;
}

function firstRefs(order: number[], refOf: (i: number) => number): Float64Array {
  return Float64Array.from(order.slice(0, OFFSET_CAP), refOf);
}

/**
 * The revealed log entries of [from, to) that pass the filter, newest first (ties: the later incident and
 * event first). Candidates are the incidents created in [from − max lifetime, to); those already known to
 * have ended before `from` are skipped without planning.
 */
export function collectLog(src: LazyScan, q: LogQuery): CachedList {
  const lo = src.curve.firstAtOrAfter(q.from - src.maxLifetime);
  const hi = src.curve.firstAtOrAfter(q.to);
  const at: number[] = [];
  const refs: number[] = [];
  for (let n = lo; n < hi; n++) {
    if (src.endsBefore(n, q.from)) continue;
    // Kept when it has entries here: the pages about to be rendered name it again.
    const incident = src.incident(n, false);
    let listed = false;
    for (let k = 0; k < incident.revealed; k++) {
      const event = incident.events[k];
      if (!event || event.at < q.from || event.at >= q.to) continue;
      if (q.filter && !q.filter({ incident, event })) continue;
      at.push(event.at);
      refs.push(n * EVENTS_PER_INCIDENT + k);
      listed = true;
    }
    if (listed) src.keep(n, incident);
  }
  const order = Array.from(at.keys()).sort(
    (a, b) => (at[b] ?? 0) - (at[a] ?? 0) || (refs[b] ?? 0) - (refs[a] ?? 0),
  );
  return { count: order.length, refs: firstRefs(order, (i) => refs[i] ?? 0) };
}

/** Incident numbers in [lo, hi) that pass the filter, in sort_by order (default: creation). */
export function selectIncidents(src: LazyScan, lo: number, hi: number, q: IncidentQuery): CachedList {
  const views: SortView[] = [];
  for (let n = lo; n < hi; n++) {
    const i = src.incident(n, false);
    if (q.filter && !q.filter(i)) continue;
    views.push({
      number: n,
      createdAt: i.createdAt,
      state: { resolvedAt: i.state.resolvedAt, urgency: i.state.urgency },
    });
  }
  if (q.sort) views.sort(compareBy(q.sort));
  const order = Array.from(views.keys());
  return { count: views.length, refs: firstRefs(order, (k) => views[k]?.number ?? 0) };
}
