import { describe, expect, it } from 'vitest';
import { Account } from '../../../src/simulator/account.js';
import { escalationPolicyOncalls, scheduleShifts, scheduleUserAt } from '../../../src/simulator/oncall.js';
import type { ScheduleRec } from '../../../src/simulator/model.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);

const schedule = (): ScheduleRec => ({
  id: 'PSCHED1',
  name: 'Primary',
  description: null,
  timeZone: 'UTC',
  teamIds: [],
  overrides: [],
  layers: [
    {
      id: 'L1',
      name: 'Layer 1',
      start: T0,
      rotationVirtualStart: T0,
      turnSeconds: 12 * 3600,
      userIds: ['A', 'B', 'C'],
    },
  ],
});

describe('schedule shifts', () => {
  it('rotate users turn by turn and tile the range with no gap or overlap', () => {
    const shifts = scheduleShifts(schedule(), T0 + 5 * H, T0 + 60 * H);
    expect(shifts.map((s) => s.userId)).toEqual(['A', 'B', 'C', 'A', 'B']); // [60h, 72h) starts at the range's end
    expect(shifts[0]?.start).toBe(T0); // real bounds, not clipped to the range
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]?.start).toBe(shifts[i - 1]?.end);
  });

  it('let overrides cut into the rotation', () => {
    const s = schedule();
    s.overrides.push({ id: 'O1', start: T0 + 2 * H, end: T0 + 4 * H, userId: 'Z' });
    const shifts = scheduleShifts(s, T0, T0 + 12 * H);
    expect(shifts.map((x) => [x.userId, (x.start - T0) / H, (x.end - T0) / H])).toEqual([
      ['A', 0, 2],
      ['Z', 2, 4],
      ['A', 4, 12],
    ]);
    expect(scheduleUserAt(s, T0 + 3 * H)).toBe('Z');
    expect(scheduleUserAt(s, T0 + 5 * H)).toBe('A');
  });

  it('nobody before the layer starts', () => {
    expect(scheduleUserAt(schedule(), T0 - 1)).toBeNull();
  });
});

describe('escalation policy on-calls', () => {
  it('list schedule shifts per level and direct user targets as always on (null start and end)', () => {
    const acc = new Account({ seed: 3, preset: 'small' });
    const all = acc.escalationPolicies.flatMap((ep) =>
      escalationPolicyOncalls(ep, acc.byId.schedules, acc.now, acc.now),
    );
    expect(all.some((o) => o.scheduleId === null && o.start === null && o.end === null)).toBe(true);
    for (const o of all.filter((x) => x.scheduleId !== null)) {
      expect(o.start ?? Infinity).toBeLessThanOrEqual(acc.now);
      expect(o.end ?? -Infinity).toBeGreaterThan(acc.now);
    }
  });
});
