/**
 * `npm run report:screenshot`: regenerates docs/report.png, the README's picture of the HTML report.
 * Starts the simulator (`large`, seed 1), syncs the last 130 days into an embedded database in a temp
 * folder, runs `pd-warehouse report --format html --team <the team with most services>` (a picture
 * that shows the summary and the charts), and photographs the top of the page in headless Chromium
 * (Debian's /usr/bin/chromium, or CHROMIUM_PATH). Keeps the page too with REPORT_HTML=path.
 * Service names include Japanese: install a CJK font first (apt-get install -y fonts-wqy-microhei).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { main } from '../src/cli.js';
import type { CliIo } from '../src/cli/io.js';
import { syncOnce } from '../src/cli/syncCommand.js';
import { parseConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { createLogger } from '../src/logger.js';
import { startSimulator } from '../src/simulator/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = fileURLToPath(new URL('../docs/report.png', import.meta.url));
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  process.exit(1);
}

async function biggestTeam(dataDir: string): Promise<string> {
  const db = await openDatabase({ dataDir, schema: 'pagerduty' });
  try {
    const [top] = await db.query<{ team_key: string }>(
      `SELECT team_key FROM service_keys WHERE team_key IS NOT NULL
        GROUP BY team_key ORDER BY count(*) DESC, team_key LIMIT 1`,
    );
    if (!top) throw new Error('no team owns a service');
    return top.team_key;
  } finally {
    await db.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'pdw-report-shot-'));
const io: CliIo = {
  env: { PD_WAREHOUSE_DATA_DIR: join(dir, 'db') },
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  isTTY: false,
  logDestination: process.stderr,
};
const sim = await startSimulator({ preset: 'large', seed: 1 });
try {
  const config = parseConfig({
    PAGERDUTY_TOKEN: 'screenshot-token',
    PAGERDUTY_API_URL: sim.url,
    PD_WAREHOUSE_DATA_DIR: join(dir, 'db'),
    SYNC_START: '130d',
    LOG_LEVEL: 'warn',
  });
  const { code } = await syncOnce(config, createLogger({ level: 'warn', destination: process.stderr }), io);
  if (code !== 0) throw new Error(`sync exited ${code}`);
  const html = join(dir, 'report.html');
  const team = await biggestTeam(join(dir, 'db'));
  const args = ['report', '--format', 'html', '--out', html, '--team', team];
  if ((await main(args, io)) !== 0) throw new Error('report failed');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 960, height: 1400 }, colorScheme: 'light' });
    await page.goto(pathToFileURL(html).href);
    await page.screenshot({ path: OUT, fullPage: false });
  } finally {
    await browser.close();
  }
  if (process.env.REPORT_HTML) copyFileSync(html, process.env.REPORT_HTML);
  console.log(`wrote ${OUT} (${Math.round(statSync(OUT).size / 1024)} KB)`);
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
