import type { PgTable } from 'drizzle-orm/pg-core';
import type { Logger } from '../logger.js';
import type { ResourceDef, TableRows } from '../resources/define.js';
import type { ResourceReport } from './context.js';

/** Rows of one window, grouped by table, ready for one transaction. */
export class RowBatch {
  readonly tables = new Map<
    PgTable,
    { rows: Record<string, unknown>[]; replace?: { column: string; ids: string[] } }
  >();
  /** Ids of the primary items (for incidents: which incidents this batch holds). */
  readonly ids: string[] = [];

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

/**
 * Validates raw items and maps the valid ones into `batch`. An invalid item is skipped and counted; the
 * first few problems of a resource are logged, not every one.
 */
export function collectItems(
  def: ResourceDef,
  items: readonly unknown[],
  batch: RowBatch,
  report: ResourceReport,
  logger: Logger,
  syncedAt: Date,
): void {
  for (const item of items) {
    report.fetched++;
    const parsed = isObject(item) ? def.schema.safeParse(item) : null;
    if (!parsed?.success || !isObject(item)) {
      report.rejected++;
      if (report.rejected <= 3) {
        const issues = parsed?.error?.issues ?? [];
        const why = parsed
          ? issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`)
          : ['not an object'];
        logger.warn({ resource: def.name, issues: why }, 'skipped an invalid record');
      }
      continue;
    }
    batch.add(def.toRows(parsed.data, { syncedAt, raw: item }));
    if (typeof item.id === 'string') batch.ids.push(item.id);
  }
}
