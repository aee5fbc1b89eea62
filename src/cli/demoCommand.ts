import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createLogger } from '../logger.js';
import { formatMaybe } from '../report/duration.js';
import { renderTextTable, type TextColumn } from '../report/textTable.js';
import { startSimulator } from '../simulator/index.js';
import type { CliIo } from './io.js';
import { syncOnce } from './syncCommand.js';

const COLUMNS: TextColumn[] = [
  { header: 'service', align: 'left', maxWidth: 32 },
  { header: 'incidents', align: 'right' },
  { header: 'MTTA p50', align: 'right' },
  { header: 'MTTA p90', align: 'right' },
  { header: 'MTTR p50', align: 'right' },
  { header: 'MTTR p90', align: 'right' },
];

interface MetricRow {
  service: string;
  incidents: number;
  mtta_median: number | null;
  mtta_p90: number | null;
  mttr_median: number | null;
  mttr_p90: number | null;
}

/**
 * `pd-warehouse demo`: the simulator (`small`) and the embedded database in a fresh folder; one sync; then
 * what was loaded and a first MTTA/MTTR table. Needs nothing installed.
 */
export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(
      'usage: pd-warehouse demo [--dir PATH]\n\nSyncs a simulated PagerDuty account into an embedded database in a fresh folder.',
    );
    return 0;
  }
  const dir = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), 'pd-warehouse-demo-'));
  const sim = await startSimulator({ preset: 'small', seed: 1 });
  try {
    io.out(`simulated PagerDuty account at ${sim.url}; embedded database in ${dir}`);
    const config = parseConfig({
      PAGERDUTY_TOKEN: 'demo-token',
      PAGERDUTY_API_URL: sim.url,
      PD_WAREHOUSE_DATA_DIR: dir,
      SYNC_START: '130d',
      LOG_LEVEL: io.env.LOG_LEVEL ?? 'warn',
    });
    const logger = createLogger({
      level: config.logLevel,
      destination: io.logDestination,
      pretty: io.prettyLogs,
    });
    const { code } = await syncOnce(config, logger, io);
    if (code !== 0) return code;
    await printMetrics(io, dir, config.database.schema);
    io.out(`\nexplore it: PD_WAREHOUSE_DATA_DIR=${dir} npx pd-warehouse status`);
    return 0;
  } finally {
    await sim.close();
  }
}

async function printMetrics(io: CliIo, dataDir: string, schema: string): Promise<void> {
  const db = await openDatabase({ dataDir, schema });
  try {
    const rows = await db.query<MetricRow>(
      `SELECT s.name AS service, count(*)::int AS incidents,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.acknowledged_at - i.created_at))::float8 AS mtta_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM i.acknowledged_at - i.created_at))::float8 AS mtta_p90,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.resolved_at - i.created_at))::float8 AS mttr_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM i.resolved_at - i.created_at))::float8 AS mttr_p90
       FROM incidents i JOIN services s ON s.id = i.service_id
       GROUP BY s.name ORDER BY count(*) DESC`,
    );
    io.out('\nMTTA / MTTR by service (all synced history)');
    const cells = rows.map((r) => [
      r.service,
      String(r.incidents),
      formatMaybe(r.mtta_median),
      formatMaybe(r.mtta_p90),
      formatMaybe(r.mttr_median),
      formatMaybe(r.mttr_p90),
    ]);
    for (const line of renderTextTable(COLUMNS, cells)) io.out(line);
  } finally {
    await db.close();
  }
}
