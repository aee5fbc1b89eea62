import { expect } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import type { Simulator } from '../../../src/simulator/index.js';
import { escalationPolicyOncalls } from '../../../src/simulator/oncall.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Asserts the warehouse equals the simulator's truth: incidents, services, log entries. */
export async function expectWarehouseMatchesTruth(db: Database, sim: Simulator): Promise<void> {
  const truth = sim.truth();
  const rows = await db.query<{
    id: string;
    status: string;
    urgency: string;
    service_id: string;
    escalation_policy_id: string;
    priority_id: string | null;
    created_at: Date;
    acknowledged_at: Date | null;
    resolved_at: Date | null;
    incident_number: number;
  }>(
    `SELECT id, status, urgency, service_id, escalation_policy_id, priority_id, created_at, acknowledged_at, resolved_at, incident_number
     FROM incidents ORDER BY incident_number`,
  );
  const actual = rows.map((r) => ({
    id: r.id,
    incident_number: r.incident_number,
    status: r.status,
    urgency: r.urgency,
    service_id: r.service_id,
    escalation_policy_id: r.escalation_policy_id,
    priority_id: r.priority_id,
    created_at: iso(r.created_at),
    first_acknowledged_at: iso(r.acknowledged_at),
    resolved_at: iso(r.resolved_at),
  }));
  const expected = truth.incidents.map((t) => ({
    id: t.id,
    incident_number: t.incident_number,
    status: t.status,
    urgency: t.urgency,
    service_id: t.service_id,
    escalation_policy_id: t.escalation_policy_id,
    priority_id: t.priority_id,
    created_at: t.created_at,
    first_acknowledged_at: t.first_acknowledged_at,
    resolved_at: t.resolved_at,
  }));
  expect(actual.length).toBe(expected.length);
  expect(actual).toEqual(expected);

  const services = await db.query<{ id: string; name: string; deleted_at: Date | null }>(
    'SELECT id, name, deleted_at FROM services ORDER BY id',
  );
  const liveIds = sim.account.services
    .filter((s) => s.deletedAt === null)
    .map((s) => s.id)
    .sort();
  expect(services.filter((s) => s.deleted_at === null).map((s) => s.id)).toEqual(liveIds);
  for (const s of services) {
    const src = sim.account.byId.services.get(s.id);
    if (src?.deletedAt === null) expect(s.name).toBe(src.name);
    else expect(s.deleted_at).not.toBeNull();
  }

  const logIds = await db.query<{ id: string }>('SELECT id FROM log_entries ORDER BY id');
  const overview = sim.account.log
    .filter((r) => r.event.type !== 'notify_log_entry')
    .map((r) => r.event.id)
    .sort();
  expect(logIds.map((r) => r.id)).toEqual(overview);
}

/** Asserts the warehouse holds exactly the on-call shifts the simulator serves for [since, until]. */
export async function expectOncallsMatch(
  db: Database,
  sim: Simulator,
  since: number,
  until: number,
): Promise<void> {
  const a = sim.account;
  const expected = a.escalationPolicies
    .flatMap((ep) => escalationPolicyOncalls(ep, a.byId.schedules, since, until))
    .map((o) =>
      [
        o.escalationPolicyId,
        o.escalationLevel,
        o.scheduleId,
        o.userId,
        iso(o.start === null ? null : new Date(o.start)),
        iso(o.end === null ? null : new Date(o.end)),
      ].join('|'),
    )
    .sort();
  const rows = await db.query<{ k: string }>(
    `SELECT concat_ws('|', escalation_policy_id, escalation_level, coalesce(schedule_id, ''), user_id,
       coalesce(to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ''),
       coalesce(to_char(end_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')) AS k
     FROM oncalls WHERE start_at IS NULL OR end_at > $1::timestamptz`,
    [new Date(since).toISOString()],
  );
  const norm = (k: string) =>
    k
      .split('|')
      .map((p) => (p === 'null' ? '' : p))
      .join('|');
  expect(rows.map((r) => r.k).sort()).toEqual(expected.map(norm));
}

export async function count(db: Database, table: string): Promise<number> {
  const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return r[0]?.n ?? 0;
}
