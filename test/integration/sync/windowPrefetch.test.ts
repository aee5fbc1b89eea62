/**
 * Window boundaries do not stall the sync: the next window's first page (the one that asks for `total`)
 * is requested while the current window's last chunks are still being written, before its commit. A
 * recording proxy between the sync and the simulator notes when each request arrives; each window's
 * `sync_windows.finished_at` is taken inside its transaction, just before the commit. The prefetch must
 * not cost a request either: the run makes exactly as many as a window-by-window walk would. On a server
 * only (see below).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { startProxy, type Proxy } from '../../helpers/proxy.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';
import { expectWarehouseMatchesTruth } from './compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);

interface Arrival {
  at: number;
  path: string;
  query: URLSearchParams;
}

// PGlite runs on the sync's own thread: while it writes, no request leaves the process, so the first page
// goes out only after the window's last statements, whatever the code asked for.
const onServer = inject('testDatabase').kind === 'url';

describe.skipIf(!onServer)(`windows of a backfill${onServer ? '' : ' (skipped: no server database)'}`, () => {
  let sim: Simulator;
  let wh: Warehouse;
  let proxy: Proxy;
  const arrivals: Arrival[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 47, preset: 'large', now: NOW, rpm: 100_000 });
    // Notes when each request arrives, then forwards it.
    proxy = await startProxy(sim.url, (path) => {
      const url = new URL(path, sim.url);
      arrivals.push({ at: Date.now(), path: url.pathname, query: url.searchParams });
      return undefined;
    });
    wh = createWarehouse('prefetch');
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
    await wh.drop();
  });

  it("request the next window's first page before the current window commits", async () => {
    const run = await syncAgainst(
      sim,
      wh,
      { PAGERDUTY_API_URL: proxy.url, PAGERDUTY_MAX_RPM: '100000' },
      { resources: 'incidents,log_entries' },
    );
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);

    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
      const windows = await db.query<{ start: Date; end: Date; finished: Date; pages: number }>(
        `SELECT window_start AS start, window_end AS "end", finished_at AS finished, pages
           FROM sync_windows WHERE resource = 'log_entries' ORDER BY window_start`,
      );
      // Several windows of several chunks each (about 32,000 log entries, windows of about 8,000).
      expect(windows.length).toBeGreaterThanOrEqual(3);
      const firstPages = arrivals.filter((a) => a.path === '/log_entries' && a.query.get('total') === 'true');
      expect(firstPages).toHaveLength(windows.length);
      for (let i = 1; i < windows.length; i++) {
        const previous = windows[i - 1];
        const window = windows[i];
        const asked = firstPages.find(
          (a) => Date.parse(a.query.get('since') ?? '') === window?.start.getTime(),
        );
        expect(asked, `first page of the window from ${window?.start.toISOString()}`).toBeDefined();
        // Asked while the previous window was still open: before its audit row, written just before COMMIT.
        expect(asked?.at).toBeLessThan(previous?.finished.getTime() ?? 0);
      }
      // Nothing fetched twice or for nothing: every page the windows read, plus the services listing.
      const pages = windows.reduce((sum, w) => sum + w.pages, 0);
      const logRequests = arrivals.filter((a) => a.path === '/log_entries').length;
      expect(logRequests).toBe(pages);
    } finally {
      await db.close();
    }
  });
});
