/** Shared bits for the client tests against the simulator: a fixed clock and a log capture. */
import { createLogger, type Logger } from '../../../src/logger.js';

/** A fixed simulator clock: a Friday in March 2026. */
export const NOW = Date.UTC(2026, 2, 20, 15, 0, 0);
export const HOUR = 3_600_000;

/** `2026-03-20T15:00:00Z`, as PagerDuty wants timestamps (with Z). */
export const isoUtc = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A debug-level JSON logger whose lines land in `lines`. */
export function captureLogs(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

/** Fast retries for tests: the simulator's faults recover at once. */
export const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 2_000, jitter: 0.5 } as const;

/** The error `promise` rejects with, checked to be a `type`. */
export async function rejectionOf<T extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(error)}`);
  return error;
}
