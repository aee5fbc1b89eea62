import type { PgTable } from 'drizzle-orm/pg-core';
import type { Logger } from '../logger.js';
import type { ChildDef, ResourceDef, TableRows } from '../resources/define.js';
import type { ResourceReport } from './context.js';

/** Rows of one window, grouped by table, ready for one transaction. */
export class RowBatch {
  readonly tables = new Map<
    PgTable,
    { rows: Record<string, unknown>[]; replace?: { column: string; ids: string[] } }
  >();
  /** Ids of the primary items (for incidents: which incidents this batch holds). */
  readonly ids: string[] = [];
  /** Per table, the first key column of the rows writeBatch inserted or really changed. */
  readonly written = new Map<PgTable, Set<string>>();

  /** Keys of `table`'s rows this batch's write inserted or changed (empty before the write). */
  writtenKeys(table: PgTable): ReadonlySet<string> {
    return this.written.get(table) ?? new Set();
  }

  add(out: TableRows[]): void {
    for (const t of out) {
      let entry = this.tables.get(t.table);
      if (!entry) {
        entry = { rows: [] };
        this.tables.set(t.table, entry);
      }
      for (const r of t.rows) entry.rows.push(r);
      if (t.replaceFor) {
        entry.replace ??= { column: t.replaceFor.column, ids: [] };
        for (const id of t.replaceFor.ids) entry.replace.ids.push(id);
      }
    }
  }

  get size(): number {
    let n = 0;
    for (const e of this.tables.values()) n += e.rows.length;
    return n;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one raw item; an invalid one is counted, and the first few problems of a resource are logged. */
function parseItem(
  schema: ResourceDef['schema'],
  item: unknown,
  report: ResourceReport,
  logger: Logger,
  resource: string,
): { data: unknown; raw: Record<string, unknown> } | null {
  report.fetched++;
  const parsed = isObject(item) ? schema.safeParse(item) : null;
  if (parsed?.success && isObject(item)) return { data: parsed.data, raw: item };
  report.rejected++;
  if (report.rejected <= 3) {
    const issues = parsed?.error?.issues ?? [];
    const why = parsed
      ? issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`)
      : ['not an object'];
    logger.warn({ resource, issues: why }, 'skipped an invalid record');
  }
  return null;
}

/**
 * Validates raw items and maps the valid ones into `batch`. An invalid item is skipped and counted.
 * Returns the parsed valid items (the parents of a fan-out).
 */
export function collectItems(
  def: ResourceDef,
  items: readonly unknown[],
  batch: RowBatch,
  report: ResourceReport,
  logger: Logger,
  syncedAt: Date,
): unknown[] {
  const parsed: unknown[] = [];
  for (const item of items) {
    const p = parseItem(def.schema, item, report, logger, def.name);
    if (!p) continue;
    batch.add(def.toRows(p.data, { syncedAt, raw: p.raw }));
    if (typeof p.raw.id === 'string') batch.ids.push(p.raw.id);
    parsed.push(p.data);
  }
  return parsed;
}

/** Like collectItems for the items of one parent's child listing (their ids are not the resource's). */
export function collectChildItems(
  resource: string,
  child: ChildDef,
  parent: unknown,
  items: readonly unknown[],
  batch: RowBatch,
  ctx: { report: ResourceReport; logger: Logger; syncedAt: Date },
): void {
  for (const item of items) {
    const p = parseItem(child.schema, item, ctx.report, ctx.logger, resource);
    if (p) batch.add(child.toRows(parent, p.data, { syncedAt: ctx.syncedAt, raw: p.raw }));
  }
}
