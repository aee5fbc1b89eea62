/**
 * One service's trend chart as inline SVG: MTTA and MTTR panels (weekly median as a line, the band up
 * to p90 lighter) over incident-count bars, on a shared axis of ISO weeks. A week without a value is a
 * gap in the line, never a zero. Colours come from CSS classes (see htmlStyle.ts), so the page's
 * palette and dark mode apply. Pure: data in, markup out.
 */
import { formatMaybe, formatTick } from './duration.js';
import { esc, px, shortDate } from './markup.js';
import { countTicks, durationTicks, labelEvery } from './scale.js';
import type { Week, WeekRow } from './types.js';

const WIDTH = 760;
const LEFT = 64;
const RIGHT = 16;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PANEL_H = 92;
const BARS_H = 44;
const TOP = { mtta: 24, mttr: 152, bars: 276 };
const HEIGHT = TOP.bars + BARS_H + 40;

type MetricKey = 'mtta' | 'mttr';
/** A week's median and p90 (p90 falls back to the median; both null for a gap). */
export interface Point {
  median: number | null;
  p90: number | null;
}

const METRICS: Record<MetricKey, { title: string; none: string }> = {
  mtta: { title: 'Time to acknowledge (MTTA)', none: 'no acknowledged incidents in this period' },
  mttr: { title: 'Time to resolve (MTTR)', none: 'no resolved incidents in this period' },
};

function pointOf(row: WeekRow | undefined, key: MetricKey): Point {
  if (!row) return { median: null, p90: null };
  const median = key === 'mtta' ? row.mtta_median_seconds : row.mttr_median_seconds;
  const p90 = key === 'mtta' ? row.mtta_p90_seconds : row.mttr_p90_seconds;
  return { median, p90: median === null ? null : (p90 ?? median) };
}

