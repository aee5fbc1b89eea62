import { z } from 'zod';
import { analyticsIncidents as analyticsTable } from '../db/schema/analytics.js';
import { DAY_MS, defineResource } from './define.js';

/**
 * Analytics times carry no offset (`2023-05-31T10:05:00`): wall-clock time in the request's time_zone.
 * The sync always asks for Etc/UTC, so a bare time is read as UTC; one with a zone is taken as it is.
 */
const analyticsTime = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s),
    'not an ISO-8601 date-time',
  )
  .transform((s) => new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`));

const count = z.number().int().nullish();
const ids = z.array(z.string()).nullish();

const analyticsIncident = z
  .object({
    id: z.string().min(1).max(255),
    incident_number: z.number().int().nullish(),
    created_at: analyticsTime,
    updated_at: analyticsTime,
    resolved_at: analyticsTime.nullish(),
    status: z.string().nullish(),
    urgency: z.string().nullish(),
    major: z.boolean().nullish(),
    service_id: z.string().nullish(),
    team_id: z.string().nullish(),
    escalation_policy_id: z.string().nullish(),
    priority_id: z.string().nullish(),
    priority_name: z.string().nullish(),
    incident_type_id: z.string().nullish(),
    seconds_to_first_ack: count,
    seconds_to_engage: count,
    seconds_to_mobilize: count,
    seconds_to_resolve: count,
    engaged_seconds: count,
    engaged_user_count: count,
    active_user_count: count,
    snoozed_seconds: count,
    user_defined_effort_seconds: count,
    acknowledgement_count: count,
    assignment_count: count,
    escalation_count: count,
    manual_escalation_count: count,
    timeout_escalation_count: count,
    reassignment_count: count,
    auto_resolved: z.boolean().nullish(),
    resolved_by_user_id: z.string().nullish(),
    business_hour_interruptions: count,
    off_hour_interruptions: count,
    sleep_hour_interruptions: count,
    total_interruptions: count,
    total_notifications: count,
    acknowledged_user_ids: ids,
    assigned_user_ids: ids,
  })
  .loose();

/**
 * PagerDuty Analytics raw incidents, opt-in (SYNC_ANALYTICS=true). Answers 402 when the plan lacks
 * analytics; has its own daily request quota apart from the per-minute budget.
 */
export const analyticsIncidents = defineResource({
  name: 'analytics_incidents',
  path: '/analytics/raw/incidents',
  dataKey: 'data',
  params: { time_zone: 'Etc/UTC', order: 'asc', order_by: 'created_at' },
  sync: { kind: 'cursor', pageSize: 1000, overlapMs: DAY_MS },
  schema: analyticsIncident,
  unavailableOn: [{ status: 402 }],
  toRows: (a, ctx) => {
    const row: typeof analyticsTable.$inferInsert = {
      id: a.id,
      incidentNumber: a.incident_number ?? null,
      createdAt: a.created_at,
      updatedAt: a.updated_at,
      resolvedAt: a.resolved_at ?? null,
      status: a.status ?? null,
      urgency: a.urgency ?? null,
      major: a.major ?? null,
      serviceId: a.service_id ?? null,
      teamId: a.team_id ?? null,
      escalationPolicyId: a.escalation_policy_id ?? null,
      priorityId: a.priority_id ?? null,
      priorityName: a.priority_name ?? null,
      incidentTypeId: a.incident_type_id ?? null,
      secondsToFirstAck: a.seconds_to_first_ack ?? null,
      secondsToEngage: a.seconds_to_engage ?? null,
      secondsToMobilize: a.seconds_to_mobilize ?? null,
      secondsToResolve: a.seconds_to_resolve ?? null,
      engagedSeconds: a.engaged_seconds ?? null,
      engagedUserCount: a.engaged_user_count ?? null,
      activeUserCount: a.active_user_count ?? null,
      snoozedSeconds: a.snoozed_seconds ?? null,
      userDefinedEffortSeconds: a.user_defined_effort_seconds ?? null,
      acknowledgementCount: a.acknowledgement_count ?? null,
      assignmentCount: a.assignment_count ?? null,
      escalationCount: a.escalation_count ?? null,
      manualEscalationCount: a.manual_escalation_count ?? null,
      timeoutEscalationCount: a.timeout_escalation_count ?? null,
      reassignmentCount: a.reassignment_count ?? null,
      autoResolved: a.auto_resolved ?? null,
      resolvedByUserId: a.resolved_by_user_id ?? null,
      businessHourInterruptions: a.business_hour_interruptions ?? null,
      offHourInterruptions: a.off_hour_interruptions ?? null,
      sleepHourInterruptions: a.sleep_hour_interruptions ?? null,
      totalInterruptions: a.total_interruptions ?? null,
      totalNotifications: a.total_notifications ?? null,
      acknowledgedUserIds: a.acknowledged_user_ids ?? null,
      assignedUserIds: a.assigned_user_ids ?? null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: analyticsTable, rows: [row] }];
  },
});
