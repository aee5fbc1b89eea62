import { hostname } from 'node:os';
import { request } from 'undici';
import { toError } from '../errors.js';
import { scrub, type Logger } from '../logger.js';

/**
 * Failure alerts through the PagerDuty Events API v2: a failed run triggers an alert, a successful run
 * resolves it (same dedup_key: one per schema and account, so repeated failures update one incident). An
 * alert that cannot be delivered is logged and never fails the sync: 429 and 5xx are retried with backoff,
 * any other answer (400: the key or the event is invalid) is logged once.
 */
export interface AlertTarget {
  routingKey: string;
  eventsUrl: string;
}

export interface FailureDetails {
  runId: number | null;
  /** One line: what failed (the resource and the error). */
  error: string;
  /** The failing resource, when one is known. */
  resource?: string;
  /** Per resource: status, fetched, written. */
  counts?: Record<string, unknown>;
  /** The run's range: from the run start back to what it reads up to. */
  window?: { startedAt: string; signpost: string };
}

export interface Alerter {
  failed(details: FailureDetails): Promise<void>;
  resolved(): Promise<void>;
}

export interface AlerterOptions {
  target: AlertTarget;
  logger: Logger;
  /** Identifies the account: the REST API host (api.pagerduty.com, api.eu.pagerduty.com, …). */
  apiUrl: string;
  schema: string;
  /** Strings to blank out of anything sent (the API token). */
  secrets: readonly string[];
  /** Attempts per event; default 4. */
  attempts?: number;
  /** First backoff in ms, doubled each retry; default 1000. */
  baseDelayMs?: number;
}

const SUMMARY_MAX = 1024; // PagerDuty truncates longer summaries

export function dedupKeyFor(apiUrl: string, schema: string): string {
  let host = apiUrl;
  try {
    host = new URL(apiUrl).host;
  } catch {
    // keep the raw value; config validated it
  }
  return `pd-warehouse/${host}/${schema}`;
}

export function createAlerter(opts: AlerterOptions): Alerter {
  const dedupKey = dedupKeyFor(opts.apiUrl, opts.schema);
  const attempts = opts.attempts ?? 4;
  const baseDelayMs = opts.baseDelayMs ?? 1000;
  const log = opts.logger.child({ alert: dedupKey });

  async function send(action: 'trigger' | 'resolve', body: Record<string, unknown>): Promise<void> {
    const payload = JSON.stringify({
      routing_key: opts.target.routingKey,
      event_action: action,
      dedup_key: dedupKey,
      ...body,
    });
    for (let n = 1; n <= attempts; n++) {
      let status = 0;
      let detail = '';
      try {
        const res = await request(opts.target.eventsUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: payload,
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        status = res.statusCode;
        detail = (await res.body.text()).slice(0, 300);
      } catch (err) {
        detail = toError(err).message;
      }
      if (status >= 200 && status < 300) {
        log.info({ action }, action === 'trigger' ? 'failure alert sent' : 'failure alert resolved');
        return;
      }
      const retriable = status === 0 || status === 429 || status >= 500;
      if (!retriable || n === attempts) {
        log.error(
          { action, status, detail: scrub(detail, [opts.target.routingKey, ...opts.secrets]) },
          'could not deliver the failure alert (the sync itself is unaffected)',
        );
        return;
      }
      await new Promise((r) => setTimeout(r, baseDelayMs * 2 ** (n - 1)));
    }
  }

  return {
    failed: async (d) => {
      const error = scrub(d.error, opts.secrets);
      const summary = `pd-warehouse sync failed (${opts.schema}${d.resource ? `, ${d.resource}` : ''}): ${error}`;
      await send('trigger', {
        payload: {
          summary: summary.slice(0, SUMMARY_MAX),
          source: hostname(),
          severity: 'error',
          component: d.resource ?? 'sync',
          group: 'pd-warehouse',
          class: 'sync failure',
          custom_details: {
            run_id: d.runId,
            schema: opts.schema,
            error,
            window: d.window ?? null,
            counts: d.counts ?? {},
          },
        },
      });
    },
    resolved: async () => {
      await send('resolve', {});
    },
  };
}
