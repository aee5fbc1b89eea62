import type { TxHandle } from '../db/client.js';
import { recordWindow, saveCursor } from '../db/syncState.js';
import { SyncError } from '../errors.js';
import { fetchWindow, WindowTooLargeError } from '../pagerduty/paginate.js';
import type { Query } from '../pagerduty/query.js';
import type { ResourceDef } from '../resources/define.js';
import { collectItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { bisect, nextWindow, nextWindowSize, type Window } from './windows.js';
import { writeBatch } from './write.js';

export interface WindowedRun {
  def: ResourceDef;
  from: number;
  to: number;
  /** More writes in the window's transaction (e.g. first-ack times); returns rows written. */
  afterWrite?: (tx: TxHandle, batch: RowBatch) => Promise<number>;
  /** For a one-second window still over the cap: query variants that partition it (e.g. per service). */
  partitions?: () => Promise<Query[]>;
  /** Called with each committed batch (after COMMIT). */
  onCommitted?: (batch: RowBatch) => void;
}

const TARGET_ROWS = 5000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Reads one window (or one partition of it) completely into a batch. */
async function readWindow(
  deps: SyncDeps,
  run: WindowedRun,
  w: Window,
  extra: Query,
  batch: RowBatch,
  report: ResourceReport,
) {
  const { def } = run;
  const { pages } = await fetchWindow(deps.client, {
    path: def.path,
    dataKey: def.dataKey,
    query: { ...def.params, since: iso(w.start), until: iso(w.end), ...extra },
    limit: 100,
    concurrency: 4,
  });
  let n = 0;
  for await (const page of pages) {
    n++;
    collectItems(def, page, batch, report, deps.logger, new Date(deps.now));
  }
  return n;
}

/** Rows and checkpoint of one window in ONE transaction: a crash re-reads at most this window. */
async function commitWindow(deps: SyncDeps, run: WindowedRun, w: Window, batch: RowBatch, pages: number) {
  const written = await deps.db.transaction(async (tx) => {
    let n = await writeBatch(tx, batch);
    if (run.afterWrite) n += await run.afterWrite(tx, batch);
    await recordWindow(tx, {
      runId: deps.runId,
      resource: run.def.name,
      windowStart: new Date(w.start),
      windowEnd: new Date(w.end),
      pages,
      rows: batch.ids.length, // records listed (the cap counts those), not rows across their tables
      splitDepth: w.depth,
    });
    await saveCursor(tx, run.def.name, new Date(w.end));
    return n;
  });
  run.onCommitted?.(batch);
  return written;
}

/** Reads and commits `w`; bisects it while it is over the cap, then splits a one-second window by partition. */
async function syncWindow(
  deps: SyncDeps,
  run: WindowedRun,
  w: Window,
  report: ResourceReport,
): Promise<number> {
  // Every line logged while this window is read names it.
  deps = { ...deps, logger: deps.logger.child({ window: `${iso(w.start)}/${iso(w.end)}` }) };
  const batch = new RowBatch(deps.runId);
  let pages = 0;
  try {
    pages = await readWindow(deps, run, w, {}, batch, report);
  } catch (err) {
    if (!(err instanceof WindowTooLargeError)) throw err;
    const halves = bisect(w);
    if (halves) {
      deps.logger.debug(
        { resource: run.def.name, window: [iso(w.start), iso(w.end)], total: err.total },
        'window over the cap; bisecting',
      );
      let rows = 0;
      for (const h of halves) rows += await syncWindow(deps, run, h, report);
      return rows;
    }
    const parts = run.partitions ? await run.partitions() : [];
    if (parts.length === 0) throw capError(run, w, err.total);
    for (const part of parts) {
      try {
        pages += await readWindow(deps, run, w, part, batch, report);
      } catch (inner) {
        if (inner instanceof WindowTooLargeError) throw capError(run, w, inner.total);
        throw inner;
      }
    }
  }
  report.pages += pages;
  report.windows++;
  report.written += await commitWindow(deps, run, w, batch, pages);
  return batch.ids.length;
}

function capError(run: WindowedRun, w: Window, total: number): SyncError {
  return new SyncError(
    `${run.def.name}: the one-second window ${iso(w.start)}–${iso(w.end)} holds ${total} records even split by service, ` +
      "over PagerDuty's 10,000 cap; these cannot be listed completely",
    { resource: run.def.name, window: [iso(w.start), iso(w.end)], total },
  );
}

/** Walks [from, to) oldest → newest in windows sized from the observed density. */
export async function syncWindowed(deps: SyncDeps, run: WindowedRun, report: ResourceReport): Promise<void> {
  const { sync } = run.def;
  if (sync.kind !== 'windowed') throw new SyncError(`${run.def.name} is not a windowed resource`);
  const policy = { targetRows: TARGET_ROWS, minMs: 1000, maxMs: sync.maxWindowMs };
  let size = sync.initialWindowMs;
  let start = run.from;
  let done = 0;
  let rows = 0;
  while (start < run.to) {
    if (deps.signal?.aborted) break;
    const w = nextWindow(start, size, run.to);
    const n = await syncWindow(deps, run, w, report);
    rows += n;
    done++;
    size = nextWindowSize(size, n, w.end - w.start, policy);
    start = w.end;
    const left = Math.ceil((run.to - start) / size);
    deps.progress?.({ resource: run.def.name, windowsDone: done, windowsTotal: done + left, rows });
  }
}
