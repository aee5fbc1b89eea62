import { getCursor, saveCursor } from '../db/syncState.js';
import { fetchWindow } from '../pagerduty/paginate.js';
import type { ResourceDef } from '../resources/define.js';
import { collectItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { writeBatch } from './write.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * On-calls over [cursor, now + horizon], in chunks the API accepts. Shifts that started by now accumulate
 * as history (upserted by their natural key); the future part is replaced as a whole each run, because
 * overrides change it.
 */
export async function syncOncalls(deps: SyncDeps, def: ResourceDef, report: ResourceReport): Promise<void> {
  if (def.sync.kind !== 'range') throw new Error(`${def.name} is not a range resource`);
  const { horizonMs, maxRangeMs } = def.sync;
  const saved = deps.config.sync.full ? null : await getCursor(deps.db, def.name);
  const until = deps.now + horizonMs;
  // First run: what is on call now and next; later runs: from the last run on, so past shifts are kept.
  const since = Math.max(saved?.cursor?.getTime() ?? deps.now, until - maxRangeMs);
  const batch = new RowBatch(deps.runId);
  for (let from = since; from < until; from += maxRangeMs) {
    const to = Math.min(until, from + maxRangeMs);
    const { pages } = await fetchWindow(deps.client, {
      path: def.path,
      dataKey: def.dataKey,
      query: { ...def.params, since: iso(from), until: iso(to) },
    });
    for await (const page of pages) {
      report.pages++;
      collectItems(def, page, batch, report, deps.logger, new Date(deps.now));
    }
    report.windows++;
  }
  report.written += await deps.db.transaction(async (tx) => {
    // Future shifts not in this listing were changed or removed upstream (overrides): drop them.
    const keep = [...batch.tables.values()][0]?.rows ?? [];
    const keys = keep.map((r) => oncallKey(r));
    const removed = await tx.query<{ n: number }>(
      `WITH d AS (DELETE FROM oncalls WHERE start_at > $1::timestamptz AND NOT (
         concat_ws('|', escalation_policy_id, escalation_level, coalesce(schedule_id, ''), user_id,
           coalesce(to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), '')) = ANY($2::text[]))
       RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [new Date(deps.now).toISOString(), keys],
    );
    const n = await writeBatch(tx, batch);
    await saveCursor(tx, def.name, new Date(deps.now));
    return n + (removed[0]?.n ?? 0);
  });
}

function oncallKey(r: Record<string, unknown>): string {
  const start = r.startAt instanceof Date ? r.startAt.toISOString().slice(0, 19) : '';
  const asText = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return [
    asText(r.escalationPolicyId),
    asText(r.escalationLevel),
    asText(r.scheduleId),
    asText(r.userId),
    start,
  ].join('|');
}
