/** In-memory rows shaped like the `mttr_by_service_week` view, for the renderers' unit tests. */
import { weeksBetween } from '../../../src/report/period.js';
import type { Report, WeekRow } from '../../../src/report/types.js';

export function row(overrides: Partial<WeekRow> = {}): WeekRow {
  return {
    service_id: 'PSVC001',
    service_key: 'checkout-api',
    service_name: 'Checkout API',
    week_start: '2026-03-02',
    iso_week: '2026-W10',
    incidents: 4,
    acknowledged: 3,
    resolved: 2,
    mtta_mean_seconds: 300,
    mtta_median_seconds: 250,
    mtta_p90_seconds: 540,
    mttr_mean_seconds: 9000,
    mttr_median_seconds: 7500,
    mttr_p90_seconds: 18_000,
    ...overrides,
  };
}

/** Two services over 2026-W09..W13; the second has an empty week and a week nothing was resolved. */
export function sampleReport(rows?: WeekRow[]): Report {
  const since = new Date('2026-02-26T10:00:00Z');
  const until = new Date('2026-03-27T12:00:00Z');
  return {
    since,
    until,
    generatedAt: until,
    weeks: weeksBetween(since, until),
    selected: null,
    rows: rows ?? [
      row(),
      row({ week_start: '2026-03-09', iso_week: '2026-W11', incidents: 6, mtta_median_seconds: 130 }),
      row({ week_start: '2026-03-16', iso_week: '2026-W12', incidents: 1 }),
      row({
        service_id: 'PSVC002',
        service_key: 'search',
        service_name: 'Search, "beta"',
        week_start: '2026-02-23',
        iso_week: '2026-W09',
      }),
      row({
        service_id: 'PSVC002',
        service_key: 'search',
        service_name: 'Search, "beta"',
        week_start: '2026-03-09',
        iso_week: '2026-W11',
        resolved: 0,
        mttr_mean_seconds: null,
        mttr_median_seconds: null,
        mttr_p90_seconds: null,
      }),
    ],
  };
}
