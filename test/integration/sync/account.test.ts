import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import type { AccountTables } from '../../../src/simulator/truthRows.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);

/** The account tables under test; those with deleted_at hold only live rows in the truth. */
const TABLES = {
  teams: { live: true },
  team_members: { live: false },
  users: { live: true },
  escalation_policies: { live: true },
  escalation_rules: { live: false },
  escalation_rule_targets: { live: false },
  schedules: { live: true },
  schedule_layers: { live: false },
  schedule_users: { live: false },
  priorities: { live: true },
  tags: { live: true },
  entity_tags: { live: false },
  incident_teams: { live: false },
} satisfies Partial<Record<keyof AccountTables, { live: boolean }>>;

/** Child rows of a deleted parent stay beside its deleted_at row (children are pruned per listed parent). */
const LIVE_PARENT: Partial<Record<keyof typeof TABLES, string>> = {
  team_members: ' WHERE team_id IN (SELECT id FROM teams WHERE deleted_at IS NULL)',
};

/** Truth field names that differ from the column. */
const COLUMN: Record<string, string> = { start: 'start_at', end: 'end_at' };

const norm = (v: unknown) => (v instanceof Date ? v.toISOString().replace(/\.000Z$/, 'Z') : v);
const sortRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, norm(v)]))).sort();

async function expectTableMatches(db: Database, sim: Simulator, name: keyof typeof TABLES) {
  const truth = sim.truth().tables[name] as unknown as Record<string, unknown>[];
  expect(truth.length, name).toBeGreaterThan(0);
  const fields = Object.keys(truth[0] ?? {});
  const select = fields.map((f) => `"${COLUMN[f] ?? f}" AS "${f}"`).join(', ');
  const where = TABLES[name].live ? ' WHERE deleted_at IS NULL' : (LIVE_PARENT[name] ?? '');
  const rows = await db.query<Record<string, unknown>>(`SELECT ${select} FROM ${name}${where}`);
  expect(sortRows(rows), name).toEqual(sortRows(truth));
}

async function deletedIds(db: Database, table: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM ${table} WHERE deleted_at IS NOT NULL ORDER BY id`,
  );
  return rows.map((r) => r.id);
}

describe('sync of the whole account (large)', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 47, preset: 'large', now: NOW, rpm: 100_000 });
    wh = createWarehouse('account');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('loads every account table row for row as the truth, tag keys and rule targets included', async () => {
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const db = await wh.open();
    try {
      for (const name of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
        await expectTableMatches(db, sim, name);
      }
      const keyed = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM tags WHERE tag_value IS NOT NULL',
      );
      expect(keyed[0]?.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('a second run writes nothing', async () => {
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
    expect(run.code).toBe(0);
    const db = await wh.open();
    try {
      const rows = await db.query<{ resources: Record<string, { written: number }> }>(
        'SELECT resources FROM sync_runs ORDER BY id DESC LIMIT 1',
      );
      const written = Object.entries(rows[0]?.resources ?? {}).map(([k, r]) => [k, r.written]);
      expect(
        written.every(([, n]) => n === 0),
        JSON.stringify(written),
      ).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('marks exactly the deleted user, team and service with deleted_at after the next run', async () => {
    const report = sim.advance(60, { deleteUser: true, deleteTeam: true, deleteService: true });
    const deleted = sim.truth().deleted;
    expect(report.deletedUserIds).toHaveLength(1);
    expect(report.deletedTeamIds).toHaveLength(1);
    expect(deleted.service_ids.length).toBeGreaterThan(0);
    const run = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
    expect(run.code).toBe(0);
    const db = await wh.open();
    try {
      expect(await deletedIds(db, 'users')).toEqual([...deleted.user_ids].sort());
      expect(await deletedIds(db, 'teams')).toEqual([...deleted.team_ids].sort());
      expect(await deletedIds(db, 'services')).toEqual([...deleted.service_ids].sort());
      for (const name of ['teams', 'team_members', 'users', 'entity_tags', 'incident_teams'] as const) {
        await expectTableMatches(db, sim, name);
      }
    } finally {
      await db.close();
    }
  });
});

describe('plan-gated teams and priorities', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 48,
      preset: 'small',
      now: NOW,
      abilities: { teams: false, priorities: false },
    });
    wh = createWarehouse('gated');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('succeeds, warns once per resource and records both as unavailable', async () => {
    const run = await syncAgainst(sim, wh);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const warnings = run.logs
      .split('\n')
      .filter((l) => l.includes('unavailable on this plan'))
      .map((l) => (JSON.parse(l) as { resource?: string }).resource);
    expect(warnings.sort()).toEqual(['priorities', 'teams']);
    const db = await wh.open();
    try {
      const rows = await db.query<{ status: string; resources: Record<string, { status: string }> }>(
        'SELECT status, resources FROM sync_runs',
      );
      expect(rows[0]?.status).toBe('succeeded');
      expect(rows[0]?.resources.teams?.status).toBe('unavailable');
      expect(rows[0]?.resources.priorities?.status).toBe('unavailable');
      expect(rows[0]?.resources.users?.status).toBe('succeeded');
    } finally {
      await db.close();
    }
  });
});
