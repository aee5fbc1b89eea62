/**
 * `--format html`: one self-contained page (inline CSS and SVG, no script, nothing fetched): headline
 * figures, a summary table, then per service a trend chart and its weekly figures. Pure.
 */
import { formatMaybe } from './duration.js';
import { REPORT_CSS } from './htmlStyle.js';
import { anchor, dateTime, esc, shortDate } from './markup.js';
import { overall, summarize, type ServiceSummary } from './summary.js';
import { renderServiceChart } from './svg.js';
import type { Report, WeekRow } from './types.js';

const num = (n: number) => `<td class="num">${n.toLocaleString('en-US')}</td>`;
const dur = (s: number | null, col: string) =>
  `<td class="num${s === null ? ' missing' : ''}" data-col="${col}">${formatMaybe(s, '–')}</td>`;

function periodText(r: Report): string {
  const first = r.weeks[0];
  const last = r.weeks[r.weeks.length - 1];
  const weeks = first && last ? ` (ISO weeks ${first.isoWeek} to ${last.isoWeek}, UTC)` : '';
  return `${shortDate(r.since.toISOString().slice(0, 10), true)} to ${shortDate(r.until.toISOString().slice(0, 10), true)}${weeks}`;
}

function kpis(rows: readonly WeekRow[], services: number): string {
  const o = overall(rows);
  const card = (label: string, value: string) =>
    `<div class="kpi"><div class="label">${label}</div><div class="value">${value}</div></div>`;
  return `<div class="kpis">${card('Incidents', o.incidents.toLocaleString('en-US'))}${card('Services', String(services))}${card('MTTA, mean', formatMaybe(o.mtta_mean_seconds, '–'))}${card('MTTR, mean', formatMaybe(o.mttr_mean_seconds, '–'))}</div>`;
}

function summaryTable(summaries: readonly ServiceSummary[]): string {
  const rows = summaries
    .map(
      (s) =>
        `<tr data-service-id="${esc(s.service_id)}"><td><a href="#${anchor('svc', s.service_id)}">${esc(s.service_name)}</a></td>${num(s.incidents)}${num(s.acknowledged)}${num(s.resolved)}${dur(s.mtta_mean_seconds, 'mtta_mean')}${dur(s.mttr_mean_seconds, 'mttr_mean')}</tr>`,
    )
    .join('');
  return `<section class="card"><h2>Summary</h2><table class="summary"><thead><tr><th>Service</th><th class="num">Incidents</th><th class="num">Acknowledged</th><th class="num">Resolved</th><th class="num">MTTA mean</th><th class="num">MTTR mean</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

const LEGEND = `<div class="legend" aria-hidden="true"><span><i class="sw line mtta"></i>MTTA median</span><span><i class="sw band mtta"></i>MTTA median to p90</span><span><i class="sw line mttr"></i>MTTR median</span><span><i class="sw band mttr"></i>MTTR median to p90</span><span><i class="sw bar"></i>incidents</span><span>gaps: weeks with nothing to measure</span></div>`;

function weeklyTable(rows: readonly WeekRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr data-week="${esc(r.iso_week)}"><td>${esc(r.iso_week)} <span class="note">${shortDate(r.week_start)}</span></td>${num(r.incidents)}${num(r.acknowledged)}${num(r.resolved)}${dur(r.mtta_median_seconds, 'mtta_median')}${dur(r.mtta_p90_seconds, 'mtta_p90')}${dur(r.mttr_median_seconds, 'mttr_median')}${dur(r.mttr_p90_seconds, 'mttr_p90')}</tr>`,
    )
    .join('');
  return `<details><summary>Weekly figures</summary><table class="weekly"><thead><tr><th>Week</th><th class="num">Incidents</th><th class="num">Acked</th><th class="num">Resolved</th><th class="num">MTTA p50</th><th class="num">MTTA p90</th><th class="num">MTTR p50</th><th class="num">MTTR p90</th></tr></thead><tbody>${body}</tbody></table></details>`;
}

function serviceSection(s: ServiceSummary, report: Report): string {
  const stats = `${s.incidents.toLocaleString('en-US')} incidents · MTTA mean ${formatMaybe(s.mtta_mean_seconds, '–')} · MTTR mean ${formatMaybe(s.mttr_mean_seconds, '–')}`;
  const chart = renderServiceChart({ id: s.service_id, name: s.service_name }, report.weeks, s.rows);
  return `<section class="card service" id="${anchor('svc', s.service_id)}" data-service-id="${esc(s.service_id)}"><div class="head"><h2>${esc(s.service_name)}<span class="key">${esc(s.service_key)}</span></h2><div class="stats">${stats}</div></div>${chart}${weeklyTable(s.rows)}</section>`;
}

function quietServices(report: Report, summaries: readonly ServiceSummary[]): string {
  if (!report.selected) return '';
  const seen = new Set(summaries.map((s) => s.service_id));
  const quiet = report.selected.filter((s) => !seen.has(s.service_id));
  if (quiet.length === 0) return '';
  return `<p class="note">No incidents in this period: ${quiet.map((s) => esc(s.service_name)).join(', ')}.</p>`;
}

function empty(report: Report): string {
  const scope = report.selected ? ` for ${report.selected.map((s) => esc(s.service_name)).join(', ')}` : '';
  return `<section class="card empty"><h2>No incidents in this period</h2><p class="note">Nothing was created${scope} from ${periodText(report)}. Try a longer <code>--since</code>, or run <code>pd-warehouse sync</code> first.</p></section>`;
}

/** The whole page as one string. */
export function renderHtml(report: Report): string {
  const summaries = summarize(report.rows);
  const body =
    summaries.length === 0
      ? empty(report)
      : `${kpis(report.rows, summaries.length)}${summaryTable(summaries)}${quietServices(report, summaries)}${LEGEND}${summaries.map((s) => serviceSection(s, report)).join('\n')}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pd-warehouse report">
<title>Incident response times: ${esc(periodText(report))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header><h1>Incident response times</h1><p class="sub">MTTA and MTTR by service and ISO week · ${esc(periodText(report))} · generated ${dateTime(report.generatedAt)}</p></header>
${body}
<footer>Weeks are ISO weeks (Monday to Sunday, UTC) of incident creation. MTTA is measured from creation to the first acknowledgement, over acknowledged incidents; MTTR from creation to resolution, over resolved incidents. Median and p90 are per week; period means weight each week by the incidents it measured. Generated by <code>pd-warehouse report</code>.</footer>
</main>
</body>
</html>
`;
}
