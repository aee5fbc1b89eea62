import { randomUUID } from 'node:crypto';
import { checkEvent, isRecord } from './eventsSchema.js';
import type { CheckedEvent, EventAction } from './eventsSchema.js';

/**
 * A PagerDuty Events API v2 look-alike (`POST /v2/enqueue`, `POST /v2/change/enqueue`) for the
 * simulator's HTTP server. It validates like PagerDuty (400 with a `status`, `message` and `errors`),
 * throttles per integration key over a sliding 60 s window (429, event not ingested), and records
 * what it accepted so tests can assert on it. It is transport-free: the server hands it the raw body.
 */

/** One accepted event. */
export interface ReceivedEvent {
  /** ISO 8601, from the receiver's clock. */
  receivedAt: string;
  kind: 'alert' | 'change';
  routingKey: string;
  /** `null` for change events. */
  eventAction: EventAction | null;
  /** As sent, or generated for a trigger without one; `null` for change events. */
  dedupKey: string | null;
  /** The parsed request body exactly as sent (a generated dedup key is not added). */
  body: Record<string, unknown>;
}

export interface EventsReply {
  status: number;
  headers: Record<string, string>;
  /** A JSON value, or a string for forced HTML 500s. */
  body: unknown;
}

export interface EventsReceiverOptions {
  /** Accepted events per routing key in any 60 s window; default 120, PagerDuty's documented figure. */
  perKeyPerMinute?: number;
  /** Clock in epoch ms; default `Date.now`. */
  now?: () => number;
  /** Dedup key for triggers that omit one; default a random UUID without dashes (32 hex chars). */
  newDedupKey?: () => string;
}

/** PagerDuty's documented payload limit, in bytes of the UTF-8 body. */
export const MAX_BODY_BYTES = 512 * 1024;
const WINDOW_MS = 60_000;
const DEFAULT_PER_KEY_PER_MINUTE = 120;
const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };
const HTML_500 =
  '<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>';

/** Deterministic dedup keys for tests: `${prefix}1`, `${prefix}2`, … */
export function createSequentialDedupKey(prefix = 'dedup-'): () => string {
  let next = 0;
  return () => `${prefix}${++next}`;
}

function json(status: number, body: unknown): EventsReply {
  return { status, headers: { ...JSON_HEADERS }, body };
}

function invalid(errors: string[]): EventsReply {
  return json(400, { status: 'invalid event', message: 'Event object is invalid', errors });
}

function throttled(): EventsReply {
  return json(429, {
    status: 'throttle event',
    message: 'Requests for this service are arriving too quickly. Please retry later.',
  });
}

/** Absent is tolerated (lenient clients); anything present must be JSON. */
function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

type Parsed = { ok: true; body: Record<string, unknown> } | { ok: false; reply: EventsReply };

/** Content type, size and JSON checks, in that order; the schema comes after. */
function parseBody(rawBody: string, contentType: string | undefined): Parsed {
  if (!isJsonContentType(contentType)) {
    return { ok: false, reply: invalid(['Content-Type must be application/json']) };
  }
  if (Buffer.byteLength(rawBody, 'utf8') > MAX_BODY_BYTES) {
    return { ok: false, reply: invalid([`Event object exceeds the ${MAX_BODY_BYTES / 1024} KB size limit`]) };
  }
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch {
    return { ok: false, reply: invalid(['JSON parse error']) };
  }
  if (!isRecord(value)) return { ok: false, reply: invalid(['event must be a JSON object']) };
  return { ok: true, body: value };
}

export class EventsReceiver {
  readonly #perKeyPerMinute: number;
  readonly #now: () => number;
  readonly #newDedupKey: () => string;
  #events: ReceivedEvent[] = [];
  /** Accept times (ms) per routing key, oldest first, pruned to the last 60 s on each call. */
  #windows = new Map<string, number[]>();
  /** Queued forced answers, consumed front first. */
  #forced: { status: 429 | 500; remaining: number }[] = [];

  constructor(opts: EventsReceiverOptions = {}) {
    const limit = opts.perKeyPerMinute ?? DEFAULT_PER_KEY_PER_MINUTE;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError('perKeyPerMinute must be a positive integer');
    }
    this.#perKeyPerMinute = limit;
    this.#now = opts.now ?? Date.now;
    this.#newDedupKey = opts.newDedupKey ?? (() => randomUUID().replaceAll('-', ''));
  }

  /** Everything accepted so far, oldest first. */
  get events(): readonly ReceivedEvent[] {
    return this.#events;
  }

  /** Forgets accepted events, rate-limit windows and pending forced answers. */
  clear(): void {
    this.#events = [];
    this.#windows = new Map();
    this.#forced = [];
  }

  /**
   * Makes the next `count` calls to `handle` answer `status` without validating or recording
   * (429: PagerDuty's throttle JSON; 500: an HTML page). Calls queue up behind earlier ones.
   */
  forceNext(status: 429 | 500, count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
    if (count > 0) this.#forced.push({ status, remaining: count });
  }

  /** POST /v2/enqueue (kind 'alert') and POST /v2/change/enqueue (kind 'change'); rawBody is the request body text. */
  handle(kind: 'alert' | 'change', rawBody: string, contentType: string | undefined): EventsReply {
    const forced = this.#takeForced();
    if (forced !== undefined) return forced;
    const parsed = parseBody(rawBody, contentType);
    if (!parsed.ok) return parsed.reply;
    const checked = checkEvent(kind, parsed.body);
    if (Array.isArray(checked)) return invalid(checked);
    const at = this.#now();
    if (!this.#admit(checked.routingKey, at)) return throttled();
    return this.#record(kind, checked, parsed.body, at);
  }

  #takeForced(): EventsReply | undefined {
    const head = this.#forced[0];
    if (head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.#forced.shift();
    if (head.status === 429) return throttled();
    return { status: 500, headers: { 'content-type': 'text/html' }, body: HTML_500 };
  }

  /** Sliding window: an event is admitted if fewer than the limit were accepted in the last 60 s. */
  #admit(routingKey: string, at: number): boolean {
    const recent = (this.#windows.get(routingKey) ?? []).filter((t) => t > at - WINDOW_MS);
    const admitted = recent.length < this.#perKeyPerMinute;
    if (admitted) recent.push(at);
    this.#windows.set(routingKey, recent);
    return admitted;
  }

  #record(
    kind: 'alert' | 'change',
    checked: CheckedEvent,
    body: Record<string, unknown>,
    at: number,
  ): EventsReply {
    const dedupKey = kind === 'alert' ? (checked.dedupKey ?? this.#newDedupKey()) : null;
    this.#events.push({
      receivedAt: new Date(at).toISOString(),
      kind,
      routingKey: checked.routingKey,
      eventAction: checked.eventAction,
      dedupKey,
      body,
    });
    if (dedupKey === null) return json(202, { status: 'success', message: 'Change event processed' });
    return json(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  }
}
