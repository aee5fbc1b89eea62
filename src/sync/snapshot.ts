import type { Queryable } from '../db/client.js';
import { saveCursor } from '../db/syncState.js';
import { fetchWindow } from '../pagerduty/paginate.js';
import type { ChildDef, ResourceDef } from '../resources/define.js';
import { collectChildItems, collectItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import {
  emitSignals,
  liveRaw,
  parentsToRead,
  planDetail,
  recordDetail,
  type DetailPlan,
  type OutgoingSignal,
} from './detail.js';
import { tableName, writeBatch } from './write.js';
import { quoteIdentifier as q } from '../db/identifiers.js';

/**
 * A full listing each run. Only when the listing was COMPLETE (every page read, nothing rejected) are rows
 * missing from it marked deleted; a row that comes back is un-deleted by its upsert (deleted_at = null).
 * The per-parent fan-out (`children`) is read for the parents the detail plan names (see detail.ts), and
 * `signals` (declared by other resources on this one) are raised in the same transaction as the rows.
 */
export async function syncSnapshot(
  deps: SyncDeps,
  def: ResourceDef,
  report: ResourceReport,
  signals: readonly OutgoingSignal[] = [],
): Promise<RowBatch> {
  const batch = new RowBatch(deps.runId);
  const parents: unknown[] = [];
  const { pages } = await fetchWindow(deps.client, {
    path: def.path,
    dataKey: def.dataKey,
    query: { ...def.params },
  });
  for await (const page of pages) {
    report.pages++;
    parents.push(...collectItems(def, page, batch, report, deps.logger, new Date(deps.now)));
  }
  const [primary] = batch.tables.keys();
  const plan = def.children && primary ? await planDetail(deps, def.name) : null;
  if (plan && primary) await fanOut(deps, def, plan, parents, batch, report);
  const complete = report.rejected === 0;
  const needsBefore = signals.some((s) => s.signal.kind === 'named');
  report.written += await deps.db.transaction(async (tx) => {
    const table = primary ? tableName(primary) : null;
    const before = needsBefore && table ? await liveRaw(tx, table) : new Map();
    let n = await writeBatch(tx, batch);
    const removed = complete && table ? await markRemoved(tx, table, batch.ids, deps.now) : [];
    n += removed.length;
    if (signals.length > 0) {
      const after = new Map(
        (primary ? (batch.tables.get(primary)?.rows ?? []) : []).map(
          (r) => [String(r.id), rawOf(r)] as const,
        ),
      );
      await emitSignals(tx, signals, { before, after, removed, written: n });
    }
    // A fan-out with rejects is not a complete refresh: the next run tries again.
    if (plan && complete) await recordDetail(tx, def.name, plan, deps.now);
    await saveCursor(tx, def.name, new Date(deps.signpost));
    return n;
  });
  if (!complete)
    deps.logger.warn({ resource: def.name }, 'listing had invalid records: deletions not applied this run');
  report.windows = 1;
  return batch;
}

/** Marks the live rows of `table` missing from a complete listing deleted; returns their ids. */
async function markRemoved(tx: Queryable, table: string, listed: readonly string[], now: number) {
  const rows = await tx.query<{ id: string }>(
    `UPDATE ${q(table)} SET deleted_at = $2::timestamptz, synced_at = now()
       WHERE deleted_at IS NULL AND NOT (id = ANY($1::text[])) RETURNING id`,
    [listed, new Date(now).toISOString()],
  );
  return rows.map((r) => r.id);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The API item a mapper kept in its row's `raw`. */
function rawOf(row: Record<string, unknown>): Record<string, unknown> {
  return isRecord(row.raw) ? row.raw : {};
}

function idOf(item: unknown): string | null {
  return isRecord(item) && typeof item.id === 'string' ? item.id : null;
}

/**
 * Reads the children of the parents `plan` names, all in `batch` (the client's limiter paces the requests):
 * each such parent's child rows are replaced as a set, the others' are left alone.
 */
async function fanOut(
  deps: SyncDeps,
  def: ResourceDef,
  plan: DetailPlan,
  parents: readonly unknown[],
  batch: RowBatch,
  report: ResourceReport,
): Promise<void> {
  const [primary] = batch.tables.keys();
  const rows = primary ? (batch.tables.get(primary)?.rows ?? []) : [];
  const read = await parentsToRead(deps.db, primary ? tableName(primary) : '', rows, plan);
  const chosen = parents.flatMap((p) => {
    const id = idOf(p);
    return id !== null && read.has(id) ? [{ id, parent: p }] : [];
  });
  if (!plan.full && chosen.length > 0)
    deps.logger.info({ resource: def.name, parents: chosen.length }, 'reading the detail of changed parents');
  await Promise.all(
    chosen.flatMap(({ id, parent }) =>
      (def.children ?? []).map((child) => {
        batch.add([
          { table: child.replaces.table, rows: [], replaceFor: { column: child.replaces.column, ids: [id] } },
        ]);
        return collectChildren(deps, def, child, parent, batch, report);
      }),
    ),
  );
}

/** Reads every page of one parent's child listing into `batch`. */
async function collectChildren(
  deps: SyncDeps,
  def: ResourceDef,
  child: ChildDef,
  parent: unknown,
  batch: RowBatch,
  report: ResourceReport,
): Promise<void> {
  const { pages } = await fetchWindow(deps.client, {
    path: child.path(parent),
    dataKey: child.dataKey,
    query: { ...child.params },
  });
  const ctx = { report, logger: deps.logger, syncedAt: new Date(deps.now) };
  for await (const page of pages) {
    report.pages++;
    collectChildItems(def.name, child, parent, page, batch, ctx);
  }
}
