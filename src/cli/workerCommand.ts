import { parseArgs } from 'node:util';
import { validate } from 'node-cron';
import { parseConfig, parseWorkerConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { runWorker } from '../worker/worker.js';
import type { CliIo } from './io.js';
import { syncOnce } from './syncCommand.js';

export const WORKER_USAGE = `usage: pd-warehouse worker

Runs 'pd-warehouse sync' on a schedule until stopped (SIGTERM/SIGINT), one run at a time; replicas on the
same schema take turns through the sync's advisory lock. Reads the same variables as 'sync', plus:

  SYNC_SCHEDULE        cron expression, 5 fields or 6 with seconds first (default '*/15 * * * *')
  SHUTDOWN_TIMEOUT_S   seconds a stop may take: the run in flight commits its window and stops (default 25)
  SYNC_ON_START        true: sync once at start-up, before the first tick (default true)
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
  try {
    return await runWorker({
      config: worker,
      logger,
      shutdown: shutdown.signal,
      secrets: [config.pagerduty.auth.token],
      runOnce: (signal) => syncOnce(config, logger, io, { signal }),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
