import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const SQL = "'); drop table incidents; --";
const UNICODE = 'Zahlungsdienst Ünïcødé ☃ 注文サービス \u202e\u0007 bell \t tab';
const HUGE = 'x'.repeat(1_000_000);

/** What a hostile or broken API might put in a services listing; `valid` ones must load verbatim. */
const HOSTILE: { item: unknown; valid: boolean; why?: RegExp }[] = [
  { item: {}, valid: false, why: /id: / },
  { item: { id: 42, name: 'numeric id' }, valid: false, why: /id: / },
  { item: { id: 'PNULLNAME', name: null }, valid: false, why: /name: / },
  { item: { id: 'PBADTIME', name: 'bad time', created_at: 'yesterday' }, valid: false, why: /created_at/ },
  { item: 'not an object', valid: false, why: /not an object \(string\)/ },
  { item: 7, valid: false, why: /not an object \(number\)/ },
  { item: null, valid: false, why: /not an object \(null\)/ },
  { item: [1, 2], valid: false, why: /not an object \(array\)/ },
  { item: { id: 'PNULCHAR', name: 'a\u0000b' }, valid: false, why: /NUL character/ },
  { item: { id: 'P'.repeat(5000), name: 'huge id' }, valid: false, why: /id: Too big/ },
  { item: { id: 'PSQLNAME', name: SQL, description: SQL }, valid: true },
  { item: { id: 'PUNICODE', name: UNICODE, description: null }, valid: true },
  { item: { id: 'PHUGENAME', name: HUGE }, valid: true },
  { item: { id: 'PUNKNOWN', name: 'extra fields', surprise: { nested: [1, { deep: true }] } }, valid: true },
];

async function rejects(db: Database, runId: number) {
  return db.query<{ resource: string; item_id: string | null; reason: string; payload: unknown }>(
    'SELECT resource, item_id, reason, payload FROM sync_rejects WHERE run_id = $1 ORDER BY id',
    [runId],
  );
}

describe('hostile and malformed records from the API', () => {
  let sim: Simulator;
  let wh: Warehouse;
  const env = { PAGERDUTY_MAX_RPM: '10000', SYNC_RESOURCES: 'services,users' };
  beforeAll(async () => {
    sim = await startSimulator({ seed: 61, preset: 'small', now: NOW, rpm: 100_000 });
    wh = createWarehouse('hostile');
    sim.inject(
      '/services',
      HOSTILE.map((h) => h.item),
    );
    sim.inject('/users', [{ id: 'PUSERBAD', name: 'no email' }]);
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('valid records load verbatim, each invalid one lands in sync_rejects, the run is partial and exits 1', async () => {
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(
      /^pd-warehouse: sync partial: 11 records rejected \(see sync_rejects for run \d+\)/,
    );
    const db = await wh.open();
    try {
      const [last] = await db.query<{ id: number; status: string }>(
        'SELECT id::int AS id, status FROM sync_runs ORDER BY id DESC LIMIT 1',
      );
      expect(last?.status).toBe('partial');
      const rows = await rejects(db, last?.id ?? -1);
      const invalid = HOSTILE.filter((h) => !h.valid);
      expect(rows.filter((r) => r.resource === 'services')).toHaveLength(invalid.length);
      for (const [i, h] of invalid.entries()) {
        const r = rows.filter((x) => x.resource === 'services')[i];
        expect(r?.reason, JSON.stringify(h.item)).toMatch(h.why ?? /./);
      }
      const nul = rows.find((r) => r.item_id === 'PNULCHAR');
      expect(nul?.payload).toEqual({ id: 'PNULCHAR', name: 'a\ufffdb' });
      expect(rows.find((r) => r.payload === 'not an object')).toBeDefined();
      expect(rows.find((r) => r.resource === 'users')?.item_id).toBe('PUSERBAD');
      // The valid hostile records are data, byte for byte.
      const loaded = await db.query<{ id: string; name: string; description: string | null }>(
        `SELECT id, name, description FROM services WHERE id IN ('PSQLNAME', 'PUNICODE', 'PHUGENAME', 'PUNKNOWN')`,
      );
      const byId = new Map(loaded.map((r) => [r.id, r]));
      expect(byId.get('PSQLNAME')).toMatchObject({ name: SQL, description: SQL });
      expect(byId.get('PUNICODE')?.name).toBe(UNICODE);
      expect(byId.get('PHUGENAME')?.name).toHaveLength(HUGE.length);
      expect(byId.get('PUNKNOWN')?.name).toBe('extra fields');
      const [raw] = await db.query<{ raw: Record<string, unknown> }>(
        `SELECT raw FROM services WHERE id = 'PUNKNOWN'`,
      );
      expect(raw?.raw.surprise).toEqual({ nested: [1, { deep: true }] });
      // Nothing was interpreted as SQL; every real service is there too.
      const [tables] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents`);
      expect(tables?.n).toBe(0);
      const [services] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM services');
      expect(services?.n).toBe(sim.truth().counts.services + sim.truth().counts.services_deleted + 4);
      // A listing with rejects is not complete: nothing was marked deleted on its account.
      const [deleted] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM services WHERE deleted_at IS NOT NULL',
      );
      expect(deleted?.n).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('--allow-rejects: the same run exits 0, still partial, the rejects still recorded', async () => {
    const run = await syncAgainst(sim, wh, env, { allowRejects: true });
    expect(run.code).toBe(0);
    const db = await wh.open();
    try {
      const [last] = await db.query<{ id: number; status: string }>(
        'SELECT id::int AS id, status FROM sync_runs ORDER BY id DESC LIMIT 1',
      );
      expect(last?.status).toBe('partial');
      expect(await rejects(db, last?.id ?? -1)).toHaveLength(11);
    } finally {
      await db.close();
    }
  });

  it('once the API sends clean data again the run succeeds', async () => {
    sim.inject('/services', []);
    sim.inject('/users', []);
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
  });
});
