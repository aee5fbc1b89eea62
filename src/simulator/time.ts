/**
 * Time helpers. The simulator keeps every instant as epoch milliseconds (whole seconds) and renders them
 * the way PagerDuty does: ISO-8601 without fractions, `Z` in UTC, a numeric offset in any other zone.
 */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function isUtc(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'Etc/GMT' || timeZone === 'GMT';
}

/** Offset of `timeZone` from UTC at instant `ms`, in minutes (New York in winter: -300). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  if (isUtc(timeZone)) return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** `2015-10-06T21:30:42Z`, or `2015-10-06T17:30:42-04:00` in another zone. */
export function formatTime(ms: number, timeZone = 'UTC'): string {
  const offset = zoneOffsetMinutes(timeZone, ms);
  const local = new Date(ms + offset * 60000).toISOString().slice(0, 19);
  if (offset === 0 && isUtc(timeZone)) return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a since/until value the way PagerDuty does: an explicit offset wins; without one the wall-clock
 * time is read in `timeZone` (the request's `time_zone`, else the account's zone). Returns null if unparsable.
 */
export function parseTime(value: string, timeZone: string): number | null {
  const m = ISO_RE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(wall)) return null;
  const fracMs = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  if (zone) {
    if (zone === 'Z' || zone === 'z') return wall + fracMs;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    return wall - sign * minutes * 60000 + fracMs;
  }
  // Wall-clock time in a zone: guess, then correct once for the offset at the guessed instant.
  let guess = wall - zoneOffsetMinutes(timeZone, wall) * 60000;
  guess = wall - zoneOffsetMinutes(timeZone, guess) * 60000;
  return guess + fracMs;
}

/** Adds calendar months in UTC (PagerDuty's "maximum range is 6 months"). */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

/** Monday 00:00 UTC of the ISO week holding `ms`, and the ISO week label (`2026-W07`). */
export function isoWeek(ms: number): { start: number; label: string } {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY;
  const thursday = new Date(start + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * DAY)) + 1;
  return { start, label: `${year}-W${pad(week)}` };
}

export function floorToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
