import type { PresetSpec } from './presets.js';
import { Random } from './random.js';
import { DAY, HOUR, SECOND, floorToSecond } from './time.js';

/** Office hours (07:00–19:00 UTC) page at full rate, other hours at this share: as the eager generator. */
const OFF_HOURS_WEIGHT = 0.35;
const DAY_WEIGHT = 12 * HOUR + 12 * HOUR * OFF_HOURS_WEIGHT;

/** The office-hours weight accumulated from the epoch up to `t`, in weighted milliseconds. */
function weightUntil(t: number): number {
  const days = Math.floor(t / DAY);
  const x = t - days * DAY;
  const early = Math.min(x, 7 * HOUR);
  const office = Math.min(Math.max(x - 7 * HOUR, 0), 12 * HOUR);
  const late = Math.max(x - 19 * HOUR, 0);
  return days * DAY_WEIGHT + (early + late) * OFF_HOURS_WEIGHT + office;
}

/**
 * Lazy mode's creation times: incident `n` (1-based) of `count` is created at the `(n - 1 + r_n) / count`
 * quantile of the history's distribution (office-hours-weighted background over `days`, plus the preset's
 * burst), r_n in [0, 1) drawn from (seed, n). So created_at is non-decreasing in n, the same distribution
 * as eager mode, and the incidents of a [since, until) window are found by binary search over n.
 */
export class HistoryCurve {
  /** Incidents in the history (background plus burst). */
  readonly count: number;
  private readonly start: number;
  private readonly end: number;
  private readonly background: number;
  private readonly w0: number;
  private readonly wSpan: number;
  private readonly burst: { from: number; span: number; incidents: number } | null;

  constructor(
    private readonly seed: number | string,
    spec: PresetSpec,
    now: number,
  ) {
    this.start = now - spec.days * DAY;
    this.end = now;
    this.background = spec.incidents;
    this.w0 = weightUntil(this.start);
    this.wSpan = weightUntil(now) - this.w0;
    const b = spec.burst;
    const day = b ? Math.floor((now - b.daysAgo * DAY) / DAY) * DAY : 0;
    this.burst = b ? { from: day + 8 * HOUR, span: b.hours * HOUR, incidents: b.incidents } : null;
    this.count = spec.incidents + (b?.incidents ?? 0);
  }

  /** Share of the history created before `t` (a continuous, non-decreasing CDF). */
  private share(t: number): number {
    const bg = Math.min(1, Math.max(0, (weightUntil(t) - this.w0) / this.wSpan)) * this.background;
    const b = this.burst;
    const burst = b ? Math.min(1, Math.max(0, (t - b.from) / b.span)) * b.incidents : 0;
    return (bg + burst) / this.count;
  }

  /** Creation time of incident `n` (1 ≤ n ≤ count): the last whole second whose share is ≤ its quantile. */
  createdAt(n: number): number {
    const u = (n - 1 + Random.derive(this.seed, `created/${n}`).next()) / this.count;
    let lo = this.start / SECOND;
    let hi = floorToSecond(this.end - 1) / SECOND;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.share(mid * SECOND) <= u) lo = mid;
      else hi = mid - 1;
    }
    return lo * SECOND;
  }

  /** The smallest n with createdAt(n) ≥ t: count + 1 when none is. */
  firstAtOrAfter(t: number): number {
    let lo = 1;
    let hi = this.count + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.createdAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
