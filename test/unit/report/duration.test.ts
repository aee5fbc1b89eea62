import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatMaybe, formatTick } from '../../../src/report/duration.js';

describe('human durations', () => {
  it('shows two units at most, the second zero-padded', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [0.4, '0s'],
      [45, '45s'],
      [59.4, '59s'],
      [59.6, '1m 00s'],
      [250, '4m 10s'],
      [3599.6, '1h 00m'],
      [7500, '2h 05m'],
      [86_399, '1d 00h'],
      [93_600, '1d 02h'],
      [30 * 86_400, '30d 00h'],
    ];
    for (const [s, text] of cases) expect(formatDuration(s), String(s)).toBe(text);
  });

  it('never shows a carried unit (60s, 60m, 24h)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e8, noNaN: true }), (s) => {
        expect(formatDuration(s)).not.toMatch(/\b60[sm]|\b24h/);
      }),
    );
  });

  it('drops a zero second unit on axis ticks and marks missing values', () => {
    expect(formatTick(7200)).toBe('2h');
    expect(formatTick(5400)).toBe('1h 30m');
    expect(formatTick(0)).toBe('0s');
    expect(formatMaybe(null)).toBe('-');
    expect(formatMaybe(61)).toBe('1m 01s');
  });
});
