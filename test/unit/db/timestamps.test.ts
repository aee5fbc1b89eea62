/**
 * timestamptz cells: the shortcut for PagerDuty's plain `…Z` form must give exactly what the Date path
 * gives (`new Date(s).toISOString()`), refuse what Date refuses, and leave Date's roll-overs (February
 * 30th is March 1st) to Date.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeValue, Instant } from '../../../src/db/values.js';
import { SyncError } from '../../../src/errors.js';

const column = { name: 'created_at', type: 'timestamptz' as const };

/** What the cell must be: Date's reading of the value, or 'error' (a SyncError) when Date cannot read it. */
function viaDate(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? 'error' : date.toISOString();
}

function encoded(value: string | Date): string {
  try {
    return encodeValue(column, { created_at: value }, 'incidents') as string;
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError);
    return 'error';
  }
}

const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));

describe('timestamptz cells', () => {
  it('normalise plain UTC strings exactly like Date, fields in range or not', () => {
    const plain = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2))
      .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    fc.assert(
      fc.property(plain, (s) => {
        expect(encoded(s)).toBe(viaDate(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agree with Date on the edge cases', () => {
    for (const s of [
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z', // rolls over to March 1st, as Date does
      '2024-02-30T12:00:00Z',
      '2100-02-29T00:00:00Z',
      '2000-02-29T23:59:59Z',
      '2024-04-31T10:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-00-10T00:00:00Z',
      '2024-01-00T00:00:00Z',
      '2024-01-01T23:59:60Z',
      '0000-01-01T00:00:00Z',
      '2015-10-06T21:30:42Z',
      '2015-10-06T21:30:42.123Z',
      '2015-10-06T17:30:42-04:00',
      '2015-10-06T21:30:42z',
      '2015-10-06 21:30:42Z',
      ' 2015-10-06T21:30:42Z',
      'not a time',
    ]) {
      expect(encoded(s), s).toBe(viaDate(s));
    }
  });

  it('read a Date again after it changes, and refuse an invalid one', () => {
    const date = new Date('2024-05-01T00:00:00Z');
    expect(encoded(date)).toBe('2024-05-01T00:00:00.000Z');
    expect(encoded(date)).toBe('2024-05-01T00:00:00.000Z');
    date.setTime(Date.parse('2025-06-02T03:04:05Z'));
    expect(encoded(date)).toBe('2025-06-02T03:04:05.000Z');
    date.setTime(Number.NaN);
    expect(encoded(date)).toBe('error');
  });

  it('write an Instant (a Date that keeps its API text) exactly like its Date, also after it changes', () => {
    const plain = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2))
      .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    fc.assert(
      fc.property(
        fc.oneof(plain, fc.constantFrom('2015-10-06T17:30:42-04:00', '2015-10-06T21:30:42.123Z')),
        (s) => {
          expect(encoded(new Instant(s))).toBe(viaDate(s));
        },
      ),
      { numRuns: 5_000 },
    );
    const moved = new Instant('2024-05-01T00:00:00Z');
    moved.setTime(Date.parse('2025-06-02T03:04:05Z'));
    expect(encoded(moved)).toBe('2025-06-02T03:04:05.000Z');
  });
});
