/** Axis arithmetic for the charts: "nice" duration and count ticks. Pure. */

/** Tick steps a person reads at a glance: seconds, minutes, hours, days. */
const DURATION_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800,
  432_000, 604_800,
];

export interface Ticks {
  /** The axis top (a multiple of the step, ≥ the largest value). */
  max: number;
  values: number[];
}

/** At most `maxTicks` steps from 0 up to at least `maxValue`, on a human duration step. */
export function durationTicks(maxValue: number, maxTicks = 4): Ticks {
  const top = Math.max(maxValue, 1);
  const step =
    DURATION_STEPS.find((s) => top / s <= maxTicks) ?? Math.ceil(top / maxTicks / 604_800) * 604_800;
  return stepTicks(top, step);
}

/** Integer ticks (1, 2, 5 × 10ⁿ steps) from 0 up to at least `maxValue`. */
export function countTicks(maxValue: number, maxTicks = 4): Ticks {
  const top = Math.max(maxValue, 1);
  let step = 1;
  for (let magnitude = 1; ; magnitude *= 10) {
    const found = [1, 2, 5].map((m) => m * magnitude).find((s) => top / s <= maxTicks);
    if (found !== undefined) {
      step = found;
      break;
    }
  }
  return stepTicks(top, step);
}

function stepTicks(top: number, step: number): Ticks {
  const max = Math.ceil(top / step) * step;
  const values: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) values.push(v);
  return { max, values };
}

/** Which of `n` weekly columns get an x label: every k-th, k chosen so at most `maxLabels` show. */
export function labelEvery(n: number, maxLabels = 9): number {
  return Math.max(1, Math.ceil(n / maxLabels));
}
