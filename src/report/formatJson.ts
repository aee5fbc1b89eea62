/** `--format json`: the period and the view's rows as they are (seconds as numbers, null when missing). */
import type { Report, WeekRow } from './types.js';

export interface ReportJson {
  since: string;
  until: string;
  generated_at: string;
  /** Every ISO week of the period, including weeks without incidents. */
  weeks: string[];
  rows: WeekRow[];
}

export function toReportJson(report: Report): ReportJson {
  return {
    since: report.since.toISOString(),
    until: report.until.toISOString(),
    generated_at: report.generatedAt.toISOString(),
    weeks: report.weeks.map((w) => w.isoWeek),
    rows: report.rows,
  };
}

/** Pretty-printed JSON text, ending without a newline (the caller prints lines). */
export function formatJson(report: Report): string {
  return JSON.stringify(toReportJson(report), null, 2);
}
