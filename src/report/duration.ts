/**
 * Human durations for tables and axes. Two units at most, the second zero-padded so a column reads
 * evenly: `45s`, `4m 10s`, `2h 05m`, `3d 04h`. Each value is rounded to its smallest shown unit first, so
 * 59m 59.6s becomes `1h 00m`, never `59m 60s`.
 */
const UNITS = [
  { size: 86_400, suffix: 'd', next: 3_600, nextSuffix: 'h' },
  { size: 3_600, suffix: 'h', next: 60, nextSuffix: 'm' },
  { size: 60, suffix: 'm', next: 1, nextSuffix: 's' },
] as const;

/** A duration in seconds as `4m 10s`; negative or non-finite input is a bug upstream and shows as-is. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return String(seconds);
  if (Math.round(seconds) < 60) return `${Math.round(seconds)}s`;
  for (const u of UNITS) {
    const rounded = Math.round(seconds / u.next) * u.next;
    if (rounded >= u.size) {
      const major = Math.floor(rounded / u.size);
      const minor = Math.round((rounded - major * u.size) / u.next);
      return `${major}${u.suffix} ${String(minor).padStart(2, '0')}${u.nextSuffix}`;
    }
  }
  return `${Math.round(seconds)}s`;
}

/** Like formatDuration, without a zero second unit: axis ticks read `30m`, `2h`, `1h 30m`. */
export function formatTick(seconds: number): string {
  return formatDuration(seconds).replace(/ 00[dhms]$/, '');
}

/** formatDuration, or `placeholder` for a missing value. */
export function formatMaybe(seconds: number | null, placeholder = '-'): string {
  return seconds === null ? placeholder : formatDuration(seconds);
}
