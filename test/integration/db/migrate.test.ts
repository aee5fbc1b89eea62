/**
 * Migrations land in the account's schema only (tables, indexes and drizzle's journal), twice is a
 * no-op, and a second schema on the same database gets its own complete copy.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateDatabase } from '../../../src/db/migrate.js';
import type { Database } from '../../../src/db/client.js';
import { createSchemaName, quoteIdentifier } from '../../helpers/database.js';
import { openTestDatabase } from './openTestDatabase.js';
import type { TestDb } from './openTestDatabase.js';

/** 0000_init and 0001_account. */
const MIGRATIONS = 2;

const TABLES = [
  '__drizzle_migrations',
  'entity_tags',
  'escalation_policies',
  'escalation_rule_targets',
  'escalation_rules',
  'incident_assignments',
  'incident_teams',
  'incidents',
  'log_entries',
  'oncalls',
  'priorities',
  'schedule_layers',
  'schedule_users',
  'schedules',
  'services',
  'sync_runs',
  'sync_state',
  'sync_windows',
  'tags',
  'team_members',
  'teams',
  'users',
];

async function tablesIn(database: Database, schema: string): Promise<string[]> {
  const rows = await database.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  return rows.map((row) => row.table_name);
}

async function journalCount(database: Database): Promise<number> {
  const rows = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM __drizzle_migrations');
  return rows[0]?.n ?? -1;
}

describe(`migrateDatabase on ${inject('testDatabase').kind}`, () => {
  let testDb: TestDb;

  beforeAll(async () => {
    // File-backed on PGlite: the second schema must land in the same database after a reopen.
    testDb = await openTestDatabase('migrate', { fileBacked: true });
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it('creates the schema and every table in it, and a second run applies nothing', async () => {
    const { database } = testDb;
    await migrateDatabase(database);
    expect(await tablesIn(database, database.schema)).toEqual(TABLES);
    expect(await journalCount(database)).toBe(MIGRATIONS);

    const before = await database.query<{ xmin: string }>('SELECT xmin::text FROM __drizzle_migrations');
    await migrateDatabase(database);
    expect(await journalCount(database)).toBe(MIGRATIONS);
    expect(await database.query('SELECT xmin::text FROM __drizzle_migrations')).toEqual(before);
  });

  it('migrates a second schema on the same database into its own tables, none in public', async () => {
    const other = await testDb.reopen(createSchemaName('migrate_other'));
    await migrateDatabase(other);
    await migrateDatabase(other);
    expect(await tablesIn(other, other.schema)).toEqual(TABLES);
    const first = testDb.database.schema;
    expect(await tablesIn(other, first)).toEqual(TABLES);
    expect(await journalCount(other)).toBe(MIGRATIONS);

    const leaked = await other.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_name = ANY($1::text[]) AND table_schema IN ('public', 'drizzle')`,
      [TABLES],
    );
    expect(leaked).toEqual([]);

    // Unqualified names resolve to the connection's own schema only.
    await other.query(`INSERT INTO sync_state (resource) VALUES ('only-in-other')`);
    expect(await other.query(`SELECT resource FROM ${quoteIdentifier(first)}.sync_state`)).toEqual([]);
    expect(await other.query(`SELECT resource FROM sync_state`)).toEqual([{ resource: 'only-in-other' }]);

    // The indexes, the on-call natural key among them, are there too.
    const rows = await other.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
      [first],
    );
    const names = rows.map((row) => row.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        'incidents_created_at_idx',
        'incidents_service_id_idx',
        'incidents_status_idx',
        'log_entries_incident_id_created_at_idx',
        'log_entries_type_incident_id_idx',
        'oncalls_natural_key',
        'sync_windows_resource_window_end_idx',
      ]),
    );
  });
});
