import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countTicks, durationTicks, labelEvery } from '../../../src/report/scale.js';

describe('chart scales', () => {
  it('puts duration ticks on human steps, covering the largest value', () => {
    expect(durationTicks(250)).toEqual({ max: 360, values: [0, 120, 240, 360] });
    expect(durationTicks(7500)).toEqual({ max: 10_800, values: [0, 3600, 7200, 10_800] });
    expect(durationTicks(0).values).toEqual([0, 1]);
  });

  it('always has 2 to 5 ticks, the top one at or above the largest value', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 5e6, noNaN: true }), (v) => {
        const t = durationTicks(v);
        expect(t.max).toBeGreaterThanOrEqual(v);
        expect(t.values.length).toBeGreaterThanOrEqual(2);
        expect(t.values.length).toBeLessThanOrEqual(5);
        expect(t.values.at(-1)).toBe(t.max);
      }),
    );
  });

  it('counts on 1-2-5 steps, and thins week labels', () => {
    expect(countTicks(7)).toEqual({ max: 8, values: [0, 2, 4, 6, 8] });
    expect(countTicks(24).max).toBe(30);
    expect(countTicks(0)).toEqual({ max: 1, values: [0, 1] });
    expect(countTicks(130).max).toBe(150);
    expect(labelEvery(13)).toBe(2);
    expect(labelEvery(9)).toBe(1);
    expect(labelEvery(58)).toBe(7);
  });
});
