/**
 * upsertRows against real tables: inserts, a re-run of the same rows writes nothing (same xmin, same
 * synced_at), a changed row is one update, duplicate keys in one call collapse, thousands of rows go
 * in one call, and the on-call natural key with NULLs conflicts like any key.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { incidents, oncalls, ONCALL_KEY } from '../../../src/db/schema/pagerduty.js';
import { migrateDatabase } from '../../../src/db/migrate.js';
import { prepareUpsert, runUpsert, upsertRows } from '../../../src/db/upsert.js';
import { upsertSpecFor } from '../../../src/db/upsertSpec.js';
import { JsonText } from '../../../src/db/values.js';
import type { Database } from '../../../src/db/client.js';
import { openTestDatabase } from './openTestDatabase.js';
import type { TestDb } from './openTestDatabase.js';

const incidentSpec = upsertSpecFor(incidents);
const oncallSpec = upsertSpecFor(oncalls, { key: ONCALL_KEY });

function incident(
  n: number,
  overrides: Partial<typeof incidents.$inferInsert> = {},
): typeof incidents.$inferInsert {
  const created = new Date(Date.UTC(2024, 0, 1) + n * 60_000);
  return {
    id: `P${String(n).padStart(6, '0')}`,
    incidentNumber: n,
    title: `Incident ${n}: disk "full" on db-${n % 7}`,
    status: 'resolved',
    urgency: n % 2 ? 'high' : 'low',
    priorityId: n % 3 ? null : 'PPRIO1',
    serviceId: `PSVC${n % 5}`,
    escalationPolicyId: 'PEP1',
    createdAt: created,
    updatedAt: created,
    acknowledgedAt: null,
    resolvedAt: new Date(created.getTime() + 600_000),
    lastStatusChangeAt: created,
    incidentKey: null,
    htmlUrl: `https://acme.pagerduty.com/incidents/P${n}`,
    raw: { id: `P${n}`, nested: { a: 1, b: [1, 2, 3] }, text: "O'Brien; DROP TABLE incidents; --" },
    ...overrides,
  };
}

interface Written {
  id: string;
  xmin: string;
  synced_at: Date;
  title: string;
}

async function snapshot(database: Database): Promise<Written[]> {
  return database.query<Written>(
    'SELECT id, xmin::text AS xmin, synced_at, title FROM incidents ORDER BY id',
  );
}

describe(`upsertRows on ${inject('testDatabase').kind}`, () => {
  let testDb: TestDb;
  let database: Database;

  beforeAll(async () => {
    testDb = await openTestDatabase('upsert');
    database = testDb.database;
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  it('inserts, then writes nothing for the same rows, then updates only the changed one', async () => {
    const rows = [1, 2, 3].map((n) => incident(n));
    expect(await upsertRows(database, incidentSpec, rows)).toEqual({ inserted: 3, updated: 0 });
    const first = await snapshot(database);
    expect(first).toHaveLength(3);

    // Same content, new objects, jsonb keys in another order, timestamps as strings: no write at all.
    const again = [1, 2, 3].map((n) => {
      const row = incident(n);
      const raw = { text: row.raw.text, nested: { b: [1, 2, 3], a: 1 }, id: row.raw.id };
      return { ...row, raw, createdAt: row.createdAt.toISOString() };
    });
    expect(await upsertRows(database, incidentSpec, again)).toEqual({ inserted: 0, updated: 0 });
    expect(await snapshot(database)).toEqual(first);

    const changed = [incident(1), incident(2, { status: 'acknowledged' }), incident(3)];
    expect(await upsertRows(database, incidentSpec, changed)).toEqual({ inserted: 0, updated: 1 });
    const after = await snapshot(database);
    expect(after[0]).toEqual(first[0]);
    expect(after[2]).toEqual(first[2]);
    expect(after[1]?.xmin).not.toBe(first[1]?.xmin);
    expect(after[1]?.synced_at.getTime()).toBeGreaterThanOrEqual(first[1]?.synced_at.getTime() ?? Infinity);

    const [status] = await database.query<{ status: string }>(`SELECT status FROM incidents WHERE id = $1`, [
      incident(2).id,
    ]);
    expect(status).toEqual({ status: 'acknowledged' });
  });

  it('skips a row whose stored hash matches without comparing it, and hashes old rows once, uncounted', async () => {
    const rows = [31, 32].map((n) => incident(n));
    await upsertRows(database, incidentSpec, rows);
    const hashes = await database.query<{ id: string; row_hash: number | null }>(
      'SELECT id, row_hash FROM incidents WHERE id = ANY($1) ORDER BY id',
      [rows.map((r) => r.id)],
    );
    // The current function's hashes are negative; the earlier one's (MD5) never were.
    expect(hashes.every((h) => typeof h.row_hash === 'number' && h.row_hash < 0)).toBe(true);
    // Proof the compare never ran: a title changed behind the sync's back (hash kept) is not restored.
    await database.query(`UPDATE incidents SET title = 'edited' WHERE id = $1`, [rows[0]?.id]);
    expect(await upsertRows(database, incidentSpec, rows)).toEqual({ inserted: 0, updated: 0 });
    const [edited] = await database.query<{ title: string }>('SELECT title FROM incidents WHERE id = $1', [
      rows[0]?.id,
    ]);
    expect(edited?.title).toBe('edited');
    // A row written before hashing (NULL), or hashed by the earlier function (48 bits of MD5, never
    // negative), is compared, found unchanged, and gets its hash: not a write.
    for (const stale of [null, 0x123456789abc]) {
      await database.query('UPDATE incidents SET row_hash = $2 WHERE id = $1', [rows[1]?.id, stale]);
      expect(await upsertRows(database, incidentSpec, [rows[1] ?? incident(32)])).toEqual({
        inserted: 0,
        updated: 0,
      });
      const [rehashed] = await database.query<{ row_hash: number | null }>(
        'SELECT row_hash FROM incidents WHERE id = $1',
        [rows[1]?.id],
      );
      expect(rehashed?.row_hash).toBe(hashes[1]?.row_hash);
    }
  });

  it('after a whole batch of new rows, a transaction stops asking for hashes, and still writes no unchanged row', async () => {
    const stored = [41, 42].map((n) => incident(n));
    await upsertRows(database, incidentSpec, stored);
    await database.query(`UPDATE incidents SET title = 'edited' WHERE id = $1`, [stored[0]?.id]);
    const before = await snapshot(database);
    const fresh = Array.from({ length: 150 }, (_, i) => incident(90_000 + i));
    const results = await database.transaction(async (tx) => [
      await upsertRows(tx, incidentSpec, fresh),
      // No hash check now: the edited row is compared (and restored), the unchanged one is compared and kept.
      await upsertRows(tx, incidentSpec, stored),
    ]);
    expect(results).toEqual([
      { inserted: 150, updated: 0 },
      { inserted: 0, updated: 1 },
    ]);
    const after = await snapshot(database);
    const byId = (rows: Written[], id: string | undefined) => rows.find((r) => r.id === id);
    expect(byId(after, stored[0]?.id)?.title).toBe(stored[0]?.title);
    expect(byId(after, stored[1]?.id)).toEqual(byId(before, stored[1]?.id));

    // The database handle outlives any one backfill: it never stops checking hashes.
    await upsertRows(
      database,
      incidentSpec,
      Array.from({ length: 150 }, (_, i) => incident(91_000 + i)),
    );
    await database.query(`UPDATE incidents SET title = 'edited' WHERE id = $1`, [stored[0]?.id]);
    expect(await upsertRows(database, incidentSpec, stored)).toEqual({ inserted: 0, updated: 0 });
  });

  it('keeps awkward values exactly: quotes, backslashes, braces, newlines, emoji, U+0000 dropped', async () => {
    const title = 'a "quoted" \\back\\slash {brace,comma} \n\ttab \u00e9 🚨 NULL null \u0000end';
    const raw = {
      s: title,
      n: 12345678901234,
      f: 1.5,
      b: false,
      z: null,
      list: ['{', '}', '"', '\\'],
      e: {},
    };
    expect(
      await upsertRows(database, incidentSpec, [incident(20, { title, raw, incidentNumber: 2 ** 31 - 1 })]),
    ).toEqual({
      inserted: 1,
      updated: 0,
    });
    const [row] = await database.query<{
      title: string;
      raw: unknown;
      incident_number: number;
      no_key: boolean;
    }>('SELECT title, raw, incident_number, incident_key IS NULL AS no_key FROM incidents WHERE id = $1', [
      incident(20).id,
    ]);
    expect(row).toEqual({
      title: title.replace('\u0000', ''),
      raw: { ...raw, s: title.replace('\u0000', '') },
      incident_number: 2 ** 31 - 1,
      no_key: true,
    });
    // And the same row again is no change.
    expect(
      await upsertRows(database, incidentSpec, [incident(20, { title, raw, incidentNumber: 2 ** 31 - 1 })]),
    ).toEqual({
      inserted: 0,
      updated: 0,
    });
  });

  it('stores the same cells from a transaction (COPY into a staging table) as from the handle', async () => {
    const awkward = 'a "quoted" \\back\\slash {brace,comma} \n\ttab \u00e9 🚨 \\N NULL \u0000end';
    // Every value depends on i only, so the two sets differ in their ids alone. 1,200 rows: two batches.
    const rows = (prefix: string) =>
      Array.from({ length: 1200 }, (_, i) => ({
        ...incident(i),
        id: `${prefix}${String(i).padStart(5, '0')}`,
        ...(i % 3 === 0
          ? {
              title: `${awkward} ${i}`,
              raw: { s: awkward, n: 12345678901234 + i, f: 1.5, b: i % 2 === 0, z: null, list: ['{', '\\'] },
              incidentKey: i % 2 ? '\\N' : null,
              acknowledgedAt: new Date(Date.UTC(2024, 0, 2) + i * 1000),
              incidentNumber: 2 ** 31 - 1 - i,
            }
          : {}),
      }));
    const read = (prefix: string) =>
      database.query(
        `SELECT incident_number, title, status, urgency, priority_id, service_id, escalation_policy_id,
                created_at, updated_at, acknowledged_at, resolved_at, last_status_change_at, incident_key,
                html_url, raw, row_hash IS NOT NULL AS hashed
           FROM incidents WHERE id LIKE $1 ORDER BY id`,
        [`${prefix}%`],
      );
    expect(await upsertRows(database, incidentSpec, rows('H'))).toEqual({ inserted: 1200, updated: 0 });
    const staged = rows('T');
    await database.transaction(async (tx) => {
      // Both drivers stage through COPY in a transaction (pg-copy-streams; PGlite's /dev/blob).
      expect('copyFrom' in tx && typeof tx.copyFrom === 'function').toBe(true);
      expect(await upsertRows(tx, incidentSpec, staged)).toEqual({ inserted: 1200, updated: 0 });
      // Unchanged rows write nothing; a changed one is one update, in the same transaction.
      expect(await upsertRows(tx, incidentSpec, staged)).toEqual({ inserted: 0, updated: 0 });
      const changed = staged.map((row, i) => (i % 100 === 0 ? { ...row, urgency: 'changed' } : row));
      expect(await upsertRows(tx, incidentSpec, changed)).toEqual({ inserted: 0, updated: 12 });
      expect(await upsertRows(tx, incidentSpec, staged)).toEqual({ inserted: 0, updated: 12 });
    });
    const handle = await read('H');
    expect(handle).toHaveLength(1200);
    expect(await read('T')).toEqual(handle);
  });

  it.skipIf(inject('testDatabase').kind !== 'url')(
    'on a server, sends COPY, its data and the next statements at once; a failure among them leaves a usable connection',
    async () => {
      const backend = 'SELECT pg_backend_pid() AS pid';
      const table = 'CREATE TEMPORARY TABLE pipe_t (a text, b int) ON COMMIT DROP';
      const copy = 'COPY pipe_t FROM STDIN';
      const rows = await database.transaction(async (tx) => {
        expect(typeof tx.copyThenQuery).toBe('function');
        await tx.query(table);
        // The rows of the first statement that returns rows; the TRUNCATE after it runs too.
        const read = await tx.copyThenQuery!(
          copy,
          Buffer.from('x\t1\ny\t\\N\n'),
          'SELECT a, b FROM pipe_t ORDER BY a; TRUNCATE pipe_t',
        );
        expect(await tx.query('SELECT count(*)::int AS n FROM pipe_t')).toEqual([{ n: 0 }]);
        return read;
      });
      expect(rows).toEqual([
        { a: 'x', b: 1 },
        { a: 'y', b: null },
      ]);

      // Bad data fails the COPY; a bad statement after a good COPY fails too. Either way the server has
      // CopyData it no longer wants, which it drops: the same connection answers the next transactions.
      const failures: [string, string, RegExp][] = [
        ['x\tnot a number\n', 'SELECT 1', /invalid input syntax for type integer/],
        ['x\t1\n', 'SELECT 1 / (count(*) - 1) FROM pipe_t', /division by zero/],
      ];
      for (const [data, after, message] of failures) {
        let pid = 0;
        await expect(
          database.transaction(async (tx) => {
            pid = (await tx.query<{ pid: number }>(backend))[0]?.pid ?? 0;
            await tx.query(table);
            await tx.copyThenQuery!(copy, Buffer.from(data), after);
          }),
        ).rejects.toThrow(message);
        const seen = new Set<number>();
        for (let i = 0; i < 8; i++) {
          const [row] = await database.transaction((tx) =>
            tx.query<{ pid: number; n: number }>(`${backend}, 7 AS n`),
          );
          expect(row?.n).toBe(7);
          seen.add(row?.pid ?? 0);
        }
        expect(seen).toContain(pid);
      }
    },
  );

  it('counts without returning keys when asked to, and still stores the hashes of unchanged rows', async () => {
    const hashesOf = (prefix: string) =>
      database.query<{ id: string; h: number | null }>(
        'SELECT id, row_hash AS h FROM incidents WHERE id LIKE $1 ORDER BY id',
        [`${prefix}%`],
      );
    // The handle (one JSON parameter) and a transaction (COPY into a staging table) take each path.
    for (const [prefix, inTx] of [
      ['K', false],
      ['Q', true],
    ] as const) {
      const rows = Array.from({ length: 60 }, (_, i) => ({
        ...incident(i),
        id: `${prefix}${String(i).padStart(4, '0')}`,
      }));
      const counted = async (batch: typeof rows) => {
        const seen: string[] = [];
        const run = async (q: Database | Parameters<Parameters<Database['transaction']>[0]>[0]) =>
          runUpsert(q, prepareUpsert(q, incidentSpec, batch, { keys: false }), (key) => seen.push(key));
        const result = inTx ? await database.transaction(run) : await run(database);
        expect(seen).toEqual([]);
        return result;
      };
      expect(await counted(rows)).toEqual({ inserted: 60, updated: 0 });
      const stored = await hashesOf(prefix);
      expect(stored.every((r) => typeof r.h === 'number')).toBe(true);
      // Rows written before hashing existed: unchanged, so not counted, but their hash is stored now.
      await database.query('UPDATE incidents SET row_hash = NULL WHERE id LIKE $1 AND id < $2', [
        `${prefix}%`,
        `${prefix}0010`,
      ]);
      expect(await counted(rows)).toEqual({ inserted: 0, updated: 0 });
      expect(await hashesOf(prefix)).toEqual(stored);
      const changed = rows.map((row, i) => (i % 12 === 0 ? { ...row, urgency: 'changed' } : row));
      const fresh = [...changed, { ...incident(99), id: `${prefix}9999` }];
      expect(await counted(fresh)).toEqual({ inserted: 1, updated: 5 });
    }
  });

  it('stores a payload given as its received bytes as sent, hashed and compared like the same JSON text', async () => {
    const hashOf = async (id: string) =>
      (
        await database.query<{ h: number | null }>('SELECT row_hash AS h FROM incidents WHERE id = $1', [id])
      )[0]?.h;
    for (const [id, inTx] of [
      ['BYTES1', false],
      ['BYTES2', true],
    ] as const) {
      const upsert = (raw: unknown) => {
        const rows = [{ ...incident(70), id, raw }];
        return inTx
          ? database.transaction((tx) => upsertRows(tx, incidentSpec, rows))
          : upsertRows(database, incidentSpec, rows);
      };
      // Non-ASCII: the text's UTF-16 length differs from its UTF-8 byte count.
      const payload = { id, text: 'é 🚨 "quoted" \\ back', list: [1, { deep: null }] };
      expect(await upsert(payload)).toEqual({ inserted: 1, updated: 0 });
      const asString = await hashOf(id);
      const asBytes = new JsonText(payload, Buffer.from(JSON.stringify(payload)));
      expect(await upsert(asBytes)).toEqual({ inserted: 0, updated: 0 });
      // Compared (no hash stored), found unchanged, and hashed exactly as the string version was.
      await database.query('UPDATE incidents SET row_hash = NULL WHERE id = $1', [id]);
      expect(await upsert(asBytes)).toEqual({ inserted: 0, updated: 0 });
      expect(await hashOf(id)).toBe(asString);
      // Bytes are stored as sent: a number past double precision is not rounded, escapes are decoded.
      const sent = `{"id":"${id}","n":12345678901234567890.50,"s":"\\u003cb\\u003e é"}`;
      expect(await upsert(new JsonText(JSON.parse(sent), Buffer.from(sent)))).toEqual({
        inserted: 0,
        updated: 1,
      });
      const [stored] = await database.query<{ n: string; s: string }>(
        `SELECT raw->>'n' AS n, raw->>'s' AS s FROM incidents WHERE id = $1`,
        [id],
      );
      expect(stored).toEqual({ n: '12345678901234567890.50', s: '<b> é' });
    }
  });

  it('collapses duplicate keys within one call, the last one winning', async () => {
    const rows = [incident(10, { title: 'first' }), incident(11), incident(10, { title: 'last' })];
    expect(await upsertRows(database, incidentSpec, rows)).toEqual({ inserted: 2, updated: 0 });
    const [row] = await database.query<{ title: string }>('SELECT title FROM incidents WHERE id = $1', [
      incident(10).id,
    ]);
    expect(row?.title).toBe('last');
  });

  it('writes 5,000 rows in one call and counts inserts and updates across batches', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => incident(1000 + i));
    expect(await upsertRows(database, incidentSpec, rows)).toEqual({ inserted: 5000, updated: 0 });
    expect(await upsertRows(database, incidentSpec, rows)).toEqual({ inserted: 0, updated: 0 });
    const changed = rows.map((row, i) => (i % 10 === 0 ? { ...row, urgency: 'changed' } : row));
    expect(await upsertRows(database, incidentSpec, changed)).toEqual({ inserted: 0, updated: 500 });
    const [count] = await database.query<{ n: number }>(
      `SELECT count(*) AS n FROM incidents WHERE id >= 'P001000' AND id <= 'P005999'`,
    );
    // count(*) is int8: a number on both drivers.
    expect(count).toEqual({ n: 5000 });
  });

  it('treats NULL schedule_id and start_at as equal in the on-call natural key', async () => {
    const shift = {
      escalationPolicyId: 'PEP1',
      escalationLevel: 1,
      scheduleId: null,
      userId: 'PUSER1',
      startAt: null,
      endAt: null,
    };
    const other = { ...shift, scheduleId: 'PSCHED1', startAt: new Date('2024-03-01T00:00:00Z') };
    expect(await upsertRows(database, oncallSpec, [shift, other])).toEqual({ inserted: 2, updated: 0 });
    expect(await upsertRows(database, oncallSpec, [shift, shift, other])).toEqual({
      inserted: 0,
      updated: 0,
    });
    const ended = { ...other, endAt: new Date('2024-03-08T00:00:00Z') };
    expect(await upsertRows(database, oncallSpec, [shift, ended])).toEqual({ inserted: 0, updated: 1 });
    const rows = await database.query<{ n: number }>('SELECT count(*) AS n FROM oncalls');
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('merges a column by rule: the first acknowledgement only moves earlier', async () => {
    const spec = upsertSpecFor(incidents, { merge: { acknowledged_at: 'least' } });
    const at = (iso: string) => new Date(iso);
    const row = (ack: Date | null) => incident(700, { acknowledgedAt: ack });
    const stored = async () =>
      (
        await database.query<{ a: Date | null }>('SELECT acknowledged_at AS a FROM incidents WHERE id = $1', [
          row(null).id,
        ])
      )[0]?.a;

    expect(await upsertRows(database, spec, [row(at('2024-05-01T10:00:00Z'))])).toEqual({
      inserted: 1,
      updated: 0,
    });
    // Resolved since: the payload has no acknowledgement left. Nothing is written.
    expect(await upsertRows(database, spec, [row(null)])).toEqual({ inserted: 0, updated: 0 });
    expect(await upsertRows(database, spec, [row(at('2024-05-01T11:00:00Z'))])).toEqual({
      inserted: 0,
      updated: 0,
    });
    expect(await stored()).toEqual(at('2024-05-01T10:00:00Z'));
    expect(await upsertRows(database, spec, [row(at('2024-05-01T09:00:00Z'))])).toEqual({
      inserted: 0,
      updated: 1,
    });
    expect(await stored()).toEqual(at('2024-05-01T09:00:00Z'));
  });

  it('runs inside a transaction and rolls back with it', async () => {
    await expect(
      database.transaction(async (tx) => {
        expect(await upsertRows(tx, incidentSpec, [incident(900_001)])).toEqual({ inserted: 1, updated: 0 });
        // A row inserted earlier in the same transaction counts as updated, not inserted again.
        const changed = incident(900_001, { status: 'triggered' });
        expect(await upsertRows(tx, incidentSpec, [changed])).toEqual({ inserted: 0, updated: 1 });
        expect(await upsertRows(tx, incidentSpec, [changed])).toEqual({ inserted: 0, updated: 0 });
        const seen = await tx.query('SELECT id FROM incidents WHERE id = $1', [incident(900_001).id]);
        expect(seen).toHaveLength(1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await database.query('SELECT id FROM incidents WHERE id = $1', [incident(900_001).id])).toEqual(
      [],
    );
  });
});
