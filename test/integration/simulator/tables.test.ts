/**
 * The truth's account tables are what a perfect sync would load: each is rebuilt here from the API over
 * HTTP (the way a sync reads it) and compared row for row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseTag, startSimulator, type Simulator, type Truth } from '../../../src/simulator/index.js';
import { createClient, incidentSchema, NOW, walkPages, type SimClient } from './simHttp.js';

const ref = z.object({ id: z.string(), type: z.string() });
const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('truth tables equal the API, row for row', () => {
  let sim: Simulator;
  let client: SimClient;
  let truth: Truth;
  const walk = <T>(path: string, key: string, item: z.ZodType<T>, query = {}) =>
    walkPages(client, path, key, item, query, 100);

  beforeAll(async () => {
    sim = await startSimulator({
      seed: 31,
      now: NOW,
      preset: 'large',
      incidents: 120,
      days: 8,
      rpm: 100_000,
    });
    sim.advance(180, { deleteUser: true, deleteTeam: true, deleteService: true, customFieldChanges: 4 });
    client = createClient(sim.url);
    truth = sim.truth();
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('parseTag splits key:value at the first colon; no colon → key = label, value null', () => {
    expect(parseTag('env:prod')).toEqual({ tag_key: 'env', tag_value: 'prod' });
    expect(parseTag('url:https://x')).toEqual({ tag_key: 'url', tag_value: 'https://x' });
    expect(parseTag('oncall-trained')).toEqual({ tag_key: 'oncall-trained', tag_value: null });
    expect(parseTag('empty:')).toEqual({ tag_key: 'empty', tag_value: '' });
    const labels = truth.tables.tags.map((t) => t.label);
    expect(labels.some((l) => !l.includes(':'))).toBe(true);
    expect(labels.some((l) => l.includes(':'))).toBe(true);
  });

  it('teams, team_members, users, priorities', async () => {
    const teams = await walk(
      '/teams',
      'teams',
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().nullable(),
        default_role: z.string(),
      }),
    );
    expect(sorted(truth.tables.teams)).toEqual(sorted(teams));
    const members = [];
    for (const t of teams) {
      const list = await walk(`/teams/${t.id}/members`, 'members', z.object({ user: ref, role: z.string() }));
      members.push(...list.map((m) => ({ team_id: t.id, user_id: m.user.id, role: m.role })));
    }
    expect(sorted(truth.tables.team_members)).toEqual(sorted(members));
    const users = await walk(
      '/users',
      'users',
      z.object({
        id: z.string(),
        name: z.string(),
        email: z.string(),
        time_zone: z.string(),
        role: z.string(),
        job_title: z.string().nullable(),
      }),
    );
    expect(sorted(truth.tables.users)).toEqual(sorted(users));
    const priorities = await walk(
      '/priorities',
      'priorities',
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string(),
        order: z.number(),
        color: z.string(),
      }),
    );
    expect(sorted(truth.tables.priorities)).toEqual(sorted(priorities));
  });

  it('escalation policies with their rules and rule targets', async () => {
    const eps = await walk(
      '/escalation_policies',
      'escalation_policies',
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().nullable(),
        num_loops: z.number(),
        on_call_handoff_notifications: z.string(),
        escalation_rules: z.array(
          z.object({ id: z.string(), escalation_delay_in_minutes: z.number(), targets: z.array(ref) }),
        ),
      }),
    );
    expect(sorted(truth.tables.escalation_policies)).toEqual(
      sorted(eps.map(({ escalation_rules: _, ...ep }) => ep)),
    );
    const rules = eps.flatMap((ep) =>
      ep.escalation_rules.map((r, i) => ({
        id: r.id,
        escalation_policy_id: ep.id,
        level: i + 1,
        escalation_delay_in_minutes: r.escalation_delay_in_minutes,
      })),
    );
    expect(sorted(truth.tables.escalation_rules)).toEqual(sorted(rules));
    const targets = eps.flatMap((ep) =>
      ep.escalation_rules.flatMap((r) =>
        r.targets.map((t, position) => ({
          escalation_rule_id: r.id,
          escalation_policy_id: ep.id,
          position,
          target_type: t.type.replace(/_reference$/, ''),
          target_id: t.id,
        })),
      ),
    );
    expect(targets.some((t) => t.target_type === 'user')).toBe(true);
    expect(targets.some((t) => t.target_type === 'schedule')).toBe(true);
    expect(sorted(truth.tables.escalation_rule_targets)).toEqual(sorted(targets));
  });

  it('schedules with their layers and layer users', async () => {
    const layer = z.object({
      id: z.string(),
      name: z.string(),
      start: z.string(),
      end: z.string().nullable(),
      rotation_virtual_start: z.string(),
      rotation_turn_length_seconds: z.number(),
      users: z.array(z.object({ user: ref })),
    });
    const schedules = await walk(
      '/schedules',
      'schedules',
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().nullable(),
        time_zone: z.string(),
        schedule_layers: z.array(layer),
      }),
      { 'include[]': 'schedule_layers', time_zone: 'UTC' },
    );
    expect(sorted(truth.tables.schedules)).toEqual(
      sorted(schedules.map(({ schedule_layers: _, ...s }) => s)),
    );
    const layers = schedules.flatMap((s) =>
      s.schedule_layers.map(({ users: _, ...l }, position) => ({
        id: l.id,
        schedule_id: s.id,
        position,
        name: l.name,
        start: l.start,
        end: l.end,
        rotation_virtual_start: l.rotation_virtual_start,
        rotation_turn_length_seconds: l.rotation_turn_length_seconds,
      })),
    );
    expect(sorted(truth.tables.schedule_layers)).toEqual(sorted(layers));
    const users = schedules.flatMap((s) =>
      s.schedule_layers.flatMap((l) =>
        l.users.map((u, position) => ({ schedule_id: s.id, layer_id: l.id, position, user_id: u.user.id })),
      ),
    );
    expect(sorted(truth.tables.schedule_users)).toEqual(sorted(users));
  });

  it('tags and entity_tags (users, teams, escalation policies)', async () => {
    const tags = await walk('/tags', 'tags', z.object({ id: z.string(), label: z.string() }));
    expect(sorted(truth.tables.tags)).toEqual(sorted(tags.map((t) => ({ ...t, ...parseTag(t.label) }))));
    const links = [];
    for (const t of tags)
      for (const kind of ['users', 'teams', 'escalation_policies'] as const)
        for (const e of await walk(`/tags/${t.id}/${kind}`, kind, ref))
          links.push({ entity_type: kind, entity_id: e.id, tag_id: t.id, ...parseTag(t.label) });
    expect(new Set(links.map((l) => l.entity_type)).size).toBe(3);
    expect(sorted(truth.tables.entity_tags)).toEqual(sorted(links));
  });

  it('incident_teams and custom field values (incidents and services); deleted ids', async () => {
    const incidents = await walk('/incidents', 'incidents', incidentSchema, { date_range: 'all' });
    const pairs = incidents.flatMap((i) => i.teams.map((t) => ({ incident_id: i.id, team_id: t.id })));
    expect(sorted(truth.tables.incident_teams)).toEqual(sorted(pairs));
    const value = z.object({
      id: z.string(),
      name: z.string(),
      field_type: z.string(),
      data_type: z.string(),
      value: z.unknown(),
    });
    const rows = async (path: string) =>
      z
        .object({ custom_fields: z.array(value) })
        .parse((await client.get(path)).json)
        .custom_fields.filter((v) => v.value !== null)
        .map((v) => ({
          field_id: v.id,
          field_name: v.name,
          field_type: v.field_type,
          data_type: v.data_type,
          value: v.value,
        }));
    const strip = <T extends { value_text: string }>(r: T) => {
      const { value_text: _, ...rest } = r;
      return rest;
    };
    const incidentValues = [];
    for (const i of incidents)
      incidentValues.push(
        ...(await rows(`/incidents/${i.id}/custom_fields/values`)).map((r) => ({ incident_id: i.id, ...r })),
      );
    expect(sorted(truth.tables.incident_custom_fields.map(strip))).toEqual(sorted(incidentValues));
    const services = await walk('/services', 'services', z.object({ id: z.string() }));
    const serviceValues = [];
    for (const s of services)
      serviceValues.push(
        ...(await rows(`/services/${s.id}/custom_fields/values`)).map((r) => ({ service_id: s.id, ...r })),
      );
    expect(sorted(truth.tables.service_custom_fields.map(strip))).toEqual(sorted(serviceValues));
    const defs = z.object({ fields: z.array(z.object({ id: z.string() })) });
    const fieldIds = [
      ...defs.parse((await client.get('/incidents/custom_fields')).json).fields,
      ...defs.parse((await client.get('/services/custom_fields')).json).fields,
    ].map((f) => f.id);
    expect(truth.tables.custom_fields.map((f) => f.id).sort()).toEqual(fieldIds.sort());
    expect(truth.deleted.user_ids).toHaveLength(1);
    expect(truth.deleted.team_ids).toHaveLength(1);
    expect(truth.deleted.service_ids).toHaveLength(1);
    expect(services.map((s) => s.id)).not.toContain(truth.deleted.service_ids[0]);
  });
});
