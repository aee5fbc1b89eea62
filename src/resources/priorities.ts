import { z } from 'zod';
import { priorities as prioritiesTable } from '../db/schema/account.js';
import { defineResource } from './define.js';

const priority = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string(),
    description: z.string().nullish(),
    order: z.number().int().nullish(),
    color: z.string().nullish(),
  })
  .loose();

/** Priorities (plan-gated: PagerDuty answers 404 when the account has them off). */
export const priorities = defineResource({
  name: 'priorities',
  path: '/priorities',
  dataKey: 'priorities',
  params: {},
  sync: { kind: 'snapshot' },
  schema: priority,
  unavailableOn: [{ status: 404 }],
  toRows: (p, ctx) => {
    const row: typeof prioritiesTable.$inferInsert = {
      id: p.id,
      name: p.name,
      description: p.description ?? null,
      order: p.order ?? null,
      color: p.color ?? null,
      deletedAt: null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: prioritiesTable, rows: [row] }];
  },
});
