/**
 * Documentation inside the database (migration 0006_comments): every table and view of the account's
 * schema, and every column of each, carries a non-empty comment, so `\d+` and BI tools explain them.
 * Runs on the database the test run chose and, always, on the embedded PGlite.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IN_MEMORY, openDatabase, type Database } from '../../../src/db/client.js';
import { migrateDatabase } from '../../../src/db/migrate.js';
import { openTestDatabase, type TestDb } from './openTestDatabase.js';

/** drizzle's journal lives in the same schema; it is the migrator's, not the warehouse's. */
const UNDOCUMENTED = '__drizzle_migrations';

interface Relation {
  name: string;
  kind: string;
  comment: string | null;
}

interface Column {
  relation: string;
  name: string;
  comment: string | null;
}

const blank = (comment: string | null) => comment === null || comment.trim() === '';

/** Relations and columns of `schema` (tables, views, materialized views) with their comments. */
async function documentation(database: Database, schema: string) {
  const relations = await database.query<Relation>(
    `SELECT c.relname AS name, c.relkind::text AS kind, obj_description(c.oid, 'pg_class') AS comment
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> $2
      ORDER BY c.relname`,
    [schema, UNDOCUMENTED],
  );
  const columns = await database.query<Column>(
    `SELECT c.relname AS relation, a.attname AS name, col_description(c.oid, a.attnum) AS comment
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> $2
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema, UNDOCUMENTED],
  );
  return { relations, columns };
}

async function expectEverythingCommented(database: Database): Promise<void> {
  await migrateDatabase(database);
  const { relations, columns } = await documentation(database, database.schema);
  // The listing itself works: the warehouse has 25 tables and 11 views.
  expect(relations.filter((r) => r.kind === 'r')).toHaveLength(25);
  expect(relations.filter((r) => r.kind === 'v')).toHaveLength(11);
  expect(new Set(columns.map((c) => c.relation))).toEqual(new Set(relations.map((r) => r.name)));

  const missing = [
    ...relations
      .filter((r) => blank(r.comment))
      .map((r) => `${r.kind === 'v' ? 'view' : 'table'} ${r.name} has no comment`),
    ...columns.filter((c) => blank(c.comment)).map((c) => `column ${c.relation}.${c.name} has no comment`),
  ];
  expect(missing, `undocumented:\n${missing.join('\n')}`).toEqual([]);
}

describe(`comments on every table, view and column (${inject('testDatabase').kind})`, () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDatabase('comments');
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it('a freshly migrated schema documents everything but the migration journal', async () => {
    await expectEverythingCommented(testDb.database);
  });
});

describe('comments on the embedded database (PGlite)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: IN_MEMORY, schema: 'pagerduty' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('a freshly migrated schema documents everything but the migration journal', async () => {
    expect(database.kind).toBe('pglite');
    await expectEverythingCommented(database);
  });
});
