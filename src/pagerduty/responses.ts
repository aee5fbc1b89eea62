/**
 * Turns one HTTP attempt (an answer, or a thrown network/body error) into an outcome: the parsed answer,
 * "retry", or the error to throw. Pure: no I/O, no clock, so every PagerDuty error shape is unit-testable.
 */
import { AuthError, HttpError, QuotaExhaustedError } from '../errors.js';
import { scrub } from '../logger.js';
import { classify, errorCodeOf } from './retry.js';
import { jsonTextIsNulFree, markNulFree } from './nulFree.js';
import { describeErrorBody, oneLine, parseErrorBody, type PagerDutyErrorBody } from './errorBody.js';

/** One successful answer: status, the parsed JSON body, and lower-case response headers. */
export interface PagerDutyResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** An attempt worth repeating: a 429, a 5xx, a reset or cut-off body, a 2xx that is not JSON. */
export interface RetryOutcome {
  kind: 'retry';
  /** Stats key: the status (`'503'`, `'429'`) or error code (`'ECONNRESET'`, `'SyntaxError'`, `'not-json'`). */
  reason: string;
  status: number | null;
  rateLimited: boolean;
  /** The server's own wait (`Retry-After`), when it gave one; a 429's `ratelimit-reset` is in `headers`. */
  retryAfterMs: number | null;
  headers: Record<string, string>;
  /** One line, scrubbed, for logs and the final error. */
  detail: string;
  cause?: unknown;
}

export type Outcome =
  | { kind: 'ok'; response: PagerDutyResponse }
  | RetryOutcome
  | { kind: 'fail'; reason: string; error: HttpError };

export interface AttemptContext {
  /** Default GET. */
  method?: 'GET' | 'POST';
  /** Request path without the query (queries are never put in messages). */
  path: string;
  baseUrl: string;
  /** Strings to blank out of any message (the token). */
  secrets: readonly string[];
}

export const OFFSET_CAP_CODE = 2002;

/** `GET /incidents`: how messages name a request (never with its query). */
export function requestLine(ctx: Pick<AttemptContext, 'method' | 'path'>): string {
  return `${ctx.method ?? 'GET'} ${ctx.path}`;
}

/**
 * The longest `ratelimit-reset` (s) a 429 may ask for and still be the per-minute REST budget. A longer
 * one is a quota (the analytics API's daily allowance): waiting it out inside a run makes no sense.
 */
export const RATE_WINDOW_SECONDS = 60;

/** A 429 whose reset lies beyond the per-minute window: the quota is spent until `resetSeconds` from now. */
function quotaExhausted(headers: Record<string, string>, text: string, ctx: AttemptContext): Outcome | null {
  const reset = Number(headers['ratelimit-reset']);
  if (headers['ratelimit-reset'] === undefined || !(reset > RATE_WINDOW_SECONDS)) return null;
  const detail = describeErrorBody(parseErrorBody(scrub(text, ctx.secrets)));
  const hours = (reset / 3600).toFixed(1);
  const message = oneLine(
    `${requestLine(ctx)}: PagerDuty's quota for this endpoint is spent (429${detail ? `: ${detail}` : ''}); it resets in ${hours} h`,
  );
  const error = new QuotaExhaustedError(message, reset * 1000, { path: ctx.path });
  return { kind: 'fail', reason: '429', error };
}

/** The OAuth scope or permission a 403 names (`incidents.read`), when it names one. */
function missingScope(body: PagerDutyErrorBody): string | null {
  const text = [body.message ?? '', ...body.errors].join(' ');
  return /\b([a-z][a-z_]*\.(?:read|write))\b/.exec(text)?.[1] ?? null;
}

export function unauthorizedMessage(baseUrl: string): string {
  const other = baseUrl.includes('api.eu.pagerduty.com')
    ? 'https://api.pagerduty.com for a US account'
    : 'https://api.eu.pagerduty.com for an EU account';
  return `PagerDuty rejected the token (401): check PAGERDUTY_TOKEN, or use ${other} (PAGERDUTY_API_URL)`;
}

function forbidden(request: string, path: string, body: PagerDutyErrorBody, detail: string): AuthError {
  const scope = missingScope(body);
  const what = scope
    ? `the token lacks the "${scope}" scope or permission`
    : 'the token lacks a permission or OAuth scope this endpoint needs';
  const said = detail === '' ? '' : ` (${detail})`;
  return new AuthError(`PagerDuty refused ${request} (403): ${what}${said}`, 403, false, {
    path,
    code: body.code,
    scope,
  });
}

