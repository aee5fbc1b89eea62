/**
 * Glossary
 * - resource: one PagerDuty endpoint declared once (path, params, paging, sync mode, item schema, row mapper).
 * - window: a half-open time range [start, end) sent as since/until; small enough to stay under the API's
 *   10,000-record pagination cap (split further when it is not).
 * - signpost: the run's fixed upper bound (run start minus a safety lag); no cursor ever moves past it.
 * - cursor: per resource, the end of the last contiguous committed window (sync_state).
 * - run: one `pd-warehouse sync`, recorded in sync_runs with its per-resource counts.
 * - detail: what the cheap listings do not carry and that costs a request per parent (team members, tag
 *   assignments) or many pages (the on-call forecast): read in full every SYNC_DETAIL_REFRESH, and in
 *   between only where a signal (DetailSignal) says it may have changed.
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
 * A per-parent listing (e.g. /teams/{id}/members). It is read for every listed parent on a full detail
 * refresh (SYNC_DETAIL_REFRESH), and in between only for the parents a signal names (see DetailSignal).
 */
export interface ChildDef<P = unknown, C extends z.ZodType = z.ZodType> {
  path(parent: P): string;
  dataKey: string;
  params?: Readonly<Record<string, string | readonly string[]>>;
  /** zod schema for ONE child item. */
  schema: C;
  /** Pure mapper from the parent and one child item to table rows. */
  toRows(parent: P, item: z.infer<C>, ctx: RowContext): TableRows[];
  /**
   * Where the rows go, keyed by the parent's id in `column`: a parent whose listing is read has its rows
   * replaced as a set (so one whose list became empty is pruned too); the others are left as they are.
   */
  replaces: { table: PgTable; column: string };
}

/**
 * A sign, in another resource's listing, that some of this resource's detail (its fan-out, or the on-call
 * forecast) changed, so it is read again in this run rather than at the next full detail refresh. The
 * source resource must run before this one (REGISTRY order) for the signal to act in the same run.
 */
export type DetailSignal =
  /**
   * Each item of `resource` names parents of this one (a user's `teams`): the parents an item gains or
   * loses, and all of them when it appears or leaves the listing, are read again.
   */
  | { kind: 'named'; resource: string; parents: (raw: Record<string, unknown>) => readonly string[] }
  /**
   * An item of `resource` gone from its complete listing: the parents whose rows in `table` point at it
   * (`entityColumn`, narrowed by `match`) are read again.
   */
  | {
      kind: 'linked';
      resource: string;
      table: PgTable;
      parentColumn: string;
      entityColumn: string;
      match?: Readonly<Record<string, string>>;
    }
  /** Any row of `resource` inserted, changed or deleted: the whole detail is read again. */
  | { kind: 'any'; resource: string };

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
  /** What makes part of the detail (`children`, or a range resource's future) due before its interval. */
  detailSignals?: readonly DetailSignal[];
  /** Answers that mean the account's plan lacks this endpoint: recorded as unavailable, not a failure. */
  unavailableOn?: readonly PlanGate[];
}

export function defineResource<S extends z.ZodType, C extends z.ZodType = z.ZodType>(
  def: ResourceDef<S, C>,
): ResourceDef<S, C> {
  return def;
}

export const DAY_MS = 86_400_000;
