/**
 * Properties (fast-check) of the pieces every run's correctness rests on:
 * (a) the window planner: whatever the bisections, a range is covered exactly, in order, once;
 * (b) the row mappers: any item its schema accepts maps to rows, with usable keys (primary or natural);
 * (c) the cursor: never past the signpost, never backwards without force (modelled, then on Postgres).
 */
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/db/migrate.js';
import { getCursor, saveCursor } from '../../src/db/syncState.js';
import type { Database } from '../../src/db/client.js';
import type { ResourceDef, TableRows } from '../../src/resources/define.js';
import { REGISTRY } from '../../src/resources/index.js';
import { analyticsIncidents } from '../../src/resources/analytics.js';
import { incidentCustomFieldValues, serviceCustomFieldValues } from '../../src/resources/customFields.js';
import { startSimulator } from '../../src/simulator/index.js';
import {
  bisect,
  floorSecond,
  nextWindow,
  nextWindowSize,
  SECOND,
  windowedFrom,
  type SizingPolicy,
  type Window,
} from '../../src/sync/windows.js';
import { openTestDatabase, type TestDb } from '../integration/db/openTestDatabase.js';
import { applyPlan, badKeyValue, editPlan, keyFields, type Json } from './mutate.js';

const RUNS = { numRuns: 150 };
const DAY = 86_400_000;
/** 2020-01-01 to 2030-01-01, whole seconds: where configured starts and signposts fall. */
const instantArb = fc.integer({ min: 1_577_836_800, max: 1_893_456_000 }).map((s) => s * SECOND);

// ---------------------------------------------------------------- (a) the window planner

/**
 * The engine's walk (src/sync/windowed.ts) without I/O: windows from `from` to `to` sized by the observed
 * density, each bisected (recursively) when `split` says it is over the cap. `rows` feeds the density.
 */
function plan(from: number, to: number, split: () => boolean, rows: () => number, policy: SizingPolicy) {
  const committed: Window[] = [];
  const walk = (w: Window) => {
    // Bounded depth keeps a run's window count small; the engine bisects only while a window is over the cap.
    const halves = w.depth < MAX_DEPTH && split() ? bisect(w) : null;
    if (halves) halves.forEach(walk);
    else committed.push(w);
  };
  let size = policy.maxMs;
  let start = from;
  while (start < to) {
    const w = nextWindow(start, size, to);
    walk(w);
    size = nextWindowSize(size, rows(), w.end - w.start, policy);
    start = w.end;
  }
  return committed;
}

/** Draws from a fixed list in turn (fast-check shrinks the list, not a hidden random state). */
function cycle<T>(values: readonly T[], fallback: T): () => T {
  let i = 0;
  return () => (values.length === 0 ? fallback : (values[i++ % values.length] ?? fallback));
}

const policyArb = fc
  .record({
    targetRows: fc.integer({ min: 1, max: 10_000 }),
    minS: fc.integer({ min: 1, max: 3600 }),
    maxDays: fc.integer({ min: 1, max: 180 }),
  })
  .map(({ targetRows, minS, maxDays }) => ({ targetRows, minMs: minS * SECOND, maxMs: maxDays * DAY }));

/** Bisections per window at most, and windows per range at least minMs long (the test stays fast). */
const MAX_DEPTH = 6;
const MAX_WINDOWS = 500;

const planInput = fc
  .record({
    from: instantArb,
    spanMs: fc.oneof(fc.integer({ min: 1, max: 10 * SECOND }), fc.integer({ min: 1, max: 400 * DAY })),
    splits: fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
    rows: fc.array(fc.nat({ max: 50_000 }), { minLength: 1, maxLength: 16 }),
    policy: policyArb,
  })
  .map((input) => {
    const floor = Math.ceil(input.spanMs / MAX_WINDOWS / SECOND) * SECOND;
    const minMs = Math.max(input.policy.minMs, floor);
    return { ...input, policy: { ...input.policy, minMs, maxMs: Math.max(minMs, input.policy.maxMs) } };
  });

