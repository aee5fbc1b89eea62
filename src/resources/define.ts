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
  | { kind: 'range'; horizonMs: number; maxRangeMs: number }
  /**
   * A POSTed query paged by opaque cursors (`starting_after`, `more`), incremental on the record's own
   * `updated_at` (`filters.updated_after`): the analytics API.
   */
  | {
      kind: 'cursor';
      /** Records per page (the API's maximum). */
      pageSize: number;
      /** Re-read this much before the saved `updated_at` cursor, ms: the pipeline's stamps may land late. */
      overlapMs: number;
    };

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

/**
 * A per-parent listing (e.g. /teams/{id}/members), read once for every item of a complete parent listing.
 * The parent's own mapper emits the child table with `rows: []` and `replaceFor` so that a parent whose
 * child list became empty is pruned too.
 */
export interface ChildDef<P = unknown, C extends z.ZodType = z.ZodType> {
  path(parent: P): string;
  dataKey: string;
  params?: Readonly<Record<string, string | readonly string[]>>;
  /** zod schema for ONE child item. */
  schema: C;
  /** Pure mapper from the parent and one child item to table rows. */
  toRows(parent: P, item: z.infer<C>, ctx: RowContext): TableRows[];
}

/** An HTTP answer meaning "not on this plan" (e.g. 402 code 2014 for teams): the resource is unavailable. */
export interface PlanGate {
  status: number;
  /** PagerDuty's error code, when the status alone is not enough. */
  code?: number;
}

export interface ResourceDef<S extends z.ZodType = z.ZodType, C extends z.ZodType = z.ZodType> {
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
  /** Fan-out listings per parent item (snapshot resources only). Keep this rare: one request per parent. */
  children?: readonly ChildDef<z.infer<S>, C>[];
  /** Answers that mean the account's plan lacks this endpoint: recorded as unavailable, not a failure. */
  unavailableOn?: readonly PlanGate[];
}

export function defineResource<S extends z.ZodType, C extends z.ZodType = z.ZodType>(
  def: ResourceDef<S, C>,
): ResourceDef<S, C> {
  return def;
}

export const DAY_MS = 86_400_000;
