/** The answer to "may this token make a request now?", with the values for the ratelimit-* headers. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the oldest counted request leaves the window. */
  resetSeconds: number;
}

/**
 * PagerDuty's REST limit: N requests per minute per token, over a sliding 60 s window. Refused requests do
 * not count. `stormUntil` makes every request fail, for the "429 storm" fault.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private stormUntil = 0;

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 60_000,
  ) {}

  storm(durationMs: number): void {
    this.stormUntil = this.now() + durationMs;
  }

  /** The current state for `token` without counting a request. */
  peek(token: string): RateDecision {
    return this.check(token, false);
  }

  check(token: string, count = true): RateDecision {
    const now = this.now();
    let list = this.hits.get(token);
    if (!list) {
      list = [];
      this.hits.set(token, list);
    }
    let drop = 0;
    while (drop < list.length && (list[drop] ?? 0) <= now - this.windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    const oldest = list[0];
    const reset = oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    if (now < this.stormUntil) {
      return {
        allowed: false,
        limit: this.limit,
        remaining: 0,
        resetSeconds: Math.ceil((this.stormUntil - now) / 1000),
      };
    }
    if (list.length >= this.limit)
      return { allowed: false, limit: this.limit, remaining: 0, resetSeconds: reset };
    if (!count)
      return { allowed: true, limit: this.limit, remaining: this.limit - list.length, resetSeconds: reset };
    list.push(now);
    return {
      allowed: true,
      limit: this.limit,
      remaining: this.limit - list.length,
      resetSeconds: Math.max(1, Math.ceil(((list[0] ?? now) + this.windowMs - now) / 1000)),
    };
  }
}
