import { parseArgs } from 'node:util';
import { validate } from 'node-cron';
import { authSecrets, parseConfig, parseWorkerConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { runWorker } from '../worker/worker.js';
import type { CliIo } from './io.js';
import { startHealthServer, type HealthServer } from '../metrics/healthServer.js';
import { createSyncMetrics } from '../metrics/metrics.js';
import { createReadiness } from '../metrics/readiness.js';
import { UsageError } from './usageError.js';
import { syncOnce } from './syncCommand.js';

export const WORKER_USAGE = `usage: pd-warehouse worker

Runs 'pd-warehouse sync' on a schedule until stopped (SIGTERM/SIGINT), one run at a time; replicas on the
same schema take turns through the sync's advisory lock. Reads the same variables as 'sync', plus:

  SYNC_SCHEDULE        cron expression, 5 fields or 6 with seconds first (default '*/15 * * * *')
  SHUTDOWN_TIMEOUT_S   seconds a stop may take: the run in flight commits its window and stops (default 25)
  SYNC_ON_START        true: sync once at start-up, before the first tick (default true)
  METRICS_PORT         serve /healthz, /readyz and /metrics on this port (default: no server)
  METRICS_HOST         address to bind it to (default 0.0.0.0)
  READY_FAILING_THRESHOLD_S  /readyz is unready once runs have failed for longer than this (default 3600)
`;

/** `pd-warehouse worker`. */
export async function workerCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(WORKER_USAGE);
    return 0;
  }
  const config = parseConfig(io.env);
  const worker = parseWorkerConfig(io.env, validate);
  const logger = createLogger({
    level: config.logLevel,
    destination: io.logDestination,
    pretty: io.prettyLogs,
  });
  const shutdown = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stop requested');
    shutdown.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const metrics = createSyncMetrics({ schema: config.database.schema, defaults: true });
  let health: HealthServer | null = null;
  try {
    if (worker.metrics) {
      health = await startHealthServer({
        ...worker.metrics,
        metrics,
        readiness: createReadiness({
          databaseUrl: config.database.url,
          dataDir: config.database.dataDir,
          metrics,
          failingThresholdMs: worker.failingThresholdMs,
        }),
      }).catch((err: unknown) => {
        const code = (err as { code?: string }).code ?? 'error';
        throw new UsageError(
          `cannot serve metrics on ${worker.metrics?.host}:${worker.metrics?.port} (${code}): pick another METRICS_PORT`,
        );
      });
      logger.info({ url: health.url }, 'serving /healthz, /readyz and /metrics');
    }
    return await runWorker({
      config: worker,
      logger,
      shutdown: shutdown.signal,
      secrets: authSecrets(config.pagerduty.auth),
      runOnce: (signal) => syncOnce(config, logger, io, { signal }),
      onRunFinished: (report, durationMs) =>
        metrics.observeRun({
          status: report ? (report.result?.status ?? (report.code === 0 ? 'skipped' : 'error')) : 'error',
          result: report?.result ?? null,
          stats: report?.stats ?? null,
          durationMs,
        }),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await health?.close();
  }
}
