/**
 * One benchmark figure as it lands in bench/results.json: the measured value, its target (when it has
 * one) and whether the measurement met it. `pass` is always computed here from the value, never given.
 */
import { availableParallelism, loadavg } from 'node:os';

export type Comparison = '<' | '<=' | '>=' | '==';

export interface Target {
  /** Human form, e.g. `<= 1.1`. */
  text: string;
  op: Comparison;
  value: number;
}

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** null: a measurement reported for context, with nothing to meet. */
  target: Target | null;
  /** null when there is no target. */
  pass: boolean | null;
  cores: number;
  /** ISO instant the figure was measured. */
  date: string;
  node: string;
  details: Record<string, unknown>;
}

/** A target; its text gets the figure's unit when the figure is made. */
export function target(op: Comparison, value: number): Target {
  return { text: `${op} ${value.toLocaleString('en-US')}`, op, value };
}

function meets(value: number, t: Target): boolean {
  if (!Number.isFinite(value)) return false;
  switch (t.op) {
    case '<':
      return value < t.value;
    case '<=':
      return value <= t.value;
    case '>=':
      return value >= t.value;
    case '==':
      return value === t.value;
  }
}

/** Rounds to a precision that suits the magnitude (ratios keep 3 decimals, big counts none). */
export function tidy(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return Number(value.toFixed(digits));
}

/** A figure; `pass` is computed from the (tidied) value that is also the one reported. */
export function figure(
  section: string,
  name: string,
  value: number,
  unit: string,
  goal: Target | null,
  details: Record<string, unknown> = {},
): Figure {
  const v = tidy(value);
  return {
    section,
    name,
    value: v,
    unit,
    target: goal ? { ...goal, text: `${goal.text} ${unit}` } : null,
    pass: goal ? meets(v, goal) : null,
    cores: availableParallelism(),
    date: new Date().toISOString(),
    node: process.version,
    // Other work on the machine skews timings: the 1-minute load average when the figure was taken.
    details: { ...details, load_avg_1m: Number((loadavg()[0] ?? 0).toFixed(2)) },
  };
}
