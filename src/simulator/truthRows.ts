import type { CustomFieldValue } from './model.js';

/*
 * What a perfect sync of the whole account must hold, one array per warehouse table, in the API's own
 * field names where it has them. Only live entities are listed (deleted ones are in `deleted`). Times are
 * ISO-8601 UTC.
 */

export interface TeamRow {
  id: string;
  name: string;
  description: string | null;
  default_role: string;
}
export interface TeamMemberRow {
  team_id: string;
  user_id: string;
  role: string;
}
export interface UserRow {
  id: string;
  name: string;
  email: string;
  time_zone: string;
  role: string;
  job_title: string | null;
}
export interface EscalationPolicyRow {
  id: string;
  name: string;
  description: string | null;
  num_loops: number;
  on_call_handoff_notifications: string;
}
/** `level` is 1-based, the rule's position in the policy (the escalation_level /oncalls reports). */
export interface EscalationRuleRow {
  id: string;
  escalation_policy_id: string;
  level: number;
  escalation_delay_in_minutes: number;
}
/** `target_type` without the API's `_reference` suffix; `position` is 0-based within the rule. */
export interface EscalationRuleTargetRow {
  escalation_rule_id: string;
  escalation_policy_id: string;
  position: number;
  target_type: 'user' | 'schedule';
  target_id: string;
}
export interface ScheduleRow {
  id: string;
  name: string;
  description: string | null;
  time_zone: string;
}
/** `position` is 0-based, the layer's index in schedule_layers. */
export interface ScheduleLayerRow {
  id: string;
  schedule_id: string;
  position: number;
  name: string;
  start: string;
  end: string | null;
  rotation_virtual_start: string;
  rotation_turn_length_seconds: number;
}
/** A layer's users in rotation order (`position` 0-based). */
export interface ScheduleUserRow {
  schedule_id: string;
  layer_id: string;
  position: number;
  user_id: string;
}
export interface PriorityRow {
  id: string;
  name: string;
  description: string;
  order: number;
  color: string;
}
/** `key:value` labels split at the first colon; a label without one: tag_key = label, tag_value null. */
export interface TagRow {
  id: string;
  label: string;
  tag_key: string;
  tag_value: string | null;
}
export interface EntityTagRow {
  entity_type: 'users' | 'teams' | 'escalation_policies';
  entity_id: string;
  tag_id: string;
  tag_key: string;
  tag_value: string | null;
}
/** Team references as GET /incidents serves them (a deleted team stays on resolved incidents). */
export interface IncidentTeamRow {
  incident_id: string;
  team_id: string;
}
export interface CustomFieldDefinitionRow {
  scope: 'incident' | 'service';
  id: string;
  name: string;
  display_name: string;
  data_type: string;
  field_type: string;
}
/**
 * One row per field that has a value (null values have no row). `value` as the API sends it (arrays for
 * multi-value fields); `value_text` is the scalar as text, or the array joined with ", ".
 */
export interface CustomFieldValueRow {
  field_id: string;
  field_name: string;
  field_type: string;
  data_type: string;
  value: Exclude<CustomFieldValue, null>;
  value_text: string;
}
export interface IncidentCustomFieldRow extends CustomFieldValueRow {
  incident_id: string;
}
export interface ServiceCustomFieldRow extends CustomFieldValueRow {
  service_id: string;
}
/** Entities deleted in the simulator (services: still listed nowhere; users/teams: 404). */
export interface DeletedTruth {
  service_ids: string[];
  user_ids: string[];
  team_ids: string[];
}

export interface AccountTables {
  teams: TeamRow[];
  team_members: TeamMemberRow[];
  users: UserRow[];
  escalation_policies: EscalationPolicyRow[];
  escalation_rules: EscalationRuleRow[];
  escalation_rule_targets: EscalationRuleTargetRow[];
  schedules: ScheduleRow[];
  schedule_layers: ScheduleLayerRow[];
  schedule_users: ScheduleUserRow[];
  priorities: PriorityRow[];
  tags: TagRow[];
  entity_tags: EntityTagRow[];
  incident_teams: IncidentTeamRow[];
  custom_fields: CustomFieldDefinitionRow[];
  incident_custom_fields: IncidentCustomFieldRow[];
  service_custom_fields: ServiceCustomFieldRow[];
  /**
   * What POST /analytics/raw/incidents holds now, one record per incident as rendered under time_zone
   * Etc/UTC, with its times as ISO instants (`…Z`).
   */
  analytics_incidents: Record<string, unknown>[];
}
