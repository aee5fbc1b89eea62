import type { Account } from './account.js';
import { HistoryCurve } from './historyCurve.js';
import type { IncidentQuery, IncidentSource, LogQuery, SortSpec } from './incidentSource.js';
import { lazyIdFactory, MAX_LAZY_INCIDENTS, numberOfLazyId } from './lazyIds.js';
import {
  collectLog,
  EVENTS_PER_INCIDENT,
  selectIncidents,
  type CachedList,
  type LazyScan,
} from './lazyLog.js';
import { countLazy, type LazyCounts } from './lazyTruth.js';
import { applyEvent } from './lifecycle.js';
import { LruCache } from './lruCache.js';
import type { IncidentRec, LogRef } from './model.js';
import type { Listing } from './params.js';
import { Random } from './random.js';
import { DAY, HOUR, MINUTE, SECOND } from './time.js';

/**
 * An upper bound on an incident's lifetime (creation to last event), from planIncident's limits: the
 * escalation chain, a 2-day acknowledgement, an ack timeout and re-ack (2 h), notes within half a 5-day
 * span, then the span again and up to 10 days of a long-running incident before the resolve.
 */
function lifetimeBound(account: Account): number {
  const escalation = Math.max(
    0,
    ...account.escalationPolicies.map((ep) =>
      ep.rules.slice(0, -1).reduce((sum, r) => sum + r.delayMinutes * MINUTE, 0),
    ),
  );
  const ackTimeout = Math.max(...account.services.map((s) => (s.acknowledgementTimeout ?? 1800) * SECOND));
  return escalation + 2 * DAY + ackTimeout + 2 * HOUR + 2.5 * DAY + 15 * DAY + MINUTE;
}

/** created_at and incident_number, ascending: the order incident numbers already have. */
function isCreationOrder(sort: SortSpec[] | null): boolean {
  return (sort ?? []).every(
    (s) => s.sign === 1 && (s.field === 'created_at' || s.field === 'incident_number'),
  );
}

/**
 * Lazy mode: incident n (1 … count) is a pure function of (seed, n): its creation time from the history
 * curve, its ids from lazyIdFactory, its service, title and lifecycle from the same planning code as eager
 * mode (Account.planNumbered), its state the events folded up to the clock. Nothing is stored per incident
 * but its last event time (8 bytes), a small LRU of planned incidents and a few computed listings.
 * The clock cannot advance and incidents cannot change in lazy mode.
 */
export class LazyIncidents implements IncidentSource, LazyScan {
  readonly curve: HistoryCurve;
  readonly maxLifetime: number;
  /** Last event time per number; NaN until planned. */
  private readonly endAt: Float64Array;
  private readonly planned = new LruCache<number, IncidentRec>(4096);
  private readonly lists = new LruCache<string, CachedList>(8);
  private open: IncidentRec[] | null = null;
  private countsCache: LazyCounts | null = null;

  constructor(private readonly account: Account) {
    this.curve = new HistoryCurve(account.seed, account.spec, account.now);
    if (this.curve.count > MAX_LAZY_INCIDENTS)
      throw new RangeError(`lazy mode supports at most ${MAX_LAZY_INCIDENTS} incidents`);
    this.maxLifetime = lifetimeBound(account);
    this.endAt = new Float64Array(this.curve.count + 1).fill(NaN);
    this.markLastIncidents();
  }

  get count(): number {
    return this.curve.count;
  }

  endsBefore(n: number, t: number): boolean {
    return (this.endAt[n] ?? NaN) < t;
  }

  incident(n: number, keep = true): IncidentRec {
    const cached = this.planned.get(n);
    if (cached) return cached;
    const inc = this.plan(n);
    if (keep) this.planned.set(n, inc);
    return inc;
  }

  keep(n: number, incident: IncidentRec): void {
    this.planned.set(n, incident);
  }

