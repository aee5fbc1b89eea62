import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bisect, nextWindow, nextWindowSize, windowedFrom, type Window } from '../../../src/sync/windows.js';

const S = 1000;

/** Walks [from, to) like the engine does: windows of varying size, some bisected (recursively). */
function cover(from: number, to: number, sizes: number[], splits: boolean[]): Window[] {
  const out: Window[] = [];
  let start = from;
  let i = 0;
  const visit = (w: Window) => {
    const halves = w.depth < 6 && splits[i++ % splits.length] ? bisect(w) : null;
    if (halves) halves.forEach(visit);
    else out.push(w);
  };
  while (start < to) {
    const w = nextWindow(start, sizes[i % sizes.length] ?? S, to);
    visit(w);
    start = w.end;
  }
  return out;
}

describe('window planning', () => {
  it('covers [from, to) exactly — no gap, no overlap — under any split pattern', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 2e5 }),
        fc.array(fc.integer({ min: 600, max: 2e5 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
        (fromS, spanS, sizesS, splits) => {
          const from = fromS * S;
          const to = from + spanS * S;
          const ws = cover(
            from,
            to,
            sizesS.map((x) => x * S),
            splits,
          );
          const gaps = ws.filter((w, k) => k > 0 && w.start !== ws[k - 1]?.end);
          const bad = ws.filter((w) => w.end <= w.start || w.start % S !== 0);
          expect([ws[0]?.start, ws.at(-1)?.end, gaps.length, bad.length]).toEqual([from, to, 0, 0]);
        },
      ),
    );
  });

  it('bisects at whole seconds and stops at one second', () => {
    expect(bisect({ start: 0, end: 3 * S, depth: 0 })).toEqual([
      { start: 0, end: S, depth: 1 },
      { start: S, end: 3 * S, depth: 1 },
    ]);
    expect(bisect({ start: 5 * S, end: 6 * S, depth: 4 })).toBeNull();
  });

  it('starts at the cursor minus the overlap, but never before the configured start', () => {
    expect(windowedFrom(null, 600 * S, 1000 * S, false)).toBe(1000 * S);
    expect(windowedFrom(5000 * S, 600 * S, 1000 * S, false)).toBe(4400 * S);
    expect(windowedFrom(1200 * S, 600 * S, 1000 * S, false)).toBe(1000 * S);
    expect(windowedFrom(5000 * S, 600 * S, 1000 * S, true)).toBe(1000 * S);
  });

  it('sizes the next window from the observed density', () => {
    const policy = { targetRows: 5000, minMs: S, maxMs: 180 * 86_400 * S };
    // 10,000 rows in a day: the next window aims at half a day.
    expect(nextWindowSize(86_400 * S, 10_000, 86_400 * S, policy)).toBe(43_200 * S);
    // An empty window grows, but at most 4× at a time, and never past the maximum.
    expect(nextWindowSize(86_400 * S, 0, 86_400 * S, policy)).toBe(4 * 86_400 * S);
    expect(nextWindowSize(100 * 86_400 * S, 0, 100 * 86_400 * S, policy)).toBe(180 * 86_400 * S);
  });
});
