/**
 * Classic (offset) pagination over one window of a list endpoint.
 *
 * PagerDuty quirks handled here (research pagerduty-api.md §a):
 * - `total` is null unless asked for with `total=true`, so only the first page asks (it costs the API time);
 * - `offset + limit` may never exceed 10,000 (400, code 2002). Rather than fail there, or silently stop as
 *   peers do, a window whose total is over 10,000 throws WindowTooLargeError before any further page is
 *   requested, and the caller splits the window;
 * - once total is known, the rest of the pages are requested ahead of the consumer (the client's shared
 *   limiter paces them) and yielded in offset order, so the budget, not latency, bounds a backfill.
 */
import { SyncError } from '../errors.js';
import type { PagerDutyClient, Query } from './http.js';
import { isNulFree, markNulFree } from './nulFree.js';
import { keepList } from './rawItems.js';

/** PagerDuty's cap on classic pagination: offset + limit ≤ 10,000. */
export const OFFSET_CAP = 10_000;
/** PagerDuty's largest page. */
export const MAX_PAGE_LIMIT = 100;

/** Anything with the client's `get`: the real client, or a fake in tests. */
export type PageSource = Pick<PagerDutyClient, 'get'>;

/** The window holds more than 10,000 records: split it (by time, then by service) and try again. */
export class WindowTooLargeError extends SyncError {
  override readonly name = 'WindowTooLargeError';
  constructor(
    readonly path: string,
    /** Records in the window; a lower bound when `exact` is false (the endpoint gave no total). */
    readonly total: number,
    readonly exact = true,
  ) {
    const count = `${exact ? '' : 'more than '}${total.toLocaleString('en-US')}`;
    super(
      `GET ${path}: ${count} records in this window, over PagerDuty's 10,000-record offset cap; split it`,
      {
        path,
        total,
        exact,
      },
    );
  }
}

/** The API paged in a way that would loop or lose records (an echoed offset that differs, a repeat). */
export class PaginationError extends SyncError {
  override readonly name = 'PaginationError';
}

export interface WindowSpec {
  path: string;
  /** The window's filters (since/until, statuses[], …); limit, offset and total are set here. */
  query?: Query;
  /** The envelope key that holds the items: `incidents`, `log_entries`, `oncalls`, … */
  dataKey: string;
  /** Page size, 1..100. Default 100. */
  limit?: number;
  /** Pages requested ahead of the consumer once total is known. Default 4. */
  concurrency?: number;
}

export interface WindowPages {
  /** Records in the window, from the first page; null if the endpoint did not report it. */
  total: number | null;
  /** Pages of raw items in offset order, the first page included. */
  pages: AsyncGenerator<unknown[], void, undefined>;
}

