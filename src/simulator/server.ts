import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Account, type AccountOptions } from './account.js';
import { routeAdmin } from './admin.js';
import { routeApi } from './api.js';
import type { Abilities } from './apiReference.js';
import { ApiError, authFailed, rateLimited, type ApiReply } from './errors.js';
import { EventsReceiver } from './events.js';
import { OAuthServer, type OAuthOptions } from './oauth.js';
import { FaultInjector, type FaultConfig, type FaultKind, type faultPatchSchema } from './faults.js';
import type { z } from 'zod';
import { DailyQuota, SlidingWindowLimiter } from './rateLimit.js';
import { advanceClock, type AdvanceOptions, type AdvanceReport } from './evolve.js';
import { computeTruth, type Truth } from './truth.js';

export interface SimulatorOptions extends AccountOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Requests per minute per token (PagerDuty: 960). */
  rpm?: number;
  /** Accepted tokens; default: any non-empty token. */
  tokens?: string[];
  faults?: Partial<FaultConfig>;
  abilities?: Partial<Abilities>;
  /** Events API v2 limit per routing key per minute; default 120. */
  eventsPerKeyPerMinute?: number;
  /**
   * The rate limiter's clock (epoch ms; default Date.now). Tests pass an accelerated clock, shared with the
   * client under test, so a 60 s rate window passes in a few real seconds.
   */
  rateClock?: () => number;
  /** POST /analytics/raw/incidents requests per token per UTC day (on rateClock); default 500. */
  analyticsDailyQuota?: number;
  /** Scoped OAuth apps and the identity endpoint POST /oauth/token (token lifetimes on rateClock). */
  oauth?: OAuthOptions;
}

/** Counters the tests and the benchmark read back. */
export interface SimulatorStats {
  requests: number;
  byPath: Record<string, number>;
  status: Record<string, number>;
  rateLimited: number;
  faults: Record<FaultKind, number>;
  /** The largest offset + limit any request asked for (PagerDuty refuses more than 10,000). */
  maxOffsetPlusLimit: number;
}

export interface Simulator {
  readonly url: string;
  readonly port: number;
  readonly account: Account;
  readonly events: EventsReceiver;
  readonly stats: SimulatorStats;
  readonly abilities: Abilities;
  /** The analytics API's daily quota; tests may change `limit` or `reset()` it. */
  readonly analyticsQuota: DailyQuota;
  /** The OAuth identity endpoint, when `oauth` was given. */
  readonly oauth: OAuthServer | null;
  /** Moves the clock (throws in lazy mode: its incidents cannot change). */
  advance(minutes: number, opts?: AdvanceOptions): AdvanceReport;
  /** Ground truth; in lazy mode only `counts` (the first read streams over every incident). */
  truth(): Truth;
  setFaults(patch: z.infer<typeof faultPatchSchema>): FaultConfig;
  /** Every request gets a 429 (with headers) for `seconds`. */
  storm(seconds: number): void;
  /**
   * Hostile data: appends `items` (anything JSON) to the first page of every GET listing of `path`
   * (`/services`, `/users`, …) until cleared with an empty list. `total` and `more` are left as they were.
   */
  inject(path: string, items: unknown[]): void;
  close(): Promise<void>;
}

function emptyStats(): SimulatorStats {
  return {
    requests: 0,
    byPath: {},
    status: {},
    rateLimited: 0,
    faults: { server_error: 0, reset: 0, truncated: 0, slow: 0, rate_limited: 0, bare_429: 0 },
    maxOffsetPlusLimit: 0,
  };
}

function tokenOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(?:Token token=|Bearer )(\S+)$/.exec(header.trim());
  return m?.[1] ?? null;
}

function readBody(req: IncomingMessage, limit = 2 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: ApiReply): void {
  // Encoded once: measuring the UTF-8 length of the text and then writing it would encode it twice.
  const body = Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    'content-type':
      typeof reply.body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': body.length,
    ...reply.headers,
  });
  res.end(body);
}

/** Appends the injected items of a listing to its first page (the list is named after the path). */
function withInjected(reply: ApiReply, method: string, url: URL, injected: Map<string, unknown[]>): ApiReply {
  const extra = injected.get(url.pathname);
  if (!extra || method !== 'GET' || reply.status !== 200) return reply;
  if (Number(url.searchParams.get('offset') ?? 0) !== 0) return reply;
  const key = url.pathname.split('/').pop() ?? '';
  const body = reply.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || !Array.isArray(body[key])) return reply;
  return { ...reply, body: { ...body, [key]: [...(body[key] as unknown[]), ...extra] } };
}

