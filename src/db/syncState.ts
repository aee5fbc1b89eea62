/**
 * Checkpoints and run bookkeeping: `sync_state`, `sync_runs`, `sync_windows`. Every function takes
 * a Queryable, so it runs on the database or inside the transaction that commits a window's rows.
 * Values read back are normalised here (ids as numbers, jsonb as objects) whatever the driver.
 */
import { SyncError } from '../errors.js';
import type { Queryable } from './types.js';
import type { RunStatus } from './schema/sync.js';

/** One resource's checkpoint. */
export interface SavedCursor {
  /** Everything before this instant is in the warehouse; null until a first window finished. */
  cursor: Date | null;
  /** Resource-specific state kept beside the cursor. */
  extra: Record<string, unknown> | null;
  updatedAt: Date;
}

interface CursorRow {
  cursor: Date | null;
  extra: Record<string, unknown> | null;
  updated_at: Date;
}

/** The saved checkpoint of `resource`, or null when it never saved one. */
export async function getCursor(q: Queryable, resource: string): Promise<SavedCursor | null> {
  const rows = await q.query<CursorRow>(
    'SELECT cursor, extra, updated_at FROM sync_state WHERE resource = $1',
    [resource],
  );
  const row = rows[0];
  return row ? { cursor: row.cursor, extra: row.extra, updatedAt: row.updated_at } : null;
}

export interface SaveCursorOptions {
  /** Also move the cursor backwards (or clear it with null): `sync --full` / `--since`. */
  force?: boolean;
}

/**
 * Saves `cursor` for `resource` and returns the cursor now stored. Without `force` a cursor never
 * moves backwards and is never cleared: an older or null value keeps the stored one. `extra`, when
 * given, replaces the stored extra; when omitted the stored one is kept.
 */
export async function saveCursor(
  q: Queryable,
  resource: string,
  cursor: Date | null,
  extra?: Record<string, unknown> | null,
  options: SaveCursorOptions = {},
): Promise<Date | null> {
  const rows = await q.query<{ cursor: Date | null }>(
    `INSERT INTO sync_state AS s (resource, cursor, extra, updated_at)
     VALUES ($1, $2::timestamptz, $3::jsonb, now())
     ON CONFLICT (resource) DO UPDATE SET
       cursor = CASE
         WHEN $4::boolean THEN excluded.cursor
         WHEN s.cursor IS NULL OR excluded.cursor > s.cursor THEN excluded.cursor
         ELSE s.cursor END,
       extra = CASE WHEN $5::boolean THEN excluded.extra ELSE s.extra END,
       updated_at = now()
     RETURNING cursor`,
    [
      resource,
      cursor ? cursor.toISOString() : null,
      extra === undefined || extra === null ? null : JSON.stringify(extra),
      options.force === true,
      extra !== undefined,
    ],
  );
  return rows[0]?.cursor ?? null;
}

/** The strings kept under `extra[key]` of a saved checkpoint (empty when there are none). */
export function savedSet(saved: SavedCursor | null, key: string): string[] {
  const value = saved?.extra?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Adds `ids` to the set kept under `extra[key]` of `resource`, creating the row if needed (its cursor
 * stays as it is). Run it in the transaction that commits what made the ids necessary, so that work owed
 * for data behind a cursor is saved together with the cursor and survives a failed run.
 */
export async function addToSavedSet(
  q: Queryable,
  resource: string,
  key: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `INSERT INTO sync_state AS s (resource, cursor, extra, updated_at)
     VALUES ($1, NULL, jsonb_build_object($2::text, to_jsonb($3::text[])), now())
     ON CONFLICT (resource) DO UPDATE SET extra = coalesce(s.extra, '{}'::jsonb) || jsonb_build_object($2::text, (
       SELECT coalesce(jsonb_agg(v ORDER BY v), '[]'::jsonb) FROM (
         SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.extra -> $2::text) = 'array'
                                          THEN s.extra -> $2::text ELSE '[]'::jsonb END) AS v
         UNION SELECT unnest($3::text[])) u))`,
    [resource, key, [...new Set(ids)].sort()],
  );
}

