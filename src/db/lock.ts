/**
 * One sync per schema across processes and replicas: a session-level
 * `pg_try_advisory_lock(hashtext('pd-warehouse:' || schema))`, held on one dedicated connection for
 * the run's duration (a pooled connection could be a different session on every query).
 */
import type pg from 'pg';
import type { Database } from './types.js';

export interface AdvisoryLock {
  /** False when another session holds the lock for this schema: skip the run, touch nothing. */
  acquired: boolean;
  /** Unlocks and gives the connection back. Safe to call twice, and when not acquired. */
  release(): Promise<void>;
}

const KEY_SQL = "hashtext('pd-warehouse:' || $1)";

/** Tries (never waits) to take the sync lock for `schema`. */
export async function tryAdvisoryLock(database: Database, schema: string): Promise<AdvisoryLock> {
  return database.kind === 'pg' ? tryOnServer(database.pool, schema) : tryEmbedded(database, schema);
}

async function tryOnServer(pool: pg.Pool, schema: string): Promise<AdvisoryLock> {
  const client = await pool.connect();
  // Checked out, the client has no pool listener: a dropped connection must not crash the process.
  // The lock dies with the session; release() then discards the connection.
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  let acquired = false;
  try {
    const rows = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(${KEY_SQL}) AS locked`,
      [schema],
    );
    acquired = rows.rows[0]?.locked === true;
  } catch (error) {
    client.removeListener('error', onError);
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  if (!acquired) {
    // Busy: give the connection straight back rather than holding it until release().
    client.removeListener('error', onError);
    client.release(lost);
    return { acquired: false, release: () => Promise.resolve() };
  }
  let released = false;
  return {
    acquired: true,
    async release() {
      if (released) return;
      released = true;
      try {
        if (!lost) await client.query(`SELECT pg_advisory_unlock(${KEY_SQL})`, [schema]);
      } catch (error) {
        lost = error instanceof Error ? error : new Error(String(error));
      } finally {
        client.removeListener('error', onError);
        // Destroying a connection whose unlock failed also ends its session, and so the lock.
        client.release(lost);
      }
    },
  };
}

/**
 * PGlite has one session in one process, where an advisory lock is re-entrant: a second attempt
 * from the same process would succeed. So a lock this session already holds counts as busy.
 */
async function tryEmbedded(database: Database, schema: string): Promise<AdvisoryLock> {
  const held = await database.query<{ held: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_locks
       WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
         AND classid = ((${KEY_SQL})::bigint >> 32 & 4294967295)::oid
         AND objid = ((${KEY_SQL})::bigint & 4294967295)::oid
     ) AS held`,
    [schema],
  );
  if (held[0]?.held === true) return { acquired: false, release: () => Promise.resolve() };
  const rows = await database.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_lock(${KEY_SQL}) AS locked`,
    [schema],
  );
  const acquired = rows[0]?.locked === true;
  let released = false;
  return {
    acquired,
    async release() {
      if (released || !acquired) return;
      released = true;
      await database.query(`SELECT pg_advisory_unlock(${KEY_SQL})`, [schema]);
    },
  };
}
