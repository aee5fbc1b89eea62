/** What every benchmark section is: a name (for BENCH_ONLY), a title, and a run that returns figures. */
import type { Figure } from './figure.js';

export interface SectionContext {
  /** Prints a progress or note line. */
  log: (line: string) => void;
}

export interface Section {
  name: string;
  title: string;
  run: (ctx: SectionContext) => Promise<Figure[]>;
}

/** A progress sink that prints at most once per `everyMs` (the sync reports every page). */
export function throttledProgress(log: (line: string) => void, label: string, everyMs = 30_000) {
  const t0 = performance.now();
  let last = t0;
  return (line: string) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    log(`  … ${label} ${Math.round((now - t0) / 1000)} s: ${line}`);
  };
}

export const mb = (bytes: number) => Math.round(bytes / 1e6);
export const seconds = (ms: number) => Math.round(ms / 100) / 10;
