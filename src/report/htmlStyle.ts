/**
 * The report page's only stylesheet, inlined. System fonts (nothing to fetch), tabular figures, and the
 * Okabe–Ito colour-blind-safe palette: MTTA blue, MTTR vermillion (orange in dark mode), counts grey.
 */
export const REPORT_CSS = `
:root { color-scheme: light dark;
  --bg: #f7f7f5; --card: #ffffff; --fg: #1c2126; --muted: #5d6873; --rule: #e2e5e8; --axis: #b9c0c7;
  --grid: #eef0f2; --hover: rgba(28, 33, 38, 0.05); --mtta: #0072b2; --mttr: #d55e00; --bar: #a3adb7; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #15181b; --card: #1d2125; --fg: #e7eaed; --muted: #9ba5af; --rule: #2d3339; --axis: #4a535c;
  --grid: #262b30; --hover: rgba(255, 255, 255, 0.05); --mtta: #56b4e9; --mttr: #e69f00; --bar: #56616b; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5; font-size: 15px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
main { max-width: 880px; margin: 0 auto; padding: 40px 24px 64px; }
h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 0; font-weight: 620; }
.sub, .note, footer { color: var(--muted); }
.sub { margin: 0 0 28px; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin-bottom: 28px; }
.kpi { background: var(--card); border: 1px solid var(--rule); border-radius: 10px; padding: 14px 16px; }
.kpi .label { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); }
.kpi .value { font-size: 24px; font-weight: 620; font-variant-numeric: tabular-nums; }
.card { background: var(--card); border: 1px solid var(--rule); border-radius: 10px; padding: 18px 20px;
  margin-bottom: 20px; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 14px; }
th { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--axis); white-space: nowrap; }
td { padding: 6px 10px; border-bottom: 1px solid var(--rule); white-space: nowrap; }
tr:last-child td { border-bottom: none; }
th.num, td.num { text-align: right; }
td.missing { color: var(--muted); }
a { color: inherit; text-decoration-color: var(--axis); text-underline-offset: 3px; }
a:hover { text-decoration-color: currentColor; }
.key { font: 12px ui-monospace, "SF Mono", Menlo, Consolas, monospace; color: var(--muted); margin-left: 8px; }
.head { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; margin-bottom: 8px; }
.stats { color: var(--muted); font-size: 13px; font-variant-numeric: tabular-nums; }
.legend { display: flex; flex-wrap: wrap; gap: 8px 22px; font-size: 13px; color: var(--muted); margin: 28px 0 14px; }
.legend span { display: inline-flex; align-items: center; gap: 7px; }
.sw { display: inline-block; width: 22px; }
.sw.line { border-top: 2.5px solid; } .sw.band { height: 10px; opacity: 0.22; } .sw.bar { width: 10px; height: 12px; background: var(--bar); }
.sw.mtta { border-color: var(--mtta); } .sw.mttr { border-color: var(--mttr); }
.sw.band.mtta { background: var(--mtta); } .sw.band.mttr { background: var(--mttr); }
svg.chart { display: block; width: 100%; height: auto; margin-top: 4px; }
.chart text { font-size: 11px; fill: var(--muted); font-family: inherit; }
.chart .panel-title { font-size: 12px; font-weight: 600; fill: var(--fg); }
.chart .tick { text-anchor: end; font-variant-numeric: tabular-nums; }
.chart .week, .chart .count, .chart .none { text-anchor: middle; }
.chart .count { font-size: 10px; }
.chart .none { font-style: italic; }
.chart .grid { stroke: var(--grid); } .chart .axis { stroke: var(--axis); }
.chart .band { stroke: none; opacity: 0.16; } .chart .mtta.band { fill: var(--mtta); } .chart .mttr.band { fill: var(--mttr); }
.chart .median, .chart .p90 { fill: none; stroke-linejoin: round; stroke-linecap: round; }
.chart .median { stroke-width: 2.2; } .chart .p90 { stroke-width: 1; stroke-dasharray: 3 3; opacity: 0.8; }
.chart .whisker { stroke-width: 2; opacity: 0.35; }
.chart .mtta.median, .chart .mtta.p90, .chart .mtta.whisker, .chart .mtta.dot { stroke: var(--mtta); }
.chart .mttr.median, .chart .mttr.p90, .chart .mttr.whisker, .chart .mttr.dot { stroke: var(--mttr); }
.chart .dot { fill: var(--card); stroke-width: 1.8; }
.chart .mtta.off { fill: var(--mtta); } .chart .mttr.off { fill: var(--mttr); } .chart .off { opacity: 0.6; }
.chart .bar { fill: var(--bar); }
.chart .hit { fill: transparent; } .chart .hit:hover { fill: var(--hover); }
details { margin-top: 10px; } summary { cursor: pointer; color: var(--muted); font-size: 13px; }
details table { margin-top: 8px; }
.empty { text-align: center; padding: 56px 20px; }
.empty h2 { font-size: 20px; margin-bottom: 6px; }
footer { font-size: 13px; margin-top: 32px; border-top: 1px solid var(--rule); padding-top: 14px; }
@media (max-width: 640px) { .kpis { grid-template-columns: repeat(2, 1fr); } }
@media print { body { background: #fff; } .card, .kpi { border-color: #ccc; } details { display: none; } }
`;