interface Page {
  offset: number;
  items: unknown[];
  more: boolean;
  total: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function parsePage(body: unknown, spec: WindowSpec, offset: number): Page {
  const context = { path: spec.path, offset };
  if (!isRecord(body))
    throw new PaginationError(`GET ${spec.path}: the answer is not a JSON object`, context);
  const items: unknown = body[spec.dataKey];
  if (!Array.isArray(items)) {
    throw new PaginationError(`GET ${spec.path}: the answer has no "${spec.dataKey}" list`, context);
  }
  if (typeof body.offset === 'number' && body.offset !== offset) {
    const message = `GET ${spec.path}: asked for offset ${offset}, got offset ${body.offset}`;
    throw new PaginationError(message, context);
  }
  // A missing `more` ends the listing (some anonymised recordings have no pagination keys at all).
  const list: unknown[] = items;
  if (isNulFree(body)) markNulFree(list);
  keepList(body, list, spec.dataKey);
  return { offset, items: list, more: body.more === true, total: isCount(body.total) ? body.total : null };
}

async function requestPage(
  client: PageSource,
  spec: WindowSpec,
  offset: number,
  limit: number,
  withTotal: boolean,
): Promise<Page> {
  // Never ask past the cap: PagerDuty answers 400 code 2002, and the planner should have split instead.
  if (offset + limit > OFFSET_CAP) throw new WindowTooLargeError(spec.path, OFFSET_CAP + 1, false);
  const query: Query = { ...spec.query, limit, offset, total: withTotal ? true : undefined };
  const res = await client.get(spec.path, query);
  return parsePage(res.body, spec, offset);
}

/**
 * What identifies a page for the repeat check: the ids of its items when they all have one (cheap: a page
 * of log entries is ~150 KB of JSON), else the whole page serialised.
 */
function fingerprint(items: readonly unknown[]): string {
  const ids: string[] = [];
  for (const item of items) {
    const id = isRecord(item) ? item.id : undefined;
    if (typeof id !== 'string') return JSON.stringify(items);
    ids.push(id);
  }
  return ids.join('\u0001');
}

/** Throws on a page that would make the walk loop: empty with more=true, or a repeat of the last page. */
function createLoopGuard(path: string): (page: Page) => void {
  let previous: string | null = null;
  return (page) => {
    const context = { path, offset: page.offset };
    if (page.more && page.items.length === 0) {
      throw new PaginationError(
        `GET ${path}: empty page at offset ${page.offset} says there is more`,
        context,
      );
    }
    const print = page.items.length === 0 ? null : fingerprint(page.items);
    if (print !== null && print === previous) {
      throw new PaginationError(
        `GET ${path}: page at offset ${page.offset} repeats the previous page`,
        context,
      );
    }
    previous = print;
  };
}

/** Starts `fetch` for `keys`, `lookahead` ahead of the consumer; `take()` hands the results out in key order. */
function createPrefetcher<T>(keys: readonly number[], fetch: (key: number) => Promise<T>, lookahead: number) {
  const inflight: Promise<T>[] = [];
  let next = 0;
  const issue = (): void => {
    const key = keys[next++];
    if (key === undefined) return;
    const promise = fetch(key);
    // Awaited in order by the consumer; until then (or after an early stop) a rejection is not "unhandled".
    promise.catch(() => undefined);
    inflight.push(promise);
  };
  for (let i = 0; i < Math.max(1, lookahead); i++) issue();
  return {
    /** The next result in key order, or undefined when all are taken; keeps the lookahead full. */
    take(): Promise<T> | undefined {
      const promise = inflight.shift();
      issue();
      return promise;
    },
  };
}

async function* walkPages(
  client: PageSource,
  spec: WindowSpec,
  limit: number,
  first: Page,
): AsyncGenerator<unknown[], void, undefined> {
  const guard = createLoopGuard(spec.path);
  const fetchAt = (offset: number) =>
    requestPage(client, spec, offset, Math.min(limit, OFFSET_CAP - offset), false);
  guard(first);
  const offsets: number[] = [];
  if (first.more && first.total !== null) {
    for (let offset = limit; offset < first.total; offset += limit) offsets.push(offset);
  }
  // Issued before the first page is handed over, so the requests overlap the consumer's work.
  const ahead = createPrefetcher(offsets, fetchAt, spec.concurrency ?? 4);
  yield first.items;
  let last = first;
  for (let pending = ahead.take(); pending !== undefined; pending = ahead.take()) {
    last = await pending;
    guard(last);
    yield last.items;
    if (!last.more) return;
  }
  // No total, or the list grew while we read it: go on one page at a time while `more` says so.
  while (last.more) {
    const offset = last.offset + limit;
    if (offset >= OFFSET_CAP) throw new WindowTooLargeError(spec.path, OFFSET_CAP + 1, false);
    last = await fetchAt(offset);
    guard(last);
    yield last.items;
  }
}

/**
 * Fetches one window: the first page (with `total=true`) now, the rest as `pages` streams. Throws
 * WindowTooLargeError, having made just that one request, when the window holds more than 10,000 records.
 */
export async function fetchWindow(client: PageSource, spec: WindowSpec): Promise<WindowPages> {
  const limit = spec.limit ?? MAX_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new SyncError(`page limit must be 1..${MAX_PAGE_LIMIT}, got ${limit}`, { path: spec.path });
  }
  const first = await requestPage(client, spec, 0, limit, true);
  if (first.total !== null && first.total > OFFSET_CAP) {
    throw new WindowTooLargeError(spec.path, first.total);
  }
  return { total: first.total, pages: walkPages(client, spec, limit, first) };
}

/** Records matching `query` on `path`, from one `limit=1&total=true` request: for planning windows. */
export async function countWindow(client: PageSource, path: string, query: Query = {}): Promise<number> {
  const res = await client.get(path, { ...query, limit: 1, offset: 0, total: true });
  const total = isRecord(res.body) ? res.body.total : undefined;
  if (!isCount(total))
    throw new PaginationError(`GET ${path}: no total in the answer to total=true`, { path });
  return total;
}
