/**
 * Crash and resume (issue 7, item 1): `pd-warehouse sync` as a child process, SIGKILLed at random points
 * of a backfill of the `large` account, several times in a row. After every kill the warehouse must be
 * consistent (warehouseInvariants.ts); after one clean run it must equal the simulator's truth.
 *
 * Kills land either after a random 0.5–4 s, or right after (0–250 ms) one or two (soak: up to five) newly committed
 * sync_windows rows. A seeded RNG picks them: PDW_CRASH_SEED reproduces a sequence. `npm run test:soak`
 * (PDW_SOAK=1) runs more rounds with more kills each.
 *
 * A killed run's sync_runs row stays `running` until a later run holds the schema's lock: that run marks it
 * `failed` with "crashed" in its error (nothing else can have been running while it holds the lock).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { startSimulator } from '../../src/simulator/index.js';
import { Random } from '../../src/simulator/random.js';
import { createWarehouse, INCIDENT_RESOURCES, type Warehouse } from '../helpers/syncHarness.js';
import { expectWarehouseMatchesTruth } from '../integration/sync/compare.js';
import { NEEDS_SERVER, startChildSync, syncStartOf, type ChildSync } from './childSync.js';
import {
  expectConsistent,
  expectNoDuplicates,
  indexTruth,
  rowsLost,
  type Snapshot,
} from './warehouseInvariants.js';

const SOAK = process.env.PDW_SOAK === '1';
const SEED = Number(process.env.PDW_CRASH_SEED ?? 20261128);
const ROUNDS = SOAK ? 5 : 1;
const KILLS_PER_ROUND = SOAK ? 10 : 6;
/**
 * Per-request latency of the simulator while runs get killed: it stretches the incident and log backfill
 * (about 300 requests) to half a minute, so every kill lands in its middle. The clean run goes at full speed.
 */
const LATENCY_MS = SOAK ? 200 : 120;

