/**
 * Bookkeeping tables of the sync itself: checkpoints (`sync_state`), one row per run (`sync_runs`)
 * and one row per finished window (`sync_windows`). Same conventions as ./pagerduty.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every value `sync_runs.status` may take. */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'partial', 'skipped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** One checkpoint per resource (the resource's stable name). */
export const syncState = pgTable('sync_state', {
  resource: text('resource').primaryKey(),
  /** Everything before this instant is in the warehouse; NULL until a first window finished. */
  cursor: timestamptz('cursor'),
  /** Resource-specific state beside the cursor (kept as given). */
  extra: jsonb('extra').$type<Record<string, unknown>>(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const syncRuns = pgTable(
  'sync_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    /** Per resource name: rows written, pages, windows, skipped records, error… (the engine's summary). */
    resources: jsonb('resources').$type<Record<string, unknown>>().notNull().default({}),
    /** HTTP requests sent, retries made and 429 answers met during the run. */
    requests: integer('requests').notNull().default(0),
    retries: integer('retries').notNull().default(0),
    rateLimited: integer('rate_limited').notNull().default(0),
    error: text('error'),
  },
  (t) => [
    check(
      'sync_runs_status_check',
      sql`${t.status} in ('running', 'succeeded', 'failed', 'partial', 'skipped')`,
    ),
    index('sync_runs_started_at_idx').on(t.startedAt),
  ],
);

/** One row per finished time window of an incremental resource: [window_start, window_end). */
export const syncWindows = pgTable(
  'sync_windows',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    resource: text('resource').notNull(),
    windowStart: timestamptz('window_start').notNull(),
    windowEnd: timestamptz('window_end').notNull(),
    pages: integer('pages').notNull(),
    rows: integer('rows').notNull(),
    /** How many times the window was bisected to stay under the 10,000-record offset cap (0 = never). */
    splitDepth: integer('split_depth').notNull().default(0),
    finishedAt: timestamptz('finished_at').notNull().defaultNow(),
  },
  (t) => [
    index('sync_windows_resource_window_end_idx').on(t.resource, t.windowEnd),
    index('sync_windows_run_id_idx').on(t.runId),
  ],
);

/**
 * Records the API sent that failed validation, one row each: kept for inspection instead of being loaded
 * (or silently dropped). A run with rejects ends `partial` and exits 1 unless `sync --allow-rejects`.
 */
export const syncRejects = pgTable(
  'sync_rejects',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    runId: bigint('run_id', { mode: 'number' }).notNull(),
    resource: text('resource').notNull(),
    /** The record's `id` when it had a usable one. */
    itemId: text('item_id'),
    /** What was wrong: the first validation problems, one line. */
    reason: text('reason').notNull(),
    /** The record as the API sent it (cut to a prefix when over 100 kB). */
    payload: jsonb('payload').notNull(),
    rejectedAt: timestamptz('rejected_at').notNull().defaultNow(),
  },
  (t) => [
    index('sync_rejects_run_id_idx').on(t.runId),
    index('sync_rejects_resource_idx').on(t.resource, t.itemId),
  ],
);
