import {
  addToSavedSet,
  finishRun,
  getCursor,
  removeFromSavedSet,
  savedSet,
  type RunOutcome,
} from '../db/syncState.js';
import { AuthError, HttpError, toError } from '../errors.js';
import { databaseFailure } from '../db/connectionError.js';
import { scrub } from '../logger.js';
import { authSecrets, type ResourceName } from '../config.js';
import type { PlanGate, ResourceDef } from '../resources/define.js';
import { incidents, logEntries, oncalls, REGISTRY, services } from '../resources/index.js';
import { emptyReport, type ResourceReport, type SyncDeps } from './context.js';
import { rereadChanged, sweepOpen } from './incidentChanges.js';
import { syncOncalls } from './oncallSync.js';
import { syncSnapshot } from './snapshot.js';
import { signalsBySource } from './detail.js';
import { syncWindowed } from './windowed.js';
import { windowedFrom } from './windows.js';
import { refreshFirstAcks, WindowFirstAcks } from './write.js';
import { incidents as incidentsTable, logEntries as logEntriesTable } from '../db/schema/pagerduty.js';
import { incidentCustomFieldValues, serviceCustomFieldValues } from '../resources/customFields.js';
import type { RowBatch } from './collect.js';
import type { Queryable } from '../db/types.js';
import { syncCustomFieldValues } from './customFieldSync.js';
import { syncCursorResource } from './cursorSync.js';
import { resolveJoinKeys } from './joinKeys.js';
import { analyticsIncidents } from '../resources/analytics.js';

/** What sync_runs.resources reports on: the resources, and the opt-in custom field values and analytics. */
export type ReportName = ResourceName | 'custom_fields' | 'analytics';

export interface RunResult {
  status: RunOutcome['status'];
  resources: Partial<Record<ReportName, ResourceReport>>;
  error: string | null;
  /** Records that failed validation (kept in sync_rejects); the run is `partial` when there are any. */
  rejected: number;
}

async function fromCursor(deps: SyncDeps, name: string, overlapMs: number): Promise<number> {
  const saved = await getCursor(deps.db, name);
  return windowedFrom(
    saved?.cursor?.getTime() ?? null,
    overlapMs,
    deps.config.sync.start,
    deps.config.sync.full,
  );
}

function overlapOf(def: typeof incidents | typeof logEntries): number {
  return def.sync.kind === 'windowed' ? def.sync.overlapMs : 0;
}

/**
 * Incidents the log feed named that still need a re-read, kept beside the log cursor (sync_state.extra):
 * once a log window commits, its cursor is past the entries that named them, so a run that fails before
 * its re-reads must leave them to the next run rather than lose the changes for good.
 */
const PENDING_REREADS = 'pendingIncidentIds';

/** The created_at range this run's incident windows read: every incident created in it was just read. */
interface ReadRange {
  from: number;
  to: number;
}

/**
 * Of `ids`, those this run's incident windows did not read: unknown to the warehouse, or created outside
 * the range the windows covered. Asked of the database, so a backfill keeps no set of every id in memory.
 */
async function notReadIn(q: Queryable, ids: readonly string[], range: ReadRange): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{ id: string }>(
    `SELECT k.id FROM unnest($1::text[]) AS k(id) LEFT JOIN incidents i ON i.id = k.id
      WHERE i.id IS NULL OR i.created_at < $2::timestamptz OR i.created_at >= $3::timestamptz`,
    [ids, new Date(range.from).toISOString(), new Date(range.to).toISOString()],
  );
  return rows.map((r) => r.id);
}

/**
 * Incidents three ways: created_at windows, the log-entry feed with re-reads, and the open-incident sweep.
 * Returns, for the opt-in custom field step only, the incidents new or changed in this run: rows the
 * incident reads inserted or really changed, and incidents named by log entries new to the warehouse (a
 * custom field change is such an entry). Without custom fields nothing is collected: memory stays flat
 * however many incidents a backfill reads.
 */
