/**
 * A listing that fails (every `GET /users` answers 503 until the client's retries are spent) deletes
 * nothing: a user deleted in the simulator keeps deleted_at NULL, and the run reports users failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { startProxy } from '../../helpers/proxy.js';
import {
  createAcceleratedClock,
  createWarehouse,
  syncAgainst,
  type AcceleratedClock,
  type Warehouse,
} from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);

describe('a failed listing', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let clock: AcceleratedClock;
  beforeAll(async () => {
    // The backoff of 8 attempts (about a minute) passes in well under a second.
    clock = createAcceleratedClock(200);
    sim = await startSimulator({ seed: 53, preset: 'small', now: NOW });
    wh = createWarehouse('failed_listing');
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('deletes nothing, and the run reports the resource failed', async () => {
    const first = await syncAgainst(sim, wh, {}, {}, { clientClock: clock });
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);

    const report = sim.advance(60, { deleteUser: true });
    expect(report.deletedUserIds).toHaveLength(1);
    const proxy = await startProxy(sim.url, (path) =>
      /^\/users(\?|$)/.test(path) ? { status: 503, body: '<html>503</html>' } : undefined,
    );
    try {
      const failed = await syncAgainst(sim, wh, { PAGERDUTY_API_URL: proxy.url }, {}, { clientClock: clock });
      expect(failed.code).toBe(1);
      expect(failed.err).toHaveLength(1);
      expect(failed.err[0]).toMatch(/users: GET \/users\S* failed after 8 attempts: 503/);
    } finally {
      await proxy.close();
    }

    const db = await wh.open();
    try {
      const deleted = await db.query('SELECT id FROM users WHERE deleted_at IS NOT NULL');
      expect(deleted).toEqual([]);
      const runs = await db.query<{ status: string; resources: Record<string, { status: string }> }>(
        'SELECT status, resources FROM sync_runs ORDER BY id DESC LIMIT 1',
      );
      expect(runs[0]?.status).toBe('failed');
      expect(runs[0]?.resources.users?.status).toBe('failed');
      expect(runs[0]?.resources.teams?.status).toBe('succeeded');
    } finally {
      await db.close();
    }

    // Once the listing is complete again, the deleted user is marked.
    const next = await syncAgainst(sim, wh, {}, {}, { clientClock: clock });
    expect(next.err).toEqual([]);
    expect(next.code).toBe(0);
    const again = await wh.open();
    try {
      const deleted = await again.query<{ id: string }>('SELECT id FROM users WHERE deleted_at IS NOT NULL');
      expect(deleted.map((r) => r.id)).toEqual(report.deletedUserIds);
    } finally {
      await again.close();
    }
  });
});
