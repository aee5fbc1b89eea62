/**
 * How to re-read a set of changed incidents at the fewest requests: one GET per incident, or one listing of
 * a created_at span that holds several of them (its stored incidents ÷ 100 pages). Pure: the caller counts
 * the stored incidents between neighbouring changed ones (sync/incidentChanges.ts).
 */

/** A changed incident the warehouse holds, in created_at order with its neighbours. */
export interface HeldChange {
  id: string;
  /** created_at, epoch ms. */
  at: number;
  /**
   * Stored incidents created from this one's created_at up to (not including) the next changed incident's,
   * or within this one's second for the last; counts above the span cap may be capped.
   */
  following: number;
  /** Stored incidents created within this one's second (itself included); may be capped likewise. */
  sameSecond: number;
}

export interface RereadSpan {
  /** Epoch ms: list `since` this (inclusive) `until` that (exclusive). */
  since: number;
  until: number;
  /** The changed incidents it re-reads. */
  ids: string[];
  /** Requests the listing takes (pages of 100). */
  pages: number;
}

export interface RereadPlan {
  spans: RereadSpan[];
  /** Read one by one. */
  singles: string[];
}

export interface RereadLimits {
  /** The most stored incidents a span may hold (its rows are held in memory until written). */
  maxIncidents: number;
  /** The longest span the API lists at once (the incidents resource's maxWindowMs). */
  maxMs: number;
}

const PAGE = 100;
const SECOND = 1000;

/**
 * The cheapest cover of `changes` (sorted by `at`) by single reads and listings of consecutive runs of
 * them. A run is listed only when that is strictly cheaper than reading its incidents one by one.
 */
export function planRereads(changes: readonly HeldChange[], limits: RereadLimits): RereadPlan {
  const k = changes.length;
  // best[j]: fewest requests for the first j changes; from[j]: where the last group starts (j - 1: single).
  const best = new Array<number>(k + 1).fill(0);
  const from = new Array<number>(k + 1).fill(0);
  for (let j = 1; j <= k; j++) {
    best[j] = (best[j - 1] ?? 0) + 1;
    from[j] = j - 1;
    const last = changes[j - 1];
    if (!last) continue;
    // The group changes[i .. j-1] listed over [changes[i].at, last second + 1 s).
    let stored = last.sameSecond;
    for (let i = j - 2; i >= 0; i--) {
      const first = changes[i];
      if (!first) break;
      stored += first.following;
      if (stored > limits.maxIncidents || last.at + SECOND - first.at > limits.maxMs) break;
      const cost = (best[i] ?? 0) + Math.max(1, Math.ceil(stored / PAGE));
      if (cost < (best[j] ?? 0)) {
        best[j] = cost;
        from[j] = i;
      }
    }
  }
  const plan: RereadPlan = { spans: [], singles: [] };
  for (let j = k; j > 0; j = from[j] ?? 0) {
    const i = from[j] ?? 0;
    const group = changes.slice(i, j);
    const first = group[0];
    const last = group[group.length - 1];
    if (!first || !last) break;
    if (group.length === 1) {
      plan.singles.push(first.id);
      continue;
    }
    const pages = (best[j] ?? 0) - (best[i] ?? 0);
    const since = Math.floor(first.at / SECOND) * SECOND;
    const until = Math.floor(last.at / SECOND) * SECOND + SECOND;
    plan.spans.push({ since, until, ids: group.map((c) => c.id), pages });
  }
  plan.spans.reverse();
  plan.singles.reverse();
  return plan;
}