async function syncIncidents(deps: SyncDeps, reports: RunResult['resources']): Promise<Set<string>> {
  const incReport = (reports.incidents = emptyReport());
  const logReport = (reports.log_entries = emptyReport());
  const fresh = deps.config.sync.customFields ? new Set<string>() : null;
  const noteWritten = (batch: RowBatch) => {
    if (fresh) for (const id of batch.writtenKeys(incidentsTable)) fresh.add(id);
  };
  const range: ReadRange = {
    from: await fromCursor(deps, incidents.name, overlapOf(incidents)),
    to: deps.signpost,
  };
  await syncWindowed(
    deps,
    {
      def: incidents,
      from: range.from,
      to: range.to,
      hooks: () => {
        // Once per window, not per chunk: one statement instead of one for each chunk of incidents.
        const ids = new Set<string>();
        return {
          afterWrite: (chunk) => {
            for (const id of chunk.ids) ids.add(id);
          },
          beforeCommit: (tx) => refreshFirstAcks(tx, [...ids]),
        };
      },
      partitions: async (q) => {
        const rows = await q.query<{ id: string }>('SELECT id FROM services ORDER BY id');
        return rows.map((r) => ({ 'service_ids[]': [r.id] }));
      },
      // Only the custom field step reads what was written.
      ...(fresh ? { onWritten: noteWritten } : {}),
    },
    incReport,
  );
  await syncWindowed(
    deps,
    {
      def: logEntries,
      from: await fromCursor(deps, logEntries.name, overlapOf(logEntries)),
      to: deps.signpost,
      hooks: () => {
        // Once per window: an incident acknowledged in several chunks of it is updated (and counted) once,
        // and the incidents its entries name are looked up with one statement.
        const acks = new WindowFirstAcks();
        const named = new Set<string>();
        return {
          afterWrite: (chunk) => {
            for (const r of chunk.tables.get(logEntriesTable)?.rows ?? []) {
              named.add(String(r.incidentId));
              if (r.type === 'acknowledge_log_entry') acks.add(r.incidentId, r.createdAt);
            }
          },
          beforeCommit: async (tx) => {
            await addToSavedSet(tx, logEntries.name, PENDING_REREADS, await notReadIn(tx, [...named], range));
            return acks.apply(tx);
          },
        };
      },
      ...(fresh
        ? {
            onWritten: (chunk: RowBatch) => {
              const added = chunk.writtenKeys(logEntriesTable);
              for (const r of chunk.tables.get(logEntriesTable)?.rows ?? []) {
                if (added.has(String(r.id))) fresh.add(String(r.incidentId));
              }
            },
          }
        : {}),
    },
    logReport,
  );
  // Owed re-reads: this run's, and any a failed run left; those its windows read since are fresh already.
  const owed = savedSet(await getCursor(deps.db, logEntries.name), PENDING_REREADS);
  const changed = new Set(await notReadIn(deps.db, owed, range));
  await rereadChanged(deps, incidents, changed, incReport, noteWritten);
  await removeFromSavedSet(deps.db, logEntries.name, PENDING_REREADS, owed);
  await sweepOpen(
    deps,
    incidents,
    (id, createdAt) => changed.has(id) || (createdAt >= range.from && createdAt < range.to),
    incReport,
    noteWritten,
  );
  return fresh ?? new Set();
}

/** Opt-in custom field values: every listed service's, and those of the incidents new or changed in this run. */
async function syncCustomFields(
  deps: SyncDeps,
  report: ResourceReport,
  serviceIds: readonly string[],
  incidentIds: readonly string[],
): Promise<void> {
  await syncCustomFieldValues(deps, serviceCustomFieldValues, serviceIds, report);
  await syncCustomFieldValues(deps, incidentCustomFieldValues, incidentIds, report);
  report.windows = 1;
}

/** The full-listing resources, in run order (reference data before the facts that point at it). */
const SNAPSHOTS: readonly [ResourceName, ResourceDef][] = REGISTRY.filter(
  (def) => def.sync.kind === 'snapshot',
).map((def): [ResourceName, ResourceDef] => [def.name as ResourceName, def]);

/** The detail signals each resource's listing raises for others (team members, tags, on-calls). */
const SIGNALS = signalsBySource(REGISTRY);

/** True when `err` is an answer the resource declares as "not on this plan". */
function isPlanGated(err: unknown, gates: readonly PlanGate[] | undefined): boolean {
  if (!(err instanceof HttpError) || !gates) return false;
  return gates.some((g) => g.status === err.status && (g.code === undefined || g.code === err.context.code));
}

/**
 * One run over the selected resources. A failing resource does not stop the others (unless the token is
 * rejected: then nothing else can work); the run's status and error report it at the end.
 */
