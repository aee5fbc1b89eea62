import type { Agent, IncidentRec, IncidentState, LifecycleEvent, LogType, Urgency } from './model.js';
import type { Random } from './random.js';
import { SECOND } from './time.js';

/** What planning an incident needs to know about the account. */
export interface PlanContext {
  rng: Random;
  newId(prefix: string, length: number): string;
  /** The user on call for the policy's escalation level (1-based) at `at`. */
  oncallUser(escalationPolicyId: string, level: number, at: number): string;
  levels(escalationPolicyId: string): { count: number; delayMinutes: number[] };
  teamUsers(teamIds: readonly string[]): readonly string[];
  priorityIds: readonly string[];
  ackTimeoutSeconds: number | null;
}

export interface IncidentSeed {
  number: number;
  createdAt: number;
  serviceId: string;
  escalationPolicyId: string;
  teamIds: string[];
  title: string;
}

const ACK_CHANNELS = ['web_ui', 'mobile', 'sms', 'email', 'slack'] as const;
const NOTIFY_TYPES = [
  'sms_notification',
  'push_notification',
  'phone_notification',
  'email_notification',
] as const;
const NOTES = [
  'Rolled back the last deploy.',
  'Looking into it — seems related to the DB failover.',
  'Scaled the worker pool from 4 to 8.',
  "Root cause: expired cert on the upstream; see the runbook's step 3.",
  'Customer impact confirmed for EU only. Status page updated.',
];

function secs(rng: Random, median: number, sigma: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, rng.logNormal(median, sigma)))) * SECOND;
}

/**
 * Plans an incident's whole life: trigger → assignment → notifications → escalations on timeout → one or
 * more acknowledgements (sometimes after a reassignment or an ack timeout) → notes, priority and urgency
 * changes → resolve. Event times may lie past the clock; they are revealed as it advances.
 */
export function planIncident(ctx: PlanContext, seed: IncidentSeed): IncidentRec {
  const { rng } = ctx;
  const urgency: Urgency = rng.chance(0.72) ? 'high' : 'low';
  const priorityId = rng.chance(0.3) ? null : rng.weighted(ctx.priorityIds, [5, 15, 30, 30, 20]);
  const t0 = seed.createdAt;
  const svc: Agent = { type: 'service', id: seed.serviceId };
  const ev: LifecycleEvent[] = [];
  const add = (
    at: number,
    type: LogType,
    agent: Agent,
    channel: string,
    extra: Partial<LifecycleEvent> = {},
  ) => {
    // One fixed object shape for every event (no spread): smaller and faster for V8 across 100k+ events.
    ev.push({
      id: ctx.newId('R', 25),
      at,
      type,
      agent,
      channel,
      assignees: extra.assignees,
      userId: extra.userId,
      notificationType: extra.notificationType,
      note: extra.note,
      priorityTo: extra.priorityTo,
      urgencyTo: extra.urgencyTo,
      escalationLevel: extra.escalationLevel,
      fieldChange: undefined,
    });
  };
  const notify = (at: number, userId: string) =>
    add(at + rng.int(1, 20) * SECOND, 'notify_log_entry', null, 'notification', {
      userId,
      notificationType: rng.pick(NOTIFY_TYPES),
    });

  const manual = rng.chance(0.08);
  const reporter = manual ? rng.pick(ctx.teamUsers(seed.teamIds)) : null;
  add(
    t0,
    'trigger_log_entry',
    reporter ? { type: 'user', id: reporter } : svc,
    manual ? 'web_ui' : rng.pick(['api', 'api', 'email']),
  );
  let assignee = ctx.oncallUser(seed.escalationPolicyId, 1, t0);
  add(t0, 'assign_log_entry', svc, 'auto', { assignees: [assignee] });
  notify(t0, assignee);

  const willAck = rng.chance(urgency === 'high' ? 0.9 : 0.75);
  const ackDelay = secs(rng, urgency === 'high' ? 180 : 900, 1.1, 5, 2 * 86400);
  const { count, delayMinutes } = ctx.levels(seed.escalationPolicyId);
  let elapsed = 0;
  let level = 1;
  while (level < count) {
    elapsed += (delayMinutes[level - 1] ?? 30) * 60 * SECOND;
    if (willAck && ackDelay <= elapsed) break;
    level++;
    assignee = ctx.oncallUser(seed.escalationPolicyId, level, t0 + elapsed);
    add(t0 + elapsed, 'escalate_log_entry', null, 'timeout', {
      assignees: [assignee],
      escalationLevel: level,
    });
    notify(t0 + elapsed, assignee);
  }
  if (willAck && rng.chance(0.08)) {
    const at = t0 + Math.max(SECOND, Math.round((ackDelay * rng.int(20, 80)) / 100 / SECOND) * SECOND);
    const others = ctx.teamUsers(seed.teamIds).filter((u) => u !== assignee);
    if (others.length > 0) {
      const by = assignee;
      assignee = rng.pick(others);
      add(at, 'assign_log_entry', { type: 'user', id: by }, 'web_ui', { assignees: [assignee] });
      notify(at, assignee);
    }
  }
  let last = t0;
  if (willAck) {
    last = t0 + ackDelay;
    add(last, 'acknowledge_log_entry', { type: 'user', id: assignee }, rng.pick(ACK_CHANNELS));
    if (rng.chance(0.15)) {
      last += (ctx.ackTimeoutSeconds ?? 1800) * SECOND;
      add(last, 'unacknowledge_log_entry', null, 'timeout');
      notify(last, assignee);
      last += secs(rng, 240, 0.8, 10, 7200);
      const again = rng.chance(0.6) ? assignee : rng.pick(ctx.teamUsers(seed.teamIds));
      add(last, 'acknowledge_log_entry', { type: 'user', id: again }, rng.pick(ACK_CHANNELS));
      assignee = again;
    }
  }
  const actor: Agent = { type: 'user', id: assignee };
  const span = secs(rng, urgency === 'high' ? 1500 : 5400, 1.2, 30, 5 * 86400);
  const between = () => last + Math.round((rng.next() * span) / 2 / SECOND) * SECOND + SECOND;
  let priority = priorityId;
  if (rng.chance(0.25)) add(between(), 'annotate_log_entry', actor, 'web_ui', { note: rng.pick(NOTES) });
  if (rng.chance(0.1)) {
    const to = rng.pick(ctx.priorityIds.filter((p) => p !== priority));
    add(between(), 'priority_change_log_entry', actor, 'web_ui', { priorityTo: to });
    priority = to;
  }
  if (urgency === 'low' && rng.chance(0.04))
    add(between(), 'urgency_change_log_entry', actor, 'web_ui', { urgencyTo: 'high' });
  const longRunning = rng.chance(0.02) ? rng.int(1, 10) * 86400 * SECOND : 0;
  const resolveAt = Math.max(...ev.map((e) => e.at)) + span + longRunning;
  if (willAck) add(resolveAt, 'resolve_log_entry', actor, rng.pick(['web_ui', 'mobile', 'api']));
  else add(resolveAt, 'resolve_log_entry', svc, rng.chance(0.5) ? 'api' : 'auto');

  ev.sort((a, b) => a.at - b.at);
  return {
    id: ctx.newId('Q', 13),
    number: seed.number,
    title: seed.title,
    incidentKey: ctx.newId('', 32).toLowerCase(),
    serviceId: seed.serviceId,
    escalationPolicyId: seed.escalationPolicyId,
    teamIds: seed.teamIds,
    createdAt: t0,
    initialUrgency: urgency,
    initialPriorityId: priorityId,
    events: ev,
    revealed: 0,
    state: initialState(t0, urgency, priorityId),
  };
}

