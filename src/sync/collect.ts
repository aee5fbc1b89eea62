import type { PgTable } from 'drizzle-orm/pg-core';
import type { Logger } from '../logger.js';
import { isNulFree } from '../pagerduty/nulFree.js';
import { itemBytes } from '../pagerduty/rawItems.js';
import { JsonText } from '../db/values.js';
import type { ChildDef, ResourceDef, TableRows } from '../resources/define.js';
import type { ResourceReport } from './context.js';

/** A record that failed validation, bound for `sync_rejects` in the batch's transaction. */
export interface Reject {
  resource: string;
  itemId: string | null;
  reason: string;
  payload: unknown;
}

/** Payloads over this many characters of JSON are kept as a prefix (a hostile API can send megabytes). */
const MAX_REJECT_PAYLOAD = 100_000;

function keptPayload(item: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(item);
  } catch {
    text = undefined;
  }
  if (text === undefined) return { unserialisable: String(item) };
  // NUL cannot be stored: keep the record with U+FFFD in its place.
  if (text.includes('\\u0000')) return keptPayload(JSON.parse(text.replaceAll('\\u0000', '\\ufffd')));
  return text.length <= MAX_REJECT_PAYLOAD
    ? item
    : { truncated: true, length: text.length, prefix: text.slice(0, 10_000) };
}

/** Rows of one window, grouped by table, ready for one transaction. */
export class RowBatch {
  /** Records that failed validation, written to sync_rejects with the rows (run `runId`). */
  readonly rejects: Reject[] = [];

  /** `runId`: the run the rejects belong to (sync_runs.id). */
  constructor(readonly runId: number | null = null) {}

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

/** True when any string in `item` (keys included) holds U+0000: Postgres text and jsonb refuse it. */
function hasNul(item: unknown): boolean {
  if (typeof item === 'string') return item.includes('\u0000');
  if (Array.isArray(item)) return item.some(hasNul);
  if (typeof item === 'object' && item !== null) {
    for (const [k, v] of Object.entries(item)) if (k.includes('\u0000') || hasNul(v)) return true;
  }
  return false;
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
  batch: RowBatch,
  /** The item comes from a response already known to hold no U+0000. */
  nulFree = false,
): { data: unknown; raw: Record<string, unknown> } | null {
  report.fetched++;
  const nul = !nulFree && isObject(item) && hasNul(item);
  const parsed = isObject(item) && !nul ? schema.safeParse(item) : null;
  if (parsed?.success && isObject(item)) return { data: parsed.data, raw: item };
  report.rejected++;
  const issues = parsed?.error?.issues ?? [];
  const why = nul
    ? ['contains a NUL character, which Postgres cannot store']
    : parsed
      ? issues.slice(0, 5).map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`)
      : [`not an object (${item === null ? 'null' : Array.isArray(item) ? 'array' : typeof item})`];
  const id = isObject(item) && typeof item.id === 'string' ? item.id.slice(0, 200) : null;
  batch.rejects.push({
    resource,
    itemId: id,
    reason: why.join('; ').slice(0, 1000),
    payload: keptPayload(item),
  });
  if (report.rejected <= 3) {
    logger.warn({ resource, itemId: id, issues: why }, 'rejected an invalid record (kept in sync_rejects)');
  }
  return null;
}

/** Rows whose `raw` is the record itself get it as JSON text now (JsonText): the object tree can go. */
function serialiseRaw(
  out: TableRows[],
  raw: Record<string, unknown>,
  bytes: Buffer | undefined,
): TableRows[] {
  let text: JsonText | undefined;
  for (const t of out) {
    for (const row of t.rows) if (row.raw === raw) row.raw = text ??= new JsonText(raw, bytes);
  }
  return out;
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
  /**
   * Hold each row's `raw` as JSON text (JsonText): for streamed windows, where rows only wait for their
   * write. Listings whose rows are read back after mapping (snapshots compare and follow `raw`) keep objects.
   */
  rawAsText = false,
): unknown[] {
  const parsed: unknown[] = [];
  const clean = isNulFree(items);
  // Each record's JSON as received, when the page's bytes were kept: stored as is, not serialised again.
  const received = rawAsText ? itemBytes(items) : null;
  for (let i = 0; i < items.length; i++) {
    const p = parseItem(def.schema, items[i], report, logger, def.name, batch, clean);
    if (!p) continue;
    const rows = def.toRows(p.data, { syncedAt, raw: p.raw });
    batch.add(rawAsText ? serialiseRaw(rows, p.raw, received?.[i]) : rows);
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
    const p = parseItem(child.schema, item, ctx.report, ctx.logger, resource, batch);
    if (p) batch.add(child.toRows(parent, p.data, { syncedAt: ctx.syncedAt, raw: p.raw }));
  }
}