describe('the window planner', () => {
  // Proves no record can fall between two windows or be read by two: the committed windows tile [from, to).
  it('covers [from, to) exactly: ascending, contiguous, no gap, no overlap, whatever the splits', () => {
    fc.assert(
      fc.property(planInput, ({ from, spanMs, splits, rows, policy }) => {
        const to = from + spanMs;
        const windows = plan(from, to, cycle(splits, false), cycle(rows, 0), policy);
        expect(windows[0]?.start).toBe(from);
        expect(windows.at(-1)?.end).toBe(to);
        windows.forEach((w, i) => {
          expect(w.end).toBeGreaterThan(w.start);
          if (i > 0) expect(w.start).toBe(windows[i - 1]?.end);
        });
      }),
      RUNS,
    );
  });

  // Proves a split makes progress and stays on whole seconds (the API's since/until resolution).
  it('bisect: two non-empty halves meeting at a whole second, or null at one second', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 1, max: 400 * DAY }), fc.nat(40), (start, len, depth) => {
        const w = { start, end: start + len, depth };
        const halves = bisect(w);
        expect(halves === null).toBe(len <= SECOND);
        if (halves === null) return;
        const [a, b] = halves;
        expect(a).toEqual({ start, end: a?.end, depth: depth + 1 });
        expect(b).toEqual({ start: a?.end, end: w.end, depth: depth + 1 });
        expect(((a?.end ?? 0) - start) % SECOND).toBe(0);
        expect(a?.end).toBeGreaterThan(start);
        expect(a?.end).toBeLessThan(w.end);
      }),
      RUNS,
    );
  });

  it('nextWindowSize: whole seconds within [minMs, maxMs], growing at most 4× at a time', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 1, max: 180 }).map((s) => s * SECOND * 60),
        fc.nat({ max: 100_000 }),
        fc.integer({ min: 0, max: 400 * DAY }),
        (policy, previous, rows, span) => {
          const size = nextWindowSize(previous, rows, span, policy);
          expect(size % SECOND).toBe(0);
          expect(size).toBeGreaterThanOrEqual(policy.minMs);
          expect(size).toBeLessThanOrEqual(Math.max(policy.minMs, policy.maxMs));
          expect(size).toBeLessThanOrEqual(Math.max(policy.minMs, previous * 4));
        },
      ),
      RUNS,
    );
  });

  // Proves a run starts where the last one left off (minus the overlap), never before the configured start
  // and never after the cursor, so consecutive runs leave no gap.
  it('windowedFrom: never before the configured start, never after the cursor', () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.option(fc.integer({ min: 0, max: 800 * DAY }), { nil: null }),
        fc.integer({ min: 0, max: DAY }),
        fc.boolean(),
        fc.integer({ min: 0, max: 999 }),
        (start, after, overlap, full, ms) => {
          const cursor = after === null ? null : start + after + ms;
          const from = windowedFrom(cursor, overlap, start, full);
          expect(from % SECOND).toBe(0);
          expect(from).toBeGreaterThanOrEqual(floorSecond(start));
          if (cursor === null || full) {
            expect(from).toBe(floorSecond(start));
          } else {
            expect(from).toBeLessThanOrEqual(cursor);
            expect(from).toBeGreaterThanOrEqual(floorSecond(cursor - overlap));
          }
        },
      ),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- (c) cursor arithmetic, modelled

/** saveCursor's rule (src/db/syncState.ts): forward only, unless forced; a null never clears. */
function saved(stored: number | null, next: number | null, force: boolean): number | null {
  if (force) return next;
  if (stored === null || (next !== null && next > stored)) return next;
  return stored;
}

