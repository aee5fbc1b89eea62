import type { LazyIncidents } from './lazyIncidents.js';
import type { Truth, TruthCounts } from './truth.js';

/** The incident part of the truth counts. */
export type LazyCounts = Pick<
  TruthCounts,
  'incidents' | 'incidents_open' | 'log_entries' | 'log_entries_overview'
>;

/** Counts every incident and revealed log entry, planning one incident at a time (nothing is kept). */
export function countLazy(lazy: LazyIncidents): LazyCounts {
  const out: LazyCounts = { incidents: 0, incidents_open: 0, log_entries: 0, log_entries_overview: 0 };
  for (let n = 1; n <= lazy.count; n++) {
    const inc = lazy.incident(n, false);
    if (inc.revealed === 0) continue;
    out.incidents++;
    if (inc.state.status !== 'resolved') out.incidents_open++;
    out.log_entries += inc.revealed;
    for (let k = 0; k < inc.revealed; k++)
      if (inc.events[k]?.type !== 'notify_log_entry') out.log_entries_overview++;
  }
  return out;
}

function unsupported(what: string): never {
  throw new Error(`truth().${what} is not supported in lazy mode: only truth().counts is`);
}

/** Lazy mode's truth: the counts (incidents streamed once, on first read); every per-row part throws. */
export function lazyTruth(now: number, counts: () => TruthCounts): Truth {
  return {
    now: new Date(now).toISOString(),
    get counts() {
      return counts();
    },
    get incidents() {
      return unsupported('incidents');
    },
    get mttaMttrByServiceWeek() {
      return unsupported('mttaMttrByServiceWeek');
    },
    get tables() {
      return unsupported('tables');
    },
    get deleted() {
      return unsupported('deleted');
    },
    get metrics() {
      return unsupported('metrics');
    },
  };
}
