/**
 * Concurrency (issue 7, item 4), with `pd-warehouse sync` child processes on one PostgreSQL database:
 * three at once on one schema (one syncs, two skip on the advisory lock and exit 0), and two schemas synced
 * in parallel (both complete, each equals the truth, neither touches the other's tables).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { createWarehouse, type Warehouse } from '../helpers/syncHarness.js';
import { expectWarehouseMatchesTruth } from '../integration/sync/compare.js';
import { NEEDS_SERVER, startChildSync, syncStartOf } from './childSync.js';
import { expectNoDuplicates, indexTruth } from './warehouseInvariants.js';

interface RunRow {
  id: number;
  status: string;
}

async function runs(db: Database): Promise<RunRow[]> {
  const rows = await db.query<{ id: string | number; status: string }>(
    'SELECT id, status FROM sync_runs ORDER BY id',
  );
  return rows.map((r) => ({ id: Number(r.id), status: r.status }));
}

describe.skipIf(NEEDS_SERVER !== null)(
  `concurrent sync processes${NEEDS_SERVER ? ` (${NEEDS_SERVER})` : ''}`,
  () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      while (cleanup.length) await cleanup.pop()?.();
    });

    async function setup(names: string[]): Promise<{ sim: Simulator; whs: Warehouse[] }> {
      const sim = await startSimulator({
        seed: 61,
        preset: 'small',
        now: Date.now() - 5 * 60_000,
        rpm: 100_000,
      });
      cleanup.push(() => sim.close());
      const whs = names.map((n) => createWarehouse(n));
      for (const wh of whs) cleanup.push(() => wh.drop());
      return { sim, whs };
    }

    async function open(wh: Warehouse): Promise<Database> {
      const db = await wh.open();
      cleanup.push(() => db.close());
      return db;
    }

    it('three at once on one schema: exactly one syncs, the other two skip on the lock and exit 0', async () => {
      const { sim, whs } = await setup(['lock3']);
      const wh = whs[0] as Warehouse;
      // Latency stretches the winner's run to several seconds, past the start of the other two.
      sim.setFaults({ latencyMs: 40, jitterMs: 10 });
      const children = [0, 1, 2].map(() => startChildSync(sim, wh));
      for (const c of children) cleanup.push(() => Promise.resolve(c.child.kill('SIGKILL')));
      const exits = await Promise.all(children.map((c) => c.exited));
      const schema = wh.env.DATABASE_SCHEMA ?? '';
      const synced = exits.filter((e) => /run succeeded/.test(e.stdout));
      const skipped = exits.filter((e) =>
        e.stdout.includes(`another sync holds the lock for schema ${schema}; skipped`),
      );
      const all = exits.map((e) => e.stdout + e.stderr).join('\n---\n');
      expect(
        exits.map((e) => e.code),
        all,
      ).toEqual([0, 0, 0]);
      expect(synced, all).toHaveLength(1);
      expect(skipped, all).toHaveLength(2);
      // They overlapped: both skippers were done while the winner still held the lock.
      const winnerAt = synced[0]?.at ?? 0;
      for (const s of skipped) expect(s.at).toBeLessThan(winnerAt);
      const db = await open(wh);
      // A skipped run touches nothing: one run row in all, and it succeeded.
      expect(await runs(db)).toEqual([{ id: 1, status: 'succeeded' }]);
      await expectWarehouseMatchesTruth(db, sim);
      await expectNoDuplicates(db, indexTruth(sim, syncStartOf(sim)));
    }, 120_000);

    it('two schemas of one database synced in parallel: both complete, each equals the truth', async () => {
      const { sim, whs } = await setup(['para_a', 'para_b']);
      sim.setFaults({ latencyMs: 20, jitterMs: 10 });
      const children = whs.map((wh) => startChildSync(sim, wh));
      for (const c of children) cleanup.push(() => Promise.resolve(c.child.kill('SIGKILL')));
      const exits = await Promise.all(children.map((c) => c.exited));
      const all = exits.map((e) => e.stdout + e.stderr).join('\n---\n');
      expect(
        exits.map((e) => e.code),
        all,
      ).toEqual([0, 0]);
      // Neither was skipped: the lock is per schema.
      for (const e of exits) expect(e.stdout, all).toMatch(/run succeeded/);
      const truth = indexTruth(sim, syncStartOf(sim));
      const spans: [number, number][] = [];
      for (const wh of whs) {
        const db = await open(wh);
        const span = await db.query<{ started_at: Date; finished_at: Date }>(
          'SELECT started_at, finished_at FROM sync_runs',
        );
        spans.push([
          new Date(span[0]?.started_at ?? 0).getTime(),
          new Date(span[0]?.finished_at ?? 0).getTime(),
        ]);
        // Each schema holds its own single run and the windows of that run only.
        expect(await runs(db)).toEqual([{ id: 1, status: 'succeeded' }]);
        const foreign = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM sync_windows WHERE run_id <> 1',
        );
        expect(foreign[0]?.n).toBe(0);
        await expectWarehouseMatchesTruth(db, sim);
        await expectNoDuplicates(db, truth);
      }
      // The two runs really overlapped in time.
      const [[aStart, aEnd], [bStart, bEnd]] = spans as [[number, number], [number, number]];
      expect(aStart < bEnd && bStart < aEnd, JSON.stringify(spans)).toBe(true);
    }, 120_000);
  },
);
