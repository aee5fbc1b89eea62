import { Counter, Gauge, Histogram, Pushgateway, Registry, collectDefaultMetrics } from 'prom-client';
import type { ClientStats } from '../pagerduty/http.js';
import type { RunResult } from '../sync/run.js';

/**
 * Prometheus metrics of the sync: one registry per process (no global state), filled after each run.
 * Worker mode serves it on METRICS_PORT; a one-shot `sync` can push it to a Pushgateway.
 */
export interface SyncMetrics {
  registry: Registry;
  /** Records one finished run (status `error` when it could not start). */
  observeRun(run: {
    status: string;
    result: RunResult | null;
    stats: ClientStats | null;
    durationMs: number;
  }): void;
  /** Status of the last run, or null before the first. */
  lastStatus(): string | null;
  /** Epoch ms of the first failed run since the last success, or null when not failing. */
  failingSince(): number | null;
}

export function createSyncMetrics(opts: {
  schema: string;
  now?: () => number;
  defaults?: boolean;
}): SyncMetrics {
  const now = opts.now ?? Date.now;
  const registry = new Registry();
  registry.setDefaultLabels({ schema: opts.schema });
  if (opts.defaults) collectDefaultMetrics({ register: registry, prefix: 'pd_warehouse_process_' });
  const registers = [registry];
  const runs = new Counter({
    name: 'pd_warehouse_runs_total',
    help: 'Sync runs by final status (succeeded, partial, failed, error = could not start).',
    labelNames: ['status'],
    registers,
  });
  const rowsWritten = new Counter({
    name: 'pd_warehouse_rows_written_total',
    help: 'Rows inserted or really changed, by resource.',
    labelNames: ['resource'],
    registers,
  });
  const rowsFetched = new Counter({
    name: 'pd_warehouse_records_fetched_total',
    help: 'Records read from the PagerDuty API, by resource.',
    labelNames: ['resource'],
    registers,
  });
  const requests = new Counter({
    name: 'pd_warehouse_api_requests_total',
    help: 'HTTP requests sent to the PagerDuty API, retries included.',
    registers,
  });
  const retries = new Counter({
    name: 'pd_warehouse_api_retries_total',
    help: 'Attempts after the first, over all requests.',
    registers,
  });
  const rateLimited = new Counter({
    name: 'pd_warehouse_api_rate_limited_total',
    help: '429 answers from the PagerDuty API.',
    registers,
  });
  const duration = new Histogram({
    name: 'pd_warehouse_run_duration_seconds',
    help: 'Wall time of a sync run.',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers,
  });
  let lastSuccess: number | null = null;
  let lastStatus: string | null = null;
  let failingSince: number | null = null;
  new Gauge({
    name: 'pd_warehouse_last_success_timestamp_seconds',
    help: 'When the last successful run finished (Unix seconds); 0 before the first.',
    registers,
    collect() {
      this.set(lastSuccess === null ? 0 : lastSuccess / 1000);
    },
  });
  new Gauge({
    name: 'pd_warehouse_seconds_since_last_success',
    help: 'Seconds since the last successful run finished; -1 before the first.',
    registers,
    collect() {
      this.set(lastSuccess === null ? -1 : (now() - lastSuccess) / 1000);
    },
  });
  return {
    registry,
    observeRun({ status, result, stats, durationMs }) {
      runs.inc({ status });
      duration.observe(durationMs / 1000);
      lastStatus = status;
      if (status === 'succeeded') {
        lastSuccess = now();
        failingSince = null;
      } else if (status === 'failed' || status === 'error') failingSince ??= now();
      for (const [resource, r] of Object.entries(result?.resources ?? {})) {
        rowsWritten.inc({ resource }, r.written);
        rowsFetched.inc({ resource }, r.fetched);
      }
      if (stats) {
        requests.inc(stats.requests);
        retries.inc(stats.retries);
        rateLimited.inc(stats.rateLimited);
      }
    },
    lastStatus: () => lastStatus,
    failingSince: () => failingSince,
  };
}

/** Pushes the registry to a Prometheus Pushgateway (for CronJob runs); job `pd-warehouse`, grouped by schema. */
export async function pushMetrics(url: string, metrics: SyncMetrics, schema: string): Promise<void> {
  const gateway = new Pushgateway(url, { timeout: 5000 }, metrics.registry);
  await gateway.pushAdd({ jobName: 'pd-warehouse', groupings: { schema } });
}
