import { z } from 'zod';
import { logEntries as logEntriesTable } from '../db/schema/pagerduty.js';
import { DAY_MS, defineResource } from './define.js';
import { instant, referenceOnly as reference } from './fields.js';

const logEntry = z.object({
  id: z.string().min(1).max(255),
  type: z.string(),
  created_at: instant,
  incident: reference,
  agent: reference.nullish(),
  channel: z.object({ type: z.string().nullish() }).nullish(),
  summary: z.string().nullish(),
});

/**
 * Log entries: the change feed. `/log_entries` filters on the entry's own time, so windows over it find
 * every incident that changed, however old. `is_overview=true` leaves out per-notification noise.
 */
export const logEntries = defineResource({
  name: 'log_entries',
  path: '/log_entries',
  dataKey: 'log_entries',
  params: { time_zone: 'UTC', is_overview: 'true' },
  sync: { kind: 'windowed', initialWindowMs: 7 * DAY_MS, maxWindowMs: 30 * DAY_MS, overlapMs: 10 * 60_000 },
  schema: logEntry,
  toRows: (e, ctx) => {
    const row: typeof logEntriesTable.$inferInsert = {
      id: e.id,
      type: e.type,
      incidentId: e.incident.id,
      createdAt: e.created_at,
      agentType: e.agent?.type ?? null,
      agentId: e.agent?.id ?? null,
      channelType: e.channel?.type ?? null,
      summary: e.summary ?? null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: logEntriesTable, rows: [row] }];
  },
});
