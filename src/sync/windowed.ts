import type { TxHandle } from '../db/client.js';
import type { Queryable } from '../db/types.js';
import { recordWindow, saveCursor } from '../db/syncState.js';
import { SyncError } from '../errors.js';
import { fetchWindow, WindowTooLargeError, type WindowPages } from '../pagerduty/paginate.js';
import type { Query } from '../pagerduty/query.js';
import type { ResourceDef } from '../resources/define.js';
import { collectItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { bisect, nextWindow, nextWindowSize, type Window } from './windows.js';
import { relieveHeap } from './heap.js';
import { prepareBatch, writePrepared, type PreparedBatch } from './write.js';

export interface WindowedRun {
  def: ResourceDef;
  from: number;
  to: number;
  /** Fresh hooks for each window's transaction (they may keep state across its chunks). */
  hooks?: () => WindowHooks;
  /** For a one-second window still over the cap: query variants that partition it (e.g. per service). */
  partitions?: (q: Queryable) => Promise<Query[]>;
  /**
   * Called with each chunk once it is written, inside its window's transaction, when given (only then
   * does a chunk's `writtenKeys()` hold the keys written). A window that turns out
   * to be over the cap is rolled back and read again in parts, so a chunk's records may be reported twice:
   * keep what this collects idempotent (sets of ids).
   */
  onWritten?: (chunk: RowBatch) => void;
}

/** Per window: what its chunks hold, then more writes in its transaction before the checkpoint. */
export interface WindowHooks {
  /** After each chunk is written: note what the window's last writes need (e.g. first-ack times). */
  afterWrite?: (chunk: RowBatch) => void;
  /** Once, after the window's last chunk and before its checkpoint; returns the rows it wrote. */
  beforeCommit?: (tx: TxHandle) => Promise<number>;
}

/**
 * Records a window should hold: under the 10,000 cap with room for the density to rise, and large, so
 * few windows end on a part-filled page. Memory does not depend on it: rows are written in chunks.
 */
const TARGET_ROWS = 8000;
/** Records per chunk written inside a window's transaction: the most rows held in memory at once. */
const CHUNK_RECORDS = 1000;
/** Pages requested ahead of the one being mapped, so the API works while a chunk is written. */
const LOOKAHEAD_PAGES = 6;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** What one window's transaction did. */
interface WindowResult {
  pages: number;
  /** Records listed (the cap counts those). */
  records: number;
  written: number;
}

/** Requests a window's first page (with its total); the rest stream when its pages are iterated. */
function openWindow(deps: SyncDeps, run: WindowedRun, w: Window, extra: Query): Promise<WindowPages> {
  const { def } = run;
  return fetchWindow(deps.client, {
    path: def.path,
    dataKey: def.dataKey,
    query: { ...def.params, since: iso(w.start), until: iso(w.end), ...extra },
    limit: 100,
    concurrency: LOOKAHEAD_PAGES,
  });
}

/**
 * When a window may write and commit, given the window before it, which may still be finishing in its own
 * transaction (on another connection). The later window writes only once the earlier one's chunks are all
 * written, and commits only after it: from then on the earlier one touches only rows it already holds, the
 * incidents its log entries acknowledge (which a later window's chunks never lock) and the checkpoint rows
 * (which the later one touches after that commit), so it never waits for the later one, and a failure of
 * the earlier one rolls the later one back before its cursor could pass the lost rows.
 */
interface Turn {
  /** Resolves once the earlier window's chunks are written; rejects if it failed. */
  mayWrite: Promise<void>;
  /** Resolves once the earlier window committed; rejects if it failed. */
  mayCommit: Promise<unknown>;
}

/** A plain window's own extras: its first page opened ahead, its turn, and who wants its progress early. */
interface WindowStart {
  /** From openWindow for exactly this window, requested while the previous window was being written. */
  opened?: Promise<WindowPages>;
  turn?: Turn;
  /** Called once every page is read, with the records listed, before the last writes and the commit. */
  onListed?: (records: number) => void;
  /** Called once every chunk is written, before the window's last writes and its commit. */
  onChunksWritten?: () => void;
}

/**
 * Streams one window (or one partition of it) into the open transaction: pages are mapped into chunks of
 * about CHUNK_RECORDS, each written as soon as it is full while the next pages are already being fetched.
 */
async function streamWindow(
  deps: SyncDeps,
  run: WindowedRun,
  tx: TxHandle,
  w: Window,
  extra: Query,
  report: ResourceReport,
  into: WindowResult,
  hooks: WindowHooks,
  start: WindowStart = {},
): Promise<void> {
  const { def } = run;
  const { pages } = await (start.opened ?? openWindow(deps, run, w, extra));
  let listed = 0;
  let chunk = new RowBatch(deps.runId);
  // One chunk's write is in flight while the next chunk is mapped and encoded, so the database and this
  // process work at the same time. The writes themselves still run one after another on the window's tx,
  // the first one once the window before has written its chunks.
  let writing: Promise<void> = start.turn?.mayWrite ?? Promise.resolve();
  // If the window before fails, this one is rolled back anyway: stop reading at once.
  const before: { failed: boolean; err?: unknown } = { failed: false };
  start.turn?.mayCommit.catch((err: unknown) => {
    before.failed = true;
    before.err = err;
  });
  const write = async (full: RowBatch, prepared: PreparedBatch) => {
    into.written += await writePrepared(tx, prepared);
    hooks.afterWrite?.(full);
    into.records += full.ids.length;
    run.onWritten?.(full);
  };
  const flush = async () => {
    const full = chunk;
    listed += full.ids.length;
    chunk = new RowBatch(deps.runId);
    // The keys written are read only by onWritten; without it the statements return counts.
    const prepared = prepareBatch(tx, full, { keys: run.onWritten !== undefined });
    // Queued behind the write in flight, so it starts the moment that one is done, even while this
    // process is busy mapping; after a failure the queued write never starts.
    const previous = writing;
    writing = previous.then(() => write(full, prepared));
    // Awaited at a later flush or below; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
    // At most two chunks wait for the database: the one in flight and this one.
    await previous;
    relieveHeap(); // while the database works
  };
  try {
    for await (const page of pages) {
      if (before.failed) throw before.err;
      into.pages++;
      collectItems(def, page, chunk, report, deps.logger, new Date(deps.now), true);
      if (chunk.ids.length + chunk.rejects.length >= CHUNK_RECORDS) await flush();
      await yieldToIo();
    }
    await flush();
    start.onListed?.(listed);
    await writing;
    start.onChunksWritten?.();
  } catch (err) {
    // No statement of this window may run after its transaction is rolled back.
    await writing.catch(() => undefined);
    throw err;
  }
}

/**
 * Reads and writes `w` in ONE transaction with its checkpoint: a crash re-reads at most this window. A
 * window over the cap is rolled back and bisected; a one-second window still over it is read by partition.
 */
async function syncWindow(
  deps: SyncDeps,
  run: WindowedRun,
  w: Window,
  report: ResourceReport,
  start: WindowStart = {},
): Promise<number> {
  // Every line logged while this window is read names it.
  deps = { ...deps, logger: deps.logger.child({ window: `${iso(w.start)}/${iso(w.end)}` }) };
  const result: WindowResult = { pages: 0, records: 0, written: 0 };
  try {
    await deps.db.transaction(async (tx) => {
      const hooks = run.hooks?.() ?? {};
      await streamWindow(deps, run, tx, w, {}, report, result, hooks, start);
      await start.turn?.mayCommit;
      await checkpoint(deps, run, tx, w, result, hooks);
    });
  } catch (err) {
    if (!(err instanceof WindowTooLargeError)) throw err;
    // Its parts run one after another, once the window before is committed.
    await start.turn?.mayCommit;
    const halves = bisect(w);
    if (halves) {
      deps.logger.debug(
        { resource: run.def.name, window: [iso(w.start), iso(w.end)], total: err.total },
        'window over the cap; bisecting',
      );
      let records = 0;
      for (const h of halves) records += await syncWindow(deps, run, h, report);
      return records;
    }
    return syncPartitioned(deps, run, w, report, err.total);
  }
  return tally(report, result);
}

/** Adds a committed window to the resource's report; returns the records it listed. */
function tally(report: ResourceReport, result: WindowResult): number {
  report.pages += result.pages;
  report.windows++;
  report.written += result.written;
  return result.records;
}

/** A one-second window over the cap, read once per partition (e.g. per service) in one transaction. */
async function syncPartitioned(
  deps: SyncDeps,
  run: WindowedRun,
  w: Window,
  report: ResourceReport,
  total: number,
): Promise<number> {
  const result: WindowResult = { pages: 0, records: 0, written: 0 };
  await deps.db.transaction(async (tx) => {
    const parts = run.partitions ? await run.partitions(tx) : [];
    if (parts.length === 0) throw capError(run, w, total);
    const hooks = run.hooks?.() ?? {};
    for (const part of parts) {
      try {
        await streamWindow(deps, run, tx, w, part, report, result, hooks);
      } catch (inner) {
        if (inner instanceof WindowTooLargeError) throw capError(run, w, inner.total);
        throw inner;
      }
    }
    await checkpoint(deps, run, tx, w, result, hooks);
  });
  return tally(report, result);
}

/** The window's last writes, audit row and cursor, in the window's transaction. */
async function checkpoint(
  deps: SyncDeps,
  run: WindowedRun,
  tx: TxHandle,
  w: Window,
  result: WindowResult,
  hooks: WindowHooks,
) {
  if (hooks.beforeCommit) result.written += await hooks.beforeCommit(tx);
  await recordWindow(tx, {
    runId: deps.runId,
    resource: run.def.name,
    windowStart: new Date(w.start),
    windowEnd: new Date(w.end),
    pages: result.pages,
    rows: result.records, // records listed (the cap counts those), not rows across their tables
    splitDepth: w.depth,
  });
  await saveCursor(tx, run.def.name, new Date(w.end));
}

function capError(run: WindowedRun, w: Window, total: number): SyncError {
  return new SyncError(
    `${run.def.name}: the one-second window ${iso(w.start)}–${iso(w.end)} holds ${total} records even split by service, ` +
      "over PagerDuty's 10,000 cap; these cannot be listed completely",
    { resource: run.def.name, window: [iso(w.start), iso(w.end)], total },
  );
}

/** A window started by syncWindowed, and what the next one waits for. */
interface Started {
  /** Records listed, known once its pages are all read (or once it ended, if it was bisected). */
  listed: Promise<number>;
  turn: Turn;
  /** The records it listed, once committed. */
  committed: Promise<number>;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Awaited by whoever needs it; an unwaited rejection is the window's own, reported by `committed`.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Starts syncing `w` after the window whose turn is `turn` (see Turn). */
function startWindow(
  deps: SyncDeps,
  run: WindowedRun,
  w: Window,
  report: ResourceReport,
  opened: Promise<WindowPages> | undefined,
  turn: Turn | undefined,
): Started {
  const listed = deferred<number>();
  const written = deferred<void>();
  const committed = syncWindow(deps, run, w, report, {
    ...(opened ? { opened } : {}),
    ...(turn ? { turn } : {}),
    onListed: listed.resolve,
    onChunksWritten: written.resolve,
  });
  // A bisected or partitioned window reports neither early: its end stands in for both.
  committed.then(
    (records) => {
      listed.resolve(records);
      written.resolve();
    },
    (err: unknown) => {
      listed.reject(err);
      written.reject(err);
    },
  );
  return { listed: listed.promise, committed, turn: { mayWrite: written.promise, mayCommit: committed } };
}

/**
 * Walks [from, to) oldest → newest in windows sized from the observed density, each in its own transaction.
 * Two windows overlap: once a window's pages are all read, the next one starts on another connection,
 * reading and writing its first chunks while this one writes its last and commits (see Turn).
 */
export async function syncWindowed(deps: SyncDeps, run: WindowedRun, report: ResourceReport): Promise<void> {
  const { sync } = run.def;
  if (sync.kind !== 'windowed') throw new SyncError(`${run.def.name} is not a windowed resource`);
  const policy = { targetRows: TARGET_ROWS, minMs: 1000, maxMs: sync.maxWindowMs };
  let size = sync.initialWindowMs;
  let start = run.from;
  let done = 0;
  let rows = 0;
  const started: Started[] = [];
  // Progress is reported as windows commit, in order.
  let reported: Promise<void> = Promise.resolve();
  const onCommitted = (w: Window, committed: Promise<number>, sizeAfter: number) => {
    reported = reported
      .then(() => committed)
      .then((n) => {
        rows += n;
        done++;
        const left = Math.ceil((run.to - w.end) / sizeAfter);
        deps.progress?.({ resource: run.def.name, windowsDone: done, windowsTotal: done + left, rows });
      });
    reported.catch(() => undefined);
  };
  let opened: Promise<WindowPages> | undefined;
  let failure: { err: unknown } | null = null;
  try {
    while (start < run.to) {
      if (deps.signal?.aborted) break;
      const w = nextWindow(start, size, run.to);
      // At most two windows at a time: the one before the previous must be committed.
      await started.at(-2)?.committed;
      const current = startWindow(deps, run, w, report, opened, started.at(-1)?.turn);
      started.push(current);
      const n = await current.listed;
      size = nextWindowSize(size, n, w.end - w.start, policy);
      start = w.end;
      onCommitted(w, current.committed, size);
      // The next window's first page (with its total) is asked for now, while this one's last chunks are
      // written: its bounds follow from the records this one listed.
      opened = undefined;
      if (start < run.to && !deps.signal?.aborted) {
        opened = openWindow(deps, run, nextWindow(start, size, run.to), {});
        // Awaited when its window starts; a window never started must not leave an unhandled rejection.
        opened.catch(() => undefined);
      }
    }
  } catch (err) {
    failure = { err };
  }
  // Every window's transaction has ended before this returns; the first failure in window order is the one
  // reported (a window fails too when the one before it does).
  const outcomes = await Promise.allSettled(started.map((s) => s.committed));
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw failed.reason;
  if (failure) throw failure.err;
  await reported;
}
