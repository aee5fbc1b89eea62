/**
 * Peak RSS of the sync process during backfills of growing size (SYNC_RESOURCES=incidents into Postgres),
 * the simulator in its own process: the sync's memory must stay under 250 MB and not grow with history.
 */
import { DATABASE_URL, envIntList } from '../lib/env.js';
import { figure, target, type Figure } from '../lib/figure.js';
import { startSimProcess } from '../lib/children.js';
import { assertSucceeded, syncEnv, unthrottledRpm } from '../lib/runSync.js';
import { withSchema } from '../lib/scratch.js';
import { mb, seconds, type Section } from '../lib/section.js';
import { runSyncProcess } from '../lib/syncProcess.js';
import { countRowsIn, total } from '../lib/tables.js';

const S = 'memory';
const LIMIT_MB = 250;

async function peakFor(incidents: number, log: (line: string) => void) {
  const sim = await startSimProcess(
    { preset: 'large', seed: 1, incidents, days: 400, rpm: 1_000_000, latencyMs: 0, jitterMs: 0 },
    log,
  );
  log(
    `  ${incidents} incidents: simulator ready in ${seconds(sim.generationMs)} s (${sim.lazy ? 'lazy' : 'eager'})`,
  );
  try {
    return await withSchema(DATABASE_URL, 'memory', async (schema) => {
      const env = syncEnv(sim.url, {
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
        PAGERDUTY_MAX_RPM: unthrottledRpm(),
        SYNC_RESOURCES: 'incidents',
      });
      const r = await runSyncProcess({ env, now: sim.now + 120_000 }, log);
      assertSucceeded(r, `backfill of ${incidents} incidents`);
      const counts = await countRowsIn({ url: DATABASE_URL, schema });
      return {
        peakMb: r.maxRssBytes / 1e6,
        seconds: seconds(r.ms),
        rows: total(counts),
        counts,
        lazy: sim.lazy,
      };
    });
  } finally {
    await sim.stop();
  }
}

async function run(log: (line: string) => void): Promise<Figure[]> {
  const sizes = envIntList('BENCH_MEMORY_SIZES', [100_000, 1_000_000]).sort((a, b) => a - b);
  const figures: Figure[] = [];
  const peaks: number[] = [];
  for (const size of sizes) {
    const m = await peakFor(size, log);
    peaks.push(m.peakMb);
    figures.push(
      figure(
        S,
        `memory: sync peak RSS, ${size.toLocaleString('en-US')} incidents`,
        m.peakMb,
        'MB',
        target('<=', LIMIT_MB),
        {
          incidents: size,
          rows: m.counts,
          seconds: m.seconds,
          simulator: m.lazy ? 'lazy' : 'eager',
        },
      ),
    );
  }
  const first = peaks[0];
  const last = peaks[peaks.length - 1];
  if (sizes.length > 1 && first !== undefined && last !== undefined) {
    figures.push(
      figure(
        S,
        `memory: peak at ${sizes.at(-1)?.toLocaleString('en-US')} ÷ peak at ${sizes[0]?.toLocaleString('en-US')}`,
        last / first,
        '×',
        target('<=', 1.25),
        {
          peaks_mb: Object.fromEntries(sizes.map((s, i) => [s, mb((peaks[i] ?? 0) * 1e6)])),
        },
      ),
    );
  }
  return figures;
}

export const memorySection: Section = {
  name: 'memory',
  title: 'peak RSS of the sync process during incident backfills of growing size (Postgres)',
  run: (ctx) => run(ctx.log),
};
