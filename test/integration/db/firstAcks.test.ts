/**
 * WindowFirstAcks: a window's acknowledge log entries lower incidents.acknowledged_at to their earliest
 * one, never raise it, count only incidents that changed, and leave timestamps JavaScript cannot read to
 * the database (which compares them with every ack it holds).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { incidents, logEntries } from '../../../src/db/schema/pagerduty.js';
import { migrateDatabase } from '../../../src/db/migrate.js';
import { upsertRows } from '../../../src/db/upsert.js';
import { upsertSpecFor } from '../../../src/db/upsertSpec.js';
import type { Database } from '../../../src/db/client.js';
import { WindowFirstAcks } from '../../../src/sync/write.js';
import { openTestDatabase, type TestDb } from './openTestDatabase.js';

const T0 = Date.UTC(2025, 4, 1, 12);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

function incident(id: string, acknowledgedAt: Date | null): typeof incidents.$inferInsert {
  return {
    id,
    incidentNumber: Number(id.slice(1)),
    title: id,
    status: 'resolved',
    urgency: 'high',
    serviceId: 'PSVC',
    escalationPolicyId: 'PEP',
    createdAt: at(0),
    updatedAt: at(0),
    acknowledgedAt,
    resolvedAt: at(90),
    lastStatusChangeAt: at(90),
    htmlUrl: `https://acme.pagerduty.com/incidents/${id}`,
    raw: { id },
  };
}

describe(`first acknowledgements from a window's log entries on ${inject('testDatabase').kind}`, () => {
  let testDb: TestDb;
  let database: Database;

  beforeAll(async () => {
    testDb = await openTestDatabase('first_acks');
    database = testDb.database;
    await migrateDatabase(database);
    await upsertRows(database, upsertSpecFor(incidents), [
      incident('P1', null),
      incident('P2', at(10)),
      incident('P3', at(10)),
      incident('P4', at(10)),
    ]);
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  const acked = async () =>
    Object.fromEntries(
      (
        await database.query<{ id: string; at: Date | null }>(
          'SELECT id, acknowledged_at AS at FROM incidents ORDER BY id',
        )
      ).map((r) => [r.id, r.at?.toISOString() ?? null]),
    );

  it('sets a missing one, lowers a later one, keeps an earlier one, and counts the changed incidents', async () => {
    const acks = new WindowFirstAcks();
    acks.add('P1', iso(7));
    acks.add('P1', iso(5)); // the earliest of the window wins, whatever the order
    acks.add('P2', new Date(T0 + 4 * 60_000)); // mapped rows may carry Dates
    acks.add('P3', iso(30)); // later than what is stored: no change
    acks.add('PUNKNOWN', iso(1)); // no incident row (yet): nothing to update
    const changed = await database.transaction((tx) => acks.apply(tx));
    expect(changed).toBe(2);
    expect(await acked()).toEqual({ P1: iso(5), P2: iso(4), P3: iso(10), P4: iso(10) });
  });

  it('leaves a timestamp it cannot read to the database, which uses every ack it holds', async () => {
    await upsertRows(database, upsertSpecFor(logEntries), [
      {
        id: 'RLOG1',
        type: 'acknowledge_log_entry',
        incidentId: 'P4',
        createdAt: at(2),
        raw: { id: 'RLOG1' },
      },
    ]);
    const acks = new WindowFirstAcks();
    acks.add('P4', 'not a time');
    acks.add('P4', iso(8));
    expect(await database.transaction((tx) => acks.apply(tx))).toBe(1);
    expect((await acked()).P4).toBe(iso(2));
  });
});