  private plan(n: number): IncidentRec {
    const { account } = this;
    const inc = account.planNumbered(n, this.curve.createdAt(n), lazyIdFactory(account.seed, n));
    const { events } = inc;
    for (let e = events[0]; e && e.at <= account.now; e = events[inc.revealed]) {
      applyEvent(inc.state, e);
      inc.revealed++;
    }
    const last = events[events.length - 1]?.at ?? inc.createdAt;
    if (last - inc.createdAt > this.maxLifetime || events.length >= EVENTS_PER_INCIDENT)
      throw new Error(`lazy incident ${n} outlives the lifetime bound: lifetimeBound is wrong`);
    this.endAt[n] = last;
    return inc;
  }

  /** Sets each service's last_incident_timestamp: its newest incident (only the service pick is drawn). */
  private markLastIncidents(): void {
    const { account } = this;
    let left = account.services.length;
    for (let n = this.count; n >= 1 && left > 0; n--) {
      const service = account.chooseService(Random.derive(account.seed, `incident/${n}`));
      if (service.lastIncidentAt !== null) continue;
      service.lastIncidentAt = this.curve.createdAt(n);
      left--;
    }
  }

  find(idOrNumber: string): IncidentRec | undefined {
    const n = /^\d+$/.test(idOrNumber) ? Number(idOrNumber) : numberOfLazyId(idOrNumber);
    if (n === null || n < 1 || n > this.count) return undefined;
    const inc = this.incident(n);
    return inc.id === idOrNumber || String(n) === idOrNumber ? inc : undefined;
  }

  logById(id: string): LogRef | undefined {
    const n = id.startsWith('R') ? numberOfLazyId(id) : null;
    if (n === null || n < 1 || n > this.count) return undefined;
    const incident = this.incident(n);
    const k = incident.events.findIndex((e) => e.id === id);
    const event = incident.events[k];
    return event && k < incident.revealed ? { incident, event } : undefined;
  }

  incidents(q: IncidentQuery): Listing<IncidentRec> {
    const lo = this.curve.firstAtOrAfter(q.from);
    const hi = this.curve.firstAtOrAfter(q.to);
    if (!q.filter && isCreationOrder(q.sort)) {
      return {
        count: hi - lo,
        slice: (o, l) => this.numbers(lo + o, Math.min(hi, lo + o + l)).map((n) => this.incident(n)),
      };
    }
    const list = this.lists.getOrSet(`incidents|${q.from}|${q.to}|${q.key}`, () =>
      selectIncidents(this, lo, hi, q),
    );
    return {
      count: list.count,
      slice: (o, l) => Array.from(list.refs.subarray(o, o + l), (n) => this.incident(n)),
    };
  }

  logEntries(q: LogQuery): Listing<LogRef> {
    const list = this.lists.getOrSet(`log|${q.from}|${q.to}|${q.key}`, () => collectLog(this, q));
    return {
      count: list.count,
      slice: (o, l) => Array.from(list.refs.subarray(o, o + l), (r) => this.logRef(r)),
    };
  }

  private numbers(from: number, to: number): number[] {
    return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  }

  private logRef(ref: number): LogRef {
    const n = Math.floor(ref / EVENTS_PER_INCIDENT);
    const incident = this.incident(n);
    const event = incident.events[ref - n * EVENTS_PER_INCIDENT];
    if (!event) throw new Error(`lazy log entry ${ref} has no event`);
    return { incident, event };
  }

  /** Incidents open at the clock (computed once: the clock never moves in lazy mode). */
  openIncidents(): readonly IncidentRec[] {
    if (this.open) return this.open;
    const open: IncidentRec[] = [];
    for (let n = this.curve.firstAtOrAfter(this.account.now - this.maxLifetime); n <= this.count; n++) {
      const inc = this.incident(n, false);
      if (inc.state.status !== 'resolved') open.push(inc);
    }
    this.open = open;
    return open;
  }

  /** Incident and log entry counts, streamed over every number once and then remembered. */
  counts(): LazyCounts {
    this.countsCache ??= countLazy(this);
    return this.countsCache;
  }
}
