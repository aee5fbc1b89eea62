/**
 * The PagerDuty REST client: one undici Pool (keep-alive) and one shared rate limiter for the whole run.
 * Every attempt, retries included, goes through the limiter. An attempt is the request AND the body read:
 * undici reports a reset or a cut-off body from the body read (`body.arrayBuffer()`), after a 200 has
 * already arrived, so the retry wraps both (research node20-packages.md §6). A 2xx is only a success once
 * its JSON parses.
 */
import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, QuotaExhaustedError, SyncError } from '../errors.js';
import { scrub, type Logger } from '../logger.js';
import { createRateLimiter, type RateLimiter } from './rateLimiter.js';
import {
  interpretAnswer,
  interpretNetworkError,
  requestLine,
  type AttemptContext,
  type Outcome,
  type RetryOutcome,
} from './responses.js';
import { isNulFree } from './nulFree.js';
import { jsonText } from './jsonText.js';
import { keepBody } from './rawItems.js';
import { computeDelay, retryPolicy, type RetryPolicy } from './retry.js';
import type { PagerDutyResponse } from './responses.js';
import { buildSearch, type Query } from './query.js';
import type { TokenProvider } from './oauth.js';

export type { PagerDutyResponse } from './responses.js';
export type { Query, QueryValue } from './query.js';
export { isOffsetCapError } from './responses.js';

export interface PagerDutyClientOptions {
  /** `https://api.pagerduty.com`, `https://api.eu.pagerduty.com`, or the simulator's URL. */
  baseUrl: string;
  /**
   * An API key (`Authorization: Token token=…`), an OAuth access token (`Bearer …`), or a provider of
   * OAuth tokens that renews them (client credentials); a 401 then gets one new token and one retry.
   */
  auth: { kind: 'token' | 'oauth'; token: string } | { kind: 'provider'; provider: TokenProvider };
  /** Requests per minute for the whole run, over a sliding 60 s window. */
  maxRpm: number;
  /** Requests in flight (and pooled connections). Default 4. */
  concurrency?: number;
  /** Per attempt, request plus body, ms. Default 30_000. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  /** Epoch ms; default Date.now. */
  now?: () => number;
  /** Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Default Math.random. */
  random?: () => number;
}

export interface ClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Attempts after the first, over all requests. */
  retries: number;
  /** 429 answers. */
  rateLimited: number;
  /** Failed attempts by status or error code: `{'503': 2, ECONNRESET: 1, SyntaxError: 1}`. */
  errors: Record<string, number>;
}

