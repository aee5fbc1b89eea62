import { z } from 'zod';
import { users as usersTable } from '../db/schema/account.js';
import { defineResource } from './define.js';

const user = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string(),
    email: z.string(),
    time_zone: z.string().nullish(),
    role: z.string().nullish(),
    job_title: z.string().nullish(),
  })
  .loose();

/** Users: name, email and work attributes; no other contact details are kept in columns. */
export const users = defineResource({
  name: 'users',
  path: '/users',
  dataKey: 'users',
  params: {},
  sync: { kind: 'snapshot' },
  schema: user,
  toRows: (u, ctx) => {
    const row: typeof usersTable.$inferInsert = {
      id: u.id,
      name: u.name,
      email: u.email,
      timeZone: u.time_zone ?? null,
      role: u.role ?? null,
      jobTitle: u.job_title ?? null,
      deletedAt: null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: usersTable, rows: [row] }];
  },
});