describe('the cursor, modelled', () => {
  // Proves the engine's rule: each commit saves its window's end, which never passes the signpost; a crash
  // after any commit leaves a cursor from which the next run (from = cursor − overlap) leaves no gap.
  it('runs that crash at random points cover [start, signpost) with the cursor never past the signpost', () => {
    fc.assert(
      fc.property(
        planInput,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: DAY }),
        ({ from: start, spanMs, splits, rows, policy }, crashes, overlap) => {
          const signpost = start + spanMs;
          let cursor: number | null = null;
          const covered: Window[] = [];
          // Each crash value ends a run after that many commits (modulo its windows); the last run completes.
          for (const [i, crash] of [...crashes, null].entries()) {
            const from = windowedFrom(cursor, overlap, start, false);
            const windows = plan(from, signpost, cycle(splits.slice(i), false), cycle(rows, 0), policy);
            const commits = crash === null ? windows.length : crash % (windows.length + 1);
            for (const w of windows.slice(0, commits)) {
              expect(w.end).toBeLessThanOrEqual(signpost);
              const before: number | null = cursor;
              cursor = saved(cursor, w.end, false);
              expect(cursor).toBeGreaterThanOrEqual(before ?? -Infinity);
              covered.push(w);
            }
            // Everything before the cursor is in committed windows.
            expect(coveredUpTo(covered, start)).toBeGreaterThanOrEqual(cursor ?? start);
          }
          expect(cursor ?? start).toBeLessThanOrEqual(signpost);
          expect(coveredUpTo(covered, start)).toBeGreaterThanOrEqual(signpost);
        },
      ),
      RUNS,
    );
  });

  it('without force a cursor is the maximum ever saved; force sets it as given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.option(instantArb, { nil: null }), force: fc.boolean() })),
        (saves) => {
          let stored: number | null = null;
          let max: number | null = null;
          for (const s of saves) {
            stored = saved(stored, s.at, s.force);
            max = s.force ? s.at : s.at === null ? max : Math.max(max ?? -Infinity, s.at);
            expect(stored).toBe(max);
          }
        },
      ),
      RUNS,
    );
  });
});

/** The end of the contiguous stretch from `start` that the windows cover (they may overlap). */
function coveredUpTo(windows: readonly Window[], start: number): number {
  let end = start;
  for (const w of [...windows].sort((a, b) => a.start - b.start))
    if (w.start <= end) end = Math.max(end, w.end);
  return end;
}

// ---------------------------------------------------------------- (c) cursor arithmetic, on Postgres

