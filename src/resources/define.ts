/**
 * Glossary
 * - resource: one PagerDuty endpoint declared once (path, params, paging, sync mode, item schema, row mapper).
 * - window: a half-open time range [start, end) sent as since/until; small enough to stay under the API's
 *   10,000-record pagination cap (split further when it is not).
 * - signpost: the run's fixed upper bound (run start minus a safety lag); no cursor ever moves past it.
 * - cursor: per resource, the end of the last contiguous committed window (sync_state).
 * - run: one `pd-warehouse sync`, recorded in sync_runs with its per-resource counts.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';

/** How a resource is read each run. */
export type SyncMode =
  /** The whole listing every run (small reference data); rows gone from a complete listing get deleted_at. */
  | { kind: 'snapshot' }
  /** since/until windows on a timestamp, from the cursor (minus overlap) to the signpost. */
  | {
      kind: 'windowed';
      /** First window size when nothing is known about density, ms. */
      initialWindowMs: number;
      /** The API's own limit on one request's range, ms. */
      maxWindowMs: number;
      /** Re-read this much before the cursor, ms: boundaries are fuzzy upstream. */
      overlapMs: number;
    }
  /** A [since, until] range that reaches into the future (on-calls). */
  | { kind: 'range'; horizonMs: number; maxRangeMs: number };

export interface RowContext {
  syncedAt: Date;
  /** The item exactly as the API sent it (before zod parsed timestamps into Dates): stored in `raw`. */
  raw: Record<string, unknown>;
}

/** Rows for one table produced by a mapper (drizzle insert shapes): the engine upserts them by key. */
export interface TableRows {
  table: PgTable;
  rows: Record<string, unknown>[];
  /** For child rows replaced as a set (e.g. current assignments): delete the rows of these parents first. */
  replaceFor?: { column: string; ids: string[] };
}

export interface ResourceDef<S extends z.ZodType = z.ZodType> {
  name: string;
  path: string;
  /** The envelope field that holds the items, e.g. `incidents`. */
  dataKey: string;
  /** Static query parameters; repeated keys are arrays (the API wants `key[]=a&key[]=b`). */
  params: Readonly<Record<string, string | readonly string[]>>;
  sync: SyncMode;
  /** zod schema for ONE item: validates what is mapped, lets unknown fields through into `raw`. */
  schema: S;
  /** Pure mapper from a validated item to table rows. */
  toRows(item: z.infer<S>, ctx: RowContext): TableRows[];
}

export function defineResource<S extends z.ZodType>(def: ResourceDef<S>): ResourceDef<S> {
  return def;
}

export const DAY_MS = 86_400_000;
