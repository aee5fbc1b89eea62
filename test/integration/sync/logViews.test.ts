/**
 * The views over log entries (migration 0002_log_views): incident_acknowledgements and
 * incident_priority_changes hold exactly what the simulator's log says after a sync of `small`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

describe.each([
  { embedded: false, label: 'the test database' },
  { embedded: true, label: 'the embedded database' },
])('views over log entries on $label', ({ embedded }) => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 52, preset: 'small', now: NOW });
    wh = createWarehouse('log_views', { embedded });
    const run = await syncAgainst(sim, wh);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('incident_acknowledgements holds every acknowledgement by a user, who and when', async () => {
    const expected = sim.account.log
      .filter((r) => r.event.type === 'acknowledge_log_entry' && r.event.agent?.type === 'user')
      .map((r) =>
        JSON.stringify([r.incident.id, r.event.agent?.id, new Date(r.event.at).toISOString(), r.event.id]),
      )
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const db = await wh.open();
    try {
      const rows = await db.query<Record<string, unknown>>(
        'SELECT incident_id, user_id, acknowledged_at, log_entry_id FROM incident_acknowledgements',
      );
      const got = rows
        .map((r) => JSON.stringify([r.incident_id, r.user_id, iso(r.acknowledged_at), r.log_entry_id]))
        .sort();
      expect(got).toEqual(expected);
    } finally {
      await db.close();
    }
  });

  it('incident_priority_changes holds every priority change with the priority names parsed', async () => {
    const priorityName = (id: string | null | undefined) =>
      id ? (sim.account.byId.priorities.get(id)?.name ?? id) : 'none';
    const changes = sim.account.log.filter((r) => r.event.type === 'priority_change_log_entry');
    expect(changes.length).toBeGreaterThan(0);
    const expected = changes
      .map((r) =>
        JSON.stringify([
          r.incident.id,
          new Date(r.event.at).toISOString(),
          r.event.agent?.id ?? null,
          r.event.id,
          priorityName(r.event.priorityTo),
        ]),
      )
      .sort();
    const db = await wh.open();
    try {
      const rows = await db.query<Record<string, unknown>>(
        'SELECT incident_id, changed_at, agent_id, log_entry_id, from_priority, to_priority FROM incident_priority_changes',
      );
      const got = rows
        .map((r) =>
          JSON.stringify([r.incident_id, iso(r.changed_at), r.agent_id, r.log_entry_id, r.to_priority]),
        )
        .sort();
      expect(got).toEqual(expected);
      expect(rows.every((r) => typeof r.from_priority === 'string')).toBe(true);
      // A summary that does not parse leaves both priorities null.
      await db.query(
        `INSERT INTO log_entries (id, type, incident_id, created_at, summary, raw)
         VALUES ('LUNPARSED', 'priority_change_log_entry', 'PX', now(), 'Priority set by someone.', '{}')`,
      );
      const unparsed = await db.query<Record<string, unknown>>(
        `SELECT from_priority, to_priority FROM incident_priority_changes WHERE log_entry_id = 'LUNPARSED'`,
      );
      expect(unparsed).toEqual([{ from_priority: null, to_priority: null }]);
    } finally {
      await db.close();
    }
  });
});
