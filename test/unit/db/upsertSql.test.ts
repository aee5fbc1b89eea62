/** The upsert's SQL and value encoding, without a database. */
import { describe, expect, it } from 'vitest';
import { incidentAssignments, incidents, oncalls, ONCALL_KEY } from '../../../src/db/schema/pagerduty.js';
import { syncRuns } from '../../../src/db/schema/sync.js';
import { buildUpsertSql, encodeBatch } from '../../../src/db/upsert.js';
import type { UpsertSpec } from '../../../src/db/upsert.js';
import { upsertSpecFor } from '../../../src/db/upsertSpec.js';
import { encodeValue } from '../../../src/db/values.js';
import { SyncError } from '../../../src/errors.js';

const spec: UpsertSpec = {
  table: 'services',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'raw', type: 'jsonb' },
    { name: 'synced_at', type: 'timestamptz', field: 'syncedAt' },
  ],
  key: ['id'],
};

describe('buildUpsertSql', () => {
  it('reads the batch as one JSON array of typed records and updates only real changes', () => {
    expect(buildUpsertSql(spec)).toBe(
      'INSERT INTO "services" AS t ("id", "name", "raw", "synced_at")' +
        ' SELECT u."id", u."name", u."raw", coalesce(u."synced_at", now())' +
        ' FROM jsonb_to_recordset($1::jsonb) AS u("id" text, "name" text, "raw" jsonb, "synced_at" timestamptz)' +
        ' ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name", "raw" = excluded."raw", "synced_at" = excluded."synced_at"' +
        ' WHERE (t."name", t."raw") IS DISTINCT FROM (excluded."name", excluded."raw")' +
        ' RETURNING (t.xmax = 0) AS inserted, t."id"::text AS key',
    );
  });

  it('combines stored and incoming values by merge rule, in the update and in the change check', () => {
    const merged = buildUpsertSql({ ...spec, merge: { name: 'coalesce', raw: 'least' } });
    expect(merged).toContain(
      'SET "name" = coalesce(excluded."name", t."name"), "raw" = least(t."raw", excluded."raw"), "synced_at" = excluded."synced_at"',
    );
    expect(merged).toContain(
      'WHERE (t."name", t."raw") IS DISTINCT FROM (coalesce(excluded."name", t."name"), least(t."raw", excluded."raw"))',
    );
    expect(() => buildUpsertSql({ ...spec, merge: { id: 'least' } })).toThrow(/not a non-key column/);
  });

  it('does nothing on conflict when every column is in the key', () => {
    const keyOnly: UpsertSpec = { table: 'tags', columns: [{ name: 'a', type: 'text' }], key: ['a'] };
    expect(buildUpsertSql(keyOnly)).toContain('ON CONFLICT ("a") DO NOTHING');
  });

  it('quotes hostile names instead of executing them', () => {
    const hostile: UpsertSpec = {
      table: 'x"; DROP TABLE incidents; --',
      columns: [{ name: 'id"', type: 'text' }],
      key: ['id"'],
    };
    expect(buildUpsertSql(hostile)).toContain('INSERT INTO "x""; DROP TABLE incidents; --" AS t ("id""")');
  });

  it('rejects inconsistent specs', () => {
    expect(() => buildUpsertSql({ ...spec, key: [] })).toThrow(SyncError);
    expect(() => buildUpsertSql({ ...spec, key: ['nope'] })).toThrow(/"nope" is not one of its columns/);
    expect(() => buildUpsertSql({ ...spec, compare: ['nope'] })).toThrow(SyncError);
    expect(() =>
      buildUpsertSql({ ...spec, columns: [...spec.columns, { name: 'id', type: 'text' }] }),
    ).toThrow(/twice/);
  });
});

describe('encodeBatch', () => {
  it('writes one object per row keyed by column name, jsonb cells embedded as JSON', () => {
    const rows = [
      {
        id: 'P1',
        name: 'Web "API"\u0000',
        raw: { a: [1, 'x\u0000'] },
        syncedAt: new Date('2024-01-01T00:00:00Z'),
      },
      { id: 'P2', name: null, raw: null },
    ];
    const json = encodeBatch(spec, rows);
    expect(JSON.parse(json)).toEqual([
      { id: 'P1', name: 'Web "API"', raw: { a: [1, 'x'] }, synced_at: '2024-01-01T00:00:00.000Z' },
      { id: 'P2', name: null, raw: null, synced_at: null },
    ]);
    expect(encodeBatch(spec, [])).toBe('[]');
  });
});

describe('encodeValue', () => {
  const cell = (type: Parameters<typeof encodeValue>[0]['type'], value: unknown) =>
    encodeValue({ name: 'c', type }, { c: value }, 't');

  it('encodes each type, NULL for null and undefined', () => {
    expect(cell('text', 'a')).toBe('a');
    expect(cell('text', undefined)).toBeNull();
    expect(cell('int', null)).toBeNull();
    expect(cell('int', 42)).toBe(42);
    expect(cell('bigint', 2n ** 62n)).toBe('4611686018427387904');
    expect(cell('bool', false)).toBe(false);
    expect(cell('timestamptz', new Date('2024-01-01T00:00:00Z'))).toBe('2024-01-01T00:00:00.000Z');
    expect(cell('timestamptz', '2024-01-01T01:00:00+01:00')).toBe('2024-01-01T00:00:00.000Z');
    expect(cell('jsonb', { a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
  });

  it('drops U+0000, which Postgres text and jsonb cannot hold', () => {
    expect(cell('text', 'a\u0000b')).toBe('ab');
    expect(cell('jsonb', { s: 'a\u0000b', t: 'back\\u0000slash' })).toBe(
      '{"s":"ab","t":"back\\\\u0000slash"}',
    );
  });

  it('names the table, column and kind of a wrong value', () => {
    expect(() => cell('int', '42')).toThrow('upsert into t: column c (int) got a string');
    expect(() => cell('int', 1.5)).toThrow(SyncError);
    expect(() => cell('timestamptz', new Date('nope'))).toThrow(/invalid Date/);
    expect(() => cell('timestamptz', 'yesterday')).toThrow(SyncError);
    expect(() => cell('bool', 'true')).toThrow(SyncError);
  });
});

describe('upsertSpecFor', () => {
  it('maps a drizzle table: SQL names, types, property fields, primary key', () => {
    const derived = upsertSpecFor(incidents);
    expect(derived.table).toBe('incidents');
    expect(derived.key).toEqual(['id']);
    expect(derived.columns).toContainEqual({ name: 'incident_number', type: 'int', field: 'incidentNumber' });
    expect(derived.columns).toContainEqual({ name: 'raw', type: 'jsonb', field: 'raw' });
    expect(derived.columns).toContainEqual({ name: 'synced_at', type: 'timestamptz', field: 'syncedAt' });
    expect(derived.compare).toBeUndefined();
  });

  it('finds a composite primary key, takes an explicit key, and skips identity columns', () => {
    expect(upsertSpecFor(incidentAssignments).key).toEqual(['incident_id', 'user_id']);
    expect(upsertSpecFor(oncalls, { key: ONCALL_KEY }).key).toEqual(ONCALL_KEY);
    expect(() => upsertSpecFor(oncalls)).toThrow(/pass options.key/);
    expect(upsertSpecFor(syncRuns, { key: ['started_at'] }).columns.map((c) => c.name)).not.toContain('id');
  });
});
