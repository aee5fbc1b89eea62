import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { slugify, startSimulator, type Simulator } from '../../../src/simulator/index.js';
import {
  createClient,
  expectError,
  idSchema,
  NOW,
  parsePage,
  walkPages,
  type Query,
  type SimClient,
} from './simHttp.js';

const named = z.object({ id: z.string(), type: z.string(), name: z.string() });
const tagSchema = z.object({ id: z.string(), type: z.literal('tag'), label: z.string() });
const epSchema = named.extend({
  escalation_rules: z.array(z.object({ targets: z.array(z.object({ id: z.string(), type: z.string() })) })),
});

const sortIds = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('reference endpoints', () => {
  let sim: Simulator;
  let client: SimClient;
  const walk = <T>(path: string, key: string, item: z.ZodType<T>, query: Query = {}) =>
    walkPages(client, path, key, item, query, 7);

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 41,
      now: NOW,
      preset: 'large',
      incidents: 100,
      days: 10,
      rpm: 100_000,
    });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('/services lists the active services; /services/{id} reads one', async () => {
    const services = await walk('/services', 'services', named);
    expect(sortIds(services)).toEqual(sortIds(sim.account.activeServices()));
    for (const s of services) expect(s.type).toBe('service');
    const first = sim.account.services[0];
    if (!first) throw new Error('no services');
    const reply = await client.get(`/services/${first.id}`);
    expect(z.object({ service: named }).parse(reply.json).service).toMatchObject({
      id: first.id,
      name: first.name,
    });
    expectError(await client.get('/services/PNOSUCH'), 404, 2100);
  });

  it('/teams lists the teams', async () => {
    const teams = await walk('/teams', 'teams', named);
    expect(sortIds(teams)).toEqual(sortIds(sim.account.teams));
    for (const t of teams) expect(t.name).toBe(sim.account.byId.teams.get(t.id)?.name);
  });

  it('/users and /users/{id}', async () => {
    const users = await walk('/users', 'users', named.extend({ email: z.string() }));
    expect(sortIds(users)).toEqual(sortIds(sim.account.users));
    const u = sim.account.users[3];
    if (!u) throw new Error('no users');
    const reply = await client.get(`/users/${u.id}`);
    expect(z.object({ user: named }).parse(reply.json).user).toMatchObject({ id: u.id, name: u.name });
    expectError(await client.get('/users/PNOSUCH'), 404, 2100);
  });

  it('/escalation_policies lists every policy with its rule targets', async () => {
    const eps = await walk('/escalation_policies', 'escalation_policies', epSchema);
    expect(sortIds(eps)).toEqual(sortIds(sim.account.escalationPolicies));
    for (const ep of eps) {
      const rec = sim.account.byId.escalationPolicies.get(ep.id);
      expect(ep.escalation_rules.map((r) => r.targets.map((t) => t.id))).toEqual(
        rec?.rules.map((r) => r.targets.map((t) => t.id)),
      );
    }
  });

  it('/schedules lists every schedule', async () => {
    expect(sortIds(await walk('/schedules', 'schedules', named))).toEqual(sortIds(sim.account.schedules));
  });

  it('/priorities lists the priorities', async () => {
    const priorities = await walk('/priorities', 'priorities', named);
    expect(priorities.map((p) => p.name).sort()).toEqual(sim.account.priorities.map((p) => p.name).sort());
  });

  it('/tags lists every tag, with labels such as team:platform', async () => {
    const tags = await walk('/tags', 'tags', tagSchema);
    expect(sortIds(tags)).toEqual(sortIds(sim.account.tags));
    const labels = tags.map((t) => t.label);
    expect(labels).toContain('team:platform');
    for (const team of sim.account.teams) expect(labels).toContain(`team:${slugify(team.name)}`);
  });

  it('/tags/{id}/users|teams|escalation_policies list what carries the tag', async () => {
    let seen = { users: 0, teams: 0, escalation_policies: 0 };
    for (const tag of sim.account.tags) {
      const expected = {
        users: tag.userIds,
        teams: tag.teamIds,
        escalation_policies: tag.escalationPolicyIds,
      };
      for (const kind of ['users', 'teams', 'escalation_policies'] as const) {
        const got = await walk(`/tags/${tag.id}/${kind}`, kind, idSchema);
        expect(got.map((x) => x.id).sort(), `${tag.label} ${kind}`).toEqual([...expected[kind]].sort());
        seen = { ...seen, [kind]: seen[kind] + got.length };
      }
    }
    expect(seen.users).toBeGreaterThan(0);
    expect(seen.teams).toBeGreaterThan(0);
    expect(seen.escalation_policies).toBeGreaterThan(0);
  });

  it('tags live only on users, teams and escalation policies', async () => {
    const tag = sim.account.tags[0];
    if (!tag) throw new Error('no tags');
    for (const kind of ['services', 'schedules', 'incidents']) {
      expectError(await client.get(`/tags/${tag.id}/${kind}`), 404, 2100);
    }
    expectError(await client.get('/tags/PNOSUCH/users'), 404, 2100);
  });

  it('unknown paths answer 404 code 2100', async () => {
    expectError(await client.get('/widgets'), 404, 2100);
    expectError(await client.get('/teams/PNOSUCH/members'), 404, 2100);
  });
});

