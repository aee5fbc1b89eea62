import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createClient,
  DAY,
  expectError,
  incidentSchema,
  isoUtc,
  NOW,
  oncallSchema,
  walkPages,
  type SimClient,
} from './simHttp.js';

const ref = z.object({ id: z.string(), type: z.string() });
const idOnly = z.object({ id: z.string() });
const withTeams = z.object({ id: z.string(), teams: z.array(ref) });
const layerSchema = z.object({
  schedule_layers: z.array(z.object({ users: z.array(z.object({ user: ref })) })),
});
const member = z.object({ user: ref, role: z.string() });

describe('deleting users and teams on advance', () => {
  let sim: Simulator;
  let client: SimClient;
  const walk = <T>(path: string, key: string, item: z.ZodType<T>, query = {}) =>
    walkPages(client, path, key, item, query, 100);
  const ids = async (path: string, key: string) => (await walk(path, key, idOnly)).map((x) => x.id);

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 29,
      now: NOW,
      preset: 'large',
      incidents: 150,
      days: 10,
      rpm: 100_000,
    });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('advance deletes nobody unless asked', () => {
    const users = sim.account.users.length;
    const teams = sim.account.teams.length;
    const report = sim.advance(120);
    expect([report.deletedUserIds, report.deletedTeamIds]).toEqual([[], []]);
    expect([sim.account.users.length, sim.account.teams.length]).toEqual([users, teams]);
  });

  it('a deleted user is gone from /users, 404 on /users/{id}, and from teams, tags, schedules and on-calls', async () => {
    const before = sim.account.users.length;
    const report = sim.advance(60, { deleteUser: true });
    expect(report.deletedUserIds).toHaveLength(1);
    const id = report.deletedUserIds[0] ?? '';
    const user = sim.account.byId.users.get(id);
    expect(user?.role).not.toBe('owner');
    expect(await ids('/users', 'users')).not.toContain(id);
    expect(await ids('/users', 'users')).toHaveLength(before - 1);
    expectError(await client.get(`/users/${id}`), 404, 2100);
    for (const team of sim.account.teams) {
      const members = await walk(`/teams/${team.id}/members`, 'members', member);
      expect(members.map((m) => m.user.id)).not.toContain(id);
    }
    for (const tag of sim.account.tags) expect(await ids(`/tags/${tag.id}/users`, 'users')).not.toContain(id);
    for (const s of sim.account.schedules) {
      const body = z
        .object({ schedule: layerSchema })
        .parse((await client.get(`/schedules/${s.id}`)).json).schedule;
      const layerUsers = body.schedule_layers.flatMap((l) => l.users.map((u) => u.user.id));
      expect(layerUsers).not.toContain(id);
      expect(body.schedule_layers.every((l) => l.users.length > 0)).toBe(true);
    }
    for (const ep of sim.account.escalationPolicies)
      for (const r of ep.rules) expect(r.targets.map((t) => t.id)).not.toContain(id);
    // On-call generation skips the user, past and future, and still renders (include[]=users).
    const oncalls = await walk('/oncalls', 'oncalls', oncallSchema, {
      since: isoUtc(sim.account.now - 30 * DAY),
      until: isoUtc(sim.account.now + 60 * DAY),
      'include[]': 'users',
      time_zone: 'UTC',
    });
    expect(oncalls.length).toBeGreaterThan(0);
    expect(oncalls.map((o) => o.user.id)).not.toContain(id);
    const truth = sim.truth();
    expect(truth.deleted.user_ids).toEqual([id]);
    expect(truth.tables.users.map((u) => u.id)).not.toContain(id);
    expect(truth.tables.team_members.map((m) => m.user_id)).not.toContain(id);
    expect(truth.tables.schedule_users.map((m) => m.user_id)).not.toContain(id);
    expect(
      truth.tables.entity_tags.filter((t) => t.entity_type === 'users').map((t) => t.entity_id),
    ).not.toContain(id);
    expect(truth.counts.users).toBe(before - 1);
  });

  it('new incidents after a deletion are never assigned to the deleted user', async () => {
    const gone = new Set(sim.truth().deleted.user_ids);
    const report = sim.advance(24 * 60, { newIncidents: 40 });
    expect(report.newIncidentIds).toHaveLength(40);
    for (const id of report.newIncidentIds) {
      const inc = sim.account.byId.incidents.get(id);
      for (const e of inc?.events ?? []) {
        for (const u of [e.agent?.type === 'user' ? e.agent.id : '', e.userId ?? '', ...(e.assignees ?? [])])
          expect(gone.has(u)).toBe(false);
      }
    }
    const listed = await walk('/incidents', 'incidents', incidentSchema, { date_range: 'all' });
    expect(listed.length).toBe(sim.truth().counts.incidents);
  });

  it('a deleted team is gone from /teams, 404 on /teams/{id} and its members, detached everywhere', async () => {
    const teamsBefore = sim.account.teams.length;
    const report = sim.advance(60, { deleteTeam: true });
    expect(report.deletedTeamIds).toHaveLength(1);
    const id = report.deletedTeamIds[0] ?? '';
    expect(await ids('/teams', 'teams')).not.toContain(id);
    expect(await ids('/teams', 'teams')).toHaveLength(teamsBefore - 1);
    expectError(await client.get(`/teams/${id}`), 404, 2100);
    expectError(await client.get(`/teams/${id}/members`), 404, 2100);
    for (const path of ['/services', '/escalation_policies', '/schedules', '/users']) {
      const key = path.slice(1);
      const items = await walk(path, key, withTeams);
      expect(items.flatMap((x) => x.teams.map((t) => t.id))).not.toContain(id);
    }
    for (const tag of sim.account.tags) expect(await ids(`/tags/${tag.id}/teams`, 'teams')).not.toContain(id);
    const open = await walk('/incidents', 'incidents', incidentSchema, {
      date_range: 'all',
      'statuses[]': ['triggered', 'acknowledged'],
    });
    expect(open.flatMap((i) => i.teams.map((t) => t.id))).not.toContain(id);
    const truth = sim.truth();
    expect(truth.deleted.team_ids).toEqual([id]);
    expect(truth.tables.teams.map((t) => t.id)).not.toContain(id);
    expect(truth.tables.team_members.map((m) => m.team_id)).not.toContain(id);
    expect(truth.counts.teams).toBe(teamsBefore - 1);
    // Resolved incidents keep their reference, as GET /incidents serves it: the truth follows the API.
    const served = await walk('/incidents', 'incidents', incidentSchema, { date_range: 'all' });
    const pairs = served.flatMap((i) => i.teams.map((t) => `${i.id}/${t.id}`)).sort();
    expect(truth.tables.incident_teams.map((r) => `${r.incident_id}/${r.team_id}`).sort()).toEqual(pairs);
  });

  it('POST /_sim/advance takes the same options in its query', async () => {
    const reply = await client.post('/_sim/advance?minutes=30&deleteUser=true&customFieldChanges=2', '');
    expect(reply.status, reply.text).toBe(200);
    const report = z
      .object({ deletedUserIds: z.array(z.string()), customFieldChanges: z.array(z.unknown()) })
      .parse(reply.json);
    expect(report.deletedUserIds).toHaveLength(1);
    expect(report.customFieldChanges).toHaveLength(2);
    expect((await client.post('/_sim/advance?minutes=30&deleteTeam=yes', '')).status).toBe(400);
    expect((await client.post('/_sim/advance?minutes=30&customFieldChanges=-1', '')).status).toBe(400);
  });

  it('repeated deletions never break the account: the last team stays, every layer keeps a user', async () => {
    for (let i = 0; i < 12; i++) sim.advance(90, { deleteUser: true, deleteTeam: true });
    expect(sim.account.teams.length).toBeGreaterThanOrEqual(1);
    const truth = sim.truth();
    expect(truth.deleted.team_ids.length).toBe(sim.account.deletedTeams.size);
    expect(truth.deleted.user_ids.length).toBeGreaterThan(5);
    for (const s of sim.account.schedules)
      for (const l of s.layers) expect(l.userIds.length).toBeGreaterThan(0);
    expect(sim.account.users.some((u) => u.role === 'owner')).toBe(true);
    const oncalls = await walk('/oncalls', 'oncalls', oncallSchema, { 'include[]': 'users' });
    expect(oncalls.length).toBeGreaterThan(0);
    const gone = new Set(truth.deleted.user_ids);
    expect(oncalls.filter((o) => gone.has(o.user.id))).toEqual([]);
    for (const u of truth.deleted.user_ids) expectError(await client.get(`/users/${u}`), 404, 2100);
  });
});
