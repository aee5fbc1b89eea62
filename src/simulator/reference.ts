import type {
  EscalationPolicyRec,
  PriorityRec,
  ScheduleRec,
  ServiceRec,
  TagRec,
  TeamRec,
  UserRec,
} from './model.js';
import {
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  SERVICE_NAMES,
  TEAM_NAMES,
  TIME_ZONES,
  USER_COLORS,
} from './names.js';
import type { PresetSpec } from './presets.js';
import type { IdFactory, Random } from './random.js';
import { DAY, HOUR } from './time.js';

/** The slowly changing part of an account: everything but incidents and log entries. */
export interface ReferenceData {
  priorities: PriorityRec[];
  teams: TeamRec[];
  users: UserRec[];
  schedules: ScheduleRec[];
  escalationPolicies: EscalationPolicyRec[];
  services: ServiceRec[];
  tags: TagRec[];
}

/** Lower-case slug such as `webshop` or `payments-worker-eu`; the form tags and join keys use. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\b(api|service)\b/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function serviceSlug(name: string, index: number): string {
  return slugify(name) || `svc-${index + 1}`;
}

function description(rng: Random, slug: string): string {
  const repo = rng.chance(0.7)
    ? `https://github.com/acme/${slug}`
    : `https://gitlab.com/acme/platform/${slug}`;
  const runbook = `https://wiki.acme.example/runbooks/${slug}`;
  const dash = `https://grafana.acme.example/d/${slug.slice(0, 6)}${rng.int(100, 999)}/${slug}?orgId=1`;
  switch (rng.int(0, 3)) {
    case 0:
      return `Repository: ${repo}\nRunbook: ${runbook}\nDashboard: ${dash}`;
    case 1:
      return `Owns ${slug}. [Runbook](${runbook}) · [Dashboard](${dash}) · code at ${repo}`;
    case 2:
      return `See ${repo} (README) and the runbook ${runbook}.`;
    default:
      return `Legacy service, no runbook yet. Source: ${repo}`;
  }
}

export function generateReference(rng: Random, ids: IdFactory, spec: PresetSpec, now: number): ReferenceData {
  const historyStart = now - spec.days * DAY;
  const priorities: PriorityRec[] = ['P1', 'P2', 'P3', 'P4', 'P5'].map((name, i) => ({
    id: ids.next(),
    name,
    description: ['Critical: customer-facing outage', 'High', 'Moderate', 'Low', 'Informational'][i] ?? name,
    order: (5 - i) * 128,
    color: ['a8171c', 'eb6016', 'f9b406', '0d7fb6', '848484'][i] ?? '848484',
    createdAt: now - 900 * DAY,
  }));

  const users: UserRec[] = [];
  const seenEmails = new Set<string>();
  for (let i = 0; i < spec.users; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    let email =
      `${first}.${last}`
        .normalize('NFKD')
        .replace(/[^A-Za-z.]/g, '')
        .toLowerCase() + '@acme.example';
    if (seenEmails.has(email)) email = email.replace('@', `${i}@`);
    seenEmails.add(email);
    users.push({
      id: ids.next(),
      name: `${first} ${last}`,
      email,
      timeZone: rng.pick(TIME_ZONES),
      color: rng.pick(USER_COLORS),
      role: i === 0 ? 'owner' : rng.weighted(['admin', 'user', 'limited_user', 'observer'], [2, 12, 3, 1]),
      jobTitle: rng.chance(0.8) ? rng.pick(JOB_TITLES) : null,
      description: rng.chance(0.2) ? 'Prefers Slack over phone.' : null,
      teamIds: [],
      contactMethods: [
        { id: ids.next(), type: 'email_contact_method_reference', summary: 'Default' },
        { id: ids.next(), type: 'phone_contact_method_reference', summary: 'Mobile' },
      ],
      notificationRuleIds: [ids.next(), ids.next()],
      invitationSent: rng.chance(0.1),
    });
  }

  const teams: TeamRec[] = TEAM_NAMES.slice(0, spec.teams).map((name) => ({
    id: ids.next(),
    name,
    description: rng.chance(0.7) ? `The ${name} team.` : null,
    defaultRole: 'manager',
    members: [],
  }));
  users.forEach((u, i) => {
    const team = teams[i % teams.length];
    if (!team) return;
    team.members.push({
      userId: u.id,
      role: team.members.length === 0 ? 'manager' : rng.chance(0.1) ? 'observer' : 'responder',
    });
    u.teamIds.push(team.id);
    if (rng.chance(0.1) && teams.length > 1) {
      const other = teams[(i + 1) % teams.length];
      if (other) {
        other.members.push({ userId: u.id, role: 'responder' });
        u.teamIds.push(other.id);
      }
    }
  });

  const schedules: ScheduleRec[] = [];
  const escalationPolicies: EscalationPolicyRec[] = [];
  const teamEp = new Map<string, EscalationPolicyRec>();
  const teamPrimary = new Map<string, ScheduleRec>();
  for (const team of teams) {
    const members = team.members.filter((m) => m.role !== 'observer').map((m) => m.userId);
    const tz = rng.pick(TIME_ZONES);
    const mk = (name: string, turnHours: number): ScheduleRec => ({
      id: ids.next(),
      name: `${team.name} ${name}`,
      description: rng.chance(0.5) ? `${name} rotation for ${team.name}` : null,
      timeZone: tz,
      teamIds: [team.id],
      overrides: [],
      layers: [
        {
          id: ids.next(),
          name: 'Layer 1',
          start: historyStart - rng.int(30, 200) * DAY,
          rotationVirtualStart: Math.floor((historyStart - 400 * DAY) / DAY) * DAY + rng.int(0, 23) * HOUR,
          turnSeconds: turnHours * 3600,
          userIds: rng.sample(members, Math.max(2, Math.min(members.length, rng.int(3, 6)))),
        },
      ],
    });
    const primary = mk('Primary', rng.pick([168, 168, 24, 12]));
    schedules.push(primary);
    teamPrimary.set(team.id, primary);
    const hasSecondary = members.length >= 4 && rng.chance(0.7);
    const secondary = hasSecondary ? mk('Secondary', rng.pick([168, 24])) : null;
    if (secondary) schedules.push(secondary);
    const manager = team.members[0]?.userId;
    const rules: EscalationPolicyRec['rules'] = [
      {
        id: ids.next(),
        delayMinutes: rng.pick([10, 15, 30]),
        targets: [{ type: 'schedule', id: primary.id }],
      },
    ];
    if (secondary)
      rules.push({ id: ids.next(), delayMinutes: 30, targets: [{ type: 'schedule', id: secondary.id }] });
    if (manager) rules.push({ id: ids.next(), delayMinutes: 30, targets: [{ type: 'user', id: manager }] });
    const ep: EscalationPolicyRec = {
      id: ids.next(),
      name: `${team.name} Escalation`,
      description: null,
      numLoops: rng.int(0, 2),
      onCallHandoffNotifications: 'if_has_services',
      rules,
      teamIds: [team.id],
    };
    escalationPolicies.push(ep);
    teamEp.set(team.id, ep);
  }

  const services: ServiceRec[] = [];
  const serviceTags = new Map<string, string>(); // escalation policy id -> service slug
  for (let i = 0; i < spec.services; i++) {
    const name =
      SERVICE_NAMES[i % SERVICE_NAMES.length] +
      (i >= SERVICE_NAMES.length ? ` ${Math.floor(i / SERVICE_NAMES.length) + 1}` : '');
    const team = teams[i % teams.length];
    if (!team) throw new Error('an account needs at least one team');
    const slug = serviceSlug(name, i);
    let ep = teamEp.get(team.id);
    const primary = teamPrimary.get(team.id);
    if (i >= teams.length && primary && rng.chance(0.5)) {
      const dedicated: EscalationPolicyRec = {
        id: ids.next(),
        name: `${name} Escalation`,
        description: `Dedicated policy for ${name}`,
        numLoops: 1,
        onCallHandoffNotifications: 'always',
        rules: [{ id: ids.next(), delayMinutes: 15, targets: [{ type: 'schedule', id: primary.id }] }],
        teamIds: [team.id],
      };
      escalationPolicies.push(dedicated);
      serviceTags.set(dedicated.id, slug);
      ep = dedicated;
    }
    if (!ep) throw new Error('team without escalation policy');
    services.push({
      id: ids.next(),
      name,
      description: description(rng, slug),
      createdAt: historyStart - rng.int(5, 600) * DAY - rng.int(0, 86399) * 1000,
      status: 'active',
      escalationPolicyId: ep.id,
      teamIds: [team.id],
      autoResolveTimeout: rng.chance(0.5) ? 14400 : null,
      acknowledgementTimeout: rng.chance(0.7) ? 1800 : null,
      integrations: [
        { id: ids.next(), type: 'events_api_v2_inbound_integration_reference', summary: 'Events API v2' },
      ],
      supportHoursTimeZone: rng.chance(0.3) ? rng.pick(TIME_ZONES) : null,
      deletedAt: null,
      lastIncidentAt: null,
    });
  }

  const tags = makeTags(rng, ids, teams, users, escalationPolicies, teamEp, serviceTags);
  return { priorities, teams, users, schedules, escalationPolicies, services, tags };
}

function makeTags(
  rng: Random,
  ids: IdFactory,
  teams: TeamRec[],
  users: UserRec[],
  eps: EscalationPolicyRec[],
  teamEp: Map<string, EscalationPolicyRec>,
  serviceTags: Map<string, string>,
): TagRec[] {
  const byLabel = new Map<string, TagRec>();
  const tag = (label: string): TagRec => {
    let t = byLabel.get(label);
    if (!t) {
      t = { id: ids.next(), label, userIds: [], teamIds: [], escalationPolicyIds: [] };
      byLabel.set(label, t);
    }
    return t;
  };
  for (const team of teams) {
    const label = `team:${slugify(team.name)}`;
    tag(label).teamIds.push(team.id);
    const ep = teamEp.get(team.id);
    if (ep) tag(label).escalationPolicyIds.push(ep.id);
  }
  for (const ep of eps) {
    const slug = serviceTags.get(ep.id);
    if (slug) tag(`service:${slug}`).escalationPolicyIds.push(ep.id);
    tag(`env:${rng.chance(0.85) ? 'prod' : 'staging'}`).escalationPolicyIds.push(ep.id);
  }
  for (const u of users) {
    if (rng.chance(0.3))
      tag(rng.pick(['role:sre', 'role:dev', 'location:berlin', 'location:nyc'])).userIds.push(u.id);
    if (rng.chance(0.15)) tag('oncall-trained').userIds.push(u.id);
  }
  return [...byLabel.values()];
}
