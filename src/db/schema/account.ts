/**
 * The rest of the account (issue 4): teams, users, escalation policies, schedules, priorities, tags and the
 * bridges between them. Reference data is a full snapshot each run; `deleted_at` marks rows gone from a
 * COMPLETE listing and is cleared when they come back. Same conventions as pagerduty.ts.
 */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const raw = () => jsonb('raw').$type<Record<string, unknown>>().notNull();
const syncedAt = () => timestamptz('synced_at').notNull().defaultNow();

export const teams = pgTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Normalised slug of the name (`Identity & Access` → `identity-access`): the join key shared with other tools. */
  teamKey: text('team_key').notNull(),
  description: text('description'),
  defaultRole: text('default_role'),
  deletedAt: timestamptz('deleted_at'),
  raw: raw(),
  syncedAt: syncedAt(),
});

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    /** manager, responder or observer. */
    role: text('role').notNull(),
    syncedAt: syncedAt(),
  },
  (t) => [
    primaryKey({ name: 'team_members_pkey', columns: [t.teamId, t.userId] }),
    index('team_members_user_id_idx').on(t.userId),
  ],
);

/** Users: name, email and work attributes only; no other contact details are stored. */
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  timeZone: text('time_zone'),
  role: text('role'),
  jobTitle: text('job_title'),
  deletedAt: timestamptz('deleted_at'),
  raw: raw(),
  syncedAt: syncedAt(),
});

export const escalationPolicies = pgTable('escalation_policies', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  numLoops: integer('num_loops'),
  onCallHandoffNotifications: text('on_call_handoff_notifications'),
  deletedAt: timestamptz('deleted_at'),
  raw: raw(),
  syncedAt: syncedAt(),
});

export const escalationRules = pgTable(
  'escalation_rules',
  {
    id: text('id').primaryKey(),
    escalationPolicyId: text('escalation_policy_id').notNull(),
    /** 1-based position in the policy. */
    level: integer('level').notNull(),
    escalationDelayInMinutes: integer('escalation_delay_in_minutes'),
    syncedAt: syncedAt(),
  },
  (t) => [index('escalation_rules_policy_idx').on(t.escalationPolicyId)],
);

export const escalationRuleTargets = pgTable(
  'escalation_rule_targets',
  {
    escalationRuleId: text('escalation_rule_id').notNull(),
    escalationPolicyId: text('escalation_policy_id').notNull(),
    position: integer('position').notNull(),
    /** `user` or `schedule`. */
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    syncedAt: syncedAt(),
  },
  (t) => [
    primaryKey({ name: 'escalation_rule_targets_pkey', columns: [t.escalationRuleId, t.position] }),
    index('escalation_rule_targets_policy_idx').on(t.escalationPolicyId),
  ],
);

export const schedules = pgTable('schedules', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  timeZone: text('time_zone'),
  deletedAt: timestamptz('deleted_at'),
  raw: raw(),
  syncedAt: syncedAt(),
});

export const scheduleLayers = pgTable(
  'schedule_layers',
  {
    id: text('id').primaryKey(),
    scheduleId: text('schedule_id').notNull(),
    position: integer('position').notNull(),
    name: text('name'),
    startAt: timestamptz('start_at'),
    endAt: timestamptz('end_at'),
    rotationVirtualStart: timestamptz('rotation_virtual_start'),
    rotationTurnLengthSeconds: integer('rotation_turn_length_seconds'),
    syncedAt: syncedAt(),
  },
  (t) => [index('schedule_layers_schedule_idx').on(t.scheduleId)],
);

export const scheduleUsers = pgTable(
  'schedule_users',
  {
    scheduleId: text('schedule_id').notNull(),
    layerId: text('layer_id').notNull(),
    /** Order in the layer's rotation, from 1. */
    position: integer('position').notNull(),
    userId: text('user_id').notNull(),
    syncedAt: syncedAt(),
  },
  (t) => [
    primaryKey({ name: 'schedule_users_pkey', columns: [t.layerId, t.position] }),
    index('schedule_users_user_idx').on(t.userId),
  ],
);

export const priorities = pgTable('priorities', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  /** PagerDuty's ordering value: higher is more severe. */
  order: integer('order'),
  color: text('color'),
  deletedAt: timestamptz('deleted_at'),
  raw: raw(),
  syncedAt: syncedAt(),
});

export const tags = pgTable(
  'tags',
  {
    id: text('id').primaryKey(),
    label: text('label').notNull(),
    /** `service` of `service:webshop`; the whole label when it has no colon. */
    tagKey: text('tag_key').notNull(),
    /** `webshop` of `service:webshop`; null when the label has no colon. */
    tagValue: text('tag_value'),
    deletedAt: timestamptz('deleted_at'),
    raw: raw(),
    syncedAt: syncedAt(),
  },
  (t) => [index('tags_key_value_idx').on(t.tagKey, t.tagValue)],
);

/** Which users, teams and escalation policies carry which tag (the only kinds PagerDuty tags). */
export const entityTags = pgTable(
  'entity_tags',
  {
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    tagId: text('tag_id').notNull(),
    tagKey: text('tag_key').notNull(),
    tagValue: text('tag_value'),
    syncedAt: syncedAt(),
  },
  (t) => [
    primaryKey({ name: 'entity_tags_pkey', columns: [t.entityType, t.entityId, t.tagId] }),
    index('entity_tags_key_value_idx').on(t.tagKey, t.tagValue),
  ],
);

/** Teams of each incident (from the incident's `teams`). */
export const incidentTeams = pgTable(
  'incident_teams',
  {
    incidentId: text('incident_id').notNull(),
    teamId: text('team_id').notNull(),
    syncedAt: syncedAt(),
  },
  (t) => [
    primaryKey({ name: 'incident_teams_pkey', columns: [t.incidentId, t.teamId] }),
    index('incident_teams_team_idx').on(t.teamId),
  ],
);

/** Columns shared by incident and service custom field values: one row per field that holds a value. */
const customFieldValue = () => ({
  fieldId: text('field_id').notNull(),
  fieldName: text('field_name').notNull(),
  /** single_value, single_value_fixed, multi_value, multi_value_fixed. */
  fieldType: text('field_type').notNull(),
  /** string, integer, float, boolean, datetime, url. */
  dataType: text('data_type').notNull(),
  /** As the API sends it: a scalar, or an array for multi-value fields. */
  value: jsonb('value').notNull(),
  /** The scalar as text, or the array joined with ", ". */
  valueText: text('value_text').notNull(),
  syncedAt: syncedAt(),
});

/** Custom field values of incidents (opt-in: SYNC_CUSTOM_FIELDS=true); unset fields have no row. */
export const incidentCustomFields = pgTable(
  'incident_custom_fields',
  { incidentId: text('incident_id').notNull(), ...customFieldValue() },
  (t) => [
    primaryKey({ name: 'incident_custom_fields_pkey', columns: [t.incidentId, t.fieldId] }),
    index('incident_custom_fields_name_idx').on(t.fieldName, t.valueText),
  ],
);

/** Custom field values of services (opt-in: SYNC_CUSTOM_FIELDS=true); unset fields have no row. */
export const serviceCustomFields = pgTable(
  'service_custom_fields',
  { serviceId: text('service_id').notNull(), ...customFieldValue() },
  (t) => [
    primaryKey({ name: 'service_custom_fields_pkey', columns: [t.serviceId, t.fieldId] }),
    index('service_custom_fields_name_idx').on(t.fieldName, t.valueText),
  ],
);
