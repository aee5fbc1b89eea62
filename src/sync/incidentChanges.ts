import { HttpError } from '../errors.js';
import { fetchWindow, WindowTooLargeError } from '../pagerduty/paginate.js';
import type { Query } from '../pagerduty/query.js';
import type { ResourceDef } from '../resources/define.js';
import { collectItems, RowBatch } from './collect.js';
import { planRereads } from './rereadPlan.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { refreshFirstAcks, writeBatch } from './write.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const CHUNK = 200;
/** The most stored incidents one re-listed span may hold: its rows wait in memory for one write. */
const SPAN_INCIDENTS = 1000;

/** Writes a batch of incidents (with their first-ack times) in one transaction, no cursor involved. */
async function commit(
  deps: SyncDeps,
  batch: RowBatch,
  report: ResourceReport,
  onCommitted?: OnCommitted,
): Promise<void> {
  if (batch.size === 0 && batch.rejects.length === 0) return;
  report.written += await deps.db.transaction(async (tx) => {
    const n = await writeBatch(tx, batch);
    return n + (await refreshFirstAcks(tx, batch.ids));
  });
  onCommitted?.(batch);
}

/** Called with each committed batch (after COMMIT). */
export type OnCommitted = (batch: RowBatch) => void;

/** GET /incidents/{id} for each id, paced by the shared limiter; unknown ids (404) are logged and skipped. */
async function readEach(
  deps: SyncDeps,
  def: ResourceDef,
  ids: readonly string[],
  report: ResourceReport,
  onCommitted?: OnCommitted,
) {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const batch = new RowBatch(deps.runId);
    const answers = await Promise.all(
      ids.slice(i, i + CHUNK).map(async (id) => {
        try {
          const res = await deps.client.get(`${def.path}/${encodeURIComponent(id)}`, { time_zone: 'UTC' });
          report.pages++;
          const body = res.body as { incident?: unknown } | null;
          return body?.incident ?? null;
        } catch (err) {
          if (err instanceof HttpError && err.status === 404) {
            deps.logger.warn(
              { resource: def.name, incident: id },
              'incident named by the log is gone (404); skipped',
            );
            return null;
          }
          throw err;
        }
      }),
    );
    collectItems(
      def,
      answers.filter((a) => a !== null),
      batch,
      report,
      deps.logger,
      new Date(deps.now),
    );
    await commit(deps, batch, report, onCommitted);
  }
}

/** Re-lists /incidents for a query (a created_at day, or the open list) and writes what it finds. */
async function relist(
  deps: SyncDeps,
  def: ResourceDef,
  query: Query,
  report: ResourceReport,
  onCommitted?: OnCommitted,
): Promise<string[]> {
  const batch = new RowBatch(deps.runId);
  const { pages } = await fetchWindow(deps.client, {
    path: def.path,
    dataKey: def.dataKey,
    query: { ...def.params, ...query },
  });
  for await (const page of pages) {
    report.pages++;
    collectItems(def, page, batch, report, deps.logger, new Date(deps.now));
  }
  await commit(deps, batch, report, onCommitted);
  return batch.ids;
}

/**
 * Re-reads the incidents the log feed named that this run did not already read, at the fewest requests:
 * one GET per incident, or one listing of a created_at span holding several of them (its stored
 * incidents ÷ 100 pages), whichever is cheaper (planRereads).
 */
export async function rereadChanged(
  deps: SyncDeps,
  def: ResourceDef,
  changed: Set<string>,
  report: ResourceReport,
  onCommitted?: OnCommitted,
) {
  if (changed.size === 0) return;
  const ids = [...changed];
  // The changed incidents we hold in created_at order, with the stored incidents from each to the next
  // (each count stops past SPAN_INCIDENTS: only whether a span stays under it matters).
  const held = await deps.db.query<{ id: string; at: number; following: number; same_second: number }>(
    `WITH c AS (SELECT id, created_at, lead(created_at) OVER (ORDER BY created_at, id) AS next
                  FROM incidents WHERE id = ANY($1::text[]))
     SELECT c.id, (extract(epoch FROM c.created_at) * 1000)::float8 AS at,
       (SELECT count(*)::int FROM (SELECT 1 FROM incidents i WHERE i.created_at >= c.created_at
          AND i.created_at < coalesce(c.next, c.created_at + interval '1 second') LIMIT $2) s) AS following,
       (SELECT count(*)::int FROM (SELECT 1 FROM incidents i WHERE i.created_at >= c.created_at
          AND i.created_at < c.created_at + interval '1 second' LIMIT $2) s) AS same_second
       FROM c ORDER BY c.created_at, c.id`,
    [ids, SPAN_INCIDENTS + 1],
  );
  const plan = planRereads(
    held.map((h) => ({ id: h.id, at: Number(h.at), following: h.following, sameSecond: h.same_second })),
    { maxIncidents: SPAN_INCIDENTS, maxMs: def.sync.kind === 'windowed' ? def.sync.maxWindowMs : DAY },
  );
  const single = new Set(ids);
  for (const span of plan.spans) {
    try {
      await relist(deps, def, { since: iso(span.since), until: iso(span.until) }, report, onCommitted);
    } catch (err) {
      // Far more incidents there now than we hold: read this span's changed incidents one by one.
      if (err instanceof WindowTooLargeError) continue;
      throw err;
    }
    for (const id of span.ids) single.delete(id);
  }
  await readEach(deps, def, [...single], report, onCommitted);
  report.reread = (report.reread ?? 0) + changed.size;
}

/**
 * The safety net: everything PagerDuty lists as open is re-read, and every incident the warehouse still holds
 * as open but that list no longer has (resolved in between) is read by id.
 */
export async function sweepOpen(
  deps: SyncDeps,
  def: ResourceDef,
  /** True for an incident this run already read (by id and created_at, epoch ms): not read again. */
  alreadyRead: (id: string, createdAt: number) => boolean,
  report: ResourceReport,
  onCommitted?: OnCommitted,
) {
  const open = new Set(
    await relist(
      deps,
      def,
      { 'statuses[]': ['triggered', 'acknowledged'], date_range: 'all' },
      report,
      onCommitted,
    ),
  );
  const held = await deps.db.query<{ id: string; created_at: Date }>(
    `SELECT id, created_at FROM incidents WHERE status <> 'resolved'`,
  );
  const stale = held
    .filter((r) => !open.has(r.id) && !alreadyRead(r.id, new Date(r.created_at).getTime()))
    .map((r) => r.id);
  await readEach(deps, def, stale, report, onCommitted);
  report.reread = (report.reread ?? 0) + stale.length;
}
