import type {
  EscalationPolicyRec,
  PriorityRec,
  ScheduleRec,
  ServiceRec,
  TagRec,
  TeamRec,
  UserRec,
} from './model.js';
import type { OncallRec } from './oncall.js';
import { API_BASE, htmlUrl, selfUrl, ref, time, type Json, type RenderCtx } from './render.js';

export function renderPriority(ctx: RenderCtx, p: PriorityRec): Json {
  return {
    id: p.id,
    type: 'priority',
    summary: p.name,
    self: selfUrl('priority', p.id),
    html_url: null,
    account_id: 'PACCT01',
    color: p.color,
    created_at: time(ctx, p.createdAt),
    description: p.description,
    name: p.name,
    order: p.order,
    schema_version: 0,
    updated_at: time(ctx, p.createdAt),
  };
}

export function renderTeam(ctx: RenderCtx, t: TeamRec): Json {
  return {
    id: t.id,
    type: 'team',
    summary: t.name,
    self: selfUrl('team', t.id),
    html_url: htmlUrl(ctx, 'team', t.id),
    name: t.name,
    description: t.description,
    default_role: t.defaultRole,
    parent: null,
  };
}

export function renderUser(ctx: RenderCtx, u: UserRec): Json {
  const contactMethods = ctx.include.has('contact_methods')
    ? u.contactMethods.map((c, i) => ({
        id: c.id,
        type: c.type.replace('_reference', ''),
        summary: c.summary,
        self: `${API_BASE}/users/${u.id}/contact_methods/${c.id}`,
        html_url: null,
        label: c.summary,
        address: i === 0 ? u.email : `+1555${u.id.slice(1, 5).replace(/\D/g, '0')}000`,
      }))
    : u.contactMethods.map((c) => ({
        id: c.id,
        type: c.type,
        summary: c.summary,
        self: `${API_BASE}/users/${u.id}/contact_methods/${c.id}`,
        html_url: null,
      }));
  return {
    id: u.id,
    type: 'user',
    summary: u.name,
    self: selfUrl('user', u.id),
    html_url: htmlUrl(ctx, 'user', u.id),
    name: u.name,
    email: u.email,
    time_zone: u.timeZone,
    color: u.color,
    avatar_url: `https://secure.gravatar.com/avatar/${u.id.toLowerCase()}.png?d=mm&r=PG`,
    billed: true,
    role: u.role,
    description: u.description,
    invitation_sent: u.invitationSent,
    job_title: u.jobTitle,
    teams: u.teamIds.map((id) =>
      ctx.include.has('teams') ? renderTeam(ctx, must(ctx.account.byId.teams.get(id))) : ref(ctx, 'team', id),
    ),
    contact_methods: contactMethods,
    notification_rules: u.notificationRuleIds.map((id) => ({
      id,
      type: 'assignment_notification_rule_reference',
      summary: '0 minutes: channel ' + id,
      self: `${API_BASE}/users/${u.id}/notification_rules/${id}`,
      html_url: null,
    })),
    coordinated_incidents: [],
  };
}

function must<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('dangling reference in the simulated account');
  return x;
}

export function renderService(ctx: RenderCtx, s: ServiceRec, status: ServiceRec['status']): Json {
  const a = ctx.account;
  return {
    id: s.id,
    type: 'service',
    summary: s.name,
    self: selfUrl('service', s.id),
    html_url: htmlUrl(ctx, 'service', s.id),
    name: s.name,
    description: s.description,
    auto_resolve_timeout: s.autoResolveTimeout,
    acknowledgement_timeout: s.acknowledgementTimeout,
    created_at: time(ctx, s.createdAt),
    status,
    last_incident_timestamp: time(ctx, s.lastIncidentAt),
    escalation_policy: ctx.include.has('escalation_policies')
      ? renderEscalationPolicy(ctx, must(a.byId.escalationPolicies.get(s.escalationPolicyId)))
      : ref(ctx, 'escalation_policy', s.escalationPolicyId),
    response_play: null,
    teams: s.teamIds.map((id) =>
      ctx.include.has('teams') ? renderTeam(ctx, must(a.byId.teams.get(id))) : ref(ctx, 'team', id),
    ),
    integrations: s.integrations.map((i) => ({
      id: i.id,
      type: i.type,
      summary: i.summary,
      self: `${API_BASE}/services/${s.id}/integrations/${i.id}`,
      html_url: `https://${a.subdomain}.pagerduty.com/services/${s.id}/integrations/${i.id}`,
    })),
    incident_urgency_rule: s.supportHoursTimeZone
      ? {
          type: 'use_support_hours',
          during_support_hours: { type: 'constant', urgency: 'high' },
          outside_support_hours: { type: 'constant', urgency: 'low' },
        }
      : { type: 'constant', urgency: 'high' },
    support_hours: s.supportHoursTimeZone
      ? {
          type: 'fixed_time_per_day',
          time_zone: s.supportHoursTimeZone,
          start_time: '09:00:00',
          end_time: '17:00:00',
          days_of_week: [1, 2, 3, 4, 5],
        }
      : null,
    // Only a use_support_hours rule may carry scheduled actions: raise urgency when support hours start.
    scheduled_actions: s.supportHoursTimeZone
      ? [
          {
            type: 'urgency_change',
            at: { type: 'named_time', name: 'support_hours_start' },
            to_urgency: 'high',
          },
        ]
      : [],
    addons: [],
    alert_creation: 'create_alerts_and_incidents',
    alert_grouping_parameters: { type: null, config: null },
    alert_grouping: null,
    alert_grouping_timeout: null,
    auto_pause_notifications_parameters: { enabled: false, timeout: null },
  };
}

