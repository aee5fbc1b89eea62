/**
 * Issue 8: an incremental run over an unchanged `large` account makes at most one request per resource
 * plus one per open-incident page, and writes nothing. The per-item detail (team members, tag assignments,
 * the on-call forecast) is read again only where a listing shows a change, and in full once
 * SYNC_DETAIL_REFRESH has passed since the last complete read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type SyncRun, type Warehouse } from '../../helpers/syncHarness.js';
import { expectOncallsMatch } from './compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const DAY = 86_400_000;
const RPM = { PAGERDUTY_MAX_RPM: '10000' };
/** A clock move that changes no reference data and no incident beyond their planned course. */
const QUIET = {
  newIncidents: 0,
  priorityChanges: 0,
  renameService: false,
  deleteService: false,
  addOverride: false,
} as const;
const MEMBERS = 'GET /teams/{id}/members';
const TAG_PATHS = ['users', 'teams', 'escalation_policies'].map((k) => `GET /tags/{id}/${k}`);

/** Requests per path during `run`. */
async function requestsOf(sim: Simulator, run: () => Promise<SyncRun>) {
  const before = { ...sim.stats.byPath };
  const result = await run();
  const byPath: Record<string, number> = {};
  for (const [path, n] of Object.entries(sim.stats.byPath)) {
    const d = n - (before[path] ?? 0);
    if (d > 0) byPath[path] = d;
  }
  return { run: result, byPath, total: Object.values(byPath).reduce((a, b) => a + b, 0) };
}

const written = (run: SyncRun) =>
  Object.values(run.result?.resources ?? {}).reduce((n, r) => n + r.written, 0);

const tagRequests = (byPath: Record<string, number>) => TAG_PATHS.map((p) => byPath[p] ?? 0);

