/**
 * Consecutive windows overlap, safely. Triggers installed in the warehouse note, inside each window's
 * transaction, when it writes log entries and when it writes its audit row (its last statement before
 * COMMIT, slowed down here by 0.4 s). On a server the next window writes its first rows before the
 * previous one reaches that point. When a window fails in its last statements, the window after it, which
 * has already written rows on a server, is rolled back too: the cursor stays at the last committed window,
 * and no row past it is kept.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { migrateDatabase } from '../../../src/db/migrate.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);

/** `refuse`: the second log entry window's audit row raises, after the same delay. */
async function installTriggers(wh: Warehouse, refuse: boolean): Promise<void> {
  const db = await wh.open();
  try {
    await migrateDatabase(db);
    await db.query(`CREATE TABLE test_events (
      at timestamptz NOT NULL DEFAULT clock_timestamp(),
      tx bigint NOT NULL DEFAULT txid_current(),
      kind text NOT NULL,
      window_start timestamptz)`);
    // Transactions that wrote log entries, rolled back ones included: a sequence does not roll back.
    await db.query('CREATE SEQUENCE test_writers');
    await db.query(`CREATE FUNCTION test_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('test.writer', true) IS DISTINCT FROM txid_current()::text THEN
          PERFORM nextval('test_writers');
          PERFORM set_config('test.writer', txid_current()::text, true);
        END IF;
        INSERT INTO test_events (kind) VALUES ('rows');
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER test_rows AFTER INSERT ON log_entries
      FOR EACH STATEMENT EXECUTE FUNCTION test_rows()`);
    await db.query(`CREATE FUNCTION test_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.resource <> 'log_entries' THEN RETURN NEW; END IF;
        PERFORM pg_sleep(0.4);
        IF ${refuse ? 'true' : 'false'} AND (SELECT count(*) FROM sync_windows WHERE resource = 'log_entries') = 1 THEN
          RAISE EXCEPTION 'test: the second window fails at its checkpoint';
        END IF;
        INSERT INTO test_events (kind, window_start) VALUES ('audit', NEW.window_start);
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER test_audit BEFORE INSERT ON sync_windows
      FOR EACH ROW EXECUTE FUNCTION test_audit()`);
  } finally {
    await db.close();
  }
}

// PGlite runs one transaction at a time: there, windows still run one after another.
const onServer = inject('testDatabase').kind === 'url';

describe('consecutive windows', () => {
  let sim: Simulator;
  let wh: Warehouse;
  const resources = { resources: 'incidents,log_entries' };
  const env = () => ({ PAGERDUTY_MAX_RPM: '100000' });

  beforeEach(async () => {
    sim = await startSimulator({ seed: 47, preset: 'large', now: NOW, rpm: 100_000 });
    wh = createWarehouse('overlap');
  });
  afterEach(async () => {
    await sim.close();
    await wh.drop();
  });

  it.skipIf(!onServer)(
    `the next window writes while the previous one finishes${onServer ? '' : ' (skipped: no server database)'}`,
    async () => {
      await installTriggers(wh, false);
      const run = await syncAgainst(sim, wh, env(), resources);
      expect(run.err).toEqual([]);
      expect(run.code).toBe(0);
      const db = await wh.open();
      try {
        const windows = await db.query<{ tx: string; audited: Date; first_rows: Date | null }>(
          `SELECT a.tx::text AS tx, a.at AS audited,
                  (SELECT min(r.at) FROM test_events r WHERE r.kind = 'rows' AND r.tx = a.tx) AS first_rows
             FROM test_events a WHERE a.kind = 'audit' ORDER BY a.window_start`,
        );
        expect(windows.length).toBeGreaterThanOrEqual(3);
        for (let i = 1; i < windows.length; i++) {
          const next = windows[i];
          if (!next?.first_rows) continue; // a window with nothing to write
          // Written inside the next window's transaction before the previous one's last statement ended.
          expect(next.first_rows.getTime()).toBeLessThan(windows[i - 1]?.audited.getTime() ?? 0);
        }
        // Each window in its own transaction, all committed, each log entry once.
        expect(new Set(windows.map((w) => w.tx)).size).toBe(windows.length);
        const [dupes] = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM (SELECT id FROM log_entries GROUP BY id HAVING count(*) > 1) d',
        );
        expect(dupes?.n).toBe(0);
      } finally {
        await db.close();
      }
    },
  );

  it('a window that fails at its checkpoint takes the one after it down too; the cursor stays', async () => {
    await installTriggers(wh, true);
    const run = await syncAgainst(sim, wh, env(), resources);
    expect(run.code).not.toBe(0);
    expect(run.err.join('\n')).toMatch(/the second window fails at its checkpoint/);
    const db = await wh.open();
    try {
      const windows = await db.query<{ start: Date; end: Date }>(
        `SELECT window_start AS start, window_end AS "end" FROM sync_windows
          WHERE resource = 'log_entries' ORDER BY window_start`,
      );
      expect(windows).toHaveLength(1);
      const end = windows[0]?.end ?? new Date(0);
      const [cursor] = await db.query<{ cursor: Date }>(
        `SELECT cursor FROM sync_state WHERE resource = 'log_entries'`,
      );
      expect(cursor?.cursor.getTime()).toBe(end.getTime());
      // Nothing past the committed window was kept, though the windows after it had written rows.
      const [past] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM log_entries WHERE created_at >= $1',
        [end.toISOString()],
      );
      expect(past?.n).toBe(0);
      const [kept] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM log_entries');
      expect(kept?.n).toBeGreaterThan(0);
      const [events] = await db.query<{ n: number }>(
        `SELECT count(DISTINCT tx)::int AS n FROM test_events WHERE kind = 'rows'`,
      );
      expect(events?.n).toBe(1);
      // The failed window wrote rows, and on a server so did the one after it, before both rolled back.
      const [writers] = await db.query<{ n: number }>(`SELECT last_value::int AS n FROM test_writers`);
      expect(writers?.n).toBe(onServer ? 3 : 2);
    } finally {
      await db.close();
    }
  });
});
