/** Count, mean, median and p90 of a list of durations (seconds), as the warehouse's views compute them. */
export interface Distribution {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { count: 0, mean: null, median: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  // Continuous percentiles, the same definition as Postgres percentile_cont.
  const pct = (p: number) => {
    const pos = (sorted.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
  };
  return {
    count: values.length,
    mean: values.reduce((s, v) => s + v, 0) / values.length,
    median: pct(0.5),
    p90: pct(0.9),
  };
}
