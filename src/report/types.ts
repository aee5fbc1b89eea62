/**
 * The report's data: rows of the `mttr_by_service_week` view (one per service and ISO week of creation,
 * UTC), plus the period they cover. Seconds are numbers; a metric is null when no incident of the week
 * was acknowledged (MTTA) or resolved (MTTR).
 */
export interface WeekRow {
  service_id: string;
  service_key: string;
  service_name: string;
  /** The Monday that starts the ISO week, `YYYY-MM-DD` (UTC). */
  week_start: string;
  /** `2026-W14`. */
  iso_week: string;
  incidents: number;
  acknowledged: number;
  resolved: number;
  mtta_mean_seconds: number | null;
  mtta_median_seconds: number | null;
  mtta_p90_seconds: number | null;
  mttr_mean_seconds: number | null;
  mttr_median_seconds: number | null;
  mttr_p90_seconds: number | null;
}

/** The view's columns in order: the CSV header and the JSON keys. */
export const WEEK_COLUMNS = [
  'service_id',
  'service_key',
  'service_name',
  'week_start',
  'iso_week',
  'incidents',
  'acknowledged',
  'resolved',
  'mtta_mean_seconds',
  'mtta_median_seconds',
  'mtta_p90_seconds',
  'mttr_mean_seconds',
  'mttr_median_seconds',
  'mttr_p90_seconds',
] as const satisfies readonly (keyof WeekRow)[];

/** One ISO week of the period (whether or not it had incidents). */
export interface Week {
  /** `YYYY-MM-DD`, a Monday. */
  weekStart: string;
  /** `2026-W14`. */
  isoWeek: string;
}

/** A service the report was asked about (it may have no incidents in the period). */
export interface ServiceRef {
  service_id: string;
  service_key: string;
  service_name: string;
}

/** What every renderer gets. */
export interface Report {
  /** Start of the period (the `--since` instant). */
  since: Date;
  /** End of the period (when the report was generated). */
  until: Date;
  generatedAt: Date;
  /** Every ISO week from the one containing `since` to the one containing `until`, oldest first. */
  weeks: Week[];
  /** View rows in the period, ordered by service name, service id, week. */
  rows: WeekRow[];
  /** The services selected by --service/--team, or null when the report covers every service. */
  selected: ServiceRef[] | null;
}
