/**
 * What must hold in the warehouse at ANY instant, even right after a SIGKILL: no cursor ahead of the
 * committed data, everything before a cursor present, nothing that is not in the account, no duplicates.
 */
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';
import type { Simulator } from '../../src/simulator/index.js';

/** The simulator's account as sets, computed once per test (the account's clock does not move). */
export interface TruthIndex {
  start: number;
  /** Incident id → created_at (epoch ms). */
  incidents: Map<string, number>;
  /** Overview log entry id (notifications left out, as `is_overview=true` does) → its time. */
  logEntries: Map<string, number>;
  /** Incident id → how many overview log entries it has. */
  logsPerIncident: Map<string, number>;
}

export function indexTruth(sim: Simulator, syncStart: string): TruthIndex {
  const incidents = new Map(sim.truth().incidents.map((i) => [i.id, Date.parse(i.created_at)]));
  const logEntries = new Map<string, number>();
  const logsPerIncident = new Map<string, number>();
  for (const r of sim.account.log) {
    if (r.event.type === 'notify_log_entry') continue;
    logEntries.set(r.event.id, r.event.at);
    logsPerIncident.set(r.incident.id, (logsPerIncident.get(r.incident.id) ?? 0) + 1);
  }
  return { start: Date.parse(syncStart), incidents, logEntries, logsPerIncident };
}

/** What a check saw, for the test's report. */
export interface Snapshot {
  migrated: boolean;
  incidents: number;
  logEntries: number;
  windows: number;
  /** Epoch ms, null before a first window committed. */
  cursors: { incidents: number | null; log_entries: number | null };
  runs: { id: number; status: string; finished: boolean }[];
}

const ms = (d: Date | string | null | undefined) =>
  d === null || d === undefined ? null : new Date(d).getTime();

async function ids(db: Database, table: string): Promise<Set<string>> {
  return new Set((await db.query<{ id: string }>(`SELECT id FROM ${table}`)).map((r) => r.id));
}

/** Missing ids: those of `truth` dated in [start, cursor) that the warehouse does not hold. */
function missingBefore(truth: Map<string, number>, have: Set<string>, start: number, cursor: number | null) {
  if (cursor === null) return [];
  return [...truth].filter(([id, at]) => at >= start && at < cursor && !have.has(id)).map(([id]) => id);
}

async function cursorsAndWindows(db: Database, resource: string): Promise<[number | null, number | null]> {
  const state = await db.query<{ cursor: Date | null }>('SELECT cursor FROM sync_state WHERE resource = $1', [
    resource,
  ]);
  const windows = await db.query<{ end: Date | null }>(
    'SELECT max(window_end) AS end FROM sync_windows WHERE resource = $1',
    [resource],
  );
  return [ms(state[0]?.cursor), ms(windows[0]?.end)];
}

/** Asserts the invariants and returns what the warehouse holds. */
export async function expectConsistent(db: Database, truth: TruthIndex): Promise<Snapshot> {
  const reg = await db.query<{ t: string | null }>("SELECT to_regclass('sync_windows')::text AS t");
  if (!reg[0]?.t) {
    // Killed before its migration committed: nothing at all, which is consistent too.
    return {
      migrated: false,
      incidents: 0,
      logEntries: 0,
      windows: 0,
      cursors: { incidents: null, log_entries: null },
      runs: [],
    };
  }
  const cursors = { incidents: null as number | null, log_entries: null as number | null };
  for (const resource of ['incidents', 'log_entries'] as const) {
    const [cursor, committedEnd] = await cursorsAndWindows(db, resource);
    // A cursor is saved in the transaction of the window it ends: never ahead of committed data.
    if (cursor !== null) {
      expect(committedEnd, `${resource}: a cursor with no committed window`).not.toBeNull();
      expect(cursor, `${resource}: cursor ahead of the committed windows`).toBeLessThanOrEqual(
        committedEnd ?? 0,
      );
    }
    cursors[resource] = cursor;
  }
  const incidents = await ids(db, 'incidents');
  const logEntries = await ids(db, 'log_entries');
  // Complete up to each cursor, and nothing the account does not hold.
  expect(missingBefore(truth.incidents, incidents, truth.start, cursors.incidents)).toEqual([]);
  expect(missingBefore(truth.logEntries, logEntries, truth.start, cursors.log_entries)).toEqual([]);
  expect([...incidents].filter((id) => !truth.incidents.has(id))).toEqual([]);
  expect([...logEntries].filter((id) => !truth.logEntries.has(id))).toEqual([]);
  await expectNoDuplicates(db, truth);
  const windows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_windows');
  const runs = await db.query<{ id: string | number; status: string; finished_at: Date | null }>(
    'SELECT id, status, finished_at FROM sync_runs ORDER BY id',
  );
  return {
    migrated: true,
    incidents: incidents.size,
    logEntries: logEntries.size,
    windows: windows[0]?.n ?? 0,
    cursors,
    runs: runs.map((r) => ({ id: Number(r.id), status: r.status, finished: r.finished_at !== null })),
  };
}

/** Zero duplicate rows (the primary keys make them impossible; this proves it) and no incident over-logged. */
export async function expectNoDuplicates(db: Database, truth: TruthIndex): Promise<number> {
  const dup = await db.query<{ n: number }>(
    `SELECT ((SELECT count(*) - count(DISTINCT id) FROM incidents)
           + (SELECT count(*) - count(DISTINCT id) FROM log_entries))::int AS n`,
  );
  const duplicates = dup[0]?.n ?? -1;
  expect(duplicates).toBe(0);
  const perIncident = await db.query<{ incident_id: string; n: number }>(
    'SELECT incident_id, count(*)::int AS n FROM log_entries GROUP BY incident_id',
  );
  const over = perIncident.filter((r) => r.n > (truth.logsPerIncident.get(r.incident_id) ?? 0));
  expect(over).toEqual([]);
  return duplicates;
}

/** Rows of the account the warehouse lacks (incidents and overview log entries). */
export async function rowsLost(db: Database, truth: TruthIndex): Promise<number> {
  const incidents = await ids(db, 'incidents');
  const logEntries = await ids(db, 'log_entries');
  return (
    [...truth.incidents.keys()].filter((id) => !incidents.has(id)).length +
    [...truth.logEntries.keys()].filter((id) => !logEntries.has(id)).length
  );
}
