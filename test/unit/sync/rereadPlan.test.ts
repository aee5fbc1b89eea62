import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRereads, type HeldChange } from '../../../src/sync/rereadPlan.js';

const DAY = 86_400_000;
const limits = { maxIncidents: 1000, maxMs: 180 * DAY };

/**
 * A stored history: incident creation times (whole seconds), and which of them changed. Returns the
 * planner's input built the way the database query builds it, and the history to check spans against.
 */
function held(times: number[], changedIdx: number[]): { changes: HeldChange[]; times: number[] } {
  const sorted = [...times].sort((a, b) => a - b);
  const picked = [...new Set(changedIdx.map((i) => i % sorted.length))].sort((a, b) => a - b);
  const between = (from: number, to: number) => sorted.filter((t) => t >= from && t < to).length;
  const changes = picked.map((idx, n) => {
    const at = sorted[idx] ?? 0;
    const next = picked[n + 1];
    const nextAt = next === undefined ? at + 1000 : (sorted[next] ?? 0);
    return { id: `I${idx}`, at, following: between(at, nextAt), sameSecond: between(at, at + 1000) };
  });
  return { changes, times: sorted };
}

const history = fc
  .array(fc.integer({ min: 0, max: 400 * 86_400 }), { minLength: 1, maxLength: 600 })
  .map((seconds) => seconds.map((s) => s * 1000));

describe('planRereads', () => {
  it('lists a span only where that is cheaper, and covers every changed incident exactly once', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(), { minLength: 1, maxLength: 80 }), (times, idx) => {
        const { changes, times: sorted } = held(times, idx);
        const plan = planRereads(changes, limits);
        const covered = [...plan.singles, ...plan.spans.flatMap((s) => s.ids)];
        expect(covered.sort()).toEqual(changes.map((c) => c.id).sort());
        let requests = plan.singles.length;
        for (const span of plan.spans) {
          // The span holds each of its incidents, at most maxIncidents stored ones, within maxMs.
          const stored = sorted.filter((t) => t >= span.since && t < span.until).length;
          for (const id of span.ids) {
            const at = changes.find((c) => c.id === id)?.at ?? -1;
            expect(at >= span.since && at < span.until).toBe(true);
          }
          expect(stored).toBeLessThanOrEqual(limits.maxIncidents);
          expect(span.until - span.since).toBeLessThanOrEqual(limits.maxMs + 1000);
          expect(span.pages).toBe(Math.max(1, Math.ceil(stored / 100)));
          // Strictly cheaper than reading its incidents one by one.
          expect(span.pages).toBeLessThan(span.ids.length);
          requests += span.pages;
        }
        expect(requests).toBeLessThanOrEqual(changes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('lists neighbours that share a page and reads a lone incident by id', () => {
    // 300 incidents a day for 3 days; changed: two within the same hour, three spread over day 2, one alone.
    const times = Array.from({ length: 900 }, (_, i) => i * 288_000);
    const { changes } = held(times, [10, 11, 400, 420, 440, 890]);
    const plan = planRereads(changes, limits);
    expect(plan.spans.map((s) => [s.ids, s.pages])).toEqual([
      [['I10', 'I11'], 1],
      [['I400', 'I420', 'I440'], 1],
    ]);
    expect(plan.singles).toEqual(['I890']);
  });

  it('reads one by one when no span is cheaper', () => {
    const times = Array.from({ length: 5000 }, (_, i) => i * 1000);
    const { changes } = held(times, [0, 2000, 4000]);
    expect(planRereads(changes, limits)).toEqual({ spans: [], singles: ['I0', 'I2000', 'I4000'] });
    expect(planRereads([], limits)).toEqual({ spans: [], singles: [] });
  });
});
