/** Prints the figures as one table and merges them into bench/results.json. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Figure } from './figure.js';

export const RESULTS_FILE = new URL('../results.json', import.meta.url);

function formatValue(f: Figure): string {
  return `${f.value.toLocaleString('en-US')} ${f.unit}`;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | '));
}

export function printTable(figures: readonly Figure[]): void {
  const rows = [
    ['figure', 'value', 'target', 'pass'],
    ...figures.map((f) => [
      f.name,
      formatValue(f),
      f.target?.text ?? '—',
      f.pass === null ? '—' : f.pass ? 'yes' : 'MISSED',
    ]),
  ];
  const lines = pad(rows);
  console.log(lines[0]);
  console.log((lines[0] ?? '').replace(/[^|]/g, '-'));
  for (const line of lines.slice(1)) console.log(line);
  const missed = figures.filter((f) => f.pass === false);
  if (missed.length > 0) {
    for (const f of missed)
      console.log(`MISSED: ${f.name}: ${formatValue(f)}, target ${f.target?.text ?? ''}`);
  } else if (figures.some((f) => f.pass)) {
    console.log('every target met');
  }
}

interface ResultsFile {
  updated: string;
  figures: Figure[];
}

/** Figures of the current bench/results.json that `keep` selects (none when it is missing or unreadable). */
export function previousFigures(keep: (f: Figure) => boolean): Figure[] {
  if (!existsSync(RESULTS_FILE)) return [];
  try {
    const old = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Partial<ResultsFile>;
    return (old.figures ?? []).filter(keep);
  } catch {
    return [];
  }
}

/**
 * Writes bench/results.json: this run's figures, plus those of sections not run this time kept from the
 * file as it was (each figure carries its own date).
 */
export function writeResults(figures: readonly Figure[], ranSections: ReadonlySet<string>): void {
  const kept = previousFigures((f) => !ranSections.has(f.section));
  const out: ResultsFile = { updated: new Date().toISOString(), figures: [...kept, ...figures] };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(out, null, 2)}\n`);
}
