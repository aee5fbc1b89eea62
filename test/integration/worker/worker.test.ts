import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { startSimulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst } from '../../helpers/syncHarness.js';
import { expectWarehouseMatchesTruth } from '../sync/compare.js';
import { startWorker, waitFor } from '../../helpers/worker.js';
import { NEEDS_SERVER } from '../../reliability/childSync.js';

const NOW = Date.UTC(2026, 9, 1, 12);

async function runs(db: Database): Promise<{ status: string }[]> {
  return db.query<{ status: string }>('SELECT status FROM sync_runs ORDER BY id');
}

// The test reads the warehouse while the worker process holds it: PGlite allows one process per directory.
describe.skipIf(NEEDS_SERVER !== null)(
  `pd-warehouse worker${NEEDS_SERVER ? ` (${NEEDS_SERVER})` : ''}`,
  () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      while (cleanup.length) await cleanup.pop()?.();
    });

    it('runs on a seconds-level schedule, one run at a time, and stops cleanly on SIGTERM', async () => {
      const sim = await startSimulator({ seed: 21, preset: 'small', now: NOW, rpm: 100_000 });
      const wh = createWarehouse('worker-schedule');
      cleanup.push(
        () => sim.close(),
        () => wh.drop(),
      );
      const worker = startWorker(sim, wh, { SYNC_SCHEDULE: '*/2 * * * * *', PAGERDUTY_MAX_RPM: '10000' });
      cleanup.push(() => Promise.resolve(worker.child.kill('SIGKILL')));
      const db = await waitFor(
        'the database',
        async () => {
          try {
            const d = await wh.open();
            await d.query('SELECT 1 FROM sync_runs LIMIT 1');
            return d;
          } catch {
            return null;
          }
        },
        60_000,
      );
      cleanup.push(() => db.close());
      await waitFor(
        'two finished runs',
        async () => ((await runs(db)).filter((r) => r.status === 'succeeded').length >= 2 ? true : null),
        60_000,
      );
      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      const { code, at } = await worker.exited;
      expect(code, worker.output()).toBe(0);
      expect(at - signalled).toBeLessThan(25_000);
      expect(worker.output()).toMatch(/worker started/);
      expect(worker.output()).toMatch(/worker stopped/);
      // Every run of the worker finished; none is left running.
      expect((await runs(db)).every((r) => r.status !== 'running')).toBe(true);
      await expectWarehouseMatchesTruth(db, sim);
    }, 120_000);

    it('SIGTERM in the middle of a backfill: exits 0 in time, and the next run ends with every row', async () => {
      const sim = await startSimulator({ seed: 22, preset: 'large', now: NOW, rpm: 100_000 });
      const wh = createWarehouse('worker-sigterm');
      cleanup.push(
        () => sim.close(),
        () => wh.drop(),
      );
      // A slow budget (4 requests/s) makes the backfill take minutes, so the stop lands in the middle of it.
      const worker = startWorker(sim, wh, {
        SYNC_SCHEDULE: '0 0 1 1 *',
        PAGERDUTY_MAX_RPM: '240',
        SHUTDOWN_TIMEOUT_S: '20',
      });
      cleanup.push(() => Promise.resolve(worker.child.kill('SIGKILL')));
      const db = await waitFor(
        'committed incident windows',
        async () => {
          try {
            const d = await wh.open();
            const rows = await d.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM sync_windows WHERE resource = 'incidents'`,
            );
            if ((rows[0]?.n ?? 0) >= 1) return d;
            await d.close();
            return null;
          } catch {
            return null;
          }
        },
        90_000,
      );
      cleanup.push(() => db.close());
      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      const { code, at } = await worker.exited;
      expect(code, worker.output()).toBe(0);
      expect(at - signalled).toBeLessThan(20_000);
      const [last] = (await runs(db)).slice(-1);
      expect(last?.status).toBe('partial');
      const incidents = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
      expect(incidents[0]?.n).toBeLessThan(sim.truth().counts.incidents); // it really stopped midway
      // The next run resumes from the committed windows and completes the warehouse.
      const next = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
      expect(next.code).toBe(0);
      await expectWarehouseMatchesTruth(db, sim);
    }, 180_000);
  },
);
