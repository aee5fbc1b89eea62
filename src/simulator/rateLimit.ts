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

/**
 * The analytics API's own allowance: `limit` requests per token per UTC calendar day, apart from (and on
 * top of) the per-minute REST limit. Over it, analytics requests get 429 until the next UTC midnight.
 */
export class DailyQuota {
  private readonly used = new Map<string, { day: number; count: number }>();

  constructor(
    public limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `token` if the quota allows it. */
  take(token: string): RateDecision {
    const now = this.now();
    const day = Math.floor(now / 86_400_000);
    let u = this.used.get(token);
    if (!u || u.day !== day) {
      u = { day, count: 0 };
      this.used.set(token, u);
    }
    const resetSeconds = Math.max(1, Math.ceil(((day + 1) * 86_400_000 - now) / 1000));
    if (u.count >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetSeconds };
    u.count++;
    return { allowed: true, limit: this.limit, remaining: this.limit - u.count, resetSeconds };
  }

  /** The next UTC midnight on the quota's clock (epoch ms): when every token's count restarts. */
  resetsAt(): number {
    return (Math.floor(this.now() / 86_400_000) + 1) * 86_400_000;
  }

  /** Forgets all usage (tests). */
  reset(): void {
    this.used.clear();
  }
}