export async function runSync(deps: SyncDeps): Promise<RunResult> {
  const selected = new Set<ReportName>(deps.config.sync.resources);
  if (deps.config.sync.customFields) selected.add('custom_fields');
  if (deps.config.sync.analytics) selected.add('analytics');
  const reports: RunResult['resources'] = {};
  const errors: string[] = [];
  // Ids the custom field step reads: services listed and incidents new or changed in this run.
  let serviceIds: readonly string[] = [];
  let incidentIds: readonly string[] = [];
  const steps: [ReportName, (deps: SyncDeps) => Promise<void>, ResourceDef?][] = [
    ...SNAPSHOTS.map(([name, def]): [ReportName, (deps: SyncDeps) => Promise<void>, ResourceDef] => [
      name,
      async (deps) => {
        const report = (reports[name] = emptyReport());
        const batch = await syncSnapshot(deps, def, report, SIGNALS.get(def.name));
        if (def === services) serviceIds = batch.ids;
      },
      def,
    ]),
    ['incidents', async (deps) => void (incidentIds = [...(await syncIncidents(deps, reports))])],
    ['oncalls', (deps) => syncOncalls(deps, oncalls, (reports.oncalls = emptyReport()))],
    [
      'custom_fields',
      (deps) => syncCustomFields(deps, (reports.custom_fields = emptyReport()), serviceIds, incidentIds),
    ],
    [
      'analytics',
      (deps) => syncCursorResource(deps, analyticsIncidents, (reports.analytics = emptyReport())),
      analyticsIncidents,
    ],
  ];
  for (const [name, step, def] of steps) {
    if (!selected.has(name) || deps.signal?.aborted) continue;
    const log = deps.logger.child({ resource: name });
    const started = Date.now();
    log.info('resource started');
    try {
      await step({ ...deps, logger: log });
      log.info({ ...reports[name], durationMs: Date.now() - started }, 'resource finished');
    } catch (err) {
      // A database refusal (disk full, read-only, lost connection) reads as what to do about it.
      const cause = databaseFailure(err)?.message ?? toError(err).message;
      const message = scrub(cause, authSecrets(deps.config.pagerduty.auth));
      if (isPlanGated(err, def?.unavailableOn)) {
        reports[name] = { ...emptyReport(), status: 'unavailable', error: message };
        log.warn({ err: message }, 'resource unavailable on this plan; skipped');
        continue;
      }
      errors.push(`${name}: ${message}`);
      const report = (reports[name] ??= emptyReport());
      report.status = 'failed';
      report.error = message;
      log.error({ err: message }, 'resource failed');
      if (err instanceof AuthError) break;
    }
  }
  if ((selected.has('services') || selected.has('teams')) && !deps.signal?.aborted) {
    await applyJoinKeys(deps, reports, errors);
  }
  const rejected = Object.values(reports).reduce((n, r) => n + r.rejected, 0);
  if (rejected > 0) {
    deps.logger.warn({ rejected }, 'records failed validation: kept in sync_rejects, not loaded');
    if (errors.length === 0)
      errors.push(`${rejected} records rejected (see sync_rejects for run ${deps.runId})`);
  }
  const failed = errors.length > (rejected > 0 ? 1 : 0);
  const status: RunOutcome['status'] = failed
    ? 'failed'
    : deps.signal?.aborted || rejected > 0
      ? 'partial'
      : 'succeeded';
  return { status, resources: reports, error: errors.length ? errors.join('; ') : null, rejected };
}

/** Resolves services.service_key and teams.team_key once the run's reference data is in. */
async function applyJoinKeys(
  deps: SyncDeps,
  reports: RunResult['resources'],
  errors: string[],
): Promise<void> {
  try {
    const changed = await resolveJoinKeys(deps.db, deps.config.joinKeys);
    if (reports.services) reports.services.written += changed.services;
    if (reports.teams) reports.teams.written += changed.teams;
    if (changed.services + changed.teams > 0) deps.logger.info(changed, 'join keys updated');
  } catch (err) {
    const message = toError(err).message;
    errors.push(`join keys: ${message}`);
    deps.logger.error({ err: message }, 'resolving join keys failed');
  }
}

/** Writes the run's row in sync_runs with the client's counters (per-kind failures under `_client`). */
export async function recordRun(deps: SyncDeps, result: RunResult): Promise<void> {
  const stats = deps.client.stats();
  await finishRun(deps.db, deps.runId, {
    status: result.status,
    resources: result.resources,
    requests: stats.requests,
    retries: stats.retries,
    rateLimited: stats.rateLimited,
    clientErrors: stats.errors,
    error: result.error,
  });
}