describe('reference endpoints: a deleted service', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 42, now: NOW, preset: 'large', incidents: 100, days: 10 });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('answers 404 after sim.advance(60, { deleteService: true }) and leaves /services', async () => {
    const report = sim.advance(60, { deleteService: true });
    const [deleted] = report.deletedServiceIds;
    if (!deleted) throw new Error('advance deleted no service');
    expectError(await client.get(`/services/${deleted}`), 404, 2100);
    const listed = await walkPages(client, '/services', 'services', idSchema, {});
    expect(listed.map((s) => s.id)).not.toContain(deleted);
    expect(listed).toHaveLength(sim.account.services.length - 1);
  });
});

describe('reference endpoints: abilities', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 43,
      now: NOW,
      incidents: 50,
      days: 10,
      abilities: { teams: false, priorities: false },
    });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('without the teams ability /teams and team_ids[] answer 402 code 2014', async () => {
    const team = sim.account.teams[0]?.id ?? 'PXXXXXX';
    expectError(await client.get('/teams'), 402, 2014);
    expectError(await client.get(`/teams/${team}/members`), 402, 2014);
    for (const path of [
      '/incidents',
      '/services',
      '/users',
      '/escalation_policies',
      '/schedules',
      '/log_entries',
    ]) {
      const error = expectError(await client.get(path, { 'team_ids[]': team }), 402, 2014);
      expect(error.message).toMatch(/abilit/i);
    }
    // The same endpoints without team_ids[] still work.
    expect(parsePage(await client.get('/services'), 'services', idSchema).items.length).toBeGreaterThan(0);
  });

  it('without the priorities ability /priorities answers 404', async () => {
    expectError(await client.get('/priorities'), 404, 2100);
  });
});

describe('single objects by id', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 8, preset: 'small' });
  });
  afterAll(() => sim.close());

  const getJson = async (path: string) => {
    const res = await fetch(`${sim.url}${path}`, { headers: { authorization: 'Token token=one' } });
    return { status: res.status, body: (await res.json()) as Record<string, Record<string, unknown>> };
  };

  it('serves teams, escalation policies, schedules (with layers), tags and log entries by id; 404 otherwise', async () => {
    const a = sim.account;
    const cases: [string, string, string][] = [
      ['teams', a.teams[0]?.id ?? '', 'team'],
      ['escalation_policies', a.escalationPolicies[0]?.id ?? '', 'escalation_policy'],
      ['schedules', a.schedules[0]?.id ?? '', 'schedule'],
      ['tags', a.tags[0]?.id ?? '', 'tag'],
      ['log_entries', a.log[0]?.event.id ?? '', 'log_entry'],
    ];
    for (const [path, id, key] of cases) {
      const { status, body } = await getJson(`/${path}/${id}`);
      expect(status).toBe(200);
      expect(body[key]?.id).toBe(id);
      expect((await getJson(`/${path}/PNOPE00`)).status).toBe(404);
    }
    const { body } = await getJson(`/schedules/${a.schedules[0]?.id}`);
    expect(Array.isArray(body.schedule?.schedule_layers)).toBe(true);
  });
});