interface Kill {
  mode: 'time' | 'windows';
  /** ms after the spawn. */
  afterMs: number;
  /** The child ended on its own before the kill (counted as a run, not a kill). */
  finished: boolean;
  seen: Snapshot;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function committedWindows(db: Database): Promise<number> {
  try {
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_windows');
    return rows[0]?.n ?? 0;
  } catch {
    return 0; // not migrated yet
  }
}

/** Waits for a random moment (by time, or by newly committed windows), then SIGKILLs the run. */
async function killSomewhere(run: ChildSync, rng: Random, db: Database): Promise<Omit<Kill, 'seen'>> {
  const spawned = Date.now();
  let gone = false;
  void run.exited.then(
    () => (gone = true),
    () => (gone = true),
  );
  const mode = rng.chance(0.5) ? 'time' : 'windows';
  if (mode === 'time') {
    const until = spawned + 500 + rng.next() * 3500;
    while (!gone && Date.now() < until) await sleep(20);
  } else {
    const target = (await committedWindows(db)) + rng.int(1, SOAK ? 5 : 2);
    const extra = rng.next() * 250;
    while (!gone && Date.now() - spawned < 15_000 && (await committedWindows(db)) < target) await sleep(25);
    await sleep(extra);
  }
  const finished = gone;
  if (!finished) run.child.kill('SIGKILL');
  const exit = await run.exited;
  if (!finished) expect(exit.signal, run.output()).toBe('SIGKILL');
  return { mode, afterMs: Date.now() - spawned, finished };
}

interface RoundFigures {
  kills: number;
  runs: number;
  rowsLost: number;
  duplicates: number;
  wallMs: number;
  crashedRunsMarked: number;
  finalRunMs: number;
  /** Each kill: mode, ms after spawn, committed windows and incidents seen after it. */
  killed: string[];
}

async function crashRound(round: number, wh: Warehouse, db: Database): Promise<RoundFigures> {
  const started = Date.now();
  const sim = await startSimulator({
    seed: 40 + round,
    preset: 'large',
    now: Date.now() - 5 * 60_000,
    rpm: 100_000,
  });
  try {
    const rng = new Random(SEED + round);
    const truth = indexTruth(sim, syncStartOf(sim));
    sim.setFaults({ latencyMs: LATENCY_MS, jitterMs: LATENCY_MS / 2 });
    const kills: Kill[] = [];
    for (let k = 0; k < KILLS_PER_ROUND; k++) {
      const run = startChildSync(sim, wh, { SYNC_RESOURCES: INCIDENT_RESOURCES });
      const kill = await killSomewhere(run, rng, db);
      kills.push({ ...kill, seen: await expectConsistent(db, truth) });
    }
    const killed = kills.filter((k) => !k.finished);
    const last = kills.at(-1)?.seen;
    const details = JSON.stringify(kills.map((k) => [k.mode, k.afterMs, k.seen.windows, k.seen.incidents]));
    // Every kill landed during the backfill: runs were really killed, the warehouse grew, and it was
    // still incomplete when the last one died.
    expect(killed.length, details).toBe(KILLS_PER_ROUND);
    expect(last?.windows ?? 0, details).toBeGreaterThan(0);
    expect((last?.incidents ?? 0) + (last?.logEntries ?? 0), details).toBeLessThan(
      truth.incidents.size + truth.logEntries.size,
    );
    const killedRuns = last?.runs ?? [];
    // A crashed run is left `running` (nothing finished it), or `failed` once a later run marked it.
    expect(
      killedRuns.every((r) => !r.finished || r.status === 'failed'),
      JSON.stringify(killedRuns),
    ).toBe(true);

    // The clean run: full speed, every resource.
    sim.setFaults({ latencyMs: 0, jitterMs: 0 });
    const finalStarted = Date.now();
    // A budget above PagerDuty's: the runs killed during the log backfill left their incidents owed a
    // re-read (sync_state.extra), which this run pays in about one request per created_at day.
    const final = await startChildSync(sim, wh, { PAGERDUTY_MAX_RPM: '10000' }).exited;
    const finalMs = Date.now() - finalStarted;
    expect(final.code, final.stdout + final.stderr).toBe(0);
    expect(final.stdout).toMatch(/run succeeded/);
    const end = await expectConsistent(db, truth);
    await expectWarehouseMatchesTruth(db, sim);
    const duplicates = await expectNoDuplicates(db, truth);
    const lost = await rowsLost(db, truth);
    expect(lost).toBe(0);
    // The runs killed after they recorded themselves are marked crashed by the clean run; it succeeded.
    const statuses = end.runs.map((r) => r.status);
    expect(statuses.at(-1)).toBe('succeeded');
    expect(statuses.slice(0, -1).every((s) => s === 'failed')).toBe(true);
    const errors = await db.query<{ error: string | null }>(
      "SELECT error FROM sync_runs WHERE status = 'failed' ORDER BY id",
    );
    expect(errors.every((e) => /crashed/.test(e.error ?? ''))).toBe(true);
    return {
      kills: killed.length,
      runs: KILLS_PER_ROUND + 1,
      rowsLost: lost,
      duplicates,
      wallMs: Date.now() - started,
      crashedRunsMarked: errors.length,
      finalRunMs: finalMs,
      killed: kills.map((k) => `${k.mode}@${k.afterMs}ms:${k.seen.windows}w/${k.seen.incidents}i`),
    };
  } finally {
    await sim.close();
  }
}

describe.skipIf(NEEDS_SERVER !== null)(
  `sync SIGKILLed at random points of a backfill${NEEDS_SERVER ? ` (${NEEDS_SERVER})` : ''}`,
  () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      while (cleanup.length) await cleanup.pop()?.();
    });

    for (let round = 0; round < ROUNDS; round++) {
      it(`round ${round + 1}/${ROUNDS}: ${KILLS_PER_ROUND} kills, then one clean run equals the truth`, async () => {
        const wh = createWarehouse(`crash${round}`);
        cleanup.push(() => wh.drop());
        const db = await wh.open();
        cleanup.push(() => db.close());
        const figures = await crashRound(round, wh, db);
        process.stdout.write(
          `[reliability] SIGKILL mid-backfill seed ${SEED + round}: ${JSON.stringify(figures)}\n`,
        );
      }, 240_000);
    }
  },
);
