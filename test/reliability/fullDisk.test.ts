import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../helpers/syncHarness.js';

/**
 * A real full disk: the warehouse's tables live in a tablespace on a 3 MB tmpfs, so a `large` backfill
 * runs out of space mid-run (SQLSTATE 53100). Needs a local Postgres server and root (mount, chown);
 * skipped, saying why, anywhere else.
 */
const NOW = Date.UTC(2026, 9, 1, 12);

function why(): string | null {
  const target = inject('testDatabase');
  if (target.kind !== 'url') return 'needs a Postgres server (the test database is PGlite)';
  if (!['127.0.0.1', 'localhost'].includes(new URL(target.url).hostname)) return 'needs a local server';
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs';
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    return 'needs the postgres system user';
  }
  return null;
}

const skip = why();

describe.skipIf(skip !== null)(`a full disk${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sim: Simulator;
  let wh: Warehouse;
  let admin: pg.Client;
  let dir = '';
  let mounted = false;
  const space = `pdw_full_${process.pid}`;
  beforeAll(async () => {
    const target = inject('testDatabase');
    if (target.kind !== 'url') return;
    dir = mkdtempSync(join(tmpdir(), 'pdw-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3M', 'tmpfs', dir]);
    mounted = true;
    execFileSync('chown', ['postgres:postgres', dir]);
    admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`CREATE TABLESPACE ${space} LOCATION '${dir}'`);
    sim = await startSimulator({ seed: 81, preset: 'large', now: NOW, rpm: 100_000 });
    wh = createWarehouse('full-disk');
  });
  afterAll(async () => {
    await sim?.close();
    await wh?.drop();
    await admin?.query(`DROP TABLESPACE IF EXISTS ${space}`).catch(() => undefined);
    await admin?.end();
    if (mounted) execFileSync('umount', [dir]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the run stops with one line saying the disk is full, nothing half-written; with space it completes', async () => {
    const target = inject('testDatabase');
    if (target.kind !== 'url') return;
    const url = new URL(target.url);
    url.searchParams.set('options', `-c default_tablespace=${space}`);
    const env = { PAGERDUTY_MAX_RPM: '10000', DATABASE_URL: url.toString() };
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(1);
    const line = run.err.join('\n');
    expect(run.err).toHaveLength(1);
    expect(line).toMatch(
      /out of disk space \(.*No space left on device.* \[53100\]\): free space or grow its volume/,
    );
    expect(line).not.toMatch(/\n\s+at /);
    // What did commit is whole: the incidents cursor is never past a committed window.
    const db = await wh.open();
    try {
      const [state] = await db.query<{ cursor: Date | null; committed: Date | null }>(
        `SELECT (SELECT cursor FROM sync_state WHERE resource = 'incidents') AS cursor,
                (SELECT max(window_end) FROM sync_windows WHERE resource = 'incidents') AS committed`,
      );
      if (state?.cursor) expect(state.cursor.getTime()).toBeLessThanOrEqual(state.committed?.getTime() ?? 0);
      // Space comes back (the tables move to the default tablespace): the next run completes.
      const tables = await db.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablespace = $1`,
        [space],
      );
      for (const t of tables) await db.query(`ALTER TABLE "${t.name}" SET TABLESPACE pg_default`);
      const indexes = await db.query<{ name: string }>(
        `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablespace = $1`,
        [space],
      );
      for (const i of indexes) await db.query(`ALTER INDEX "${i.name}" SET TABLESPACE pg_default`);
    } finally {
      await db.close();
    }
    const next = await syncAgainst(sim, wh, { PAGERDUTY_MAX_RPM: '10000' });
    expect(next.code).toBe(0);
    const { expectWarehouseMatchesTruth } = await import('../integration/sync/compare.js');
    const check = await wh.open();
    try {
      await expectWarehouseMatchesTruth(check, sim);
    } finally {
      await check.close();
    }
  }, 120_000);
});
