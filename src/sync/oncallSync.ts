import { getCursor, saveCursor } from '../db/syncState.js';
import { fetchWindow } from '../pagerduty/paginate.js';
import type { ResourceDef } from '../resources/define.js';
import { collectItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { planDetail, recordDetail } from './detail.js';
import { writeBatch } from './write.js';

/** Whole seconds, as the API takes them (and the bounds the deletion below must use). */
const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * On-calls over [last run, now], and on a full detail refresh over [last run, now + horizon]: one listing
 * (the range never exceeds what the API accepts). Shifts that started by now accumulate as history
 * (upserted by their natural key). The listing is the truth for every shift that starts inside its range,
 * so a stored shift starting there that it lacks (a forecast an override replaced) is removed; on a full
 * refresh the whole future is replaced. Between refreshes the forecast is left as it was, unless a change
 * of schedules or escalation policies (DetailSignal) calls for a refresh in this run.
 */
export async function syncOncalls(deps: SyncDeps, def: ResourceDef, report: ResourceReport): Promise<void> {
  if (def.sync.kind !== 'range') throw new Error(`${def.name} is not a range resource`);
  const { horizonMs, maxRangeMs } = def.sync;
  const saved = deps.config.sync.full ? null : await getCursor(deps.db, def.name);
  const plan = await planDetail(deps, def.name);
  const until = toSecond(plan.full ? deps.now + horizonMs : deps.now);
  // First run: what is on call now (and next); later runs: from the last run on, so past shifts are kept.
  const last = saved?.cursor?.getTime() ?? deps.now;
  const since = toSecond(Math.min(until, Math.max(last, until - maxRangeMs)));
  const batch = new RowBatch(deps.runId);
  const { pages } = await fetchWindow(deps.client, {
    path: def.path,
    dataKey: def.dataKey,
    query: { ...def.params, since: iso(since), until: iso(until) },
  });
  for await (const page of pages) {
    report.pages++;
    collectItems(def, page, batch, report, deps.logger, new Date(deps.now));
  }
  report.windows++;
  report.written += await deps.db.transaction(async (tx) => {
    const keep = [...batch.tables.values()][0]?.rows ?? [];
    const removed = await tx.query<{ n: number }>(
      `WITH d AS (DELETE FROM oncalls WHERE start_at >= $1::timestamptz
         AND ($2::timestamptz IS NULL OR start_at < $2::timestamptz) AND NOT (
         concat_ws('|', escalation_policy_id, escalation_level, coalesce(schedule_id, ''), user_id,
           coalesce(to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), '')) = ANY($3::text[]))
       RETURNING 1) SELECT count(*)::int AS n FROM d`,
      [new Date(since).toISOString(), plan.full ? null : new Date(until).toISOString(), keep.map(oncallKey)],
    );
    const n = await writeBatch(tx, batch);
    // An incomplete listing (rejects) is no full refresh: the next run reads the forecast again.
    if (report.rejected === 0) await recordDetail(tx, def.name, plan, deps.now);
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
