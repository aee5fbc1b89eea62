/**
 * `npm run bench`: the sync benchmark (bench/sync.ts) and the simulator benchmark (bench/simulator.ts).
 * Prints tables and writes bench/results.json with the machine's core count and the date.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runSyncBench } from './sync.js';

const results = await runSyncBench();
console.log(
  `sync benchmark: large account (${availableParallelism()} cores, node ${process.version}, ${new Date().toISOString()})`,
);
console.table(
  Object.fromEntries(
    results.map((r) => [
      r.target,
      {
        'backfill s': r.backfill.seconds,
        'incidents/s': r.backfill.incidents_per_s,
        'backfill requests': r.backfill.requests,
        'unchanged: requests': r.unchanged.requests,
        'unchanged: rows written': r.unchanged.rows_written,
        '1%: requests/changed': r.one_percent.requests_per_changed,
      },
    ]),
  ),
);
writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), cores: availableParallelism(), node: process.version, sync: results }, null, 2)}\n`,
);
const sim = spawnSync(
  process.execPath,
  [...process.execArgv, fileURLToPath(new URL('./simulator.ts', import.meta.url))],
  {
    stdio: 'inherit',
  },
);
process.exitCode = sim.status ?? 1;