export function initialState(createdAt: number, urgency: Urgency, priorityId: string | null): IncidentState {
  return {
    status: 'triggered',
    urgency,
    priorityId,
    assignments: [],
    acknowledgements: [],
    firstAckAt: null,
    resolvedAt: null,
    lastStatusChangeAt: createdAt,
    lastStatusChangeBy: null,
    updatedAt: createdAt,
    escalations: 0,
    reassignments: 0,
  };
}

/** Applies one event to an incident's state, with PagerDuty's rules for what each change clears. */
export function applyEvent(s: IncidentState, e: LifecycleEvent): void {
  if (e.type !== 'notify_log_entry') s.updatedAt = e.at;
  const statusChange = () => {
    s.lastStatusChangeAt = e.at;
    s.lastStatusChangeBy = e.agent;
  };
  switch (e.type) {
    case 'trigger_log_entry':
      s.status = 'triggered';
      statusChange();
      break;
    case 'assign_log_entry':
    case 'escalate_log_entry':
      if (e.type === 'escalate_log_entry') s.escalations++;
      else if (e.agent?.type === 'user') s.reassignments++;
      s.assignments = (e.assignees ?? []).map((userId) => ({ at: e.at, userId }));
      // Reassigning or escalating an acknowledged incident puts it back to triggered.
      if (s.status === 'acknowledged' && e.agent?.type !== 'service') {
        s.status = 'triggered';
        s.acknowledgements = [];
        statusChange();
      }
      break;
    case 'acknowledge_log_entry': {
      const userId = e.agent?.type === 'user' ? e.agent.id : (e.userId ?? '');
      s.status = 'acknowledged';
      if (!s.acknowledgements.some((a) => a.userId === userId)) s.acknowledgements.push({ at: e.at, userId });
      s.firstAckAt ??= e.at;
      statusChange();
      break;
    }
    case 'unacknowledge_log_entry':
      s.status = 'triggered';
      s.acknowledgements = [];
      statusChange();
      break;
    case 'resolve_log_entry':
      // PagerDuty drops acknowledgements and assignments on resolve: first-ack time survives only in logs.
      s.status = 'resolved';
      s.resolvedAt = e.at;
      s.acknowledgements = [];
      s.assignments = [];
      statusChange();
      break;
    case 'priority_change_log_entry':
      s.priorityId = e.priorityTo ?? null;
      break;
    case 'urgency_change_log_entry':
      if (e.urgencyTo) s.urgency = e.urgencyTo;
      break;
    case 'annotate_log_entry':
    case 'notify_log_entry':
    case 'custom_field_value_change_log_entry':
      break;
  }
}

/** The incident's state as of `at` (used to render embedded incidents as they were at a log entry's time). */
export function stateAt(incident: IncidentRec, at: number): IncidentState {
  const s = initialState(incident.createdAt, incident.initialUrgency, incident.initialPriorityId);
  for (const e of incident.events) {
    if (e.at > at) break;
    applyEvent(s, e);
  }
  return s;
}
