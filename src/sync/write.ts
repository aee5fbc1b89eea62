import { getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/client.js';
import { quoteIdentifier as q } from '../db/identifiers.js';
import { incidents, oncalls, services } from '../db/schema/pagerduty.js';
import { teams } from '../db/schema/account.js';
import { ONCALL_KEY } from '../db/schema/pagerduty.js';
import { prepareUpsert, runUpsert, type PreparedUpsert, type UpsertSpec } from '../db/upsert.js';
import { upsertSpecFor } from '../db/upsertSpec.js';
import type { RowBatch } from './collect.js';

/** Per-table upsert rules beyond the defaults. */
function specFor(table: PgTable): UpsertSpec {
  if (table === incidents) {
    // The first acknowledgement only ever moves earlier: after a resolve PagerDuty's payload has none left.
    return upsertSpecFor(table, { merge: { acknowledged_at: 'least' } });
  }
  if (table === oncalls) return upsertSpecFor(table, { key: ONCALL_KEY });
  // The join keys are the mapper's slug on insert; after a run resolveJoinKeys owns them.
  if (table === services) return upsertSpecFor(table, { merge: { service_key: 'keep' } });
  if (table === teams) return upsertSpecFor(table, { merge: { team_key: 'keep' } });
  return upsertSpecFor(table);
}

const specs = new WeakMap<PgTable, UpsertSpec>();

function cachedSpec(table: PgTable): UpsertSpec {
  let spec = specs.get(table);
  if (!spec) {
    spec = specFor(table);
    specs.set(table, spec);
  }
  return spec;
}

/**
 * Deletes child rows of `ids` that the new set no longer has (e.g. an incident's former assignees), so an
 * unchanged set writes nothing.
 */
async function pruneChildren(
  tx: Queryable,
  spec: UpsertSpec,
  column: string,
  ids: string[],
  rows: Record<string, unknown>[],
) {
  const keyColumns = spec.columns.filter((c) => spec.key.includes(c.name));
  const keep = keyColumns.map((c) => rows.map((r) => String(r[c.field ?? c.name])));
  // Compared as text: keys may mix text and integer columns (e.g. a rule target's position).
  const tuple = keyColumns.map((c) => `${q(c.name)}::text`).join(', ');
  const arrays = keyColumns.map((_, i) => `$${i + 2}::text[]`).join(', ');
  const result = await tx.query<{ n: number }>(
    `WITH d AS (DELETE FROM ${q(spec.table)} WHERE ${q(column)} = ANY($1::text[])
       AND (${tuple}) NOT IN (SELECT * FROM unnest(${arrays})) RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [ids, ...keep],
  );
  return result[0]?.n ?? 0;
}

/** The batch's rejected records into sync_rejects (one parameterised statement; payloads stay data). */
async function writeRejects(tx: Queryable, batch: RowBatch): Promise<void> {
  if (batch.rejects.length === 0) return;
  await tx.query(
    `INSERT INTO sync_rejects (run_id, resource, item_id, reason, payload)
     SELECT $1::bigint, r.resource, r.item_id, r.reason, coalesce(r.payload, 'null'::jsonb)
       FROM jsonb_to_recordset($2::jsonb) AS r(resource text, item_id text, reason text, payload jsonb)`,
    [
      batch.runId ?? 0,
      JSON.stringify(
        batch.rejects.map((r) => ({
          resource: r.resource,
          item_id: r.itemId,
          reason: r.reason,
          payload: r.payload ?? null,
        })),
      ),
    ],
  );
}

/** Writes one batch inside the caller's transaction; returns rows inserted, changed or deleted. */
export async function writeBatch(tx: Queryable, batch: RowBatch): Promise<number> {
  return writePrepared(tx, prepareBatch(tx, batch));
}

/** A batch's upserts encoded for `tx` (no database work yet): see prepareUpsert. */
export interface PreparedBatch {
  batch: RowBatch;
  upserts: Map<PgTable, PreparedUpsert>;
}

/**
 * The CPU half of writeBatch: encodes every table's rows, so it can run while `tx` is busy. With
 * `keys: false` the write only counts rows, and `batch.writtenKeys()` stays empty.
 */
export function prepareBatch(tx: Queryable, batch: RowBatch, opts: { keys?: boolean } = {}): PreparedBatch {
  const upserts = new Map<PgTable, PreparedUpsert>();
  for (const [table, entry] of batch.tables) {
    if (entry.rows.length > 0) upserts.set(table, prepareUpsert(tx, cachedSpec(table), entry.rows, opts));
  }
  return { batch, upserts };
}

/** The database half of writeBatch, on the `tx` the batch was prepared for. */
export async function writePrepared(tx: Queryable, prepared: PreparedBatch): Promise<number> {
  const { batch } = prepared;
  await writeRejects(tx, batch);
  let written = 0;
  for (const [table, entry] of batch.tables) {
    const spec = cachedSpec(table);
    if (entry.replace && entry.replace.ids.length > 0) {
      written += await pruneChildren(tx, spec, entry.replace.column, entry.replace.ids, entry.rows);
    }
    const upsert = prepared.upserts.get(table);
    if (!upsert) continue;
    const keys = new Set<string>();
    if (upsert.keys) batch.written.set(table, keys);
    const r = await runUpsert(tx, upsert, (key) => keys.add(key));
    written += r.inserted + r.updated;
  }
  return written;
}

/**
 * Lowers incidents.acknowledged_at to `first`'s time (a query yielding incident_id, at) where that is
 * earlier or the row has none; returns how many incidents changed.
 */
async function lowerFirstAcks(tx: Queryable, first: string, params: unknown[]): Promise<number> {
  const rows = await tx.query<{ n: number }>(
    `WITH first AS (${first}),
     u AS (UPDATE incidents i SET acknowledged_at = first.at, synced_at = now() FROM first
       WHERE i.id = first.incident_id AND (i.acknowledged_at IS NULL OR first.at < i.acknowledged_at) RETURNING 1)
     SELECT count(*)::int AS n FROM u`,
    params,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Sets incidents.acknowledged_at to the earliest acknowledge_log_entry we hold, when that is earlier than
 * what the row has (or the row has none). Run in the same transaction as the rows it depends on.
 */
export async function refreshFirstAcks(tx: Queryable, incidentIds: readonly string[]): Promise<number> {
  if (incidentIds.length === 0) return 0;
  return lowerFirstAcks(
    tx,
    `SELECT incident_id, min(created_at) AS at FROM log_entries
      WHERE type = 'acknowledge_log_entry' AND incident_id = ANY($1::text[]) GROUP BY incident_id`,
    [incidentIds],
  );
}

/**
 * The first acknowledgements a window's log entries bring: per incident, the earliest acknowledge entry
 * written in the window. `apply` lowers incidents.acknowledged_at to it where it is earlier or missing,
 * which equals refreshFirstAcks for those incidents without reading log_entries: every ack stored before
 * went through one of the two already, so the stored value is at most every older ack.
 */
export class WindowFirstAcks {
  private readonly earliest = new Map<string, { at: number; text: string }>();
  /** Incidents with a timestamp JavaScript cannot read: the database compares theirs. */
  private readonly unreadable = new Set<string>();

  add(incidentId: unknown, createdAt: unknown): void {
    const id = String(incidentId);
    const text = createdAt instanceof Date ? createdAt.toISOString() : String(createdAt);
    const at = Date.parse(text);
    const known = this.earliest.get(id);
    if (Number.isNaN(at)) this.unreadable.add(id);
    else if (!known || at < known.at) this.earliest.set(id, { at, text });
  }

  /** Updates the incidents in the window's transaction; returns how many changed. */
  async apply(tx: Queryable): Promise<number> {
    const ids: string[] = [];
    const times: string[] = [];
    for (const [id, { text }] of this.earliest) {
      if (this.unreadable.has(id)) continue;
      ids.push(id);
      times.push(text);
    }
    const changed = await refreshFirstAcks(tx, [...this.unreadable]);
    if (ids.length === 0) return changed;
    const fromWindow = 'SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS k(incident_id, at)';
    return changed + (await lowerFirstAcks(tx, fromWindow, [ids, times]));
  }
}

export function tableName(table: PgTable): string {
  return getTableName(table);
}
