/**
 * The simulator's internal account model. Instants are epoch milliseconds (whole seconds). Objects here are
 * compact records; serialize.ts renders them into PagerDuty's JSON shapes on the way out.
 */

export type Urgency = 'high' | 'low';
export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface PriorityRec {
  id: string;
  name: string;
  description: string;
  order: number;
  color: string;
  /** Epoch ms; fixed when the account is generated (the clock moving does not touch it). */
  createdAt: number;
}

export interface TeamRec {
  id: string;
  name: string;
  description: string | null;
  defaultRole: 'manager' | 'responder' | 'observer' | 'none';
  members: { userId: string; role: 'manager' | 'responder' | 'observer' }[];
}

export interface UserRec {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  color: string;
  role: 'owner' | 'admin' | 'user' | 'limited_user' | 'observer' | 'restricted_access' | 'read_only_user';
  jobTitle: string | null;
  description: string | null;
  teamIds: string[];
  contactMethods: { id: string; type: string; summary: string }[];
  notificationRuleIds: string[];
  invitationSent: boolean;
}

export interface ScheduleLayerRec {
  id: string;
  name: string;
  start: number;
  rotationVirtualStart: number;
  turnSeconds: number;
  userIds: string[];
}

export interface OverrideRec {
  id: string;
  start: number;
  end: number;
  userId: string;
}

export interface ScheduleRec {
  id: string;
  name: string;
  description: string | null;
  timeZone: string;
  layers: ScheduleLayerRec[];
  overrides: OverrideRec[];
  teamIds: string[];
}

export interface EscalationTarget {
  type: 'schedule' | 'user';
  id: string;
}

export interface EscalationRuleRec {
  id: string;
  delayMinutes: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicyRec {
  id: string;
  name: string;
  description: string | null;
  numLoops: number;
  onCallHandoffNotifications: 'if_has_services' | 'always';
  rules: EscalationRuleRec[];
  teamIds: string[];
}

export interface IntegrationRec {
  id: string;
  type: string;
  summary: string;
}

export interface ServiceRec {
  id: string;
  name: string;
  description: string;
  createdAt: number;
  status: 'active' | 'warning' | 'critical' | 'maintenance' | 'disabled';
  escalationPolicyId: string;
  teamIds: string[];
  autoResolveTimeout: number | null;
  acknowledgementTimeout: number | null;
  integrations: IntegrationRec[];
  supportHoursTimeZone: string | null;
  deletedAt: number | null;
  lastIncidentAt: number | null;
}

export interface TagRec {
  id: string;
  label: string;
  userIds: string[];
  teamIds: string[];
  escalationPolicyIds: string[];
}

export type LogType =
  | 'trigger_log_entry'
  | 'assign_log_entry'
  | 'notify_log_entry'
  | 'escalate_log_entry'
  | 'acknowledge_log_entry'
  | 'unacknowledge_log_entry'
  | 'annotate_log_entry'
  | 'priority_change_log_entry'
  | 'urgency_change_log_entry'
  | 'custom_field_value_change_log_entry'
  | 'resolve_log_entry';

/** A custom field's value: a scalar, an array (multi-value fields) or null (unset). */
export type CustomFieldValue = string | number | boolean | string[] | null;

/** Who did it: a user, the service itself (integrations, auto-resolve) or nobody (timeouts). */
export type Agent = { type: 'user'; id: string } | { type: 'service'; id: string } | null;

export interface LifecycleEvent {
  id: string;
  at: number;
  type: LogType;
  agent: Agent;
  /** Channel type as PagerDuty reports it: api, email, web_ui, mobile, sms, timeout, auto, notification. */
  channel: string;
  assignees?: string[];
  /** notify: the notified user; acknowledge: the acknowledger when the agent is not a user. */
  userId?: string;
  notificationType?: 'sms_notification' | 'email_notification' | 'push_notification' | 'phone_notification';
  note?: string;
  priorityTo?: string | null;
  urgencyTo?: Urgency;
  escalationLevel?: number;
  /** custom_field_value_change: the field (by id) and its new value. */
  fieldChange?: { fieldId: string; value: CustomFieldValue };
}

/** An incident's state as of the simulator's clock; folded from its revealed events. */
export interface IncidentState {
  status: IncidentStatus;
  urgency: Urgency;
  priorityId: string | null;
  assignments: { at: number; userId: string }[];
  acknowledgements: { at: number; userId: string }[];
  firstAckAt: number | null;
  resolvedAt: number | null;
  lastStatusChangeAt: number;
  lastStatusChangeBy: Agent;
  updatedAt: number;
  escalations: number;
  reassignments: number;
}

export interface IncidentRec {
  id: string;
  number: number;
  title: string;
  incidentKey: string;
  serviceId: string;
  escalationPolicyId: string;
  teamIds: string[];
  createdAt: number;
  initialUrgency: Urgency;
  initialPriorityId: string | null;
  /** Every lifecycle event, past and future, in time order; `revealed` of them have happened. */
  events: LifecycleEvent[];
  revealed: number;
  state: IncidentState;
}

/** One revealed log entry, pointing into its incident. */
export interface LogRef {
  incident: IncidentRec;
  event: LifecycleEvent;
}
