import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.js';
import { axisTop, runs, renderServiceChart } from '../../../src/report/svg.js';
import { summarize } from '../../../src/report/summary.js';
import { row, sampleReport } from './rows.js';

describe('--format html', () => {
  const html = renderHtml(sampleReport());

  it('is one self-contained page: no script, no external URL, inline style', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    // The only URL is the SVG namespace, which is an identifier, never fetched.
    expect(
      html.match(/https?:\/\/[^"\s]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? [],
    ).toEqual([]);
    expect(html).toContain('<style>');
  });

  it('has one chart per service, the period and the generation time', () => {
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(html).toContain('26 Feb 2026 to 27 Mar 2026 (ISO weeks 2026-W09 to 2026-W13, UTC)');
    expect(html).toContain('generated 27 Mar 2026, 12:00 UTC');
  });

  it('escapes names', () => {
    expect(html).toContain('Search, &quot;beta&quot;');
    const evil = renderHtml(sampleReport([row({ service_name: '<script>alert(1)</script>' })]));
    expect(evil).not.toContain('<script>');
  });

  it('shows an empty state when there are no incidents', () => {
    const empty = renderHtml(sampleReport([]));
    expect(empty).toContain('No incidents in this period');
    expect(empty).not.toContain('<svg');
  });

  it('lists selected services that had no incidents', () => {
    const report = {
      ...sampleReport(),
      selected: [
        { service_id: 'PSVC001', service_key: 'checkout-api', service_name: 'Checkout API' },
        { service_id: 'PQUIET', service_key: 'quiet', service_name: 'Quiet one' },
      ],
    };
    expect(renderHtml(report)).toContain('No incidents in this period: Quiet one.');
  });
});

describe('trend chart', () => {
  const report = sampleReport();
  const second = report.rows.filter((r) => r.service_id === 'PSVC002');
  const svg = renderServiceChart({ id: 'PSVC002', name: 'Search' }, report.weeks, second);

  it('leaves gaps for missing weeks instead of drawing zeros', () => {
    const point = (median: number | null) => ({ median, p90: median });
    expect(runs([point(1), point(2), point(null), point(3), point(null), point(null)])).toEqual([
      [0, 1],
      [3],
    ]);
    // Search has W09 and W11 only: two isolated MTTA points (whiskers, no polyline), one MTTR point.
    expect(svg.match(/class="mtta whisker"/g)).toHaveLength(2);
    expect(svg).not.toContain('class="mtta median"');
    expect(svg.match(/class="mttr whisker"/g)).toHaveLength(1);
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
  });

  it('has a hover title for every week of the period, empty ones included', () => {
    expect(svg.match(/<rect class="hit"/g)).toHaveLength(5);
    expect(svg).toContain('2026-W10, week of 2 Mar 2026\nno incidents');
    expect(svg).toContain('MTTR median -, p90 -');
  });

  it('draws lines with human duration ticks for consecutive weeks', () => {
    const first = report.rows.filter((r) => r.service_id === 'PSVC001');
    const chart = renderServiceChart({ id: 'PSVC001', name: 'Checkout' }, report.weeks, first);
    expect(chart.match(/class="mtta median"/g)).toHaveLength(1);
    expect(chart.match(/class="mtta band"/g)).toHaveLength(1);
    expect(chart).toContain('>10m</text>');
    expect(chart).toContain('>6h</text>');
  });

  it('keeps medians readable: a p90 far above them is cut at the axis top and marked', () => {
    const p = (median: number, p90: number) => ({ median, p90 });
    expect(axisTop([p(600, 900), p(1200, 2400)])).toBe(2400);
    expect(axisTop([p(600, 900), p(1200, 400_000)])).toBe(4800);
    const chart = renderServiceChart({ id: 'x', name: 'x' }, report.weeks, [
      row({ mttr_median_seconds: 3600, mttr_p90_seconds: 300_000 }),
      row({
        week_start: '2026-03-09',
        iso_week: '2026-W11',
        mttr_median_seconds: 1800,
        mttr_p90_seconds: 5400,
      }),
    ]);
    expect(chart).toContain('>4h</text>');
    expect(chart.match(/class="mttr off"/g)).toHaveLength(1);
    expect(chart).toContain('p90 3d 11h, above the axis');
  });

  it('says so in a panel with nothing to measure', () => {
    const chart = renderServiceChart({ id: 'x', name: 'x' }, report.weeks, [
      row({ resolved: 0, mttr_mean_seconds: null, mttr_median_seconds: null, mttr_p90_seconds: null }),
    ]);
    expect(chart).toContain('no resolved incidents in this period');
  });
});

describe('period summary', () => {
  it('adds counts and weights weekly means by what they measured', () => {
    const [busiest, other] = summarize(sampleReport().rows);
    expect(busiest?.service_id).toBe('PSVC001');
    expect(busiest?.incidents).toBe(11);
    expect(other?.resolved).toBe(2);
    // Only the W09 week resolved anything for Search: its mean is the period's.
    expect(other?.mttr_mean_seconds).toBe(9000);
    const [mixed] = summarize([
      row({ acknowledged: 1, mtta_mean_seconds: 100 }),
      row({ week_start: '2026-03-09', acknowledged: 3, mtta_mean_seconds: 500 }),
    ]);
    expect(mixed?.mtta_mean_seconds).toBe(400);
  });
});
