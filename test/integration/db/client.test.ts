/**
 * openDatabase on both drivers: one-line connection errors without the password, the schema alone on
 * every connection's search_path, driver types normalised, transactions with raw SQL and drizzle on
 * one connection, and (PGlite) a data directory that persists and admits one instance at a time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import type { Database } from '../../../src/db/client.js';
import { migrateDatabase } from '../../../src/db/migrate.js';
import { syncState } from '../../../src/db/schema/sync.js';
import { ConfigError, SyncError } from '../../../src/errors.js';
import { createSchemaName } from '../../helpers/database.js';
import { openTestDatabase } from './openTestDatabase.js';
import type { TestDb } from './openTestDatabase.js';

const kind = inject('testDatabase').kind;

describe('openDatabase errors', () => {
  it('says where it could not connect, in one line, without the password', async () => {
    const url = 'postgres://warehouse:s3cr%40t-Pa55@127.0.0.1:5999/pd?sslmode=disable';
    const error: unknown = await openDatabase({ url, schema: 'pagerduty' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    const message = (error as SyncError).message;
    expect(message).toBe(
      'cannot connect to Postgres at 127.0.0.1:5999/pd as warehouse (ECONNREFUSED): check DATABASE_URL',
    );
    expect(message).not.toMatch(/s3cr|Pa55/);
  });

  it('does not echo a URL it cannot parse', async () => {
    const error: unknown = await openDatabase({
      url: 'postgres://u:hunter2@[bad',
      schema: 'pagerduty',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(String(error)).not.toContain('hunter2');
    expect(JSON.stringify((error as SyncError).cause ?? null)).not.toContain('hunter2');
  });

  it('rejects a schema name that is not a plain lower-case identifier', async () => {
    for (const schema of [
      'Pager-Duty',
      'a"; DROP SCHEMA public; --',
      '1st',
      '',
      'pg_catalog',
      'x'.repeat(64),
    ]) {
      await expect(openDatabase({ dataDir: 'memory://', schema })).rejects.toBeInstanceOf(ConfigError);
    }
  });
});

describe(`openDatabase on ${kind}`, () => {
  let testDb: TestDb;
  let database: Database;

  beforeAll(async () => {
    testDb = await openTestDatabase('client');
    database = testDb.database;
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it('puts the schema alone on the search_path of every connection', async () => {
    const paths = await Promise.all(
      Array.from({ length: 6 }, () => database.query<{ search_path: string }>('SHOW search_path')),
    );
    for (const rows of paths) expect(rows).toEqual([{ search_path: database.schema }]);
    expect(await database.query('SELECT current_schema() AS s')).toEqual([{ s: database.schema }]);
  });

  it('returns int8 and numeric as numbers, timestamptz as Date, jsonb as objects', async () => {
    const rows = await database.query(
      `SELECT 9007199254740991::int8 AS big, count(*) AS n, 2.5::numeric AS avg,
              '2024-01-02T03:04:05Z'::timestamptz AS at, '{"a":[1,{"b":null}]}'::jsonb AS doc
       FROM (VALUES (1), (2)) AS v(x)`,
    );
    expect(rows).toEqual([
      {
        big: 9007199254740991,
        n: 2,
        avg: 2.5,
        at: new Date('2024-01-02T03:04:05Z'),
        doc: { a: [1, { b: null }] },
      },
    ]);
  });

  it('commits raw SQL and drizzle together in a transaction, and rolls both back', async () => {
    await database.transaction(async (tx) => {
      await tx.query(`INSERT INTO sync_state (resource) VALUES ('raw')`);
      await tx.db.insert(syncState).values({ resource: 'drizzle', cursor: new Date('2024-01-01T00:00:00Z') });
    });
    await expect(
      database.transaction(async (tx) => {
        await tx.db.update(syncState).set({ cursor: null }).where(eq(syncState.resource, 'drizzle'));
        await tx.query(`DELETE FROM sync_state WHERE resource = 'raw'`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await database.db.select().from(syncState).orderBy(syncState.resource);
    expect(rows.map((row) => [row.resource, row.cursor])).toEqual([
      ['drizzle', new Date('2024-01-01T00:00:00Z')],
      ['raw', null],
    ]);
  });

  it('close() is safe to call twice', async () => {
    const extra = await testDb.reopen(createSchemaName('client_extra'));
    await extra.close();
    await extra.close();
    if (extra.kind === 'pg') expect(extra.pool.totalCount).toBe(0);
  });
});

describe.skipIf(kind === 'url')('the embedded data directory', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pdw-client-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps data across a reopen, admits one instance at a time, and replaces a stale lock', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await openDatabase({ dataDir, schema: 'pagerduty' });
    await migrateDatabase(first);
    await first.query(`INSERT INTO sync_state (resource) VALUES ('kept')`);

    await expect(openDatabase({ dataDir, schema: 'pagerduty' })).rejects.toThrow(
      /embedded database at .* is already open in this process/,
    );
    await first.close();

    // A lock file left by a process that died does not block the next open.
    await writeFile(join(dataDir, 'pd-warehouse.lock'), '999999999\n');
    const second = await openDatabase({ dataDir, schema: 'pagerduty' });
    try {
      await migrateDatabase(second);
      expect(await second.query('SELECT resource FROM sync_state')).toEqual([{ resource: 'kept' }]);
    } finally {
      await second.close();
    }
  });
});