export function renderEscalationPolicy(ctx: RenderCtx, ep: EscalationPolicyRec): Json {
  const a = ctx.account;
  return {
    id: ep.id,
    type: 'escalation_policy',
    summary: ep.name,
    self: selfUrl('escalation_policy', ep.id),
    html_url: htmlUrl(ctx, 'escalation_policy', ep.id),
    name: ep.name,
    description: ep.description,
    num_loops: ep.numLoops,
    on_call_handoff_notifications: ep.onCallHandoffNotifications,
    escalation_rules: ep.rules.map((r) => ({
      id: r.id,
      escalation_delay_in_minutes: r.delayMinutes,
      targets: r.targets.map((t) => ref(ctx, t.type, t.id)),
    })),
    services: a.services
      .filter((s) => s.deletedAt === null && s.escalationPolicyId === ep.id)
      .map((s) => ref(ctx, 'service', s.id)),
    teams: ep.teamIds.map((id) => ref(ctx, 'team', id)),
    privilege: null,
  };
}

export function renderSchedule(ctx: RenderCtx, s: ScheduleRec): Json {
  const a = ctx.account;
  const users = [...new Set(s.layers.flatMap((l) => l.userIds))];
  const out: Json = {
    id: s.id,
    type: 'schedule',
    summary: s.name,
    self: selfUrl('schedule', s.id),
    html_url: htmlUrl(ctx, 'schedule', s.id),
    name: s.name,
    time_zone: s.timeZone,
    description: s.description,
    escalation_policies: a.escalationPolicies
      .filter((ep) => ep.rules.some((r) => r.targets.some((t) => t.type === 'schedule' && t.id === s.id)))
      .map((ep) => ref(ctx, 'escalation_policy', ep.id)),
    users: users.map((id) => ref(ctx, 'user', id)),
    teams: s.teamIds.map((id) => ref(ctx, 'team', id)),
  };
  if (ctx.include.has('schedule_layers')) {
    out.schedule_layers = s.layers.map((l) => ({
      id: l.id,
      name: l.name,
      start: time(ctx, l.start),
      end: null,
      rotation_virtual_start: time(ctx, l.rotationVirtualStart),
      rotation_turn_length_seconds: l.turnSeconds,
      users: l.userIds.map((id) => ({ user: ref(ctx, 'user', id) })),
      restrictions: [],
    }));
  }
  return out;
}

export function renderTag(ctx: RenderCtx, t: TagRec): Json {
  return {
    id: t.id,
    type: 'tag',
    summary: t.label,
    self: `${API_BASE}/tags/${t.id}`,
    html_url: null,
    label: t.label,
  };
}

export function renderOncall(ctx: RenderCtx, o: OncallRec): Json {
  const a = ctx.account;
  return {
    escalation_policy: ctx.include.has('escalation_policies')
      ? renderEscalationPolicy(ctx, must(a.byId.escalationPolicies.get(o.escalationPolicyId)))
      : ref(ctx, 'escalation_policy', o.escalationPolicyId),
    escalation_level: o.escalationLevel,
    schedule:
      o.scheduleId === null
        ? null
        : ctx.include.has('schedules')
          ? renderSchedule(ctx, must(a.byId.schedules.get(o.scheduleId)))
          : ref(ctx, 'schedule', o.scheduleId),
    user: ctx.include.has('users')
      ? renderUser(ctx, must(a.byId.users.get(o.userId)))
      : ref(ctx, 'user', o.userId),
    start: time(ctx, o.start),
    end: time(ctx, o.end),
  };
}
