/**
 * Window arithmetic for since/until endpoints. Pure: no I/O, no clock. Windows are half-open [start, end)
 * in epoch milliseconds on whole seconds, ascending and contiguous.
 */
export interface Window {
  start: number;
  end: number;
  /** How many times this window's ancestors were bisected to get under the cap. */
  depth: number;
}

export const SECOND = 1000;

/** Splits [start, end) into two halves at a whole second; null when it is already one second or less. */
export function bisect(w: Window): [Window, Window] | null {
  if (w.end - w.start <= SECOND) return null;
  const mid = w.start + Math.max(SECOND, Math.floor((w.end - w.start) / 2 / SECOND) * SECOND);
  return [
    { start: w.start, end: mid, depth: w.depth + 1 },
    { start: mid, end: w.end, depth: w.depth + 1 },
  ];
}

/** Where a windowed read starts: the cursor minus the overlap, never before the configured start. */
export function windowedFrom(cursor: number | null, overlapMs: number, start: number, full: boolean): number {
  if (cursor === null || full) return floorSecond(start);
  return floorSecond(Math.max(start, cursor - overlapMs));
}

export function floorSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}

export interface SizingPolicy {
  /** Rows a window should hold: well under the 10,000 cap so one bisect is rarely needed. */
  targetRows: number;
  minMs: number;
  maxMs: number;
}

/**
 * The next window's length from the density just observed (rows over a span): aims at `targetRows`,
 * grows at most 4× at a time (density changes), and stays within [minMs, maxMs].
 */
export function nextWindowSize(
  previousMs: number,
  rows: number,
  spanMs: number,
  policy: SizingPolicy,
): number {
  const density = rows / Math.max(spanMs, SECOND);
  const ideal = density > 0 ? policy.targetRows / density : previousMs * 4;
  const size = Math.min(ideal, previousMs * 4, policy.maxMs);
  return Math.max(policy.minMs, floorSecond(size));
}

/** The next window from `start` of length `size`, clipped to `end`. */
export function nextWindow(start: number, size: number, end: number): Window {
  return { start, end: Math.min(end, start + Math.max(SECOND, size)), depth: 0 };
}
