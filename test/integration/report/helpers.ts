/** Runs `pd-warehouse report …` in-process and reads the view it reports on, for the report's tests. */
import { Writable } from 'node:stream';
import { main } from '../../../src/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import type { Warehouse } from '../../helpers/syncHarness.js';

export interface Captured {
  code: number;
  out: string[];
  err: string[];
}

export async function runReport(args: string[], env: Record<string, string>): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    env,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    isTTY: false,
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  };
  const code = await main(['report', ...args], io);
  return { code, out, err };
}

/** A row of the view as plain JSON values (dates as `YYYY-MM-DD`, numbers as numbers). */
export type ViewRow = Record<string, string | number | null>;

/**
 * The view's rows for the weeks from the one containing `since`, read straight from the view with SQL
 * of its own (not the command's query).
 */
export async function viewRows(wh: Warehouse, since: Date, serviceIds?: string[]): Promise<ViewRow[]> {
  const db = await wh.open();
  try {
    const rows = await db.query<Record<string, unknown>>(
      `SELECT service_id, service_key, service_name, week_start::text AS week_start, iso_week, incidents,
          acknowledged, resolved, mtta_mean_seconds, mtta_median_seconds, mtta_p90_seconds,
          mttr_mean_seconds, mttr_median_seconds, mttr_p90_seconds
        FROM mttr_by_service_week
        WHERE week_start >= date_trunc('week', $1::timestamptz AT TIME ZONE 'UTC')::date
          AND ($2::text[] IS NULL OR service_id = ANY($2::text[]))
        ORDER BY service_name, service_id, week_start`,
      [since.toISOString(), serviceIds ?? null],
    );
    return rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          v === null || typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      ),
    );
  } finally {
    await db.close();
  }
}

export async function serviceKeys(
  wh: Warehouse,
): Promise<{ service_id: string; service_key: string; team_key: string | null }[]> {
  const db = await wh.open();
  try {
    return await db.query('SELECT service_id, service_key, team_key FROM service_keys ORDER BY service_key');
  } finally {
    await db.close();
  }
}
