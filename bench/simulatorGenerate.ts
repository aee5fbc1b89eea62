/**
 * Child process of bench/sections/simulator.ts: generates the `burst` preset and prints time and memory as JSON.
 * Kept apart so that its peak RSS is the generator's, not the benchmark harness's.
 */
import { Account } from '../src/simulator/account.js';
import { peakRssBytes } from './lib/peakRss.js';

const baselineRss = process.memoryUsage().rss;
const t0 = performance.now();
const burst = new Account({ preset: 'burst', seed: 1 });
const ms = performance.now() - t0;
process.stdout.write(
  JSON.stringify({
    ms,
    incidents: burst.incidents.length,
    logEntries: burst.log.length,
    baselineRss,
    peakRss: peakRssBytes(),
  }),
);
