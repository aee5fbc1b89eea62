import { parseArgs } from 'node:util';
import { authSecrets, describeConfig, parseConfig, type Config } from '../config.js';
import { createTokenProvider, scopesFor } from '../pagerduty/oauth.js';
import { embeddedDatabaseExists, openDatabase, type Database } from '../db/client.js';
import { tryAdvisoryLock } from '../db/lock.js';
import { migrateDatabase } from '../db/migrate.js';
import { markCrashedRuns, startRun } from '../db/syncState.js';
import { createLogger, redactUrl, type Logger } from '../logger.js';
import {
  createPagerDutyClient,
  type ClientStats,
  type PagerDutyClient,
  type PagerDutyClientOptions,
} from '../pagerduty/http.js';
import { checkToken } from '../pagerduty/preflight.js';
import type { Progress } from '../sync/context.js';
import { recordRun, runSync, type RunResult } from '../sync/run.js';
import type { CliIo } from './io.js';
import { createAlerter, type Alerter } from '../alerts/failureAlerts.js';
import { SyncError, toError } from '../errors.js';
import { createSyncMetrics, pushMetrics } from '../metrics/metrics.js';

export const SYNC_USAGE = `usage: pd-warehouse sync [options]

Syncs the PagerDuty account (PAGERDUTY_TOKEN, PAGERDUTY_API_URL) into the database (DATABASE_URL, or the
embedded database in PD_WAREHOUSE_DATA_DIR), incrementally from the saved cursors.

options:
  --resources LIST   comma-separated subset of teams,users,escalation_policies,schedules,priorities,tags,
                     services,incidents,log_entries,oncalls (default: all; what they need comes along)
  --full             ignore the cursors and re-read everything from SYNC_START
  --since WHEN       re-read from WHEN (an ISO instant or a duration such as 30d), whatever the cursors say
  --allow-rejects    exit 0 even when records failed validation (they are kept in sync_rejects either way)
`;

/** Safety lag behind "now": PagerDuty's lists can lag a moment behind what just happened. */
export const SIGNPOST_LAG_MS = 60_000;

export interface SyncOutcome {
  code: number;
  result: RunResult | null;
  /** The run's id in sync_runs and its range, when it got that far. */
  run?: { id: number; startedAt: string; signpost: string };
  /** The HTTP client's counters for the run. */
  stats?: ClientStats;
}

/** Opens, migrates and locks the database, runs one sync, records it; the caller owns nothing afterwards. */
export interface SyncOnceOptions {
  signal?: AbortSignal;
  /** The run's clock (epoch ms); default Date.now. Tests pass the simulator's clock. */
  now?: () => number;
  /**
   * The HTTP client's clock and sleep, for its rate limiter and backoff; default real time. Tests pass an
   * accelerated clock shared with the simulator's rate limiter, so minute-long waits take seconds.
   */
  clientClock?: { now: () => number; sleep: (ms: number) => Promise<void> };
}

export async function syncOnce(
  config: Config,
  logger: Logger,
  io: CliIo,
  opts: SyncOnceOptions = {},
): Promise<SyncOutcome> {
  const client = createPagerDutyClient({
    baseUrl: config.pagerduty.apiUrl,
    auth: clientAuth(config, logger),
    maxRpm: config.pagerduty.maxRpm,
    logger,
    now: opts.clientClock?.now,
    sleep: opts.clientClock?.sleep,
  });
  const alerter = config.alerts
    ? createAlerter({
        target: config.alerts,
        logger,
        apiUrl: config.pagerduty.apiUrl,
        schema: config.database.schema,
        secrets: authSecrets(config.pagerduty.auth),
      })
    : null;
  try {
    const outcome: SyncOutcome = {
      ...(await openAndRun(config, logger, io, opts, client)),
      stats: client.stats(),
    };
    if (alerter && outcome.result) await alertFor(alerter, outcome, outcome.result);
    return outcome;
  } catch (err) {
    // The run could not start or finish (database unreachable, token rejected…): that is a failure too.
    if (alerter && err instanceof SyncError) await alerter.failed({ runId: null, error: err.message });
    throw err;
  } finally {
    await client.close();
  }
}

/** The HTTP client's auth: the key or token as given, or a renewing token provider for an OAuth app. */
function clientAuth(config: Config, logger: Logger): PagerDutyClientOptions['auth'] {
  const auth = config.pagerduty.auth;
  if (auth.kind !== 'client_credentials') return auth;
  const reports = [
    ...config.sync.resources,
    ...(config.sync.customFields ? ['custom_fields'] : []),
    ...(config.sync.analytics ? ['analytics'] : []),
  ];
  return {
    kind: 'provider',
    provider: createTokenProvider({ credentials: auth, scopes: scopesFor(reports), logger }),
  };
}

/** Triggers the failure alert for a failed run, resolves it after a successful one. */
async function alertFor(alerter: Alerter, outcome: SyncOutcome, result: RunResult): Promise<void> {
  if (result.status === 'succeeded') {
    await alerter.resolved();
    return;
  }
  if (result.status !== 'failed') return;
  const failedResource = Object.entries(result.resources).find(([, r]) => r.status === 'failed')?.[0];
  const counts = Object.fromEntries(
    Object.entries(result.resources).map(([name, r]) => [
      name,
      { status: r.status, fetched: r.fetched, written: r.written },
    ]),
  );
  await alerter.failed({
    runId: outcome.run?.id ?? null,
    error: result.error ?? 'failed',
    resource: failedResource,
    counts,
    window: outcome.run ? { startedAt: outcome.run.startedAt, signpost: outcome.run.signpost } : undefined,
  });
}