/** The rows of an account table as the truth has them (team_members: of live teams only). */
async function expectTable(db: Database, sim: Simulator, name: 'team_members' | 'entity_tags' | 'tags') {
  const truth = sim.truth().tables[name] as unknown as Record<string, unknown>[];
  const fields = Object.keys(truth[0] ?? {});
  const where =
    name === 'tags'
      ? ' WHERE deleted_at IS NULL'
      : name === 'team_members'
        ? ' WHERE team_id IN (SELECT id FROM teams WHERE deleted_at IS NULL)'
        : '';
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${fields.map((f) => `"${f}"`).join(', ')} FROM ${name}${where}`,
  );
  const key = (r: Record<string, unknown>) => JSON.stringify(fields.map((f) => r[f] ?? null));
  expect(rows.map(key).sort(), name).toEqual(truth.map(key).sort());
}

async function expectDetailMatches(wh: Warehouse, sim: Simulator): Promise<void> {
  const db = await wh.open();
  try {
    for (const name of ['tags', 'team_members', 'entity_tags'] as const) await expectTable(db, sim, name);
  } finally {
    await db.close();
  }
}

/** Moves `userId` from one of its teams to a team it is not in, as PagerDuty's membership calls would. */
function moveUser(sim: Simulator, userId: string): string[] {
  const a = sim.account;
  const user = a.byId.users.get(userId);
  const from = a.teams.find((t) => t.members.some((m) => m.userId === userId));
  const to = a.teams.find((t) => !t.members.some((m) => m.userId === userId));
  if (!user || !from || !to) throw new Error('no user to move');
  from.members = from.members.filter((m) => m.userId !== userId);
  to.members.push({ userId, role: 'responder' });
  user.teamIds = [...user.teamIds.filter((t) => t !== from.id), to.id];
  a.invalidateTeamCache();
  a.version++;
  return [from.id, to.id];
}

describe('an unchanged run on the large account', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 61, preset: 'large', now: NOW, rpm: 100_000 });
    wh = createWarehouse('unchanged_requests');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('makes one request per resource plus one per open-incident page, and writes nothing', async () => {
    const full = await requestsOf(sim, () => syncAgainst(sim, wh, RPM));
    expect(full.run.code).toBe(0);
    // The backfill is a full detail read: every team's members, every tag's three listings.
    expect(full.byPath[MEMBERS]).toBe(sim.account.teams.length);
    expect(tagRequests(full.byPath)).toEqual(TAG_PATHS.map(() => sim.account.tags.length));

    const { run, byPath, total } = await requestsOf(sim, () => syncAgainst(sim, wh, RPM));
    expect(run.code).toBe(0);
    const resources = Object.keys(run.result?.resources ?? {});
    expect(resources).toHaveLength(10);
    const open = sim.truth().incidents.filter((i) => i.status !== 'resolved').length;
    const openPages = Math.max(1, Math.ceil(open / 100));
    expect(total, JSON.stringify(byPath)).toBeLessThanOrEqual(resources.length + openPages);
    expect(byPath[MEMBERS], 'no team fan-out').toBeUndefined();
    expect(tagRequests(byPath), 'no tag fan-out').toEqual([0, 0, 0]);
    expect(byPath['GET /oncalls']).toBe(1);
    expect(written(run)).toBe(0);
  });

  it('reads the detail of exactly what the listings show changed, and matches the truth', async () => {
    const report = sim.advance(60, { ...QUIET, deleteUser: true, deleteTeam: true });
    expect(report.deletedUserIds).toHaveLength(1);
    expect(report.deletedTeamIds).toHaveLength(1);
    const deleted = [...report.deletedUserIds, ...report.deletedTeamIds];
    // What the warehouse knows of the deleted user and team: the teams and tags to read again.
    const db = await wh.open();
    const [userTeams, deletedTags] = await Promise.all([
      db.query<{ id: string }>('SELECT team_id AS id FROM team_members WHERE user_id = $1', [
        report.deletedUserIds[0],
      ]),
      db.query<{ id: string }>('SELECT DISTINCT tag_id AS id FROM entity_tags WHERE entity_id = ANY($1)', [
        deleted,
      ]),
    ]);
    await db.close();
    // A user moves between two live teams; one tag is relabelled and one is new, on a live policy.
    const mover = sim.account.users.find(
      (u) => u.role !== 'owner' && u.teamIds.length === 1 && !userTeams.some((t) => t.id === u.teamIds[0]),
    );
    if (!mover) throw new Error('no single-team user');
    const moved = moveUser(sim, mover.id);
    const relabelled = sim.account.tags.find((t) => !deletedTags.some((d) => d.id === t.id));
    if (!relabelled) throw new Error('no tag to relabel');
    relabelled.label = `${relabelled.label}-renamed`;
    const ep = sim.account.escalationPolicies[0];
    if (!ep) throw new Error('no policy');
    const fresh = {
      id: 'PNEWTAG',
      label: 'tier:gold',
      userIds: [],
      teamIds: [],
      escalationPolicyIds: [ep.id],
    };
    sim.account.tags.push(fresh);
    sim.account.byId.tags.set(fresh.id, fresh);
    sim.account.version++;

    const { run, byPath } = await requestsOf(sim, () => syncAgainst(sim, wh, RPM));
    expect(run.code).toBe(0);
    const live = new Set(sim.account.teams.map((t) => t.id));
    const teams = new Set([...userTeams.map((t) => t.id), ...moved].filter((id) => live.has(id)));
    expect(byPath[MEMBERS] ?? 0).toBe(teams.size);
    const tags = new Set([...deletedTags.map((t) => t.id), relabelled.id, fresh.id]);
    expect(tagRequests(byPath)).toEqual(TAG_PATHS.map(() => tags.size));
    await expectDetailMatches(wh, sim);
    const db2 = await wh.open();
    try {
      const rows = await db2.query<{ tag_key: string; tag_value: string }>(
        `SELECT tag_key, tag_value FROM entity_tags WHERE tag_id = 'PNEWTAG' AND entity_id = $1`,
        [ep.id],
      );
      expect(rows).toEqual([{ tag_key: 'tier', tag_value: 'gold' }]);
    } finally {
      await db2.close();
    }
  });

  it('leaves what no listing shows to the full read, which comes once SYNC_DETAIL_REFRESH has passed', async () => {
    // This test runs with a 3-hour interval. The last full read of members and tags was the backfill, 60
    // minutes ago; of the on-call forecast, the run before (the deleted user changed a schedule).
    const env = { ...RPM, SYNC_DETAIL_REFRESH: '3h' };
    const tag = sim.account.tags.find((t) => t.label.startsWith('team:'));
    const user = sim.account.users.find((u) => !tag?.userIds.includes(u.id));
    if (!tag || !user) throw new Error('no tag or user');
    // Tagging a live user and an override change no listing: a run within the interval does not see them.
    tag.userIds.push(user.id);
    const report = sim.advance(30, { ...QUIET, addOverride: true });
    expect(report.overrides).toHaveLength(1);
    const within = await requestsOf(sim, () => syncAgainst(sim, wh, env));
    expect(within.run.code).toBe(0);
    expect(within.byPath[MEMBERS]).toBeUndefined();
    expect(tagRequests(within.byPath)).toEqual([0, 0, 0]);
    expect(within.byPath['GET /oncalls']).toBe(1);

    // 241 minutes after the backfill (181 after the last forecast): every team's members, every tag's
    // listings and the forecast are read again.
    sim.advance(151, QUIET);
    const after = await requestsOf(sim, () => syncAgainst(sim, wh, env));
    expect(after.run.code).toBe(0);
    expect(after.byPath[MEMBERS]).toBe(sim.account.teams.length);
    expect(tagRequests(after.byPath)).toEqual(TAG_PATHS.map(() => sim.account.tags.length));
    expect(after.byPath['GET /oncalls']).toBeGreaterThan(1);
    await expectDetailMatches(wh, sim);
    const db = await wh.open();
    try {
      const now = sim.account.now + 120_000;
      await expectOncallsMatch(db, sim, now, now + 30 * DAY);
    } finally {
      await db.close();
    }

    // The refresh is recorded: the next run, at the same time, is back to the listings alone.
    const again = await requestsOf(sim, () => syncAgainst(sim, wh, env));
    expect(again.byPath[MEMBERS]).toBeUndefined();
    expect(written(again.run)).toBe(0);
  });

  it('reads all of the detail on every run with SYNC_DETAIL_REFRESH=0', async () => {
    const { run, byPath } = await requestsOf(sim, () =>
      syncAgainst(sim, wh, { ...RPM, SYNC_DETAIL_REFRESH: '0' }),
    );
    expect(run.code).toBe(0);
    expect(byPath[MEMBERS]).toBe(sim.account.teams.length);
    expect(tagRequests(byPath)).toEqual(TAG_PATHS.map(() => sim.account.tags.length));
    expect(written(run)).toBe(0);
  });
});
