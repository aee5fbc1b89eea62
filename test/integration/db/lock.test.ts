/**
 * The sync lock: one holder per schema. On a server a second connection is refused while the first
 * holds it; on PGlite (one session) a second attempt in the process is refused too. Another schema
 * is independent, and release() frees the lock for the next run.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tryAdvisoryLock } from '../../../src/db/lock.js';
import { createSchemaName } from '../../helpers/database.js';
import { openTestDatabase } from './openTestDatabase.js';
import type { TestDb } from './openTestDatabase.js';

const kind = inject('testDatabase').kind;

describe(`tryAdvisoryLock on ${kind}`, () => {
  let testDb: TestDb;

  beforeAll(async () => {
    testDb = await openTestDatabase('lock');
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it('refuses a second holder for the same schema and frees it on release', async () => {
    const { database } = testDb;
    const first = await tryAdvisoryLock(database, database.schema);
    expect(first.acquired).toBe(true);

    const second = await tryAdvisoryLock(database, database.schema);
    expect(second.acquired).toBe(false);
    await second.release();

    const otherSchema = createSchemaName('lock_other');
    const other = await tryAdvisoryLock(database, otherSchema);
    expect(other.acquired).toBe(true);

    await first.release();
    await first.release();
    const third = await tryAdvisoryLock(database, database.schema);
    expect(third.acquired).toBe(true);
    await third.release();
    await other.release();
  });

  it.skipIf(kind !== 'url')('refuses a holder from another pool (another process) on a server', async () => {
    const { database } = testDb;
    const elsewhere = await testDb.reopen(database.schema);
    const held = await tryAdvisoryLock(database, database.schema);
    expect(held.acquired).toBe(true);
    const refused = await tryAdvisoryLock(elsewhere, database.schema);
    expect(refused.acquired).toBe(false);
    // A refusal does not keep a pooled connection checked out.
    if (elsewhere.kind === 'pg') expect(elsewhere.pool.idleCount).toBe(elsewhere.pool.totalCount);

    await held.release();
    const next = await tryAdvisoryLock(elsewhere, database.schema);
    expect(next.acquired).toBe(true);
    await next.release();
  });
});
