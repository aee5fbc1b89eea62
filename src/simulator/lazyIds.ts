import { Random } from './random.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Six base-36 digits carry the incident number: up to 36^6 − 1 ≈ 2.2 billion incidents. */
const NUMBER_DIGITS = 6;
export const MAX_LAZY_INCIDENTS = 36 ** NUMBER_DIGITS - 1;

function base36(n: number, digits: number): string {
  return n.toString(36).toUpperCase().padStart(digits, '0');
}

/**
 * Lazy mode's ids for incident `n`: as long as eager mode's (incidents `Q` + 13, log entries `R` + 25),
 * random-looking from (seed, n), but ending in n in base 36 (log entries: then the entry's 2-digit serial),
 * so GET /incidents/{id} and /log_entries/{id} find the number without an index of every id.
 */
export function lazyIdFactory(seed: number | string, n: number): (prefix: string, length: number) => string {
  const rng = Random.derive(seed, `lazy-ids/${n}`);
  const random = (k: number) => {
    let s = '';
    for (let i = 0; i < k; i++) s += ALPHABET[Math.floor(rng.next() * 36)];
    return s;
  };
  const digits = base36(n, NUMBER_DIGITS);
  let serial = 0;
  return (prefix, length) => {
    if (prefix === 'Q') return `Q${random(length - NUMBER_DIGITS)}${digits}`;
    if (prefix === 'R') return `R${random(length - NUMBER_DIGITS - 2)}${digits}${base36(serial++ % 1296, 2)}`;
    return prefix + random(length);
  };
}

/** The incident number a lazy incident or log entry id ends in; null when `id` cannot be one. */
export function numberOfLazyId(id: string): number | null {
  const m = /^(?:Q[0-9A-Z]{7}([0-9A-Z]{6})|R[0-9A-Z]{17}([0-9A-Z]{6})[0-9A-Z]{2})$/.exec(id);
  const digits = m?.[1] ?? m?.[2];
  return digits === undefined ? null : parseInt(digits, 36);
}
