/**
 * Child process: serves a simulated account until SIGTERM, so its CPU and memory are not the sync's.
 * Argument: JSON SimServerOptions. Prints one JSON line (SimServerReady) once it listens.
 */
import { startSimulator, type SimulatorOptions } from '../src/simulator/index.js';
import type { PresetName } from '../src/simulator/index.js';

export interface SimServerOptions {
  preset: PresetName;
  seed: number;
  incidents: number;
  days: number;
  rpm: number;
  latencyMs: number;
  jitterMs: number;
  lazy: boolean;
}

export interface SimServerReady {
  url: string;
  lazy: boolean;
  generationMs: number;
  rssBytes: number;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as SimServerOptions;
const t0 = performance.now();
// `lazy` is passed only when the simulator has it (bench/lib/lazy.ts); the variable keeps the type open.
const options: SimulatorOptions & { lazy?: boolean } = {
  preset: opts.preset,
  seed: opts.seed,
  incidents: opts.incidents,
  days: opts.days,
  rpm: opts.rpm,
  faults: { latencyMs: opts.latencyMs, jitterMs: opts.jitterMs },
  ...(opts.lazy ? { lazy: true } : {}),
};
const sim = await startSimulator(options);
const ready: SimServerReady & { now: number } = {
  url: sim.url,
  // The bench reads the clock from GET /_sim/health; this copy is for a quick look at the output.
  now: sim.account.now,
  lazy: opts.lazy,
  generationMs: Math.round(performance.now() - t0),
  rssBytes: process.memoryUsage().rss,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The bench holds our stdin open: when it goes (even killed), so do we, rather than serve on as an orphan.
process.stdin.once('end', stop);
process.stdin.resume();
