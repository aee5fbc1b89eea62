import type { Account } from './account.js';
import { analyticsRows } from './analytics.js';
import { renderAnalyticsIncident } from './renderAnalytics.js';
import type { CustomFieldDef, FieldValues } from './customFields.js';
import type { AccountTables, CustomFieldValueRow, DeletedTruth, EntityTagRow } from './truthRows.js';

export function parseTag(label: string): { tag_key: string; tag_value: string | null } {
  const i = label.indexOf(':');
  return i < 0
    ? { tag_key: label, tag_value: null }
    : { tag_key: label.slice(0, i), tag_value: label.slice(i + 1) };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function valueRows(defs: readonly CustomFieldDef[], values: FieldValues): CustomFieldValueRow[] {
  const out: CustomFieldValueRow[] = [];
  for (const f of defs) {
    const value = values.get(f.id) ?? null;
    if (value === null) continue;
    out.push({
      field_id: f.id,
      field_name: f.name,
      field_type: f.fieldType,
      data_type: f.dataType,
      value,
      value_text: Array.isArray(value) ? value.join(', ') : String(value),
    });
  }
  return out;
}

const ANALYTICS_TIMES = ['created_at', 'updated_at', 'resolved_at'] as const;

function analyticsTruth(account: Account): Record<string, unknown>[] {
  return analyticsRows(account).map((r) => {
    const rec = renderAnalyticsIncident(account, r, 'Etc/UTC') as Record<string, unknown>;
    for (const k of ANALYTICS_TIMES) {
      const t = rec[k];
      if (typeof t === 'string') rec[k] = `${t}Z`;
    }
    return rec;
  });
}

export function computeTables(account: Account): AccountTables {
  const eps = account.escalationPolicies;
  const cf = account.customFields;
  const visible = account.incidents.filter((i) => i.revealed > 0);
  const tagged = (
    entity_type: EntityTagRow['entity_type'],
    ids: (t: Account['tags'][number]) => string[],
  ): EntityTagRow[] =>
    account.tags.flatMap((t) =>
      ids(t).map((entity_id) => ({ entity_type, entity_id, tag_id: t.id, ...parseTag(t.label) })),
    );
  return {
    teams: account.teams.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      default_role: t.defaultRole,
    })),
    team_members: account.teams.flatMap((t) =>
      t.members.map((m) => ({ team_id: t.id, user_id: m.userId, role: m.role })),
    ),
    users: account.users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      time_zone: u.timeZone,
      role: u.role,
      job_title: u.jobTitle,
    })),
    escalation_policies: eps.map((ep) => ({
      id: ep.id,
      name: ep.name,
      description: ep.description,
      num_loops: ep.numLoops,
      on_call_handoff_notifications: ep.onCallHandoffNotifications,
    })),
    escalation_rules: eps.flatMap((ep) =>
      ep.rules.map((r, i) => ({
        id: r.id,
        escalation_policy_id: ep.id,
        level: i + 1,
        escalation_delay_in_minutes: r.delayMinutes,
      })),
    ),
    escalation_rule_targets: eps.flatMap((ep) =>
      ep.rules.flatMap((r) =>
        r.targets.map((t, position) => ({
          escalation_rule_id: r.id,
          escalation_policy_id: ep.id,
          position,
          target_type: t.type,
          target_id: t.id,
        })),
      ),
    ),
    schedules: account.schedules.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      time_zone: s.timeZone,
    })),
    schedule_layers: account.schedules.flatMap((s) =>
      s.layers.map((l, position) => ({
        id: l.id,
        schedule_id: s.id,
        position,
        name: l.name,
        start: iso(l.start),
        end: null,
        rotation_virtual_start: iso(l.rotationVirtualStart),
        rotation_turn_length_seconds: l.turnSeconds,
      })),
    ),
    schedule_users: account.schedules.flatMap((s) =>
      s.layers.flatMap((l) =>
        l.userIds.map((user_id, position) => ({ schedule_id: s.id, layer_id: l.id, position, user_id })),
      ),
    ),
    priorities: account.priorities.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      order: p.order,
      color: p.color,
    })),
    tags: account.tags.map((t) => ({ id: t.id, label: t.label, ...parseTag(t.label) })),
    entity_tags: [
      ...tagged('users', (t) => t.userIds),
      ...tagged('teams', (t) => t.teamIds),
      ...tagged('escalation_policies', (t) => t.escalationPolicyIds),
    ],
    incident_teams: visible.flatMap((i) => i.teamIds.map((team_id) => ({ incident_id: i.id, team_id }))),
    custom_fields: [...cf.incidentFields, ...cf.serviceFields].map((f) => ({
      scope: f.scope,
      id: f.id,
      name: f.name,
      display_name: f.displayName,
      data_type: f.dataType,
      field_type: f.fieldType,
    })),
    incident_custom_fields: visible.flatMap((i) =>
      valueRows(cf.incidentFields, cf.incidentValues(i)).map((r) => ({ incident_id: i.id, ...r })),
    ),
    service_custom_fields: account
      .activeServices()
      .flatMap((s) =>
        valueRows(cf.serviceFields, cf.serviceValues(s)).map((r) => ({ service_id: s.id, ...r })),
      ),
    // Rendered on demand: most readers of the truth never look at it.
    get analytics_incidents() {
      return analyticsTruth(account);
    },
  };
}

export function computeDeleted(account: Account): DeletedTruth {
  return {
    service_ids: account.services.filter((s) => s.deletedAt !== null).map((s) => s.id),
    user_ids: [...account.deletedUsers.keys()],
    team_ids: [...account.deletedTeams.keys()],
  };
}
