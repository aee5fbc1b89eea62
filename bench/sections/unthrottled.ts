/**
 * Backfill unthrottled: BENCH_UNTHROTTLED_INCIDENTS incidents with their log entries, no latency, no budget,
 * SYNC_RESOURCES=incidents; the simulator and the sync each in their own process. Into Postgres (then the
 * physical reference on the very rows it wrote), then into PGlite.
 */
import { availableParallelism } from 'node:os';
import { DATABASE_URL, envInt } from '../lib/env.js';
import { figure, target, type Figure } from '../lib/figure.js';
import { startSimProcess, type SimProcess } from '../lib/children.js';
import { copyReference } from '../lib/copyReference.js';
import { processCpuMs, serverCpu } from '../lib/cpu.js';
import { assertSucceeded, syncEnv, unthrottledRpm } from '../lib/runSync.js';
import { withSchema, withTempDir } from '../lib/scratch.js';
import { previousFigures } from '../lib/report.js';
import { mb, seconds, type Section } from '../lib/section.js';
import { runSyncProcess, type SyncProcessResult } from '../lib/syncProcess.js';
import { countRowsIn, total } from '../lib/tables.js';

const S = 'unthrottled';

function syncDetails(r: SyncProcessResult, counts: Record<string, number>, maxRpm: string) {
  const perMinute = Math.round(((r.client?.requests ?? 0) / r.ms) * 60_000);
  return {
    seconds: seconds(r.ms),
    rows: counts,
    requests: r.client?.requests ?? null,
    requests_per_minute: perMinute,
    // The config caps PAGERDUTY_MAX_RPM; near the cap the run was paced by it, not by the code.
    max_rpm: Number(maxRpm),
    peak_rss_mb: mb(r.maxRssBytes),
  };
}

interface RunCpu {
  sync: number;
  server: number | null;
  sim: number | null;
}

/**
 * Where the Postgres run's CPU went, and the ratio it allows here: the processes share this machine's cores,
 * so the wall time cannot be below their CPU summed ÷ cores, nor below the busiest one's CPU. The reference
 * is one Postgres backend alone; the run adds the sync and the simulator, whose CPU a real deployment splits
 * between its own pod and PagerDuty's servers.
 */
function cpuFigures(cpu: RunCpu, wallMs: number, rows: number, refPerS: number): Figure[] {
  const s = (ms: number) => Math.round(ms / 100) / 10;
  const out = [
    figure(S, 'unthrottled: postgres run CPU, sync process', s(cpu.sync), 's', null, {
      wall_seconds: s(wallMs),
      microseconds_per_row: Math.round((cpu.sync * 1000) / rows),
    }),
  ];
  if (cpu.server === null || cpu.sim === null) return out;
  const cores = availableParallelism();
  const sum = cpu.sync + cpu.server + cpu.sim;
  const floorMs = Math.max(sum / cores, cpu.sync, cpu.server, cpu.sim);
  out.push(
    figure(S, 'unthrottled: postgres run CPU, Postgres server', s(cpu.server), 's', null, {
      microseconds_per_row: Math.round((cpu.server * 1000) / rows),
    }),
    figure(S, 'unthrottled: postgres run CPU, simulator', s(cpu.sim), 's', null, {}),
    figure(
      S,
      `unthrottled: best ratio this CPU allows on ${cores} cores`,
      rows / (floorMs / 1000) / refPerS,
      '×',
      null,
      {
        cpu_seconds_total: s(sum),
        cores,
        // The wall time the run would take with its CPU perfectly spread over the cores.
        floor_seconds: s(floorMs),
        utilisation: Math.round((sum / cores / wallMs) * 100) / 100,
      },
    ),
  );
  return out;
}

