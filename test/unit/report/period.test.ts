import { describe, expect, it } from 'vitest';
import { isoWeekLabel, parseSince, weekStartOf, weeksBetween } from '../../../src/report/period.js';

describe('report period', () => {
  const now = new Date('2026-04-08T15:30:00Z'); // a Wednesday

  it('reads --since as a duration back from now or as an ISO date/instant', () => {
    expect(parseSince('90d', now)?.toISOString()).toBe('2026-01-08T15:30:00.000Z');
    expect(parseSince('12h', now)?.toISOString()).toBe('2026-04-08T03:30:00.000Z');
    expect(parseSince('2026-01-05', now)?.toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(parseSince('2026-01-05T09:00:00+02:00', now)?.toISOString()).toBe('2026-01-05T07:00:00.000Z');
    for (const bad of ['', '90', 'yesterday', '2026-13-45', '2026-01-05T09:00']) {
      expect(parseSince(bad, now), bad).toBeNull();
    }
  });

  it('starts weeks on Monday, UTC', () => {
    expect(weekStartOf(now).toISOString()).toBe('2026-04-06T00:00:00.000Z');
    expect(weekStartOf(new Date('2026-04-05T23:59:59Z')).toISOString()).toBe('2026-03-30T00:00:00.000Z');
    expect(weekStartOf(new Date('2026-04-06T00:00:00Z')).toISOString()).toBe('2026-04-06T00:00:00.000Z');
  });

  it('labels ISO weeks as Postgres IYYY-"W"IW does, across year ends', () => {
    expect(isoWeekLabel(new Date('2026-04-06T00:00:00Z'))).toBe('2026-W15');
    expect(isoWeekLabel(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeekLabel(new Date('2020-12-28T00:00:00Z'))).toBe('2020-W53');
    expect(isoWeekLabel(new Date('2027-01-04T00:00:00Z'))).toBe('2027-W01');
  });

  it('lists every week from the one containing since to the current one', () => {
    const weeks = weeksBetween(new Date('2026-03-18T00:00:00Z'), now);
    expect(weeks.map((w) => w.isoWeek)).toEqual(['2026-W12', '2026-W13', '2026-W14', '2026-W15']);
    expect(weeks[0]?.weekStart).toBe('2026-03-16');
    expect(weeksBetween(now, now)).toHaveLength(1);
  });
});
