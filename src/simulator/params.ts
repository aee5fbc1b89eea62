import { invalidInput, offsetCap, OFFSET_CAP } from './errors.js';
import { isValidTimeZone, parseTime } from './time.js';

/** Query parameters of one request, read the way PagerDuty's Rails API reads them. */
export class Params {
  constructor(private readonly q: URLSearchParams) {}

  str(name: string): string | undefined {
    return this.q.get(name) ?? undefined;
  }

  /** `key[]` repeated. A bare `key` is not the same parameter and is ignored, as PagerDuty ignores it. */
  list(name: string): string[] | undefined {
    const values = this.q.getAll(`${name}[]`);
    return values.length > 0 ? values : undefined;
  }

  /** Only the lower-case string `true` is true. */
  flag(name: string): boolean {
    return this.q.get(name) === 'true';
  }

  include(): Set<string> {
    return new Set(this.q.getAll('include[]'));
  }

  timeZone(accountZone: string): string {
    const tz = this.q.get('time_zone');
    if (tz === null) return accountZone;
    if (!isValidTimeZone(tz)) throw invalidInput('Time zone is invalid');
    return tz;
  }

  /** Parses a since/until value; naive times are read in `zone`. */
  time(name: string, zone: string): number | undefined {
    const raw = this.q.get(name);
    if (raw === null || raw === '') return undefined;
    const ms = parseTime(raw, zone);
    if (ms === null) throw invalidInput(`${name} is invalid.`);
    return ms;
  }

  page(): { limit: number; offset: number; total: boolean } {
    const limitRaw = this.q.get('limit');
    const offsetRaw = this.q.get('offset');
    let limit = 25;
    if (limitRaw !== null && limitRaw !== '') {
      if (!/^-?\d+$/.test(limitRaw)) throw invalidInput('Limit must be an integer');
      limit = Math.min(100, Math.max(1, Number(limitRaw)));
    }
    let offset = 0;
    if (offsetRaw !== null && offsetRaw !== '') {
      if (!/^\d+$/.test(offsetRaw)) throw invalidInput('Offset must be a non-negative integer');
      offset = Number(offsetRaw);
    }
    if (offset + limit > OFFSET_CAP) throw offsetCap();
    return { limit, offset, total: this.flag('total') };
  }
}

/** Source of a paginated list: its size and a way to read a slice, so huge lists are never copied whole. */
export interface Listing<T> {
  count: number;
  slice(offset: number, limit: number): T[];
}

export function arrayListing<T>(items: readonly T[]): Listing<T> {
  return { count: items.length, slice: (o, l) => items.slice(o, o + l) };
}

/** Classic pagination envelope: `{<key>: [...], limit, offset, more, total}`; total only with total=true. */
export function paginate<T, R>(
  key: string,
  listing: Listing<T>,
  page: { limit: number; offset: number; total: boolean },
  render: (item: T) => R,
): Record<string, unknown> {
  const items = listing.slice(page.offset, page.limit).map(render);
  return {
    [key]: items,
    limit: page.limit,
    offset: page.offset,
    total: page.total ? listing.count : null,
    more: page.offset + page.limit < listing.count,
  };
}