/** Maximal runs of consecutive weeks that have a value: each run is drawn as its own line. */
export function runs(points: readonly Point[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  points.forEach((p, i) => {
    if (p.median !== null) current.push(i);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  });
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The value the duration axis must reach: every median, and each p90 up to 4× the largest median. A p90
 * beyond that (one incident left open for days) would squash the medians into a flat line.
 */
export function axisTop(points: readonly Point[]): number {
  const medians = points.map((p) => p.median ?? 0);
  const limit = 4 * Math.max(...medians);
  return Math.max(...medians, ...points.map((p) => Math.min(p.p90 ?? 0, limit)));
}

interface Frame {
  /** Centre x of week i. */
  x: (i: number) => number;
  step: number;
}

function panel(key: MetricKey, points: readonly Point[], f: Frame): string {
  const top = TOP[key];
  const bottom = top + PANEL_H;
  const title = `<text class="panel-title" x="${LEFT}" y="${top - 10}">${METRICS[key].title}</text>`;
  const medians = points.map((p) => p.median).filter((v): v is number => v !== null);
  if (medians.length === 0) {
    return `${title}<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}"/><text class="none" x="${LEFT + PLOT_W / 2}" y="${top + PANEL_H / 2}">${METRICS[key].none}</text>`;
  }
  const ticks = durationTicks(axisTop(points));
  // A p90 above the axis is drawn flat at the top and marked, so one bad week cannot flatten the medians.
  const y = (v: number) => bottom - (Math.min(v, ticks.max) / ticks.max) * PANEL_H;
  const grid = ticks.values
    .map(
      (t) =>
        `<line class="${t === 0 ? 'axis' : 'grid'}" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(t))}" y2="${px(y(t))}"/><text class="tick" x="${LEFT - 8}" y="${px(y(t) + 4)}">${formatTick(t)}</text>`,
    )
    .join('');
  const series = runs(points)
    .map((run) => {
      const up = run.map((i) => `${px(f.x(i))},${px(y(points[i]?.p90 ?? 0))}`);
      const mid = run.map((i) => `${px(f.x(i))},${px(y(points[i]?.median ?? 0))}`);
      if (run.length === 1) {
        const i = run[0] ?? 0;
        const [p90, median] = [y(points[i]?.p90 ?? 0), y(points[i]?.median ?? 0)];
        return `<line class="${key} whisker" x1="${px(f.x(i))}" x2="${px(f.x(i))}" y1="${px(p90)}" y2="${px(median)}"/>`;
      }
      const band = [...up, ...[...mid].reverse()].join(' ');
      return `<polygon class="${key} band" points="${band}"/><polyline class="${key} p90" points="${up.join(' ')}"/><polyline class="${key} median" points="${mid.join(' ')}"/>`;
    })
    .join('');
  const dots = points
    .map((p, i) =>
      p.median === null
        ? ''
        : `<circle class="${key} dot" cx="${px(f.x(i))}" cy="${px(y(p.median))}" r="${f.step < 10 ? 2 : 3}"/>`,
    )
    .join('');
  const clipped = points
    .map((p, i) =>
      p.p90 !== null && p.p90 > ticks.max
        ? `<path class="${key} off" d="M${px(f.x(i) - 4)},${top - 1}h8l-4,-6z"><title>p90 ${formatMaybe(p.p90)}, above the axis</title></path>`
        : '',
    )
    .join('');
  return `${title}<g class="panel ${key}">${grid}${series}${dots}${clipped}</g>`;
}

function bars(counts: readonly number[], f: Frame): string {
  const top = TOP.bars;
  const bottom = top + BARS_H;
  const ticks = countTicks(Math.max(0, ...counts));
  const y = (v: number) => bottom - (v / ticks.max) * BARS_H;
  const width = Math.max(1, Math.min(f.step * 0.62, 30));
  const label = f.step >= 22;
  const rects = counts
    .map((n, i) => {
      if (n === 0) return '';
      const x = f.x(i) - width / 2;
      const text = label ? `<text class="count" x="${px(f.x(i))}" y="${px(y(n) - 3)}">${n}</text>` : '';
      return `<rect class="bar" x="${px(x)}" y="${px(y(n))}" width="${px(width)}" height="${px(bottom - y(n))}"/>${text}`;
    })
    .join('');
  const max = ticks.values[ticks.values.length - 1] ?? ticks.max;
  return `<text class="panel-title" x="${LEFT}" y="${top - 10}">Incidents per week</text><line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${px(y(max))}" y2="${px(y(max))}"/><text class="tick" x="${LEFT - 8}" y="${px(y(max) + 4)}">${max}</text><line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}"/><text class="tick" x="${LEFT - 8}" y="${bottom + 4}">0</text>${rects}`;
}

function xLabels(weeks: readonly Week[], f: Frame): string {
  const every = labelEvery(weeks.length);
  const base = TOP.bars + BARS_H + 16;
  let lastYear = '';
  return weeks
    .map((w, i) => {
      if (i % every !== 0) return '';
      const year = w.weekStart.slice(0, 4);
      const yearText = year === lastYear ? '' : `<tspan x="${px(f.x(i))}" dy="13">${year}</tspan>`;
      lastYear = year;
      return `<text class="week" x="${px(f.x(i))}" y="${base}">${shortDate(w.weekStart)}${yearText}</text>`;
    })
    .join('');
}

function tooltip(w: Week, row: WeekRow | undefined): string {
  const head = `${w.isoWeek}, week of ${shortDate(w.weekStart, true)}`;
  if (!row) return `${head}\nno incidents`;
  return `${head}\n${row.incidents} incidents, ${row.acknowledged} acknowledged, ${row.resolved} resolved\nMTTA median ${formatMaybe(row.mtta_median_seconds)}, p90 ${formatMaybe(row.mtta_p90_seconds)}\nMTTR median ${formatMaybe(row.mttr_median_seconds)}, p90 ${formatMaybe(row.mttr_p90_seconds)}`;
}

/** The chart for one service; `rows` are that service's view rows, `weeks` the whole period. */
export function renderServiceChart(
  service: { id: string; name: string },
  weeks: readonly Week[],
  rows: readonly WeekRow[],
): string {
  const byWeek = new Map(rows.map((r) => [r.week_start, r]));
  const step = PLOT_W / Math.max(1, weeks.length);
  const f: Frame = { step, x: (i) => LEFT + step * (i + 0.5) };
  const cells = weeks.map((w) => byWeek.get(w.weekStart));
  const hits = weeks
    .map(
      (w, i) =>
        `<rect class="hit" x="${px(f.x(i) - step / 2)}" y="${TOP.mtta - 4}" width="${px(step)}" height="${TOP.bars + BARS_H - TOP.mtta + 4}"><title>${esc(tooltip(w, cells[i]))}</title></rect>`,
    )
    .join('');
  const total = rows.reduce((n, r) => n + r.incidents, 0);
  return [
    `<svg class="chart" data-service-id="${esc(service.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(`${service.name}: weekly MTTA and MTTR medians with p90, and ${total} incidents`)}" xmlns="http://www.w3.org/2000/svg">`,
    hits,
    panel(
      'mtta',
      cells.map((r) => pointOf(r, 'mtta')),
      f,
    ),
    panel(
      'mttr',
      cells.map((r) => pointOf(r, 'mttr')),
      f,
    ),
    bars(
      cells.map((r) => r?.incidents ?? 0),
      f,
    ),
    xLabels(weeks, f),
    '</svg>',
  ].join('');
}