/** A 4xx (other than 429) or 3xx answer as the error to throw. */
function clientError(status: number, text: string, ctx: AttemptContext): HttpError {
  const body = parseErrorBody(scrub(text, ctx.secrets));
  const detail = describeErrorBody(body);
  const context = { path: ctx.path, code: body.code, pdMessage: body.message, errors: body.errors };
  if (status === 401) return new AuthError(unauthorizedMessage(ctx.baseUrl), 401, false, context);
  if (status === 403) return forbidden(requestLine(ctx), ctx.path, body, detail);
  if (status === 400 && body.code === OFFSET_CAP_CODE) {
    const message = `${requestLine(ctx)}: offset+limit past PagerDuty's 10,000-record cap (400, code 2002); split the window`;
    return new HttpError(message, status, false, { ...context, offsetCap: true });
  }
  const suffix = detail === '' ? '' : `: ${detail}`;
  return new HttpError(
    `${requestLine(ctx)} failed: PagerDuty answered ${status}${suffix}`,
    status,
    false,
    context,
  );
}

/** True for the 400 code 2002 "offset+limit exceeds 10000" error: the window planner got it wrong. */
export function isOffsetCapError(error: unknown): error is HttpError {
  return error instanceof HttpError && error.context.code === OFFSET_CAP_CODE;
}

function retry(
  reason: string,
  status: number | null,
  headers: Record<string, string>,
  detail: string,
): RetryOutcome {
  const after = Number(headers['retry-after']);
  const retryAfterMs = headers['retry-after'] !== undefined && after >= 0 ? after * 1000 : null;
  return { kind: 'retry', reason, status, rateLimited: status === 429, retryAfterMs, headers, detail };
}

/** A 2xx must be JSON that parses; anything else (HTML from a proxy, a truncated body) is retried. */
function success(status: number, headers: Record<string, string>, text: string): Outcome {
  if (status === 204 || text === '') return { kind: 'ok', response: { status, headers, body: null } };
  if (!(headers['content-type'] ?? '').includes('json')) {
    return retry(
      'not-json',
      status,
      headers,
      `${status} with content-type ${headers['content-type'] ?? 'none'}`,
    );
  }
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && jsonTextIsNulFree(text)) markNulFree(body);
    return { kind: 'ok', response: { status, headers, body } };
  } catch {
    return retry('SyntaxError', status, headers, `${status} with a body that is not valid JSON (truncated?)`);
  }
}

export function interpretAnswer(
  status: number,
  headers: Record<string, string>,
  text: string,
  ctx: AttemptContext,
): Outcome {
  if (status >= 200 && status < 300) return success(status, headers, text);
  if (status >= 300 && status < 400) {
    const where = scrub(headers.location ?? 'nowhere', ctx.secrets);
    const message = `${requestLine(ctx)} was redirected (${status}) to ${where}: check PAGERDUTY_API_URL`;
    return {
      kind: 'fail',
      reason: String(status),
      error: new HttpError(message, status, false, { path: ctx.path }),
    };
  }
  if (status === 429) {
    const quota = quotaExhausted(headers, text, ctx);
    if (quota) return quota;
  }
  const kind = classify(status);
  if (kind === 'retry' || kind === 'rate_limit') {
    const detail = describeErrorBody(parseErrorBody(scrub(text, ctx.secrets)));
    return retry(String(status), status, headers, oneLine(`${status} ${detail}`));
  }
  const error = clientError(status, text, ctx);
  if (error.context.code !== null && classify(Number(error.context.code)) === 'retry') {
    return retry(String(status), status, headers, error.message);
  }
  return { kind: 'fail', reason: String(status), error };
}

/** A thrown request or body-read error: retried when transient (resets, timeouts, socket closes). */
export function interpretNetworkError(error: unknown, ctx: AttemptContext): Outcome {
  const code = errorCodeOf(error);
  const message = oneLine(scrub(error instanceof Error ? error.message : String(error), ctx.secrets));
  const detail = `${code}: ${message}`;
  if (classify(code) === 'retry') {
    return { ...retry(code, null, {}, detail), cause: error };
  }
  const fail = new HttpError(
    `${requestLine(ctx)} failed: ${detail}`,
    0,
    false,
    { path: ctx.path, code },
    { cause: error },
  );
  return { kind: 'fail', reason: code, error: fail };
}
