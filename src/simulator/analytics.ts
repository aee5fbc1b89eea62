import type { Account } from './account.js';
import { applyEvent, initialState } from './lifecycle.js';
import type { IncidentRec, IncidentState } from './model.js';
import { IdFactory, Random, hashString } from './random.js';
import { MINUTE, SECOND } from './time.js';

/**
 * The analytics pipeline's view of incidents (POST /analytics/raw/incidents). PagerDuty processes changes
 * in batches ("generally within 24 hours"); the simulator keeps the lag short so tests stay fast: each
 * revealed event is processed ANALYTICS_LAG_MIN..MAX minutes after it happened (fixed per event, from its
 * id). A record shows the incident as of the newest processed event, and its `updated_at` is the latest
 * processing time, so it never lies in the future and grows whenever the record changes. An incident none
 * of whose events is processed yet (created in the last few minutes) is absent. Everything older than
 * ANALYTICS_LAG_MAX_MINUTES is always visible.
 */
export const ANALYTICS_LAG_MIN_MINUTES = 5;
export const ANALYTICS_LAG_MAX_MINUTES = 10;

/** An incident as the analytics pipeline last processed it. Cheap fields only; the rest at render time. */
export interface AnalyticsRow {
  inc: IncidentRec;
  /** Events (a prefix of inc.events) the pipeline has taken in. */
  included: number;
  /** Analytics `updated_at`: when the pipeline last processed the incident. */
  processedAt: number;
  state: IncidentState;
  /** Distinct acknowledgers, in order, with their first acknowledgement. */
  engaged: { userId: string; at: number }[];
  teamId: string | null;
  major: boolean;
  secondsToResolve: number | null;
}

export function processingLag(eventId: string): number {
  const span = (ANALYTICS_LAG_MAX_MINUTES - ANALYTICS_LAG_MIN_MINUTES) * 60;
  return ANALYTICS_LAG_MIN_MINUTES * MINUTE + (hashString(eventId) % (span + 1)) * SECOND;
}

function row(inc: IncidentRec, now: number, major: ReadonlySet<string>): AnalyticsRow | null {
  let processedAt = -Infinity;
  let newest = -Infinity;
  for (let i = 0; i < inc.revealed; i++) {
    const e = inc.events[i];
    if (!e) break;
    const p = e.at + processingLag(e.id);
    if (p > now) continue;
    if (p > processedAt) processedAt = p;
    if (e.at > newest) newest = e.at;
  }
  if (processedAt === -Infinity) return null;
  const state = initialState(inc.createdAt, inc.initialUrgency, inc.initialPriorityId);
  const engaged: AnalyticsRow['engaged'] = [];
  let included = 0;
  for (let i = 0; i < inc.revealed; i++) {
    const e = inc.events[i];
    if (!e || e.at > newest) break;
    applyEvent(state, e);
    included = i + 1;
    if (e.type === 'acknowledge_log_entry') {
      const userId = e.agent?.type === 'user' ? e.agent.id : (e.userId ?? '');
      if (!engaged.some((x) => x.userId === userId)) engaged.push({ userId, at: e.at });
    }
  }
  return {
    inc,
    included,
    processedAt,
    state,
    engaged,
    teamId: inc.teamIds[0] ?? null,
    major: (state.priorityId !== null && major.has(state.priorityId)) || engaged.length > 1,
    secondsToResolve: state.resolvedAt === null ? null : (state.resolvedAt - inc.createdAt) / SECOND,
  };
}

const cache = new WeakMap<Account, { version: number; rows: AnalyticsRow[] }>();

/** Every incident the analytics pipeline has processed by the clock, oldest first. Cached per version. */
export function analyticsRows(account: Account): AnalyticsRow[] {
  const hit = cache.get(account);
  if (hit && hit.version === account.version) return hit.rows;
  // "Major": one of the two highest priorities, or several responders acknowledged.
  const top = [...account.priorities].sort((a, b) => b.order - a.order).slice(0, 2);
  const major = new Set(top.map((p) => p.id));
  const rows: AnalyticsRow[] = [];
  for (const inc of account.incidents) {
    if (inc.revealed === 0) continue;
    const r = row(inc, account.now, major);
    if (r) rows.push(r);
  }
  cache.set(account, { version: account.version, rows });
  return rows;
}

const typeIds = new WeakMap<Account, string>();

/** The base incident type's id ("incident_default"), stable per seed. */
export function incidentTypeId(account: Account): string {
  let id = typeIds.get(account);
  if (!id) {
    id = new IdFactory(Random.derive(account.seed, 'incident-type')).next();
    typeIds.set(account, id);
  }
  return id;
}

type Interruption = 'business' | 'off' | 'sleep';
const dayHour = new Map<string, Intl.DateTimeFormat>();

/**
 * When a notification interrupted the user, in the user's zone: sleep 22:00–08:00 every day, business
 * 08:00–18:00 Mon–Fri, off hours the rest (18:00–22:00 on weekdays, daytime at weekends).
 */
export function interruptionKind(at: number, timeZone: string): Interruption {
  let f = dayHour.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
    dayHour.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(at));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const weekday = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  if (hour >= 22 || hour < 8) return 'sleep';
  if (weekday === 'Sat' || weekday === 'Sun' || hour >= 18) return 'off';
  return 'business';
}