/** Starts the PagerDuty look-alike on 127.0.0.1 and resolves once it listens. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const account = new Account(opts);
  const limiter = new SlidingWindowLimiter(opts.rpm ?? 960, opts.rateClock);
  const faults = new FaultInjector(opts.seed ?? 1, opts.faults);
  const events = new EventsReceiver({ perKeyPerMinute: opts.eventsPerKeyPerMinute ?? 120 });
  // Lazy mode keeps no incident list for the analytics API to aggregate: the account has no analytics.
  const abilities: Abilities = { teams: true, priorities: true, analytics: !opts.lazy, ...opts.abilities };
  const analyticsQuota = new DailyQuota(opts.analyticsDailyQuota ?? 500, opts.rateClock);
  const tokens = opts.tokens ? new Set(opts.tokens) : null;
  const oauth = opts.oauth ? new OAuthServer(opts.oauth, opts.rateClock) : null;
  const stats = emptyStats();
  const injected = new Map<string, unknown[]>();

  const sim: Simulator = {
    url: '',
    port: 0,
    account,
    events,
    stats,
    abilities,
    analyticsQuota,
    oauth,
    advance: (minutes, o) => advanceClock(account, minutes, o),
    truth: () => computeTruth(account),
    setFaults: (patch) => faults.update(patch),
    storm: (seconds) => limiter.storm(seconds * 1000),
    inject: (path, items) => {
      if (items.length === 0) injected.delete(path);
      else injected.set(path, [...items]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/_sim/')) {
      send(res, await routeAdmin(sim, method, url, await readBody(req)));
      return;
    }
    if (method === 'POST' && (url.pathname === '/v2/enqueue' || url.pathname === '/v2/change/enqueue')) {
      const body = await readBody(req, 1024 * 1024);
      const r = events.handle(
        url.pathname === '/v2/enqueue' ? 'alert' : 'change',
        body,
        req.headers['content-type'],
      );
      send(res, { status: r.status, body: r.body, headers: r.headers });
      return;
    }
    if (oauth && method === 'POST' && url.pathname === '/oauth/token') {
      send(res, oauth.token(await readBody(req, 64 * 1024), req.headers['content-type']));
      return;
    }
    stats.requests++;
    const token = tokenOf(req.headers.authorization);
    const oauthRefusal =
      token !== null && oauth?.owns(token) ? oauth.check(token, method, url.pathname) : null;
    if (oauthRefusal) {
      send(res, oauthRefusal.reply());
      return;
    }
    if (token === null || (tokens && !tokens.has(token) && !oauth?.owns(token))) {
      send(res, authFailed().reply());
      return;
    }
    const delay = faults.latency();
    if (delay > 0) await sleep(delay);
    const fault = faults.draw();
    // An injected 429 is refused before the limiter, so it does not use up the token's budget.
    const decision =
      fault === 'rate_limited' || fault === 'bare_429' ? limiter.peek(token) : limiter.check(token);
    const rlHeaders = {
      'ratelimit-limit': String(decision.limit),
      'ratelimit-remaining': String(decision.remaining),
      'ratelimit-reset': String(decision.resetSeconds),
    };
    if (!decision.allowed || fault === 'rate_limited') {
      if (!decision.allowed) stats.rateLimited++;
      else stats.faults.rate_limited++;
      send(res, { ...rateLimited().reply(), headers: { ...rlHeaders, 'ratelimit-remaining': '0' } });
      return;
    }
    if (fault === 'bare_429') {
      stats.faults.bare_429++;
      res.writeHead(429, { 'content-length': '0' });
      res.end();
      return;
    }
    let reply: ApiReply;
    try {
      const body = method === 'GET' ? '' : await readBody(req);
      reply = routeApi(sim, method, url, { token, body });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      reply = err.reply();
    }
    reply = withInjected({ ...reply, headers: { ...rlHeaders, ...reply.headers } }, method, url, injected);
    const pathKey = `${method} ${url.pathname.replace(/\/[A-Z0-9]{7,}(?=\/|$)/g, '/{id}')}`;
    stats.byPath[pathKey] = (stats.byPath[pathKey] ?? 0) + 1;
    const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 25) || 25);
    stats.maxOffsetPlusLimit = Math.max(stats.maxOffsetPlusLimit, offset + limit);
    if (fault) {
      stats.faults[fault]++;
      await injectFault(res, fault, reply, faults);
      return;
    }
    stats.status[String(reply.status)] = (stats.status[String(reply.status)] ?? 0) + 1;
    send(res, reply);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: { message: String(err), code: 2000 } } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  Object.assign(sim, { url: `http://${host}:${addr.port}`, port: addr.port });
  return sim;
}

async function injectFault(
  res: ServerResponse,
  fault: FaultKind,
  reply: ApiReply,
  faults: FaultInjector,
): Promise<void> {
  const body = JSON.stringify(reply.body);
  switch (fault) {
    case 'server_error': {
      const status = faults.serverStatus();
      const html = `<html><head><title>${status}</title></head><body><h1>${status} Server Error</h1><p>nginx</p></body></html>`;
      send(res, { status, body: html });
      return;
    }
    case 'slow':
      await sleep(faults.config.slowMs);
      send(res, reply);
      return;
    case 'reset': {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.write(body.slice(0, Math.floor(body.length * faults.cut().fraction)));
      await sleep(5);
      res.socket?.resetAndDestroy();
      return;
    }
    case 'truncated': {
      const { fraction, withLength } = faults.cut();
      const part = body.slice(0, Math.floor(body.length * fraction));
      if (withLength) {
        // Promised length, short body, then FIN: clients see "other side closed".
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.write(part);
        await sleep(5);
        res.socket?.end();
        res.socket?.destroySoon();
      } else {
        // No length and Connection: close: the body "completes" and is invalid JSON.
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        res.end(part);
      }
      return;
    }
    default:
      send(res, reply);
  }
}
