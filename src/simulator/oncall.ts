import type { EscalationPolicyRec, ScheduleLayerRec, ScheduleRec } from './model.js';

/** One contiguous on-call period of the final schedule. */
export interface Shift {
  start: number;
  end: number;
  userId: string;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function layerUserAt(layer: ScheduleLayerRec, at: number): string | null {
  if (at < layer.start || layer.userIds.length === 0) return null;
  const turn = Math.floor((at - layer.rotationVirtualStart) / (layer.turnSeconds * 1000));
  return layer.userIds[mod(turn, layer.userIds.length)] ?? null;
}

/** Who the schedule puts on call at `at`: an override first, else the highest layer that covers it. */
export function scheduleUserAt(schedule: ScheduleRec, at: number): string | null {
  for (const o of schedule.overrides) if (o.start <= at && at < o.end) return o.userId;
  for (let i = schedule.layers.length - 1; i >= 0; i--) {
    const layer = schedule.layers[i];
    const user = layer ? layerUserAt(layer, at) : null;
    if (user) return user;
  }
  return null;
}

function layerShifts(layer: ScheduleLayerRec, from: number, to: number): Shift[] {
  const turnMs = layer.turnSeconds * 1000;
  const out: Shift[] = [];
  const first = Math.floor((Math.max(from, layer.start) - layer.rotationVirtualStart) / turnMs);
  for (let k = first; ; k++) {
    const start = Math.max(layer.rotationVirtualStart + k * turnMs, layer.start);
    if (start >= to) break;
    const end = layer.rotationVirtualStart + (k + 1) * turnMs;
    const userId = layer.userIds[mod(k, layer.userIds.length)];
    if (userId && end > from) out.push({ start, end, userId });
  }
  return out;
}

/**
 * The final schedule's shifts overlapping [from, to). Shifts keep their real bounds (they are not clipped
 * to the range), overrides cut into the rotation, and back-to-back shifts of one user merge.
 */
export function scheduleShifts(schedule: ScheduleRec, from: number, to: number): Shift[] {
  // The top layer covers all time from its start, so it alone defines the rotation; lower layers only
  // fill time before it started.
  const layers = [...schedule.layers].reverse();
  let base: Shift[] = [];
  let coveredFrom = Infinity;
  for (const layer of layers) {
    const upTo = Math.min(coveredFrom, to);
    if (upTo > from) {
      const part = layerShifts(layer, from, upTo).map((s) => ({ ...s, end: Math.min(s.end, coveredFrom) }));
      base = [...part.filter((s) => s.end > s.start), ...base];
    }
    coveredFrom = Math.min(coveredFrom, layer.start);
  }
  const cut = applyOverrides(base, schedule.overrides, from, to);
  return mergeShifts(cut).filter((s) => s.start < to && s.end > from);
}

function applyOverrides(
  shifts: Shift[],
  overrides: ScheduleRec['overrides'],
  from: number,
  to: number,
): Shift[] {
  let out = shifts;
  for (const o of overrides) {
    if (o.end <= from || o.start >= to) continue;
    const next: Shift[] = [];
    for (const s of out) {
      if (s.end <= o.start || s.start >= o.end) {
        next.push(s);
        continue;
      }
      if (s.start < o.start) next.push({ start: s.start, end: o.start, userId: s.userId });
      if (s.end > o.end) next.push({ start: o.end, end: s.end, userId: s.userId });
    }
    next.push({ start: o.start, end: o.end, userId: o.userId });
    out = next.sort((a, b) => a.start - b.start);
  }
  return out;
}

function mergeShifts(shifts: Shift[]): Shift[] {
  const out: Shift[] = [];
  for (const s of shifts) {
    const last = out[out.length - 1];
    if (last && last.userId === s.userId && last.end === s.start) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

/** One /oncalls entry before rendering. Direct user targets are always on call: start and end null. */
export interface OncallRec {
  escalationPolicyId: string;
  escalationLevel: number;
  scheduleId: string | null;
  userId: string;
  start: number | null;
  end: number | null;
}

export function escalationPolicyOncalls(
  ep: EscalationPolicyRec,
  schedules: ReadonlyMap<string, ScheduleRec>,
  from: number,
  to: number,
): OncallRec[] {
  const out: OncallRec[] = [];
  ep.rules.forEach((rule, i) => {
    for (const target of rule.targets) {
      const base = { escalationPolicyId: ep.id, escalationLevel: i + 1 };
      if (target.type === 'user') {
        out.push({ ...base, scheduleId: null, userId: target.id, start: null, end: null });
        continue;
      }
      const schedule = schedules.get(target.id);
      if (!schedule) continue;
      for (const s of scheduleShifts(schedule, from, Math.max(to, from + 1000))) {
        out.push({ ...base, scheduleId: schedule.id, userId: s.userId, start: s.start, end: s.end });
      }
    }
  });
  return out;
}
