import { z } from 'zod';
import { scheduleLayers, schedules as schedulesTable, scheduleUsers } from '../db/schema/account.js';
import { defineResource } from './define.js';
import { instant, reference } from './fields.js';

const layer = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string().nullish(),
    start: instant.nullish(),
    end: instant.nullish(),
    rotation_virtual_start: instant.nullish(),
    rotation_turn_length_seconds: z.number().int().nullish(),
    users: z.array(z.object({ user: reference }).loose()),
  })
  .loose();

const schedule = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string(),
    description: z.string().nullish(),
    time_zone: z.string().nullish(),
    schedule_layers: z.array(layer),
  })
  .loose();

/** Schedules with their layers and each layer's users in rotation order (`include[]=schedule_layers`). */
export const schedules = defineResource({
  name: 'schedules',
  path: '/schedules',
  dataKey: 'schedules',
  params: { time_zone: 'UTC', 'include[]': ['schedule_layers'] },
  sync: { kind: 'snapshot' },
  schema: schedule,
  toRows: (s, ctx) => {
    const row: typeof schedulesTable.$inferInsert = {
      id: s.id,
      name: s.name,
      description: s.description ?? null,
      timeZone: s.time_zone ?? null,
      deletedAt: null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    const layers: (typeof scheduleLayers.$inferInsert)[] = s.schedule_layers.map((l, position) => ({
      id: l.id,
      scheduleId: s.id,
      position,
      name: l.name ?? null,
      startAt: l.start ?? null,
      endAt: l.end ?? null,
      rotationVirtualStart: l.rotation_virtual_start ?? null,
      rotationTurnLengthSeconds: l.rotation_turn_length_seconds ?? null,
      syncedAt: ctx.syncedAt,
    }));
    const members: (typeof scheduleUsers.$inferInsert)[] = s.schedule_layers.flatMap((l) =>
      l.users.map((u, position) => ({
        scheduleId: s.id,
        layerId: l.id,
        position,
        userId: u.user.id,
        syncedAt: ctx.syncedAt,
      })),
    );
    const replaceFor = { column: 'schedule_id', ids: [s.id] };
    return [
      { table: schedulesTable, rows: [row] },
      { table: scheduleLayers, rows: layers, replaceFor },
      { table: scheduleUsers, rows: members, replaceFor },
    ];
  },
});
