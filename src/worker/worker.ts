import { schedule, type Logger as CronLogger } from 'node-cron';
import type { WorkerConfig } from '../config.js';
import { toError } from '../errors.js';
import { scrub, type Logger } from '../logger.js';

/** What one run reports back: its exit code, and (when it ran) its result and request counters. */
export interface RunReport {
  code: number;
  result?: { status: string } | null;
}

/** One sync run; the worker aborts `signal` to ask it to commit its current window and stop. */
export type RunOnce<R extends RunReport = RunReport> = (signal: AbortSignal) => Promise<R>;

export interface WorkerDeps<R extends RunReport = RunReport> {
  config: WorkerConfig;
  logger: Logger;
  runOnce: RunOnce<R>;
  /** Aborted when the process is asked to stop (SIGTERM/SIGINT). */
  shutdown: AbortSignal;
  /** Strings to scrub from logged errors (the token). */
  secrets?: readonly string[];
  /** Called after each run: its report, or null when it threw before finishing (metrics). */
  onRunFinished?: (report: R | null, durationMs: number) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * `pd-warehouse worker`: runs a sync on the cron schedule, one at a time (a tick that finds a run still
 * going is skipped and logged; across replicas the sync's advisory lock does the same). On shutdown it stops
 * the schedule, asks the run in flight to commit its current window and stop, and waits up to the timeout.
 * Returns the exit code: 0 on a clean stop, 1 when the run did not stop in time.
 */
export async function runWorker<R extends RunReport>(deps: WorkerDeps<R>): Promise<number> {
  const { config, logger } = deps;
  const stopRun = new AbortController();
  let running: Promise<void> | null = null;

  const tick = (trigger: 'start' | 'schedule') => {
    if (deps.shutdown.aborted) return;
    if (running) {
      logger.warn({ trigger }, 'previous run still going; this tick is skipped');
      return;
    }
    const started = Date.now();
    running = (async () => {
      let report: R | null = null;
      try {
        report = await deps.runOnce(stopRun.signal);
        logger.info({ trigger, code: report.code, durationMs: Date.now() - started }, 'worker run finished');
      } catch (err) {
        // A run that could not even start (database down, …): log it, keep the worker for the next tick.
        logger.error({ err: scrub(toError(err).message, deps.secrets ?? []) }, 'worker run failed');
      } finally {
        running = null;
        deps.onRunFinished?.(report, Date.now() - started);
      }
    })();
  };

  const task = schedule(config.schedule, () => tick('schedule'), { logger: quietCron(logger) });
  logger.info({ schedule: config.schedule, nextRun: task.getNextRun()?.toISOString() }, 'worker started');
  if (config.runOnStart) tick('start');

  await new Promise<void>((resolve) => {
    if (deps.shutdown.aborted) resolve();
    else deps.shutdown.addEventListener('abort', () => resolve(), { once: true });
  });
  await task.stop();
  await task.destroy();
  const inFlight = running as Promise<void> | null;
  if (!inFlight) {
    logger.info('worker stopped');
    return 0;
  }
  logger.info(
    { timeoutMs: config.shutdownTimeoutMs },
    'stopping: the run in flight commits its window and stops',
  );
  stopRun.abort();
  const finished = await Promise.race([
    inFlight.then(() => true),
    sleep(config.shutdownTimeoutMs).then(() => false),
  ]);
  if (!finished) {
    logger.error(
      { timeoutMs: config.shutdownTimeoutMs },
      'the run did not stop within SHUTDOWN_TIMEOUT_S; exiting (committed windows are kept, the next run resumes)',
    );
    return 1;
  }
  logger.info('worker stopped');
  return 0;
}

/** node-cron's own messages through our logger, at debug (its missed-tick warnings at warn). */
function quietCron(logger: Logger): CronLogger {
  return {
    info: (m) => logger.debug({ cron: true }, m),
    warn: (m) => logger.warn({ cron: true }, m),
    error: (m) => logger.error({ cron: true }, typeof m === 'string' ? m : m.message),
    debug: () => undefined,
  };
}
