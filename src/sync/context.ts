import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';
import type { PagerDutyClient } from '../pagerduty/http.js';

/** Everything one run needs, built by the CLI (the only composition root) and passed down. */
export interface SyncDeps {
  db: Database;
  client: PagerDutyClient;
  logger: Logger;
  config: Config;
  runId: number;
  /** Run start minus the safety lag (epoch ms): no cursor moves past it. */
  signpost: number;
  /** The run's start (epoch ms). */
  now: number;
  /** Called as windows finish, for a progress line on a TTY. */
  progress?: (p: Progress) => void;
  /** Set when the process was asked to stop: finish the current window, then return. */
  signal?: AbortSignal;
}

export interface Progress {
  resource: string;
  windowsDone: number;
  /** Estimated windows left in the range (from the observed density); null when unknown. */
  windowsTotal: number | null;
  rows: number;
}

/** What a run records per resource in sync_runs.resources. */
export interface ResourceReport {
  /** `deferred`: stopped early by a quota; what was read is kept and the next run goes on. */
  status: 'succeeded' | 'failed' | 'skipped' | 'unavailable' | 'deferred';
  /** Items read from the API. */
  fetched: number;
  /** Rows inserted or really changed. */
  written: number;
  pages: number;
  windows: number;
  /** Items that failed validation (logged once per resource). */
  rejected: number;
  /** Incidents re-read because the log feed or the open list named them. */
  reread?: number;
  error?: string;
}

export function emptyReport(): ResourceReport {
  return { status: 'succeeded', fetched: 0, written: 0, pages: 0, windows: 0, rejected: 0 };
}
