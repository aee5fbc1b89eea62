/**
 * `--format csv`: RFC 4180: a header row, CRLF line ends, a field quoted (quotes doubled) when it holds a
 * comma, a quote, CR or LF. Seconds are plain numbers; a missing metric is an empty field.
 */
import { WEEK_COLUMNS, type Report } from './types.js';

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole CSV text, every record (the last one too) ended by CRLF. */
export function formatCsv(report: Report): string {
  const records = [
    WEEK_COLUMNS.join(','),
    ...report.rows.map((row) => WEEK_COLUMNS.map((c) => csvField(row[c])).join(',')),
  ];
  return records.map((r) => `${r}\r\n`).join('');
}