describe('saveCursor on the database', () => {
  let testDb: TestDb;
  let db: Database;
  beforeAll(async () => {
    testDb = await openTestDatabase('properties');
    db = testDb.database;
    await migrateDatabase(db);
  });
  afterAll(async () => {
    await testDb.cleanup();
  });

  // Proves the SQL keeps the model's rule: random saves never leave the stored cursor below the max saved.
  it('random saves without force leave the maximum saved; a forced save sets the value given', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.option(instantArb, { nil: null }), force: fc.boolean() }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (saves) => {
          const resource = `prop_${n++}`;
          let model: number | null = null;
          for (const s of saves) {
            model = saved(model, s.at, s.force);
            const returned = await saveCursor(
              db,
              resource,
              s.at === null ? null : new Date(s.at),
              undefined,
              {
                force: s.force,
              },
            );
            const stored = (await getCursor(db, resource))?.cursor ?? null;
            expect(stored?.getTime() ?? null).toBe(model);
            expect(returned?.getTime() ?? null).toBe(model);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------- (b) the row mappers

interface MapperCase {
  name: string;
  schema: ResourceDef['schema'];
  samples: Json[];
  /** Parses `raw` with the schema (as the engine does) and maps it. */
  toRows: (raw: Json) => TableRows[];
}

const NOW = Date.UTC(2026, 9, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();
const ctx = (raw: Json) => ({
  syncedAt: new Date(NOW),
  raw: raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {},
});

/** Real shapes: a few items of every listing the simulator serves, as the engine reads them. */
async function mapperCases(): Promise<MapperCase[]> {
  const sim = await startSimulator({ seed: 9, preset: 'small', now: NOW });
  const headers = { authorization: 'Token token=properties', 'content-type': 'application/json' };
  const list = async (path: string, params: ResourceDef['params'] = {}, dataKey = ''): Promise<Json[]> => {
    const q = new URLSearchParams({ limit: '8' });
    for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) q.append(k, x);
    const body = (await (await fetch(`${sim.url}${path}?${q.toString()}`, { headers })).json()) as Record<
      string,
      Json
    >;
    const items = body[dataKey];
    return Array.isArray(items) ? items.slice(0, 8) : [];
  };
  try {
    const cases: MapperCase[] = [];
    const defs: readonly ResourceDef[] = REGISTRY;
    for (const def of defs) {
      // A range resource (on-calls) is asked around the account's clock, as the engine asks.
      const range: ResourceDef['params'] =
        def.sync.kind === 'range' ? { since: iso(NOW - 7 * DAY), until: iso(NOW + 7 * DAY) } : {};
      const samples = await list(def.path, { ...def.params, ...range }, def.dataKey);
      cases.push({
        name: def.name,
        schema: def.schema,
        samples,
        toRows: (raw) => def.toRows(def.schema.parse(raw), ctx(raw)),
      });
      for (const child of def.children ?? []) {
        // The first parent that has children (not every tag is on users, teams and policies alike).
        for (const sample of samples) {
          const parent: unknown = def.schema.parse(sample);
          const children = await list(child.path(parent), child.params, child.dataKey);
          if (children.length === 0) continue;
          cases.push({
            name: `${def.name} → ${child.dataKey}`,
            schema: child.schema,
            samples: children,
            toRows: (raw) => child.toRows(parent, child.schema.parse(raw), ctx(raw)),
          });
          break;
        }
      }
    }
    const incidentId = sim.account.incidents[0]?.id ?? 'Q0';
    const serviceId = sim.account.services[0]?.id ?? 'P0';
    for (const [values, id] of [
      [incidentCustomFieldValues, incidentId],
      [serviceCustomFieldValues, serviceId],
    ] as const) {
      cases.push({
        name: `custom field values of ${id}`,
        schema: values.schema,
        samples: await list(values.path(id), {}, values.dataKey),
        toRows: (raw) => values.toRows(id, values.schema.parse(raw), ctx(raw)),
      });
    }
    const res = await fetch(`${sim.url}${analyticsIncidents.path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ limit: 8 }),
    });
    const analytics = ((await res.json()) as { data?: Json[] }).data ?? [];
    cases.push({
      name: analyticsIncidents.name,
      schema: analyticsIncidents.schema,
      samples: analytics,
      toRows: (raw) => analyticsIncidents.toRows(analyticsIncidents.schema.parse(raw), ctx(raw)),
    });
    return cases;
  } finally {
    await sim.close();
  }
}

describe('the row mappers', async () => {
  const cases = await mapperCases();

  it('every resource has real samples to vary', () => {
    for (const c of cases) expect(c.samples.length, c.name).toBeGreaterThan(0);
    expect(cases.length).toBeGreaterThanOrEqual(REGISTRY.length + 3);
  });

  // Proves the variations are not vacuous: across plans, schema-valid items do get empty strings, nulls,
  // removed keys and non-ASCII text.
  it('the variations reach empty strings, nulls, removed keys and unicode', () => {
    const incidents = cases.find((c) => c.name === 'incidents');
    const sample = incidents?.samples[0] ?? null;
    const seen = { empty: 0, nulls: 0, removed: 0, unicode: 0 };
    for (const edits of fc.sample(editPlan, { numRuns: 200, seed: 7 })) {
      const item = applyPlan(incidents?.schema ?? z.never(), sample, edits);
      const text = JSON.stringify(item);
      if (text.includes('""')) seen.empty++;
      if (text.split('null').length > JSON.stringify(sample).split('null').length) seen.nulls++;
      if (Object.keys(item ?? {}).length < Object.keys(sample ?? {}).length) seen.removed++;
      if (/[^ -~\s]/.test(text)) seen.unicode++;
    }
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(0);
  });

  // Proves the engine can never crash on an item it validated: every schema-valid variation of a real item
  // (unicode, empty strings, nulls, removed keys, other zones) maps to rows whose keys are usable.
  it.each(cases.map((c) => [c.name, c] as const))('%s: schema-valid input maps without throwing', (_, c) => {
    fc.assert(
      fc.property(fc.nat(), editPlan, (pick, edits) => {
        const sample = c.samples[pick % c.samples.length] ?? null;
        const item = applyPlan(c.schema, sample, edits);
        const tables = c.toRows(item);
        for (const { table, rows } of tables) {
          const keys = keyFields(table);
          expect(keys.length).toBeGreaterThan(0);
          for (const row of rows) {
            for (const { field, nullable } of keys) {
              expect(badKeyValue(row[field], nullable), `${c.name} ${field}`).toBeNull();
            }
          }
        }
      }),
      RUNS,
    );
  });
});