async function openAndRun(
  config: Config,
  logger: Logger,
  io: CliIo,
  opts: SyncOnceOptions,
  client: PagerDutyClient,
): Promise<SyncOutcome> {
  let db: Database | undefined;
  try {
    // A first run on the embedded database spends seconds creating it: learn first whether the token works.
    const { url, dataDir, schema } = config.database;
    if (!url && !embeddedDatabaseExists(dataDir)) await checkToken(client);
    db = await openDatabase({ url, dataDir, schema });
    await migrateDatabase(db);
    const lock = await tryAdvisoryLock(db, schema);
    if (!lock.acquired) {
      io.out(`another sync holds the lock for schema ${schema}; skipped`);
      return { code: 0, result: null };
    }
    try {
      return await runLocked({ config, logger, io, opts, db, client });
    } finally {
      await lock.release();
    }
  } finally {
    await db?.close();
  }
}

/** The run itself, once the database is migrated and locked: records it in sync_runs and prints it. */
async function runLocked(ctx: {
  config: Config;
  logger: Logger;
  io: CliIo;
  opts: SyncOnceOptions;
  db: Database;
  client: PagerDutyClient;
}): Promise<SyncOutcome> {
  const { config, logger, io, opts, db, client } = ctx;
  const now = opts.now?.() ?? Date.now();
  const crashed = await markCrashedRuns(db, new Date(now));
  if (crashed > 0) logger.warn({ runs: crashed }, 'earlier runs ended without finishing; marked failed');
  const runId = await startRun(db, new Date(now));
  const deps = {
    db,
    client,
    logger: logger.child({ runId }),
    config,
    runId,
    now,
    signpost: now - SIGNPOST_LAG_MS,
    progress: io.isTTY ? progressPrinter(io, () => client.stats()) : undefined,
    signal: opts.signal,
  };
  logger.info({ runId, config: describeConfig(config) }, 'sync started');
  const result = await runSync(deps);
  await recordRun(deps, result);
  io.clearLine?.();
  printSummary(io, result, client.stats());
  const run = {
    id: runId,
    startedAt: new Date(now).toISOString(),
    signpost: new Date(deps.signpost).toISOString(),
  };
  // Partial: stopped by a signal (0), or records rejected (1 unless --allow-rejects).
  const rejectsFail = result.rejected > 0 && !config.sync.allowRejects;
  const ok = result.status === 'succeeded' || (result.status === 'partial' && !rejectsFail);
  return { code: ok ? 0 : 1, result, run };
}

function progressPrinter(io: CliIo, stats: () => { requests: number }) {
  const started = Date.now();
  return (p: Progress) => {
    const minutes = Math.max((Date.now() - started) / 60_000, 1 / 60);
    const total = p.windowsTotal === null ? '?' : String(p.windowsTotal);
    io.status?.(
      `${p.resource}: windows ${p.windowsDone}/${total}, ${p.rows} rows, ${Math.round(stats().requests / minutes)} requests/min`,
    );
  };
}

function printSummary(
  io: CliIo,
  result: RunResult,
  stats: { requests: number; retries: number; rateLimited: number },
) {
  for (const [name, r] of Object.entries(result.resources)) {
    const extra = r.reread ? `, ${r.reread} re-read` : '';
    const rejected = r.rejected ? `, ${r.rejected} rejected` : '';
    io.out(
      `${name.padEnd(12)} ${r.status.padEnd(9)} ${r.fetched} fetched, ${r.written} written${extra}${rejected}`,
    );
  }
  io.out(
    `run ${result.status}: ${stats.requests} requests, ${stats.retries} retries, ${stats.rateLimited} rate-limited`,
  );
  if (result.error)
    io.err(`pd-warehouse: sync ${result.status === 'partial' ? 'partial' : 'failed'}: ${result.error}`);
}

/** `pd-warehouse sync`. */
export async function syncCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      resources: { type: 'string' },
      full: { type: 'boolean' },
      'allow-rejects': { type: 'boolean' },
      since: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SYNC_USAGE);
    return 0;
  }
  const config = parseConfig(io.env, {
    resources: values.resources,
    full: values.full,
    since: values.since,
    allowRejects: values['allow-rejects'],
  });
  const logger = createLogger({
    level: config.logLevel,
    destination: io.logDestination,
    pretty: io.prettyLogs,
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = Date.now();
  let outcome: SyncOutcome | null = null;
  try {
    outcome = await syncOnce(config, logger, io, { signal: controller.signal });
    return outcome.code;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    const gateway = io.env.PUSHGATEWAY_URL?.trim();
    if (gateway) await pushRunMetrics(gateway, config, outcome, Date.now() - started, logger);
  }
}

/** One-shot runs (a CronJob) report to a Prometheus Pushgateway; a failed push is logged, never fatal. */
async function pushRunMetrics(
  url: string,
  config: Config,
  outcome: SyncOutcome | null,
  durationMs: number,
  logger: Logger,
): Promise<void> {
  const metrics = createSyncMetrics({ schema: config.database.schema });
  metrics.observeRun({
    status: outcome ? (outcome.result?.status ?? (outcome.code === 0 ? 'skipped' : 'error')) : 'error',
    result: outcome?.result ?? null,
    stats: outcome?.stats ?? null,
    durationMs,
  });
  try {
    await pushMetrics(url, metrics, config.database.schema);
    logger.info({ pushgateway: redactUrl(url) }, 'metrics pushed');
  } catch (err) {
    logger.warn({ pushgateway: redactUrl(url), err: toError(err).message }, 'could not push metrics');
  }
}
