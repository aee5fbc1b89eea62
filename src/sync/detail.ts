/**
 * The detail of a resource: what its listing does not carry and costs a request per parent (team members,
 * tag assignments) or many pages (the on-call forecast). A full refresh reads all of it when the last
 * complete one is older than SYNC_DETAIL_REFRESH; in between, only what a signal names is read (see
 * DetailSignal). State in sync_state.extra of the resource: when the last full refresh committed (on the
 * run's clock), and the parents signals named that are still owed a read (saved in the transaction of the
 * listing that raised them, so a failed run leaves them to the next).
 */
import type { Queryable } from '../db/client.js';
import { quoteIdentifier as q } from '../db/identifiers.js';
import { addToSavedSet, getCursor, removeFromSavedSet, savedSet, saveExtraValue } from '../db/syncState.js';
import type { DetailSignal, ResourceDef } from '../resources/define.js';
import type { SyncDeps } from './context.js';
import { tableName } from './write.js';

/** sync_state.extra key: when the last full detail refresh committed (ISO instant, the run's clock). */
const REFRESHED_AT = 'detailRefreshedAt';
/** sync_state.extra key: parent ids a signal named, owed a read of their detail. */
const PENDING = 'pendingDetailIds';

/** What of a resource's detail this run reads. */
export interface DetailPlan {
  /** Everything (every listed parent's children, or the whole forecast). */
  full: boolean;
  /** Parents signals named since their detail was last read. */
  pending: ReadonlySet<string>;
}

/** A full refresh is due on `--full`, with SYNC_DETAIL_REFRESH=0, on the first run, or once the interval passed. */
export async function planDetail(deps: SyncDeps, resource: string): Promise<DetailPlan> {
  const saved = await getCursor(deps.db, resource);
  const at = saved?.extra?.[REFRESHED_AT];
  const last = typeof at === 'string' ? Date.parse(at) : NaN;
  const interval = deps.config.sync.detailRefreshMs;
  // A refresh "in the future" (a clock set back) counts as none.
  const fresh = !Number.isNaN(last) && last <= deps.now && deps.now - last < interval;
  return { full: deps.config.sync.full || !fresh, pending: new Set(savedSet(saved, PENDING)) };
}

/** Inside the transaction that commits the detail read under `plan`: the signals are served, the refresh noted. */
export async function recordDetail(tx: Queryable, resource: string, plan: DetailPlan, now: number) {
  await removeFromSavedSet(tx, resource, PENDING, [...plan.pending]);
  if (plan.full) await saveExtraValue(tx, resource, REFRESHED_AT, new Date(now).toISOString());
}

/**
 * The listed parents (`rows`: the primary table's rows, with `id` and `raw`) whose detail this run reads:
 * all of them on a full refresh; otherwise those new, changed (their stored `raw` differs: a relabelled tag
 * relabels its assignments) or back from deletion, and those a signal named.
 */
export async function parentsToRead(
  db: Queryable,
  table: string,
  rows: readonly Record<string, unknown>[],
  plan: DetailPlan,
): Promise<Set<string>> {
  const listed = rows.map((r) => ({ id: String(r.id), raw: r.raw ?? null }));
  if (plan.full) return new Set(listed.map((r) => r.id));
  const changed = await db.query<{ id: string }>(
    `SELECT n.id FROM jsonb_to_recordset($1::jsonb) AS n(id text, raw jsonb)
       LEFT JOIN ${q(table)} t ON t.id = n.id AND t.deleted_at IS NULL
      WHERE t.id IS NULL OR t.raw IS DISTINCT FROM n.raw`,
    [JSON.stringify(listed)],
  );
  const out = new Set(changed.map((r) => r.id));
  for (const r of listed) if (plan.pending.has(r.id)) out.add(r.id);
  return out;
}

/** A signal another resource declared on this one, with the resource (the target) it serves. */
export interface OutgoingSignal {
  target: string;
  signal: DetailSignal;
}

/** Per source resource name, the signals other resources declared on it. */
export function signalsBySource(defs: readonly ResourceDef[]): Map<string, OutgoingSignal[]> {
  const out = new Map<string, OutgoingSignal[]>();
  for (const def of defs) {
    for (const signal of def.detailSignals ?? []) {
      const list = out.get(signal.resource) ?? [];
      list.push({ target: def.name, signal });
      out.set(signal.resource, list);
    }
  }
  return out;
}

/** What a source listing's write changed, for its outgoing signals. */
export interface SourceChange {
  /** The live rows' `raw` before the write, by id (loaded only when a `named` signal needs it). */
  before: ReadonlyMap<string, Record<string, unknown>>;
  /** The listed items' `raw`, by id. */
  after: ReadonlyMap<string, Record<string, unknown>>;
  /** Ids marked deleted by this write (gone from a complete listing). */
  removed: readonly string[];
  /** Rows inserted, changed or deleted. */
  written: number;
}

/** The live rows' raw of `table`, by id: what `named` signals compare the new listing with. */
export async function liveRaw(db: Queryable, table: string): Promise<Map<string, Record<string, unknown>>> {
  const rows = await db.query<{ id: string; raw: Record<string, unknown> | null }>(
    `SELECT id, raw FROM ${q(table)} WHERE deleted_at IS NULL`,
  );
  return new Map(rows.map((r) => [r.id, r.raw ?? {}]));
}

/** Parents a `named` signal says changed: the symmetric difference of each item's old and new names. */
function namedParents(
  parents: (raw: Record<string, unknown>) => readonly string[],
  change: SourceChange,
): string[] {
  const removed = new Set(change.removed);
  const out = new Set<string>();
  for (const id of new Set([...change.before.keys(), ...change.after.keys()])) {
    const was = change.before.get(id);
    const is = change.after.get(id);
    const old = new Set(was ? parents(was) : []);
    const now = new Set(is ? parents(is) : removed.has(id) ? [] : old);
    for (const p of old) if (!now.has(p)) out.add(p);
    for (const p of now) if (!old.has(p)) out.add(p);
  }
  return [...out];
}

/** Inside the source listing's transaction: owes each target the reads its signals call for. */
export async function emitSignals(
  tx: Queryable,
  signals: readonly OutgoingSignal[],
  change: SourceChange,
): Promise<void> {
  for (const { target, signal } of signals) {
    if (signal.kind === 'any') {
      if (change.written > 0) await saveExtraValue(tx, target, REFRESHED_AT, undefined);
    } else if (signal.kind === 'named') {
      await addToSavedSet(tx, target, PENDING, namedParents(signal.parents, change));
    } else if (change.removed.length > 0) {
      const match = Object.entries(signal.match ?? {});
      const where = match.map(([column], i) => ` AND ${q(column)} = $${i + 2}`).join('');
      const rows = await tx.query<{ id: string }>(
        `SELECT DISTINCT ${q(signal.parentColumn)} AS id FROM ${q(tableName(signal.table))}
          WHERE ${q(signal.entityColumn)} = ANY($1::text[])${where}`,
        [[...change.removed], ...match.map(([, value]) => value)],
      );
      await addToSavedSet(
        tx,
        target,
        PENDING,
        rows.map((r) => r.id),
      );
    }
  }
}
