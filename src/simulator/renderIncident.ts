import { stateAt } from './lifecycle.js';
import { serviceStatus } from './serviceStatus.js';
import type { Agent, IncidentRec, IncidentState, LifecycleEvent, LogRef } from './model.js';
import {
  API_BASE,
  head,
  htmlUrl,
  selfUrl,
  htmlBase,
  ref,
  time,
  type Json,
  type RenderCtx,
} from './render.js';
import {
  renderEscalationPolicy,
  renderPriority,
  renderService,
  renderTeam,
  renderUser,
} from './renderReference.js';

function userRef(ctx: RenderCtx, id: string): Json {
  const u = ctx.account.byId.users.get(id);
  return ctx.include.has('users') && u ? renderUser(ctx, u) : ref(ctx, 'user', id);
}

function agentRef(ctx: RenderCtx, agent: Agent): Json | null {
  if (!agent) return null;
  return agent.type === 'user' ? ref(ctx, 'user', agent.id) : ref(ctx, 'service', agent.id);
}

function pendingActions(ctx: RenderCtx, inc: IncidentRec, s: IncidentState): Json[] {
  const next = inc.events[inc.revealed];
  if (!next || s.status === 'resolved') return [];
  if (s.status === 'triggered' && next.type === 'escalate_log_entry')
    return [{ type: 'escalate', at: time(ctx, next.at) }];
  if (s.status === 'acknowledged' && next.type === 'unacknowledge_log_entry') {
    return [{ type: 'unacknowledge', at: time(ctx, next.at) }];
  }
  return [];
}

/** An incident as GET /incidents renders it. `state` defaults to the incident's state at the clock. */
export function renderIncident(ctx: RenderCtx, inc: IncidentRec, state?: IncidentState): Json {
  const a = ctx.account;
  const s = state ?? inc.state;
  const trigger = inc.events[0];
  const service = a.byId.services.get(inc.serviceId);
  const priority = s.priorityId ? a.byId.priorities.get(s.priorityId) : undefined;
  const ep = a.byId.escalationPolicies.get(inc.escalationPolicyId);
  const inc2: Json = {
    id: inc.id,
    type: 'incident',
    summary: `[#${inc.number}] ${inc.title}`,
    self: selfUrl('incident', inc.id),
    html_url: htmlUrl(ctx, 'incident', inc.id),
    incident_number: inc.number,
    title: inc.title,
    description: inc.title,
    created_at: time(ctx, inc.createdAt),
    updated_at: time(ctx, s.updatedAt),
    status: s.status,
    incident_key: inc.incidentKey,
    service:
      ctx.include.has('services') && service
        ? renderService(ctx, service, serviceStatus(a, service))
        : ref(ctx, 'service', inc.serviceId),
    assignments: s.assignments.map((x) => ({
      at: time(ctx, x.at),
      assignee: ctx.include.has('assignees')
        ? userRef({ ...ctx, include: new Set(['users']) }, x.userId)
        : userRef(ctx, x.userId),
    })),
    assigned_via: 'escalation_policy',
    last_status_change_at: time(ctx, s.lastStatusChangeAt),
    resolved_at: time(ctx, s.resolvedAt),
    first_trigger_log_entry:
      trigger && ctx.include.has('first_trigger_log_entries')
        ? renderLogEntry(ctx, { incident: inc, event: trigger })
        : trigger
          ? logEntryRef(ctx, inc, trigger)
          : null,
    alert_counts: {
      all: 1,
      triggered: s.status === 'resolved' ? 0 : 1,
      resolved: s.status === 'resolved' ? 1 : 0,
    },
    is_mergeable: true,
    incident_type: { name: 'incident_default' },
    escalation_policy:
      ctx.include.has('escalation_policies') && ep
        ? renderEscalationPolicy(ctx, ep)
        : ref(ctx, 'escalation_policy', inc.escalationPolicyId),
    teams: inc.teamIds.map((id) => {
      const t = a.byId.teams.get(id);
      return ctx.include.has('teams') && t ? renderTeam(ctx, t) : ref(ctx, 'team', id);
    }),
    pending_actions: state ? [] : pendingActions(ctx, inc, s),
    acknowledgements: s.acknowledgements.map((x) => ({
      at: time(ctx, x.at),
      acknowledger: ctx.include.has('acknowledgers')
        ? userRef({ ...ctx, include: new Set(['users']) }, x.userId)
        : userRef(ctx, x.userId),
    })),
    basic_alert_grouping: null,
    alert_grouping: null,
    last_status_change_by: agentRef(ctx, s.lastStatusChangeBy) ?? ref(ctx, 'service', inc.serviceId),
    priority: priority ? renderPriority(ctx, priority) : null,
    resolve_reason: null,
    incidents_responders: [],
    responder_requests: [],
    subscriber_requests: [],
    urgency: s.urgency,
  };
  if (ctx.include.has('conference_bridge'))
    inc2.conference_bridge = { conference_number: null, conference_url: null };
  return inc2;
}

function logEntryRef(ctx: RenderCtx, inc: IncidentRec, e: LifecycleEvent): Json {
  return {
    id: e.id,
    type: `${e.type}_reference`,
    summary: summarize(ctx, inc, e),
    self: `${API_BASE}/log_entries/${e.id}`,
    html_url: `${htmlBase(ctx.account)}/incidents/${inc.id}/log_entries/${e.id}`,
  };
}

function name(ctx: RenderCtx, id: string | undefined): string {
  return (id && ctx.account.byId.users.get(id)?.name) || 'someone';
}

