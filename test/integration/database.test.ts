/**
 * The test-database helper works on whichever database globalSetup chose (TEST_DATABASE_URL,
 * testcontainers or PGlite): a private schema, parameterised queries, and close() cleaning up.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, quoteIdentifier } from '../helpers/database.js';
import type { TestDatabaseHandle } from '../helpers/database.js';

describe(`createTestDatabase on ${inject('testDatabase').kind}`, () => {
  let db: TestDatabaseHandle | undefined;

  afterEach(async () => {
    // Release the pool / instance even when an assertion failed half-way.
    await db?.close();
    db = undefined;
  });

  it('gives a sanitised private schema that tables land in, with parameterised queries', async () => {
    db = await createTestDatabase('Database Test/ÄÖ "quoted"');
    expect(db.kind).toBe(inject('testDatabase').kind);
    expect(db.schema).toMatch(/^t_database_test_[a-z0-9_]*_[0-9a-f]{8}$/);
    expect(db.schema.length).toBeLessThanOrEqual(63);

    await db.query('CREATE TABLE services (id text PRIMARY KEY, name text NOT NULL, created_at timestamptz)');
    await db.query('INSERT INTO services (id, name, created_at) VALUES ($1, $2, $3), ($4, $5, $6)', [
      'PABC123',
      "O'Brien's service; DROP TABLE services; --",
      '2024-01-02T03:04:05Z',
      'PDEF456',
      'Second',
      null,
    ]);

    const { rows } = await db.query('SELECT id, name FROM services WHERE id = $1', ['PABC123']);
    expect(rows).toEqual([{ id: 'PABC123', name: "O'Brien's service; DROP TABLE services; --" }]);

    // The unqualified CREATE TABLE went into the private schema, not public.
    const located = await db.query(
      'SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema = $2',
      ['services', db.schema],
    );
    expect(located.rows).toEqual([{ table_schema: db.schema }]);

    const qualified = await db.query(`SELECT count(*)::int AS n FROM ${quoteIdentifier(db.schema)}.services`);
    expect(qualified.rows).toEqual([{ n: 2 }]);
  });

  it('runs several statements in one parameterless query and returns the last result', async () => {
    db = await createTestDatabase('multi');
    const { rows } = await db.query(
      'CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2); SELECT sum(n)::int AS s FROM t',
    );
    expect(rows).toEqual([{ s: 3 }]);
  });

  it('close() drops the schema on a URL database and is safe to call twice', async () => {
    const handle = await createTestDatabase('close');
    db = handle;
    await handle.query('CREATE TABLE leftovers (id int)');
    await handle.close();
    await handle.close();

    if (handle.kind === 'url' && handle.url) {
      // Check from an independent connection that nothing was left behind.
      const client = new pg.Client({ connectionString: handle.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          'SELECT schema_name FROM information_schema.schemata WHERE schema_name = $1',
          [handle.schema],
        );
        expect(rows).toEqual([]);
      } finally {
        await client.end();
      }
    } else {
      // An in-memory PGlite has nothing to drop: the whole instance is gone once closed.
      await expect(handle.query('SELECT 1')).rejects.toThrow();
    }
  });
});
