/** `--format table`: one line per service and week, durations in human units. */
import { formatMaybe } from './duration.js';
import { shortDate } from './markup.js';
import { renderTextTable, type TextColumn } from './textTable.js';
import type { Report } from './types.js';

const COLUMNS: TextColumn[] = [
  { header: 'service', align: 'left', maxWidth: 32 },
  { header: 'week', align: 'left' },
  { header: 'incidents', align: 'right' },
  { header: 'acked', align: 'right' },
  { header: 'resolved', align: 'right' },
  { header: 'MTTA p50', align: 'right' },
  { header: 'MTTA p90', align: 'right' },
  { header: 'MTTR p50', align: 'right' },
  { header: 'MTTR p90', align: 'right' },
];

/** The report as terminal lines: a period line, then the table (service named once per group). */
export function formatTable(report: Report): string[] {
  const period = `MTTA / MTTR by service and ISO week, ${report.since.toISOString().slice(0, 16)}Z to ${report.until.toISOString().slice(0, 16)}Z (UTC weeks)`;
  if (report.rows.length === 0) return [period, 'no incidents in this period'];
  let previous: string | null = null;
  const rows = report.rows.map((r) => {
    const first = r.service_id !== previous;
    previous = r.service_id;
    return [
      first ? r.service_name : '',
      `${r.iso_week} (${shortDate(r.week_start)})`,
      String(r.incidents),
      String(r.acknowledged),
      String(r.resolved),
      formatMaybe(r.mtta_median_seconds),
      formatMaybe(r.mtta_p90_seconds),
      formatMaybe(r.mttr_median_seconds),
      formatMaybe(r.mttr_p90_seconds),
    ];
  });
  return [period, '', ...renderTextTable(COLUMNS, rows)];
}
