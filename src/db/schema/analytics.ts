/**
 * PagerDuty Analytics (opt-in, SYNC_ANALYTICS=true): one row per incident from POST /analytics/raw/incidents,
 * PagerDuty's own response metrics. Times are UTC (the sync asks for time_zone Etc/UTC). `updated_at` is
 * when the analytics pipeline last processed the incident, not the incident's REST updated_at.
 */
import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const analyticsIncidents = pgTable(
  'analytics_incidents',
  {
    id: text('id').primaryKey(),
    incidentNumber: integer('incident_number'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    resolvedAt: timestamptz('resolved_at'),
    status: text('status'),
    urgency: text('urgency'),
    major: boolean('major'),
    serviceId: text('service_id'),
    teamId: text('team_id'),
    escalationPolicyId: text('escalation_policy_id'),
    priorityId: text('priority_id'),
    priorityName: text('priority_name'),
    incidentTypeId: text('incident_type_id'),
    secondsToFirstAck: integer('seconds_to_first_ack'),
    secondsToEngage: integer('seconds_to_engage'),
    secondsToMobilize: integer('seconds_to_mobilize'),
    secondsToResolve: integer('seconds_to_resolve'),
    engagedSeconds: integer('engaged_seconds'),
    engagedUserCount: integer('engaged_user_count'),
    activeUserCount: integer('active_user_count'),
    snoozedSeconds: integer('snoozed_seconds'),
    userDefinedEffortSeconds: integer('user_defined_effort_seconds'),
    acknowledgementCount: integer('acknowledgement_count'),
    assignmentCount: integer('assignment_count'),
    escalationCount: integer('escalation_count'),
    manualEscalationCount: integer('manual_escalation_count'),
    timeoutEscalationCount: integer('timeout_escalation_count'),
    reassignmentCount: integer('reassignment_count'),
    autoResolved: boolean('auto_resolved'),
    resolvedByUserId: text('resolved_by_user_id'),
    businessHourInterruptions: integer('business_hour_interruptions'),
    offHourInterruptions: integer('off_hour_interruptions'),
    sleepHourInterruptions: integer('sleep_hour_interruptions'),
    totalInterruptions: integer('total_interruptions'),
    totalNotifications: integer('total_notifications'),
    /** User ids as a JSON array, in PagerDuty's order. */
    acknowledgedUserIds: jsonb('acknowledged_user_ids').$type<string[]>(),
    assignedUserIds: jsonb('assigned_user_ids').$type<string[]>(),
    raw: jsonb('raw').$type<Record<string, unknown>>().notNull(),
    syncedAt: timestamptz('synced_at').notNull().defaultNow(),
  },
  (t) => [
    index('analytics_incidents_service_created_idx').on(t.serviceId, t.createdAt),
    index('analytics_incidents_team_created_idx').on(t.teamId, t.createdAt),
  ],
);
