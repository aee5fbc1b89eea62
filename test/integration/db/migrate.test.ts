/**
 * Migrations land in the account's schema only (tables, indexes and drizzle's journal), twice is a
 * no-op, and a second schema on the same database gets its own complete copy.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../../src/db/migrate.js';
import type { Database } from '../../../src/db/client.js';
import { createSchemaName, quoteIdentifier } from '../../helpers/database.js';
import { openTestDatabase } from './openTestDatabase.js';
import type { TestDb } from './openTestDatabase.js';

/** 0000_init, 0001_account, 0002_log_views, 0003_custom_fields, 0004_analytics, 0005_bi_views, 0006_comments, 0007_sync_rejects and 0008_row_hash. */
const MIGRATIONS = 9;

const TABLES = [
  '__drizzle_migrations',
  'analytics_incidents',
  'entity_tags',
  'escalation_policies',
  'escalation_rule_targets',
  'escalation_rules',
  'incident_acknowledgements',
  'incident_assignments',
  'incident_custom_fields',
  'incident_metrics',
  'incident_priority_changes',
  'incident_teams',
  'incidents',
  'log_entries',
  'mttr_by_priority_month',
  'mttr_by_service_week',
  'mttr_by_team_week',
  'oncall_hours_by_user_week',
  'oncalls',
  'priorities',
  'schedule_layers',
  'schedule_users',
  'schedules',
  'service_custom_fields',
  'service_keys',
  'service_links',
  'service_tags',
  'services',
  'sync_freshness',
  'sync_rejects',
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

  it('applies the later migrations to a schema already at 0000_init without touching its rows', async () => {
    const db = await testDb.reopen(createSchemaName('migrate_upgrade'));
    await migrateTo(db, '0000_init');
    expect(await journalCount(db)).toBe(1);
    await db.query(
      `INSERT INTO incidents (id, incident_number, title, status, urgency, priority_id, service_id,
         escalation_policy_id, created_at, updated_at, acknowledged_at, resolved_at, last_status_change_at,
         incident_key, html_url, raw)
       SELECT 'PINC' || n, n, 'Incident ' || n, 'resolved', 'high', NULL, 'PSVC1', 'PEP1',
         timestamptz '2026-01-01T00:00:00Z' + n * interval '1 hour',
         timestamptz '2026-01-01T02:00:00Z' + n * interval '1 hour', NULL,
         timestamptz '2026-01-01T01:00:00Z' + n * interval '1 hour',
         timestamptz '2026-01-01T01:00:00Z' + n * interval '1 hour',
         NULL, 'https://example.pagerduty.com/incidents/PINC' || n, jsonb_build_object('n', n)
       FROM generate_series(1, 5) AS n`,
    );
    const snapshot = () =>
      db.query<{ xmin: string; row: string }>(
        // Columns later migrations add (row_hash, 0008) are new, not touched rows: left out.
        "SELECT xmin::text AS xmin, (to_jsonb(i) - 'row_hash')::text AS row FROM incidents i ORDER BY id",
      );
    const before = await snapshot();
    expect(before).toHaveLength(5);

    await migrateDatabase(db);
    expect(await journalCount(db)).toBe(MIGRATIONS);
    expect(await snapshot()).toEqual(before);
    expect(await tablesIn(db, db.schema)).toEqual(TABLES);
  });
});

/** Applies the migrations up to and including `lastTag` only: a copy of migrations/ cut after it. */
async function migrateTo(database: Database, lastTag: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdw-migrations-'));
  try {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
      entries: { tag: string }[];
    };
    const last = journal.entries.findIndex((e) => e.tag === lastTag);
    expect(last).toBeGreaterThanOrEqual(0);
    const entries = journal.entries.slice(0, last + 1);
    mkdirSync(join(dir, 'meta'));
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
    for (const e of entries) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
    const options = { migrationsFolder: dir, migrationsSchema: database.schema };
    if (database.kind === 'pg') {
      const client = await database.pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database.schema)}`);
        await migratePg(drizzlePg(client), options);
      } finally {
        client.release();
      }
    } else {
      await database.pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database.schema)}`);
      await migratePglite(drizzlePglite(database.pglite), options);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
