/**
 * Keeps a long backfill's memory flat. The sync streams: a window's rows are written in chunks of a few
 * hundred and dropped, so what stays alive is a few tens of MB whatever the history. But V8 collects its
 * old generation lazily, and every page's text and every chunk's statement is a large string that lands
 * there; left alone, the heap of a backfill swells to several times what is alive. Past a soft limit, a
 * chunk boundary — the moment the least is alive — runs a full collection instead (a few ms).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Heap in use past which a chunk boundary collects. */
const SOFT_LIMIT_BYTES = 64 * 1024 * 1024;

let collect: (() => void) | null | undefined;
let threshold = SOFT_LIMIT_BYTES;

/** The engine's `gc()`, made available at run time; null where it cannot be. */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const gc: unknown = vm.runInNewContext('gc');
      collect = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** Called between chunks: collects when the heap has grown past the soft limit. */
export function relieveHeap(): void {
  if (v8.getHeapStatistics().used_heap_size < threshold) return;
  const gc = collector();
  if (!gc) return;
  gc();
  // When more than half the limit is really alive, wait for twice that before collecting again.
  threshold = Math.max(SOFT_LIMIT_BYTES, 2 * v8.getHeapStatistics().used_heap_size);
}
