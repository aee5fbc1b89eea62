/**
 * Child process: one sync (bench/lib/runSync.ts), so its peak RSS and CPU are the sync's alone.
 * Argument: JSON SyncChildArgs. Prints JSON lines: `{"progress": …}` every `progressMs`, then `{"result": …}`.
 */
import { peakRssBytes } from './lib/peakRss.js';
import { runSync, type SyncRunResult } from './lib/runSync.js';

export interface SyncChildArgs {
  env: Record<string, string>;
  now: number;
  progressMs: number;
}

export interface SyncChildLine {
  progress?: string;
  result?: SyncRunResult & { maxRssBytes: number; cpuMs: number };
}

const args = JSON.parse(process.argv[2] ?? '{}') as SyncChildArgs;
const emit = (line: SyncChildLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
let latest = 'starting';
const timer = setInterval(() => emit({ progress: latest }), args.progressMs);
try {
  const result = await runSync(args.env, args.now, (line) => {
    latest = line;
  });
  const cpu = process.cpuUsage();
  emit({ result: { ...result, maxRssBytes: peakRssBytes(), cpuMs: (cpu.user + cpu.system) / 1000 } });
} finally {
  clearInterval(timer);
}
