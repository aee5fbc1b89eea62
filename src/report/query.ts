/**
 * The report's two reads: the `service_keys` view (to resolve --service/--team) and the
 * `mttr_by_service_week` view over the period. Names are unqualified: the connection's search_path is
 * the account schema. Rows are parsed with zod, so a view that changes shape fails loudly here.
 */
import { z } from 'zod';
import type { Queryable } from '../db/types.js';
import type { ServiceKeyRow } from './select.js';
import type { WeekRow } from './types.js';

const seconds = z.number().nullable();
const weekRowSchema = z.object({
  service_id: z.string(),
  service_key: z.string(),
  service_name: z.string(),
  week_start: z.string(),
  iso_week: z.string(),
  incidents: z.number().int(),
  acknowledged: z.number().int(),
  resolved: z.number().int(),
  mtta_mean_seconds: seconds,
  mtta_median_seconds: seconds,
  mtta_p90_seconds: seconds,
  mttr_mean_seconds: seconds,
  mttr_median_seconds: seconds,
  mttr_p90_seconds: seconds,
}) satisfies z.ZodType<WeekRow>;

const serviceKeyRowSchema = z.object({
  service_id: z.string(),
  service_key: z.string(),
  service_name: z.string(),
  team_id: z.string().nullable(),
  team_key: z.string().nullable(),
}) satisfies z.ZodType<ServiceKeyRow>;

/**
 * The period's rows. An incident whose service is not (or no longer) in `services` has no key or name in
 * the view: the service id stands in for both, so every renderer can name it.
 */
const WEEK_ROWS_SQL = `SELECT service_id, coalesce(service_key, service_id) AS service_key,
    coalesce(service_name, service_id) AS service_name,
    to_char(week_start, 'YYYY-MM-DD') AS week_start, iso_week,
    incidents::int AS incidents, acknowledged::int AS acknowledged, resolved::int AS resolved,
    mtta_mean_seconds::float8 AS mtta_mean_seconds, mtta_median_seconds::float8 AS mtta_median_seconds,
    mtta_p90_seconds::float8 AS mtta_p90_seconds, mttr_mean_seconds::float8 AS mttr_mean_seconds,
    mttr_median_seconds::float8 AS mttr_median_seconds, mttr_p90_seconds::float8 AS mttr_p90_seconds
  FROM mttr_by_service_week
  WHERE week_start >= $1::date AND week_start <= $2::date`;

const ORDER = ' ORDER BY service_name, service_id, week_start';

/** Rows for the weeks starting in [fromWeek, toWeek] (`YYYY-MM-DD` Mondays), optionally some services. */
export async function queryWeekRows(
  db: Queryable,
  range: { fromWeek: string; toWeek: string; serviceIds: readonly string[] | null },
): Promise<WeekRow[]> {
  const rows =
    range.serviceIds === null
      ? await db.query(WEEK_ROWS_SQL + ORDER, [range.fromWeek, range.toWeek])
      : await db.query(`${WEEK_ROWS_SQL} AND service_id = ANY($3::text[])${ORDER}`, [
          range.fromWeek,
          range.toWeek,
          [...range.serviceIds],
        ]);
  return z.array(weekRowSchema).parse(rows);
}

/** Every service with its team, for --service/--team. */
export async function queryServiceKeys(db: Queryable): Promise<ServiceKeyRow[]> {
  const rows = await db.query(
    'SELECT service_id, service_key, service_name, team_id, team_key FROM service_keys ORDER BY service_name',
  );
  return z.array(serviceKeyRowSchema).parse(rows);
}
