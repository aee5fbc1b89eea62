import { z } from 'zod';
import {
  escalationPolicies as policiesTable,
  escalationRules,
  escalationRuleTargets,
} from '../db/schema/account.js';
import { defineResource } from './define.js';
import { reference, referenceType } from './fields.js';

const rule = z
  .object({
    id: z.string().min(1).max(255),
    escalation_delay_in_minutes: z.number().int().nullish(),
    targets: z.array(reference),
  })
  .loose();

const policy = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string(),
    description: z.string().nullish(),
    num_loops: z.number().int().nullish(),
    on_call_handoff_notifications: z.string().nullish(),
    escalation_rules: z.array(rule),
  })
  .loose();

/** Escalation policies with their rules (level = 1-based position) and each rule's targets, from the list item. */
export const escalationPolicies = defineResource({
  name: 'escalation_policies',
  path: '/escalation_policies',
  dataKey: 'escalation_policies',
  params: {},
  sync: { kind: 'snapshot' },
  schema: policy,
  toRows: (ep, ctx) => {
    const row: typeof policiesTable.$inferInsert = {
      id: ep.id,
      name: ep.name,
      description: ep.description ?? null,
      numLoops: ep.num_loops ?? null,
      onCallHandoffNotifications: ep.on_call_handoff_notifications ?? null,
      deletedAt: null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    const rules: (typeof escalationRules.$inferInsert)[] = ep.escalation_rules.map((r, i) => ({
      id: r.id,
      escalationPolicyId: ep.id,
      level: i + 1,
      escalationDelayInMinutes: r.escalation_delay_in_minutes ?? null,
      syncedAt: ctx.syncedAt,
    }));
    const targets: (typeof escalationRuleTargets.$inferInsert)[] = ep.escalation_rules.flatMap((r) =>
      r.targets.map((t, position) => ({
        escalationRuleId: r.id,
        escalationPolicyId: ep.id,
        position,
        targetType: referenceType(t.type),
        targetId: t.id,
        syncedAt: ctx.syncedAt,
      })),
    );
    const replaceFor = { column: 'escalation_policy_id', ids: [ep.id] };
    return [
      { table: policiesTable, rows: [row] },
      { table: escalationRules, rows: rules, replaceFor },
      { table: escalationRuleTargets, rows: targets, replaceFor },
    ];
  },
});
