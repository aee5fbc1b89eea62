import { z } from 'zod';
import { teamMembers, teams as teamsTable } from '../db/schema/account.js';
import { defineResource } from './define.js';
import { reference, slugKey } from './fields.js';

const team = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string(),
    description: z.string().nullish(),
    default_role: z.string().nullish(),
  })
  .loose();
const member = z.object({ user: reference, role: z.string() }).loose();
/** What a user item says about teams (GET /users lists each user's `teams`). */
const userTeams = z.object({ teams: z.array(reference) }).loose();

/** Teams (plan-gated: 402 code 2014 without the teams ability), with members and roles from /teams/{id}/members. */
export const teams = defineResource({
  name: 'teams',
  path: '/teams',
  dataKey: 'teams',
  params: {},
  sync: { kind: 'snapshot' },
  schema: team,
  unavailableOn: [{ status: 402, code: 2014 }],
  toRows: (t, ctx) => {
    const row: typeof teamsTable.$inferInsert = {
      id: t.id,
      name: t.name,
      teamKey: slugKey(t.name),
      description: t.description ?? null,
      defaultRole: t.default_role ?? null,
      deletedAt: null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: teamsTable, rows: [row] }];
  },
  // A user joining or leaving a team (or created, or deleted) changes that user's `teams` list; a role
  // change within a team shows nowhere and waits for the full refresh.
  detailSignals: [
    {
      kind: 'named',
      resource: 'users',
      parents: (raw) => userTeams.safeParse(raw).data?.teams.map((t) => t.id) ?? [],
    },
  ],
  children: [
    {
      path: (t) => `/teams/${encodeURIComponent(t.id)}/members`,
      dataKey: 'members',
      schema: member,
      replaces: { table: teamMembers, column: 'team_id' },
      toRows: (t, m, ctx) => {
        const row: typeof teamMembers.$inferInsert = {
          teamId: t.id,
          userId: m.user.id,
          role: m.role,
          syncedAt: ctx.syncedAt,
        };
        return [{ table: teamMembers, rows: [row] }];
      },
    },
  ],
});