export interface PagerDutyClient {
  /** GET `path` (no query string in it). Resolves with a parsed JSON answer; throws a SyncError subclass. */
  get(path: string, query?: Query): Promise<PagerDutyResponse>;
  /**
   * POST a JSON body to a read endpoint that takes its query as a body (`/analytics/raw/incidents`). Same
   * limiter, retries and errors as `get`; a 429 whose reset is hours away throws QuotaExhaustedError.
   */
  post(path: string, body: unknown): Promise<PagerDutyResponse>;
  stats(): ClientStats;
  /** Closes the pool, waiting for requests in flight; a second call does nothing. */
  close(): Promise<void>;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function splitBaseUrl(baseUrl: string): { origin: string; prefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new SyncError(`invalid PagerDuty API URL: ${scrub(baseUrl)}`);
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

/** What one client's requests share. Built once per client; no module state. */
interface ClientDeps {
  pool: Pool;
  limiter: RateLimiter;
  policy: RetryPolicy;
  headers: Record<string, string>;
  /** Set for client-credentials auth: the Authorization header is built per attempt. */
  provider: TokenProvider | null;
  timeoutMs: number;
  stats: ClientStats;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger: Logger | undefined;
}

function authHeaders(auth: PagerDutyClientOptions['auth']): Record<string, string> {
  const base = { accept: 'application/vnd.pagerduty+json;version=2', 'user-agent': 'pd-warehouse' };
  if (auth.kind === 'provider') return base;
  const authorization = auth.kind === 'oauth' ? `Bearer ${auth.token}` : `Token token=${auth.token}`;
  return { ...base, authorization };
}

/** What one request sends: method, path with query, and the JSON body of a POST. */
interface Target {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** The body as text decoders read it: a UTF-8 byte order mark is not part of the text. */
function withoutBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** One attempt: the request and the body read, under one timeout. Throws only when no OAuth token can be had. */
async function attempt(deps: ClientDeps, target: Target, ctx: AttemptContext): Promise<Outcome> {
  let headers =
    target.body === undefined ? deps.headers : { ...deps.headers, 'content-type': 'application/json' };
  // A token the identity endpoint refuses is an AuthError for the caller, not a failed attempt.
  if (deps.provider) headers = { ...headers, authorization: `Bearer ${await deps.provider.token()}` };
  deps.stats.requests++;
  try {
    const signal = AbortSignal.timeout(deps.timeoutMs);
    const res = await deps.pool.request({ ...target, headers, signal });
    const bytes = withoutBom(Buffer.from(await res.body.arrayBuffer()));
    // A success is parsed (jsonText: fastest for JSON.parse); anything else is read as a message.
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    const text = ok ? jsonText(bytes) : bytes.toString('utf8');
    const answerHeaders = flattenHeaders(res.headers);
    const outcome = interpretAnswer(res.statusCode, answerHeaders, text, ctx);
    // A listing's records are stored as the JSON they came as (rawItems.ts): keep the bytes for its page.
    const body = outcome.kind === 'ok' ? outcome.response.body : null;
    if (typeof body === 'object' && body !== null && isNulFree(body)) keepBody(body, bytes);
    // A spent quota's headers describe that quota, not the per-minute budget every request shares.
    if (!(outcome.kind === 'fail' && outcome.error instanceof QuotaExhaustedError)) {
      deps.limiter.observe(answerHeaders);
    }
    return outcome;
  } catch (error) {
    return interpretNetworkError(error, ctx);
  }
}

/** Waits before attempt n + 1: a 429 pauses the whole limiter; anything else backs off this request only. */
async function backoff(deps: ClientDeps, path: string, n: number, outcome: RetryOutcome): Promise<void> {
  const waitMs = outcome.rateLimited
    ? deps.limiter.rateLimited(outcome.headers, n)
    : computeDelay(n, outcome.retryAfterMs, deps.policy, deps.random);
  const level = outcome.rateLimited || n >= 3 ? 'warn' : 'debug';
  deps.logger?.[level](
    { path, attempt: n, status: outcome.status, code: outcome.reason, waitMs, detail: outcome.detail },
    outcome.rateLimited
      ? 'pagerduty rate limit hit; pausing all requests'
      : 'pagerduty request failed; retrying',
  );
  if (!outcome.rateLimited) await deps.sleep(waitMs);
}

/** Attempts until a success, a fatal answer, or maxAttempts; every attempt waits for the shared limiter. */
async function sendWithRetries(
  deps: ClientDeps,
  target: Target,
  ctx: AttemptContext,
): Promise<PagerDutyResponse> {
  const { stats, policy } = deps;
  let renewed = false;
  for (let n = 1; ; n++) {
    const outcome = await deps.limiter.run(() => attempt(deps, target, ctx));
    if (outcome.kind === 'ok') return outcome.response;
    stats.errors[outcome.reason] = (stats.errors[outcome.reason] ?? 0) + 1;
    if (outcome.kind === 'fail' && deps.provider && outcome.error.status === 401 && !renewed) {
      // The OAuth token expired or was revoked early: one new token, one more attempt.
      deps.provider.invalidate();
      renewed = true;
      n--;
      continue;
    }
    if (outcome.kind === 'fail') throw outcome.error;
    if (outcome.rateLimited) stats.rateLimited++;
    if (n >= policy.maxAttempts) {
      const message = `${requestLine(ctx)} failed after ${n} attempts: ${outcome.detail}`;
      const context = { path: ctx.path, attempts: n, code: outcome.reason };
      throw new HttpError(message, outcome.status ?? 0, true, context, { cause: outcome.cause });
    }
    stats.retries++;
    await backoff(deps, ctx.path, n, outcome);
  }
}

/** Builds what every request of one client shares: the limiter, the pool, the policy, the counters. */
function createDeps(opts: PagerDutyClientOptions, origin: string): ClientDeps {
  const concurrency = opts.concurrency ?? 4;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const policy = retryPolicy(opts.retry);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = opts.random ?? Math.random;
  const limiter = createRateLimiter({
    maxRpm: opts.maxRpm,
    concurrency,
    retry: policy,
    now: opts.now,
    sleep,
    random,
  });
  const pool = new Pool(origin, {
    connections: concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, errors: {} };
  const headers = authHeaders(opts.auth);
  const provider = opts.auth.kind === 'provider' ? opts.auth.provider : null;
  return { pool, limiter, policy, headers, provider, timeoutMs, stats, sleep, random, logger: opts.logger };
}

export function createPagerDutyClient(opts: PagerDutyClientOptions): PagerDutyClient {
  const { origin, prefix } = splitBaseUrl(opts.baseUrl);
  const provider = opts.auth.kind === 'provider' ? opts.auth.provider : null;
  const staticSecrets = opts.auth.kind === 'provider' ? [] : [opts.auth.token];
  // The current OAuth token is a secret too; it changes as the provider renews it.
  const secretsNow = () => [...staticSecrets, ...(provider?.current() ? [provider.current() ?? ''] : [])];
  const deps = createDeps(opts, origin);
  let closed = false;
  const checkPath = (path: string) => {
    if (closed) throw new SyncError('pagerduty client is closed', { path });
    if (!path.startsWith('/') || /[?#]/.test(path)) {
      throw new SyncError(`path must start with / and carry no query: ${scrub(path, secretsNow())}`);
    }
  };
  return {
    get: async (path, query = {}) => {
      checkPath(path);
      const target: Target = { method: 'GET', path: `${prefix}${path}${buildSearch(query)}` };
      return await sendWithRetries(deps, target, { path, baseUrl: opts.baseUrl, secrets: secretsNow() });
    },
    post: async (path, body) => {
      checkPath(path);
      const target: Target = { method: 'POST', path: `${prefix}${path}`, body: JSON.stringify(body) };
      return await sendWithRetries(deps, target, {
        method: 'POST',
        path,
        baseUrl: opts.baseUrl,
        secrets: secretsNow(),
      });
    },
    stats: () => ({ ...deps.stats, errors: { ...deps.stats.errors } }),
    close: async () => {
      if (closed) return;
      closed = true;
      await deps.pool.close();
    },
  };
}
