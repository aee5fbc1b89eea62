/** Per-service totals over the period, derived from the weekly view rows only. Pure. */
import type { WeekRow } from './types.js';

export interface ServiceSummary {
  service_id: string;
  service_key: string;
  service_name: string;
  incidents: number;
  acknowledged: number;
  resolved: number;
  /**
   * Mean over the period, exact: the weekly means weighted by the incidents they cover (acknowledged for
   * MTTA, resolved for MTTR). Medians and p90 cannot be combined across weeks, so the page shows them
   * per week only. Null when nothing was acknowledged (resolved).
   */
  mtta_mean_seconds: number | null;
  mttr_mean_seconds: number | null;
  /** The service's rows, oldest week first. */
  rows: WeekRow[];
}

function weightedMean(pairs: readonly [number | null, number][]): number | null {
  let sum = 0;
  let weight = 0;
  for (const [value, n] of pairs) {
    if (value === null || n === 0) continue;
    sum += value * n;
    weight += n;
  }
  return weight === 0 ? null : sum / weight;
}

/** One summary per service in the rows, busiest first (ties by name). */
export function summarize(rows: readonly WeekRow[]): ServiceSummary[] {
  const groups = new Map<string, WeekRow[]>();
  for (const row of rows) groups.set(row.service_id, [...(groups.get(row.service_id) ?? []), row]);
  const summaries = [...groups.values()].map((g): ServiceSummary => {
    const first = g[0] as WeekRow;
    const total = (pick: (r: WeekRow) => number) => g.reduce((n, r) => n + pick(r), 0);
    return {
      service_id: first.service_id,
      service_key: first.service_key,
      service_name: first.service_name,
      incidents: total((r) => r.incidents),
      acknowledged: total((r) => r.acknowledged),
      resolved: total((r) => r.resolved),
      mtta_mean_seconds: weightedMean(g.map((r) => [r.mtta_mean_seconds, r.acknowledged])),
      mttr_mean_seconds: weightedMean(g.map((r) => [r.mttr_mean_seconds, r.resolved])),
      rows: [...g].sort((a, b) => a.week_start.localeCompare(b.week_start)),
    };
  });
  return summaries.sort((a, b) => b.incidents - a.incidents || a.service_name.localeCompare(b.service_name));
}

/** The same totals over every service (the page's headline figures). */
export function overall(
  rows: readonly WeekRow[],
): Omit<ServiceSummary, 'service_id' | 'service_key' | 'service_name' | 'rows'> {
  const total = (pick: (r: WeekRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return {
    incidents: total((r) => r.incidents),
    acknowledged: total((r) => r.acknowledged),
    resolved: total((r) => r.resolved),
    mtta_mean_seconds: weightedMean(rows.map((r) => [r.mtta_mean_seconds, r.acknowledged])),
    mttr_mean_seconds: weightedMean(rows.map((r) => [r.mttr_mean_seconds, r.resolved])),
  };
}
