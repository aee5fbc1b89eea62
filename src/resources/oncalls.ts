import { z } from 'zod';
import { oncalls as oncallsTable } from '../db/schema/pagerduty.js';
import { DAY_MS, defineResource } from './define.js';
import { instant, reference } from './fields.js';

const oncall = z
  .object({
    escalation_policy: reference,
    escalation_level: z.number().int(),
    schedule: reference.nullish(),
    user: reference,
    start: instant.nullish(),
    end: instant.nullish(),
  })
  .loose();

/**
 * On-call shifts. They have no id: the key is (escalation_policy_id, escalation_level, schedule_id, user_id,
 * start_at); permanent on-calls (direct user targets) have null schedule, start and end.
 */
export const oncalls = defineResource({
  name: 'oncalls',
  path: '/oncalls',
  dataKey: 'oncalls',
  params: { time_zone: 'UTC' },
  sync: { kind: 'range', horizonMs: 30 * DAY_MS, maxRangeMs: 90 * DAY_MS },
  schema: oncall,
  // Rotations and rules show in these listings; overrides show in none and wait for the full refresh.
  detailSignals: [
    { kind: 'any', resource: 'schedules' },
    { kind: 'any', resource: 'escalation_policies' },
  ],
  toRows: (o, ctx) => {
    const row: typeof oncallsTable.$inferInsert = {
      escalationPolicyId: o.escalation_policy.id,
      escalationLevel: o.escalation_level,
      scheduleId: o.schedule?.id ?? null,
      userId: o.user.id,
      startAt: o.start ?? null,
      endAt: o.end ?? null,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: oncallsTable, rows: [row] }];
  },
});
