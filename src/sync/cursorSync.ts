import { getCursor, saveCursor, type SavedCursor } from '../db/syncState.js';
import { HttpError, QuotaExhaustedError, SyncError } from '../errors.js';
import { PaginationError } from '../pagerduty/paginate.js';
import type { ResourceDef } from '../resources/define.js';
import { collectItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { writeBatch } from './write.js';

/**
 * A pass over a cursor-paged POST endpoint (the analytics API): every record created since the configured
 * start and, after the first complete pass, updated after the saved cursor minus the overlap. Each page is
 * committed with the pass's position (`extra.pass`), so a run stopped by the daily quota, a signal or a
 * failure resumes on the next run where it stopped instead of paying for the same pages again. The cursor
 * (the newest `updated_at` seen) moves only when a pass completes.
 */
interface Pass {
  createdAtStart: string;
  /** null on a first pass: everything. */
  updatedAfter: string | null;
  /** The API's opaque cursor after the last committed page; null before the first page. */
  startingAfter: string | null;
  /** The newest `updated_at` among the records committed so far (ISO), null before any. */
  maxUpdatedAt: string | null;
}

const PASS = 'pass';

function savedPass(saved: SavedCursor | null, createdAtStart: string): Pass | null {
  const p = saved?.extra?.[PASS];
  if (typeof p !== 'object' || p === null) return null;
  const pass = p as Partial<Pass>;
  if (pass.createdAtStart !== createdAtStart || typeof pass.startingAfter !== 'string') return null;
  return {
    createdAtStart,
    updatedAfter: typeof pass.updatedAfter === 'string' ? pass.updatedAfter : null,
    startingAfter: pass.startingAfter,
    maxUpdatedAt: typeof pass.maxUpdatedAt === 'string' ? pass.maxUpdatedAt : null,
  };
}

function newPass(deps: SyncDeps, saved: SavedCursor | null, overlapMs: number): Pass {
  const createdAtStart = new Date(deps.config.sync.start).toISOString();
  const cursor = deps.config.sync.full ? null : (saved?.cursor?.getTime() ?? null);
  const updatedAfter = cursor === null ? null : new Date(cursor - overlapMs).toISOString();
  return { createdAtStart, updatedAfter, startingAfter: null, maxUpdatedAt: null };
}

/** UTC wall-clock time without an offset, as the analytics filters take it under time_zone Etc/UTC. */
function bare(iso: string): string {
  return iso.replace(/\.\d{3}Z$|Z$/, '');
}

interface Page {
  items: unknown[];
  more: boolean;
  last: string | null;
}

function readPage(path: string, body: unknown, dataKey: string): Page {
  const b = body as Record<string, unknown> | null;
  const items = b?.[dataKey];
  if (!b || !Array.isArray(items))
    throw new PaginationError(`POST ${path}: the answer has no "${dataKey}" list`);
  const more = b.more === true;
  const last = typeof b.last === 'string' && b.last !== '' ? b.last : null;
  if (more && (last === null || items.length === 0)) {
    throw new PaginationError(
      `POST ${path}: the answer says there is more but gives no cursor to go on from`,
    );
  }
  return { items, more, last };
}

function newest(current: string | null, rows: Record<string, unknown>[]): string | null {
  let max = current === null ? -Infinity : Date.parse(current);
  for (const r of rows) {
    const t = r.updatedAt instanceof Date ? r.updatedAt.getTime() : NaN;
    if (t > max) max = t;
  }
  return max === -Infinity ? null : new Date(max).toISOString();
}

async function runPass(deps: SyncDeps, def: ResourceDef, pass: Pass, report: ResourceReport): Promise<void> {
  if (def.sync.kind !== 'cursor') throw new SyncError(`${def.name} is not a cursor resource`);
  const { pageSize } = def.sync;
  let position = pass;
  for (;;) {
    if (deps.signal?.aborted) return;
    const filters: Record<string, string> = { created_at_start: bare(position.createdAtStart) };
    if (position.updatedAfter !== null) filters.updated_after = bare(position.updatedAfter);
    const body = {
      ...def.params,
      filters,
      limit: pageSize,
      ...(position.startingAfter === null ? {} : { starting_after: position.startingAfter }),
    };
    const res = await deps.client.post(def.path, body);
    report.pages++;
    const page = readPage(def.path, res.body, def.dataKey);
    const batch = new RowBatch(deps.runId);
    collectItems(def, page.items, batch, report, deps.logger, new Date(deps.now));
    const rows = [...batch.tables.values()].flatMap((e) => e.rows);
    const next: Pass = {
      ...position,
      startingAfter: page.last,
      maxUpdatedAt: newest(position.maxUpdatedAt, rows),
    };
    report.written += await deps.db.transaction(async (tx) => {
      const n = await writeBatch(tx, batch);
      if (page.more) {
        await saveCursor(tx, def.name, null, { [PASS]: next });
      } else {
        // The pass is complete: everything updated up to its newest record is in; clear the position.
        const done = next.maxUpdatedAt ?? next.updatedAfter;
        await saveCursor(tx, def.name, done === null ? null : new Date(done), {});
      }
      return n;
    });
    deps.progress?.({
      resource: def.name,
      windowsDone: report.pages,
      windowsTotal: null,
      rows: report.fetched,
    });
    if (!page.more) return;
    if (page.last === position.startingAfter) {
      throw new PaginationError(`POST ${def.path}: the cursor did not advance; stopping rather than looping`);
    }
    position = next;
  }
}

/**
 * Syncs one cursor resource. A spent daily quota ends the resource cleanly (status `deferred`, one
 * warning): the pages read are committed and the next run goes on from there. A saved position the API
 * no longer accepts (400) starts the pass over once.
 */
export async function syncCursorResource(
  deps: SyncDeps,
  def: ResourceDef,
  report: ResourceReport,
): Promise<void> {
  if (def.sync.kind !== 'cursor') throw new SyncError(`${def.name} is not a cursor resource`);
  const saved = await getCursor(deps.db, def.name);
  const fresh = newPass(deps, saved, def.sync.overlapMs);
  const resumed = deps.config.sync.full ? null : savedPass(saved, fresh.createdAtStart);
  if (resumed) deps.logger.info({ resource: def.name }, 'resuming the pass a previous run left unfinished');
  report.windows = 1;
  try {
    try {
      await runPass(deps, def, resumed ?? fresh, report);
    } catch (err) {
      if (!(resumed && err instanceof HttpError && err.status === 400)) throw err;
      deps.logger.warn(
        { resource: def.name },
        'the saved page cursor was refused (400); starting the pass over',
      );
      await runPass(deps, def, fresh, report);
    }
  } catch (err) {
    if (!(err instanceof QuotaExhaustedError)) throw err;
    report.status = 'deferred';
    report.error = err.message;
    const resumesIn = `${(err.resetInMs / 3_600_000).toFixed(1)} h`;
    deps.logger.warn(
      { resource: def.name, pages: report.pages, resumesIn },
      'daily quota spent: kept the pages read; the next run after the reset goes on from there',
    );
  }
}
