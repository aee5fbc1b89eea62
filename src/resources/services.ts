import { z } from 'zod';
import { services as servicesTable } from '../db/schema/pagerduty.js';
import { defineResource } from './define.js';
import { instant, reference, slugKey } from './fields.js';

const service = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string(),
    description: z.string().nullish(),
    status: z.string().nullish(),
    created_at: instant.nullish(),
    escalation_policy: reference.nullish(),
  })
  .loose();

/** Services: a full snapshot each run; `service_key` is a slug of the name that other tools can join on. */
export const services = defineResource({
  name: 'services',
  path: '/services',
  dataKey: 'services',
  params: { time_zone: 'UTC' },
  sync: { kind: 'snapshot' },
  schema: service,
  toRows: (s, ctx) => {
    const row: typeof servicesTable.$inferInsert = {
      id: s.id,
      name: s.name,
      serviceKey: slugKey(s.name),
      description: s.description ?? null,
      status: s.status ?? 'active',
      escalationPolicyId: s.escalation_policy?.id ?? null,
      createdAt: s.created_at ?? null,
      deletedAt: null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: servicesTable, rows: [row] }];
  },
});
