/**
 * The HTML report as a person meets it: `report --format html` on a synced `large` account, opened in
 * headless Chromium (Debian's /usr/bin/chromium through playwright-core). One chart per service with
 * incidents, the figures on the page equal the view's rows, and the page fetches nothing.
 * Skipped, saying so in the test name, when /usr/bin/chromium is absent (apt-get install -y chromium).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src/report/duration.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';
import { runReport, viewRows, type ViewRow } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SKIPPED = HAS_CHROMIUM ? '' : ` (skipped: no ${CHROMIUM}; apt-get install -y chromium)`;
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
].concat(['--disable-background-networking', '--disable-component-update', '--disable-sync']);
const DAY = 86_400_000;

interface PageData {
  requests: string[];
  errors: string[];
  charts: { id: string | null; width: number }[];
  summary: Record<string, string[]>;
  weekly: Record<string, Record<string, string[]>>;
}

const dur = (s: number | string | null) => (typeof s === 'number' ? formatDuration(s) : '–');
const count = (n: number | string | null | undefined) => Number(n).toLocaleString('en-US');

/** What the page should say about a week: counts, then MTTA and MTTR median and p90. */
function weekCells(r: ViewRow): string[] {
  const m = [r.mtta_median_seconds, r.mtta_p90_seconds, r.mttr_median_seconds, r.mttr_p90_seconds];
  return [count(r.incidents), count(r.acknowledged), count(r.resolved), ...m.map((v) => dur(v ?? null))];
}

function weightedMean(rows: ViewRow[], value: string, weight: string): number | null {
  const w = rows.reduce((n, r) => n + (r[value] === null ? 0 : Number(r[weight])), 0);
  const sum = rows.reduce((n, r) => n + (r[value] === null ? 0 : Number(r[value]) * Number(r[weight])), 0);
  return w === 0 ? null : sum / w;
}

async function readPage(browser: Browser, file: string): Promise<PageData> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const charts: PageData['charts'] = [];
  for (const svg of await page.locator('svg.chart').all()) {
    charts.push({
      id: await svg.getAttribute('data-service-id'),
      width: (await svg.boundingBox())?.width ?? 0,
    });
  }
  const cells = async (tr: Locator) => (await tr.locator('td').allTextContents()).slice(1);
  const summary: PageData['summary'] = {};
  for (const tr of await page.locator('table.summary tbody tr').all()) {
    summary[(await tr.getAttribute('data-service-id')) ?? ''] = await cells(tr);
  }
  const weekly: PageData['weekly'] = {};
  for (const section of await page.locator('section.service').all()) {
    const weeks: Record<string, string[]> = {};
    for (const tr of await section.locator('table.weekly tbody tr').all()) {
      weeks[(await tr.getAttribute('data-week')) ?? ''] = await cells(tr);
    }
    weekly[(await section.getAttribute('data-service-id')) ?? ''] = weeks;
  }
  await page.close();
  return { charts, summary, weekly, requests, errors };
}

describe.skipIf(!HAS_CHROMIUM)(`the HTML report in a browser${SKIPPED}`, () => {
  let sim: Simulator;
  let wh: Warehouse;
  let dir: string;
  let browser: Browser;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 92, preset: 'large' });
    wh = createWarehouse('report_html');
    dir = mkdtempSync(join(tmpdir(), 'pdw-report-html-'));
    const run = await syncAgainst(sim, wh, { SYNC_START: '130d' });
    expect(run.code).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    await wh?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows one chart per service, the view’s figures, and fetches nothing', async () => {
    const file = join(dir, 'report.html');
    const since = new Date(Date.now() - 90 * DAY);
    const r = await runReport(['--format', 'html', '--out', file], wh.env);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const rows = await viewRows(wh, since);
    const services = [...new Set(rows.map((x) => String(x.service_id)))];
    expect(services.length).toBeGreaterThan(10);

    const page = await readPage(browser, file);
    expect(page.errors).toEqual([]);
    expect(page.requests.length).toBeGreaterThan(0);
    expect(page.requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(page.charts.map((c) => c.id).sort()).toEqual([...services].sort());
    for (const c of page.charts) expect(c.width).toBeGreaterThan(500);

    for (const id of services) {
      const own = rows.filter((x) => x.service_id === id);
      const total = (k: string) => count(own.reduce((n, x) => n + Number(x[k]), 0));
      expect(page.summary[id], id).toEqual([
        total('incidents'),
        total('acknowledged'),
        total('resolved'),
        dur(weightedMean(own, 'mtta_mean_seconds', 'acknowledged')),
        dur(weightedMean(own, 'mttr_mean_seconds', 'resolved')),
      ]);
      const expected = Object.fromEntries(own.map((x) => [String(x.iso_week), weekCells(x)]));
      expect(page.weekly[id], id).toEqual(expected);
    }
  });
});
