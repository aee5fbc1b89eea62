/**
 * The sync's write path (sync/write.ts writeBatch, the project's upsert) on incident rows built from the
 * simulator's own renders through the incidents resource's mapper: fresh into an empty table, then the
 * same rows again, which must write nothing (checked in pg_stat_user_tables, not only by the return value).
 */
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { incidents as incidentsTable } from '../../src/db/schema/pagerduty.js';
import { createLogger } from '../../src/logger.js';
import { incidents as incidentsDef } from '../../src/resources/incidents.js';
import { collectItems, RowBatch } from '../../src/sync/collect.js';
import { emptyReport } from '../../src/sync/context.js';
import { writeBatch } from '../../src/sync/write.js';
import { Account } from '../../src/simulator/index.js';
import { renderIncident } from '../../src/simulator/renderIncident.js';
import { DATABASE_URL, envInt } from '../lib/env.js';
import { figure, target, type Figure } from '../lib/figure.js';
import { withSchema } from '../lib/scratch.js';
import { seconds, type Section } from '../lib/section.js';

/** Incident rows exactly as the sync would write them for `count` rendered incidents. */
function incidentRows(count: number): Record<string, unknown>[] {
  const account = new Account({ preset: 'large', seed: 1, incidents: count, days: 400 });
  const ctx = { account, timeZone: 'UTC', include: new Set<string>() };
  const items = account.incidents.map((i) => renderIncident(ctx, i));
  const batch = new RowBatch();
  const logger = createLogger({ level: 'silent' });
  // As the windowed sync maps them (rawAsText): each row's raw payload already JSON text when written.
  collectItems(incidentsDef, items, batch, emptyReport(), logger, new Date(account.now), true);
  return batch.tables.get(incidentsTable)?.rows ?? [];
}

interface TupleStats {
  ins: number;
  upd: number;
}

async function tupleStats(db: Database, schema: string): Promise<TupleStats> {
  // A fresh snapshot: within one session the statistics are otherwise cached.
  await db.query('SELECT pg_stat_clear_snapshot()');
  const r = await db.query<{ ins: number; upd: number }>(
    `SELECT n_tup_ins AS ins, n_tup_upd AS upd FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'incidents'`,
    [schema],
  );
  return { ins: Number(r[0]?.ins ?? 0), upd: Number(r[0]?.upd ?? 0) };
}

/** Writes `rows` in transactions of `perTx` rows, as the sync does per window; returns ms and rows written. */
async function pass(db: Database, rows: readonly Record<string, unknown>[], perTx: number) {
  let written = 0;
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += perTx) {
    const batch = new RowBatch();
    batch.add([{ table: incidentsTable, rows: rows.slice(i, i + perTx) }]);
    written += await db.transaction(async (tx) => {
      const n = await writeBatch(tx, batch);
      // The writing session sends its counters to the shared statistics when it next goes idle.
      await tx.query('SELECT pg_stat_force_next_flush()');
      return n;
    });
  }
  return { ms: performance.now() - t0, written };
}

/** Statistics deltas since `before`, waiting briefly for the flush of the writer's counters to land. */
async function deltaSince(db: Database, schema: string, before: TupleStats, expectAny: boolean) {
  let now = await tupleStats(db, schema);
  for (let i = 0; i < 20 && expectAny && now.ins === before.ins && now.upd === before.upd; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = await tupleStats(db, schema);
  }
  if (!expectAny) {
    await new Promise((r) => setTimeout(r, 500));
    now = await tupleStats(db, schema);
  }
  return { ins: now.ins - before.ins, upd: now.upd - before.upd };
}

async function run(log: (line: string) => void): Promise<Figure[]> {
  const count = envInt('BENCH_UPSERT_ROWS', 100_000);
  const perTx = envInt('BENCH_UPSERT_TX_ROWS', 10_000);
  const t0 = performance.now();
  const rows = incidentRows(count);
  log(`  ${rows.length} incident rows rendered and mapped in ${seconds(performance.now() - t0)} s`);
  return withSchema(DATABASE_URL, 'upsert', async (schema) => {
    const db = await openDatabase({ url: DATABASE_URL, schema });
    try {
      await migrateDatabase(db);
      const s0 = await tupleStats(db, schema);
      const fresh = await pass(db, rows, perTx);
      const freshStats = await deltaSince(db, schema, s0, true);
      const s1 = await tupleStats(db, schema);
      const again = await pass(db, rows, perTx);
      const againStats = await deltaSince(db, schema, s1, false);
      const S = 'upsert';
      const setup = { rows: rows.length, rows_per_transaction: perTx };
      return [
        figure(S, 'upsert: fresh incident rows', rows.length / (fresh.ms / 1000), 'rows/s', null, {
          ...setup,
          seconds: seconds(fresh.ms),
          reported_written: fresh.written,
          n_tup_ins: freshStats.ins,
        }),
        figure(
          S,
          'upsert: unchanged incident rows',
          rows.length / (again.ms / 1000),
          'rows/s',
          target('>=', 25_000),
          {
            ...setup,
            seconds: seconds(again.ms),
          },
        ),
        figure(
          S,
          'upsert: unchanged rows written (n_tup_ins + n_tup_upd)',
          againStats.ins + againStats.upd,
          'rows',
          target('==', 0),
          {
            n_tup_ins: againStats.ins,
            n_tup_upd: againStats.upd,
            reported_written: again.written,
            // The same reading after the fresh pass proves the statistics were flushed in time.
            fresh_pass_n_tup_ins: freshStats.ins,
          },
        ),
      ];
    } finally {
      await db.close();
    }
  });
}

export const upsertSection: Section = {
  name: 'upsert',
  title: 'the sync write path on incident rows: fresh, then unchanged (Postgres)',
  run: (ctx) => run(ctx.log),
};
