import type { Account } from './account.js';
import { incidentTypeId, interruptionKind, type AnalyticsRow } from './analytics.js';
import type { Json } from './render.js';
import { SECOND, formatTime } from './time.js';

/**
 * Analytics times carry no offset: `2023-05-31T10:05:00`, wall-clock time in the request's time_zone, as
 * in the spec's example (and unlike the rest of the REST API).
 */
export function analyticsTime(ms: number | null, timeZone: string): string | null {
  return ms === null ? null : formatTime(ms, timeZone).slice(0, 19);
}

const INTERRUPTING = new Set(['sms_notification', 'phone_notification', 'push_notification']);

/**
 * One AnalyticsRawIncident, computed from the events the pipeline has taken in. Engagement is
 * acknowledgement (the simulator has no responder requests). Interruptions are phone, SMS and push
 * notifications (not e-mail), one per notification, classed by the notified user's time zone.
 */
export function renderAnalyticsIncident(account: Account, r: AnalyticsRow, timeZone: string): Json {
  const { inc, state: s } = r;
  const b = account.byId;
  const userName = (id: string) => b.users.get(id)?.name ?? null;
  const assigned: string[] = [];
  let assignments = 0;
  let escalations = 0;
  let reassignments = 0;
  let acks = 0;
  let notifications = 0;
  const interruptions = { business: 0, off: 0, sleep: 0 };
  let resolvedBy: string | null = null;
  let autoResolved = false;
  for (let i = 0; i < r.included; i++) {
    const e = inc.events[i];
    if (!e) break;
    if (e.type === 'assign_log_entry' || e.type === 'escalate_log_entry') {
      for (const u of e.assignees ?? []) {
        assignments++;
        if (!assigned.includes(u)) assigned.push(u);
      }
      if (e.type === 'escalate_log_entry') escalations++;
      else if (e.agent?.type === 'user') reassignments++;
    } else if (e.type === 'acknowledge_log_entry') acks++;
    else if (e.type === 'notify_log_entry') {
      notifications++;
      const user = e.userId ? b.users.get(e.userId) : undefined;
      if (user && INTERRUPTING.has(e.notificationType ?? ''))
        interruptions[interruptionKind(e.at, user.timeZone)]++;
    } else if (e.type === 'resolve_log_entry') {
      resolvedBy = e.agent?.type === 'user' ? e.agent.id : null;
      autoResolved = e.agent?.type !== 'user';
    }
  }
  const secs = (ms: number) => Math.round(ms / SECOND);
  const end = s.resolvedAt ?? r.processedAt;
  const engagedIds = r.engaged.map((x) => x.userId);
  const firstEngage = r.engaged[0]?.at ?? null;
  const lastEngage = r.engaged[r.engaged.length - 1]?.at ?? null;
  const multi = r.engaged.length > 1 && firstEngage !== null && lastEngage !== null;
  const service = b.services.get(inc.serviceId);
  const team = r.teamId ? b.teams.get(r.teamId) : undefined;
  const ep = b.escalationPolicies.get(inc.escalationPolicyId);
  const priority = s.priorityId ? b.priorities.get(s.priorityId) : undefined;
  return {
    id: inc.id,
    incident_number: inc.number,
    created_at: analyticsTime(inc.createdAt, timeZone),
    updated_at: analyticsTime(r.processedAt, timeZone),
    resolved_at: analyticsTime(s.resolvedAt, timeZone),
    status: s.status,
    urgency: s.urgency,
    major: r.major,
    description: inc.title,
    service_id: inc.serviceId,
    service_name: service?.name ?? null,
    team_id: r.teamId,
    team_name: team?.name ?? null,
    escalation_policy_id: inc.escalationPolicyId,
    escalation_policy_name: ep?.name ?? null,
    priority_id: priority?.id ?? null,
    priority_name: priority?.name ?? null,
    priority_order: priority?.order ?? null,
    incident_type_id: incidentTypeId(account),
    incident_type_name: 'incident_default',
    seconds_to_first_ack: s.firstAckAt === null ? null : secs(s.firstAckAt - inc.createdAt),
    seconds_to_engage: multi ? secs(lastEngage - firstEngage) : null,
    seconds_to_mobilize: multi ? secs(lastEngage - inc.createdAt) : null,
    seconds_to_resolve: r.secondsToResolve,
    engaged_seconds: r.engaged.reduce((sum, x) => sum + Math.max(0, secs(end - x.at)), 0),
    engaged_user_count: r.engaged.length,
    active_user_count: r.engaged.length,
    snoozed_seconds: 0,
    user_defined_effort_seconds: null,
    acknowledgement_count: acks,
    acknowledged_user_ids: engagedIds,
    acknowledged_user_names: engagedIds.map(userName),
    assigned_user_ids: assigned,
    assigned_user_names: assigned.map(userName),
    assignment_count: assignments,
    joined_user_ids: engagedIds,
    joined_user_names: engagedIds.map(userName),
    escalation_count: escalations,
    manual_escalation_count: 0,
    timeout_escalation_count: escalations,
    reassignment_count: reassignments,
    auto_resolved: s.status === 'resolved' && autoResolved,
    resolved_by_user_id: resolvedBy,
    resolved_by_user_name: resolvedBy ? userName(resolvedBy) : null,
    business_hour_interruptions: interruptions.business,
    off_hour_interruptions: interruptions.off,
    sleep_hour_interruptions: interruptions.sleep,
    total_interruptions: interruptions.business + interruptions.off + interruptions.sleep,
    total_notifications: notifications,
  };
}