async function postgres(sim: SimProcess, log: (l: string) => void, maxRpm: string): Promise<Figure[]> {
  return withSchema(DATABASE_URL, 'unthrottled', async (schema) => {
    const env = syncEnv(sim.url, {
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      PAGERDUTY_MAX_RPM: maxRpm,
      SYNC_RESOURCES: 'incidents',
    });
    const server = await serverCpu(DATABASE_URL);
    const before = { sim: processCpuMs(sim.pid), server: server?.read() ?? null };
    const r = await runSyncProcess({ env, now: sim.now + 120_000 }, log);
    const cpu = {
      sync: r.cpuMs,
      server: server && before.server !== null ? server.read() - before.server : null,
      sim: before.sim !== null ? (processCpuMs(sim.pid) ?? before.sim) - before.sim : null,
    };
    assertSucceeded(r, 'postgres backfill');
    const counts = await countRowsIn({ url: DATABASE_URL, schema });
    const rows = total(counts);
    const rowsPerS = rows / (r.ms / 1000);
    log(`  postgres: ${rows} rows in ${seconds(r.ms)} s; the physical reference on the same rows…`);
    const ref = await withSchema(DATABASE_URL, 'reference', (target) =>
      copyReference(DATABASE_URL, schema, target, Object.keys(counts)),
    );
    const refPerS = ref.rows / (ref.ms / 1000);
    const details = syncDetails(r, counts, maxRpm);
    return [
      figure(
        S,
        'unthrottled: postgres incidents/s',
        (counts.incidents ?? 0) / (r.ms / 1000),
        'incidents/s',
        null,
        details,
      ),
      figure(S, 'unthrottled: postgres rows/s', rowsPerS, 'rows/s', null, { rows }),
      figure(S, 'unthrottled: reference rows/s (COPY + INSERT … ON CONFLICT)', refPerS, 'rows/s', null, {
        rows: ref.rows,
        seconds: seconds(ref.ms),
        per_table: ref.perTable,
        export_seconds: seconds(ref.exportMs),
      }),
      figure(S, 'unthrottled: postgres rows/s ÷ reference', rowsPerS / refPerS, '×', target('>=', 0.7), {
        sync_rows_per_s: Math.round(rowsPerS),
        reference_rows_per_s: Math.round(refPerS),
      }),
      ...cpuFigures(cpu, r.ms, rows, refPerS),
    ];
  });
}

async function pglite(sim: SimProcess, log: (l: string) => void, maxRpm: string): Promise<Figure[]> {
  return withTempDir('pglite', async (dir) => {
    const env = syncEnv(sim.url, {
      PD_WAREHOUSE_DATA_DIR: dir,
      PAGERDUTY_MAX_RPM: maxRpm,
      SYNC_RESOURCES: 'incidents',
    });
    const r = await runSyncProcess({ env, now: sim.now + 120_000 }, log);
    assertSucceeded(r, 'pglite backfill');
    const counts = await countRowsIn({ dataDir: dir, schema: 'pagerduty' });
    const details = syncDetails(r, counts, maxRpm);
    return [
      figure(
        S,
        'unthrottled: pglite incidents/s',
        (counts.incidents ?? 0) / (r.ms / 1000),
        'incidents/s',
        null,
        details,
      ),
      figure(S, 'unthrottled: pglite rows/s', total(counts) / (r.ms / 1000), 'rows/s', target('>=', 5_000), {
        rows: total(counts),
      }),
    ];
  });
}

async function run(log: (line: string) => void): Promise<Figure[]> {
  const incidents = envInt('BENCH_UNTHROTTLED_INCIDENTS', 200_000);
  const maxRpm = unthrottledRpm();
  const sim = await startSimProcess(
    { preset: 'large', seed: 1, incidents, days: 400, rpm: 1_000_000, latencyMs: 0, jitterMs: 0 },
    log,
  );
  log(
    `  simulator ready in ${seconds(sim.generationMs)} s (${sim.lazy ? 'lazy' : 'eager'}, RSS ${mb(sim.rssBytes)} MB)`,
  );
  try {
    const figures = await postgres(sim, log, maxRpm);
    // BENCH_UNTHROTTLED_PGLITE=0 leaves the PGlite run out: its figures stay as the last run left them.
    if (process.env.BENCH_UNTHROTTLED_PGLITE !== '0') figures.push(...(await pglite(sim, log, maxRpm)));
    else figures.push(...previousFigures((f) => f.section === S && f.name.startsWith(`${S}: pglite`)));
    return figures;
  } finally {
    await sim.stop();
  }
}

export const unthrottledSection: Section = {
  name: 'unthrottled',
  title: 'backfill unthrottled (incidents + log entries, no latency, no budget): Postgres, reference, PGlite',
  run: (ctx) => run(ctx.log),
};