/** Removes `ids` from the set kept under `extra[key]` of `resource` (the work they stood for is done). */
export async function removeFromSavedSet(
  q: Queryable,
  resource: string,
  key: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE sync_state AS s SET extra = s.extra || jsonb_build_object($2::text, (
       SELECT coalesce(jsonb_agg(v ORDER BY v), '[]'::jsonb)
       FROM jsonb_array_elements_text(s.extra -> $2::text) AS v WHERE NOT (v = ANY($3::text[]))))
     WHERE resource = $1 AND jsonb_typeof(s.extra -> $2::text) = 'array'`,
    [resource, key, [...ids]],
  );
}

/**
 * Sets `extra[key]` of `resource` to `value` (creating the row if needed; its cursor stays as it is), or
 * removes the key when `value` is undefined (then a missing row stays missing).
 */
export async function saveExtraValue(
  q: Queryable,
  resource: string,
  key: string,
  value: unknown,
): Promise<void> {
  if (value === undefined) {
    await q.query(
      `UPDATE sync_state SET extra = extra - $2::text WHERE resource = $1 AND extra -> $2::text IS NOT NULL`,
      [resource, key],
    );
    return;
  }
  await q.query(
    `INSERT INTO sync_state AS s (resource, cursor, extra, updated_at)
     VALUES ($1, NULL, jsonb_build_object($2::text, $3::jsonb), now())
     ON CONFLICT (resource) DO UPDATE SET extra = coalesce(s.extra, '{}'::jsonb) || jsonb_build_object($2::text, $3::jsonb)`,
    [resource, key, JSON.stringify(value)],
  );
}

/** Inserts a `running` row in sync_runs and returns its id. */
export async function startRun(q: Queryable, startedAt: Date = new Date()): Promise<number> {
  const rows = await q.query<{ id: unknown }>(
    `INSERT INTO sync_runs (started_at, status) VALUES ($1::timestamptz, 'running') RETURNING id`,
    [startedAt.toISOString()],
  );
  // int8: a string from pg unless the pool parses it, a number from PGlite (research P8).
  const id = Number(rows[0]?.id);
  if (!Number.isSafeInteger(id)) throw new SyncError('sync_runs: the new run got no id');
  return id;
}

/**
 * Marks the runs left `running` as `failed` ("crashed") and returns how many. Call it only while holding
 * the schema's sync lock: no other run can then be in progress, so such a row belongs to a process that
 * died (SIGKILL, OOM, a lost node) before it could finish its run. Should that process still be alive after
 * all (its lock connection dropped), its own finishRun overwrites this at its end.
 */
export async function markCrashedRuns(q: Queryable, finishedAt: Date = new Date()): Promise<number> {
  const rows = await q.query<{ id: unknown }>(
    `UPDATE sync_runs SET status = 'failed', finished_at = greatest(started_at, $1::timestamptz),
       error = 'crashed: the process ended before it finished the run'
     WHERE status = 'running' RETURNING id`,
    [finishedAt.toISOString()],
  );
  return rows.length;
}

/** How a run ended, written once at its end. */
export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  /** Per resource name: rows written, pages, windows, skipped records, error… */
  resources: Record<string, unknown>;
  requests: number;
  retries: number;
  /** 429 answers met. */
  rateLimited: number;
  /**
   * Failed attempts by kind, as the HTTP client counts them (ClientStats.errors): a status (`503`,
   * `429`), a network code (`ECONNRESET`, `UND_ERR_SOCKET`) or `SyntaxError` for a body that is not JSON.
   */
  clientErrors?: Readonly<Record<string, number>>;
  error?: string | null;
}

/**
 * The key of sync_runs.resources that holds the HTTP client's per-kind counts, `{ errors: { kind: n } }`.
 * sync_runs has no column for them (adding one needs a migration), so they ride in the resources object
 * under a name no resource can take (resource names are snake_case words, never starting with `_`). It is
 * written only when some attempt failed: a clean run's resources hold resources only.
 */
export const CLIENT_KEY = '_client';

/** The resources object as stored: the per-resource summaries, plus CLIENT_KEY when attempts failed. */
function storedResources(outcome: RunOutcome): Record<string, unknown> {
  const errors = Object.entries(outcome.clientErrors ?? {}).filter(([, n]) => n > 0);
  if (errors.length === 0) return outcome.resources;
  return { ...outcome.resources, [CLIENT_KEY]: { errors: Object.fromEntries(errors) } };
}

export async function finishRun(
  q: Queryable,
  id: number,
  outcome: RunOutcome,
  finishedAt: Date = new Date(),
): Promise<void> {
  await q.query(
    `UPDATE sync_runs SET finished_at = $2::timestamptz, status = $3, resources = $4::jsonb,
       requests = $5, retries = $6, rate_limited = $7, error = $8
     WHERE id = $1`,
    [
      id,
      finishedAt.toISOString(),
      outcome.status,
      JSON.stringify(storedResources(outcome)),
      outcome.requests,
      outcome.retries,
      outcome.rateLimited,
      outcome.error ?? null,
    ],
  );
}

/** One finished window [windowStart, windowEnd) of an incremental resource. */
export interface WindowRecord {
  runId: number;
  resource: string;
  windowStart: Date;
  windowEnd: Date;
  pages: number;
  rows: number;
  /** Bisections needed to stay under the 10,000-record offset cap; 0 when none. */
  splitDepth: number;
  finishedAt?: Date;
}

export async function recordWindow(q: Queryable, window: WindowRecord): Promise<void> {
  await q.query(
    `INSERT INTO sync_windows (run_id, resource, window_start, window_end, pages, rows, split_depth, finished_at)
     VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5, $6, $7, $8::timestamptz)`,
    [
      window.runId,
      window.resource,
      window.windowStart.toISOString(),
      window.windowEnd.toISOString(),
      window.pages,
      window.rows,
      window.splitDepth,
      (window.finishedAt ?? new Date()).toISOString(),
    ],
  );
}
