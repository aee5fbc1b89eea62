/** The benchmark's knobs, all from BENCH_* environment variables (documented in bench/README.md). */

export const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A positive integer from the environment (underscores allowed: 1_000_000), else `fallback`. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name]?.replaceAll('_', '').trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (got '${raw}')`);
  return n;
}

/** A comma-separated list of positive integers, else `fallback`. */
export function envIntList(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name]?.trim();
  if (!raw) return [...fallback];
  return raw.split(',').map((part) => {
    const n = Number(part.replaceAll('_', '').trim());
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: '${part}' is not a positive integer`);
    return n;
  });
}

/** Sections chosen by BENCH_ONLY or the command line (`tsx bench/run.ts budget upsert`); null = all. */
export function selectedSections(argv: readonly string[]): Set<string> | null {
  const names = [...argv, ...(process.env.BENCH_ONLY ?? '').split(',')].map((s) => s.trim()).filter(Boolean);
  return names.length > 0 ? new Set(names) : null;
}
