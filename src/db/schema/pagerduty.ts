/**
 * Warehouse tables for PagerDuty data. Plain `pgTable`s with no schema: the account's schema
 * (DATABASE_SCHEMA, default `pagerduty`) is chosen at connect time through the `search_path`, so one
 * set of migrations serves every account (db/client.ts, db/migrate.ts).
 *
 * Conventions: text ids are PagerDuty ids; every timestamp is `timestamptz` read as a JS Date; `raw` is
 * the whole API item; `synced_at` changes only when a row's content really changed (db/upsert.ts).
 * No foreign keys: the sync writes resources in any order and PagerDuty deletes referenced objects.
 */
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';

/** `timestamptz`, read and written as a JS Date. */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The whole API item as received (unknown keys kept). */
const raw = () => jsonb('raw').$type<Record<string, unknown>>().notNull();

/** When the row's content last changed in the warehouse (not when it was last seen). */
const syncedAt = () => timestamptz('synced_at').notNull().defaultNow();
/**
 * A 52-bit hash of the row as last written by the sync (synced_at aside): an upsert skips a listed row
 * whose hash is unchanged without sending or comparing its payload (db/upsert.ts).
 */
const rowHash = () => bigint('row_hash', { mode: 'number' });

export const incidents = pgTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    incidentNumber: integer('incident_number').notNull(),
    title: text('title').notNull(),
    status: text('status').notNull(),
    urgency: text('urgency').notNull(),
    priorityId: text('priority_id'),
    serviceId: text('service_id').notNull(),
    escalationPolicyId: text('escalation_policy_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    /** The FIRST acknowledgement, from `acknowledge_log_entry` rows; kept after the incident resolves. */
    acknowledgedAt: timestamptz('acknowledged_at'),
    resolvedAt: timestamptz('resolved_at'),
    lastStatusChangeAt: timestamptz('last_status_change_at').notNull(),
    incidentKey: text('incident_key'),
    htmlUrl: text('html_url').notNull(),
    raw: raw(),
    rowHash: rowHash(),
    syncedAt: syncedAt(),
  },
  (t) => [
    index('incidents_created_at_idx').on(t.createdAt),
    index('incidents_service_id_idx').on(t.serviceId),
    index('incidents_status_idx').on(t.status),
  ],
);

/** Current assignees of each incident; the sync replaces an incident's rows as a whole. */
export const incidentAssignments = pgTable(
  'incident_assignments',
  {
    incidentId: text('incident_id').notNull(),
    userId: text('user_id').notNull(),
    assignedAt: timestamptz('assigned_at').notNull(),
    syncedAt: syncedAt(),
  },
  (t) => [
    primaryKey({ name: 'incident_assignments_pkey', columns: [t.incidentId, t.userId] }),
    index('incident_assignments_user_id_idx').on(t.userId),
  ],
);

export const logEntries = pgTable(
  'log_entries',
  {
    id: text('id').primaryKey(),
    /** e.g. `trigger_log_entry`, `acknowledge_log_entry`, `resolve_log_entry`. */
    type: text('type').notNull(),
    incidentId: text('incident_id').notNull(),
    createdAt: timestamptz('created_at').notNull(),
    agentType: text('agent_type'),
    agentId: text('agent_id'),
    channelType: text('channel_type'),
    summary: text('summary'),
    raw: raw(),
    rowHash: rowHash(),
    syncedAt: syncedAt(),
  },
  (t) => [
    index('log_entries_incident_id_created_at_idx').on(t.incidentId, t.createdAt),
    index('log_entries_type_incident_id_idx').on(t.type, t.incidentId),
  ],
);

export const services = pgTable(
  'services',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Normalised slug of the name (`Webshop API` → `webshop-api`): the join key shared with other tools. */
    serviceKey: text('service_key').notNull(),
    description: text('description'),
    status: text('status').notNull(),
    escalationPolicyId: text('escalation_policy_id'),
    createdAt: timestamptz('created_at'),
    /** Set when a COMPLETE listing no longer had the service; cleared when it comes back. */
    deletedAt: timestamptz('deleted_at'),
    raw: raw(),
    syncedAt: syncedAt(),
  },
  (t) => [index('services_service_key_idx').on(t.serviceKey)],
);

/**
 * On-call shifts. PagerDuty gives them no id, so the natural key is (escalation_policy_id,
 * escalation_level, schedule_id, user_id, start_at), with `NULLS NOT DISTINCT` (PostgreSQL 15+)
 * because schedule_id and start_at may be NULL and must still identify one row.
 */
export const oncalls = pgTable(
  'oncalls',
  {
    escalationPolicyId: text('escalation_policy_id').notNull(),
    escalationLevel: integer('escalation_level').notNull(),
    scheduleId: text('schedule_id'),
    userId: text('user_id').notNull(),
    startAt: timestamptz('start_at'),
    endAt: timestamptz('end_at'),
    syncedAt: syncedAt(),
  },
  (t) => [
    unique('oncalls_natural_key')
      .on(t.escalationPolicyId, t.escalationLevel, t.scheduleId, t.userId, t.startAt)
      .nullsNotDistinct(),
    index('oncalls_start_at_idx').on(t.startAt),
    index('oncalls_user_id_idx').on(t.userId),
  ],
);

/** The columns of `oncalls` that identify one shift (the `ON CONFLICT` target). */
export const ONCALL_KEY = [
  'escalation_policy_id',
  'escalation_level',
  'schedule_id',
  'user_id',
  'start_at',
] as const;