function summarize(ctx: RenderCtx, inc: IncidentRec, e: LifecycleEvent): string {
  const by = e.agent?.type === 'user' ? name(ctx, e.agent.id) : null;
  const priorityName = (id: string | null | undefined) =>
    id ? (ctx.account.byId.priorities.get(id)?.name ?? id) : 'none';
  switch (e.type) {
    case 'trigger_log_entry':
      return e.channel === 'web_trigger'
        ? 'Triggered through the website.'
        : e.channel === 'email'
          ? 'Triggered through email.'
          : 'Triggered through the API.';
    case 'assign_log_entry':
      return `Assigned to ${name(ctx, e.assignees?.[0])}${by ? ` by ${by}` : ''}.`;
    case 'escalate_log_entry':
      return `Escalated to ${name(ctx, e.assignees?.[0])} (level ${e.escalationLevel ?? 2}) by timeout.`;
    case 'notify_log_entry':
      return `Notified ${name(ctx, e.userId)} by ${(e.notificationType ?? 'email_notification').replace('_notification', '')}.`;
    case 'acknowledge_log_entry':
      return `Acknowledged by ${by ?? 'someone'}.`;
    case 'unacknowledge_log_entry':
      return 'Unacknowledged due to timeout.';
    case 'annotate_log_entry':
      return `Note added by ${by ?? 'someone'}.`;
    case 'priority_change_log_entry': {
      const before = stateAt(inc, e.at - 1).priorityId;
      return `Priority changed from "${priorityName(before)}" to "${priorityName(e.priorityTo)}" by ${by ?? 'someone'}.`;
    }
    case 'urgency_change_log_entry':
      return `Urgency changed from low to ${e.urgencyTo ?? 'high'} by ${by ?? 'someone'}.`;
    case 'custom_field_value_change_log_entry':
      return `Custom field values updated by ${by ?? 'someone'}.`;
    case 'resolve_log_entry':
      return by
        ? `Resolved by ${by}.`
        : e.channel === 'auto'
          ? 'Resolved by timeout.'
          : 'Resolved through the API.';
  }
}

function channel(ctx: RenderCtx, inc: IncidentRec, e: LifecycleEvent): Json {
  switch (e.type) {
    case 'trigger_log_entry':
      return { type: e.channel, summary: inc.title };
    case 'notify_log_entry': {
      const u = e.userId ? ctx.account.byId.users.get(e.userId) : undefined;
      return {
        type: 'notification',
        notification: {
          type: e.notificationType ?? 'email_notification',
          status: 'success',
          address: e.notificationType === 'email_notification' ? (u?.email ?? '') : '+1 555-0100',
        },
      };
    }
    case 'annotate_log_entry':
      return { type: 'note', summary: e.note ?? '' };
    default:
      return { type: e.channel };
  }
}

/**
 * A log entry as GET /log_entries renders it. With include[]=incidents the embedded incident is shown as it
 * was when the entry was written, not as it is now: a sync must re-read incidents, not trust the embed.
 */
export function renderLogEntry(ctx: RenderCtx, r: LogRef): Json {
  const { incident: inc, event: e } = r;
  const a = ctx.account;
  const service = a.byId.services.get(inc.serviceId);
  const out: Json = {
    id: e.id,
    type: e.type,
    summary: summarize(ctx, inc, e),
    self: `${API_BASE}/log_entries/${e.id}`,
    html_url:
      e.type === 'annotate_log_entry' ? null : `${htmlBase(a)}/incidents/${inc.id}/log_entries/${e.id}`,
    created_at: time(ctx, e.at),
  };
  const agent = agentRef(ctx, e.agent);
  if (agent) out.agent = agent;
  out.channel = channel(ctx, inc, e);
  out.service =
    ctx.include.has('services') && service
      ? renderService(ctx, service, serviceStatus(a, service))
      : ref(ctx, 'service', inc.serviceId);
  out.incident = ctx.include.has('incidents')
    ? renderIncident({ ...ctx, include: new Set() }, inc, stateAt(inc, e.at))
    : // The reference names the incident in hand: lazy mode keeps no id index for ref() to look it up in.
      head(ctx, 'incident', inc.id, `[#${inc.number}] ${inc.title}`, 'incident_reference');
  out.teams = inc.teamIds.map((id) => {
    const t = a.byId.teams.get(id);
    return ctx.include.has('teams') && t ? renderTeam(ctx, t) : ref(ctx, 'team', id);
  });
  out.contexts = [];
  if (e.type === 'trigger_log_entry') out.event_details = { description: inc.title };
  if (e.assignees) out.assignees = e.assignees.map((id) => ref(ctx, 'user', id));
  if (e.type === 'notify_log_entry' && e.userId) out.user = ref(ctx, 'user', e.userId);
  if (e.type === 'acknowledge_log_entry')
    out.acknowledgement_timeout = service?.acknowledgementTimeout ?? null;
  if (e.type === 'annotate_log_entry') out.note = e.note ?? '';
  if (e.fieldChange) out.changeset = [changeText(ctx, e.fieldChange)];
  return out;
}

/** The spec's changeset form: `Updated serial_number to 123`, `Updated affected_room to ["Queen West"]`. */
function changeText(ctx: RenderCtx, c: NonNullable<LifecycleEvent['fieldChange']>): string {
  const name = ctx.account.customFields.field('incident', c.fieldId)?.name ?? c.fieldId;
  const v = c.value;
  return `Updated ${name} to ${Array.isArray(v) ? JSON.stringify(v) : v === null ? 'null' : String(v)}`;
}
