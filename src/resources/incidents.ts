import { z } from 'zod';
import { incidentTeams } from '../db/schema/account.js';
import { incidentAssignments, incidents as incidentsTable } from '../db/schema/pagerduty.js';
import { DAY_MS, defineResource } from './define.js';
import { instant, referenceOnly as reference } from './fields.js';

const incident = z.object({
  id: z.string().min(1).max(255),
  incident_number: z.number().int(),
  title: z.string(),
  status: z.string(),
  urgency: z.string(),
  priority: reference.nullish(),
  service: reference,
  escalation_policy: reference,
  created_at: instant,
  updated_at: instant.nullish(),
  resolved_at: instant.nullish(),
  last_status_change_at: instant.nullish(),
  incident_key: z.string().nullish(),
  html_url: z.string(),
  assignments: z.array(z.object({ at: instant, assignee: reference })).nullish(),
  teams: z.array(reference).nullish(),
  acknowledgements: z.array(z.object({ at: instant, acknowledger: reference })).nullish(),
});

export type IncidentItem = z.infer<typeof incident>;

/**
 * Incidents, by created_at windows. `acknowledged_at` is the FIRST acknowledgement: PagerDuty clears
 * `acknowledgements` on resolve, so the mapper only offers the earliest current one as a lower bound and
 * the engine takes the earliest acknowledge_log_entry when it has it.
 */
export const incidents = defineResource({
  name: 'incidents',
  path: '/incidents',
  dataKey: 'incidents',
  params: { time_zone: 'UTC', sort_by: 'created_at:asc' },
  sync: { kind: 'windowed', initialWindowMs: 30 * DAY_MS, maxWindowMs: 180 * DAY_MS, overlapMs: 10 * 60_000 },
  schema: incident,
  toRows: (i, ctx) => {
    const acks = (i.acknowledgements ?? []).map((a) => a.at.getTime());
    const row: typeof incidentsTable.$inferInsert = {
      id: i.id,
      incidentNumber: i.incident_number,
      title: i.title,
      status: i.status,
      urgency: i.urgency,
      priorityId: i.priority?.id ?? null,
      serviceId: i.service.id,
      escalationPolicyId: i.escalation_policy.id,
      createdAt: i.created_at,
      updatedAt: i.updated_at ?? i.created_at,
      acknowledgedAt: acks.length > 0 ? new Date(Math.min(...acks)) : null,
      resolvedAt: i.resolved_at ?? null,
      lastStatusChangeAt: i.last_status_change_at ?? i.created_at,
      incidentKey: i.incident_key ?? null,
      htmlUrl: i.html_url,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    const assignments: (typeof incidentAssignments.$inferInsert)[] = (i.assignments ?? []).map((a) => ({
      incidentId: i.id,
      userId: a.assignee.id,
      assignedAt: a.at,
      syncedAt: ctx.syncedAt,
    }));
    const teams: (typeof incidentTeams.$inferInsert)[] = (i.teams ?? []).map((t) => ({
      incidentId: i.id,
      teamId: t.id,
      syncedAt: ctx.syncedAt,
    }));
    const replaceFor = { column: 'incident_id', ids: [i.id] };
    return [
      { table: incidentsTable, rows: [row] },
      { table: incidentAssignments, rows: assignments, replaceFor },
      { table: incidentTeams, rows: teams, replaceFor },
    ];
  },
});
