/**
 * Query strings the way PagerDuty reads them (a Rails API): list filters repeat a bracketed key
 * (`statuses[]=triggered&statuses[]=acknowledged`), and booleans are the lower-case words `true`/`false`.
 */
import { SyncError } from '../errors.js';

/** A query value. Arrays repeat their key, which must carry the brackets: `{'statuses[]': ['a', 'b']}`. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/** `?a=1&statuses%5B%5D=x&statuses%5B%5D=y&total=true`; undefined values are left out. */
export function buildSearch(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'object') {
      // PagerDuty ignores a bare `statuses=` (no brackets): a forgotten `[]` would silently drop the filter.
      if (!key.endsWith('[]')) throw new SyncError(`query key "${key}" has a list value but no [] suffix`);
      for (const v of value) params.append(key, v);
    } else {
      params.append(key, typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value));
    }
  }
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}
