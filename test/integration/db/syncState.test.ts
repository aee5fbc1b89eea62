/**
 * Checkpoints never move backwards (unless forced), commit or roll back with the window's rows, and
 * runs and windows are recorded with driver-independent types.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateDatabase } from '../../../src/db/migrate.js';
import {
  addToSavedSet,
  finishRun,
  getCursor,
  recordWindow,
  removeFromSavedSet,
  saveCursor,
  savedSet,
  startRun,
} from '../../../src/db/syncState.js';
import type { Database } from '../../../src/db/client.js';
import { openTestDatabase } from './openTestDatabase.js';
import type { TestDb } from './openTestDatabase.js';

const T1 = new Date('2024-01-01T00:00:00Z');
const T2 = new Date('2024-02-01T00:00:00Z');
const T3 = new Date('2024-03-01T00:00:00Z');

describe(`sync state on ${inject('testDatabase').kind}`, () => {
  let testDb: TestDb;
  let database: Database;

  beforeAll(async () => {
    testDb = await openTestDatabase('sync_state');
    database = testDb.database;
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it('has no cursor for a resource that never saved one', async () => {
    expect(await getCursor(database, 'never')).toBeNull();
  });

  it('moves a cursor forwards only, unless forced', async () => {
    expect(await saveCursor(database, 'incidents', T2, { page: 1 })).toEqual(T2);
    expect(await saveCursor(database, 'incidents', T1)).toEqual(T2);
    expect(await saveCursor(database, 'incidents', null)).toEqual(T2);
    expect(await getCursor(database, 'incidents')).toMatchObject({ cursor: T2, extra: { page: 1 } });

    expect(await saveCursor(database, 'incidents', T3, { page: 2 })).toEqual(T3);
    expect(await getCursor(database, 'incidents')).toMatchObject({ cursor: T3, extra: { page: 2 } });

    expect(await saveCursor(database, 'incidents', T1, null, { force: true })).toEqual(T1);
    const saved = await getCursor(database, 'incidents');
    expect(saved).toMatchObject({ cursor: T1, extra: null });
    expect(saved?.updatedAt).toBeInstanceOf(Date);
  });

  it('saves a cursor in the same transaction as the rows, and rolls it back with them', async () => {
    await saveCursor(database, 'log_entries', T1);
    await expect(
      database.transaction(async (tx) => {
        await saveCursor(tx, 'log_entries', T3);
        expect((await getCursor(tx, 'log_entries'))?.cursor).toEqual(T3);
        throw new Error('window failed');
      }),
    ).rejects.toThrow('window failed');
    expect((await getCursor(database, 'log_entries'))?.cursor).toEqual(T1);

    await database.transaction(async (tx) => {
      await saveCursor(tx, 'log_entries', T2);
    });
    expect((await getCursor(database, 'log_entries'))?.cursor).toEqual(T2);
  });

  it('keeps a set beside the cursor: added with a window, kept by later saves, removed when done', async () => {
    const pending = async () => savedSet(await getCursor(database, 'feed'), 'owed');
    // Before any cursor: the row is created with the set and no cursor; the window's save then sets it.
    await database.transaction(async (tx) => {
      await addToSavedSet(tx, 'feed', 'owed', ['B', 'A', 'B']);
      await saveCursor(tx, 'feed', T1);
    });
    expect(await getCursor(database, 'feed')).toMatchObject({ cursor: T1, extra: { owed: ['A', 'B'] } });
    await addToSavedSet(database, 'feed', 'owed', ['C', 'A']);
    await saveCursor(database, 'feed', T2);
    expect(await pending()).toEqual(['A', 'B', 'C']);
    // Rolled back with the window that owed them.
    await expect(
      database.transaction(async (tx) => {
        await addToSavedSet(tx, 'feed', 'owed', ['Z']);
        throw new Error('window failed');
      }),
    ).rejects.toThrow('window failed');
    expect(await pending()).toEqual(['A', 'B', 'C']);
    await removeFromSavedSet(database, 'feed', 'owed', ['A', 'C', 'unknown']);
    expect(await pending()).toEqual(['B']);
    await removeFromSavedSet(database, 'feed', 'owed', ['B']);
    expect(await pending()).toEqual([]);
    expect((await getCursor(database, 'feed'))?.cursor).toEqual(T2);
    await removeFromSavedSet(database, 'nothing-saved', 'owed', ['A']);
    expect(await getCursor(database, 'nothing-saved')).toBeNull();
  });

  it('records a run and its windows', async () => {
    const id = await startRun(database, T1);
    expect(typeof id).toBe('number');
    const second = await startRun(database);
    expect(second).toBeGreaterThan(id);

    await recordWindow(database, {
      runId: id,
      resource: 'incidents',
      windowStart: T1,
      windowEnd: T2,
      pages: 3,
      rows: 250,
      splitDepth: 1,
    });
    await finishRun(
      database,
      id,
      {
        status: 'partial',
        resources: { incidents: { rows: 250, pages: 3 }, teams: { skipped: 'HTTP 402' } },
        requests: 7,
        retries: 2,
        rateLimited: 1,
        error: 'teams: plan lacks teams',
      },
      T2,
    );

    const runs = await database.query('SELECT * FROM sync_runs WHERE id = $1', [id]);
    expect(runs).toEqual([
      {
        id,
        started_at: T1,
        finished_at: T2,
        status: 'partial',
        resources: { incidents: { rows: 250, pages: 3 }, teams: { skipped: 'HTTP 402' } },
        requests: 7,
        retries: 2,
        rate_limited: 1,
        error: 'teams: plan lacks teams',
      },
    ]);
    const windows = await database.query(
      'SELECT run_id, resource, window_start, window_end, pages, rows, split_depth FROM sync_windows',
    );
    expect(windows).toEqual([
      {
        run_id: id,
        resource: 'incidents',
        window_start: T1,
        window_end: T2,
        pages: 3,
        rows: 250,
        split_depth: 1,
      },
    ]);
  });

  it('refuses a status outside the known ones', async () => {
    const id = await startRun(database);
    await expect(database.query(`UPDATE sync_runs SET status = 'weird' WHERE id = $1`, [id])).rejects.toThrow(
      /sync_runs_status_check/,
    );
  });
});
