import { saveCursor } from '../db/syncState.js';
import { fetchWindow } from '../pagerduty/paginate.js';
import type { ChildDef, ResourceDef } from '../resources/define.js';
import { collectChildItems, collectItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { tableName, writeBatch } from './write.js';
import { quoteIdentifier as q } from '../db/identifiers.js';

/**
 * A full listing each run. Only when the listing was COMPLETE (every page read, nothing rejected) are rows
 * missing from it marked deleted; a row that comes back is un-deleted by its upsert (deleted_at = null).
 */
export async function syncSnapshot(
  deps: SyncDeps,
  def: ResourceDef,
  report: ResourceReport,
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
  // Every parent's children in parallel (the client's limiter paces the requests); all in this one batch,
  // so the parent's `replaceFor` prunes against the complete child set.
  await Promise.all(
    parents.flatMap((parent) =>
      (def.children ?? []).map((child) => collectChildren(deps, def, child, parent, batch, report)),
    ),
  );
  const complete = report.rejected === 0;
  report.written += await deps.db.transaction(async (tx) => {
    let n = await writeBatch(tx, batch);
    const [primary] = batch.tables.keys();
    if (complete && primary) {
      const rows = await tx.query<{ n: number }>(
        `WITH d AS (UPDATE ${q(tableName(primary))} SET deleted_at = $2::timestamptz, synced_at = now()
           WHERE deleted_at IS NULL AND NOT (id = ANY($1::text[])) RETURNING 1) SELECT count(*)::int AS n FROM d`,
        [batch.ids, new Date(deps.now).toISOString()],
      );
      n += rows[0]?.n ?? 0;
    }
    await saveCursor(tx, def.name, new Date(deps.signpost));
    return n;
  });
  if (!complete)
    deps.logger.warn({ resource: def.name }, 'listing had invalid records: deletions not applied this run');
  report.windows = 1;
  return batch;
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
