/** Runs bench/syncChild.ts and relays its progress; resolves with its result and peak RSS. */
import type { SyncChildArgs, SyncChildLine } from '../syncChild.js';
import type { SyncRunResult } from './runSync.js';
import { onLines, procMemory, spawnBenchScript } from './children.js';

/** `cpuMs`: the sync process's own CPU time (user + system), from start to result. */
export type SyncProcessResult = SyncRunResult & { maxRssBytes: number; cpuMs: number; wallMs: number };

const mb = (bytes: number) => Math.round(bytes / 1e6);

export function runSyncProcess(
  args: Omit<SyncChildArgs, 'progressMs'>,
  log: (line: string) => void,
  progressMs = 30_000,
): Promise<SyncProcessResult> {
  const t0 = performance.now();
  // Compiled, on plain Node: the memory and speed of the sync as production runs it.
  const child = spawnBenchScript(
    'syncChild.ts',
    { ...args, progressMs } satisfies SyncChildArgs,
    process.env,
    true,
  );
  let result: SyncChildLine['result'];
  onLines(child, (line) => {
    const parsed = JSON.parse(line) as SyncChildLine;
    if (parsed.result) result = parsed.result;
    if (parsed.progress) {
      const mem = child.pid ? procMemory(child.pid) : null;
      const rss = mem ? `, RSS ${mb(mem.rss)} MB (peak ${mb(mem.hwm)} MB)` : '';
      log(`  … ${Math.round((performance.now() - t0) / 1000)} s: ${parsed.progress}${rss}`);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (result) resolve({ ...result, wallMs: performance.now() - t0 });
      else reject(new Error(`sync process exited with ${code} without a result`));
    });
  });
}
