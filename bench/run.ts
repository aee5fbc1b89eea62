/**
 * `npm run bench`: every benchmark section (bench/README.md), one table, bench/results.json.
 * Choose sections with BENCH_ONLY=budget,upsert or as arguments (`npm run bench -- budget upsert`).
 * Exits 0 when targets are missed (a benchmark measures; the MISSED lines say what), 1 when a section failed.
 */
import { availableParallelism } from 'node:os';
import { selectedSections } from './lib/env.js';
import type { Figure } from './lib/figure.js';
import { printTable, writeResults } from './lib/report.js';
import type { Section } from './lib/section.js';
import { budgetSection } from './sections/budget.js';
import { incrementalSection } from './sections/incremental.js';
import { upsertSection } from './sections/upsert.js';
import { unthrottledSection } from './sections/unthrottled.js';
import { memorySection } from './sections/memory.js';
import { simulatorSection } from './sections/simulator.js';

const SECTIONS: readonly Section[] = [
  budgetSection,
  unthrottledSection,
  incrementalSection,
  memorySection,
  upsertSection,
  simulatorSection,
];

const chosen = selectedSections(process.argv.slice(2));
const unknown = [...(chosen ?? [])].filter((name) => !SECTIONS.some((s) => s.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown section(s) ${unknown.join(', ')}: choose from ${SECTIONS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const sections = SECTIONS.filter((s) => !chosen || chosen.has(s.name));
const started = performance.now();
console.log(
  `pd-warehouse benchmark: ${sections.map((s) => s.name).join(', ')} (${availableParallelism()} cores, node ${process.version}, ${new Date().toISOString()})`,
);
const figures: Figure[] = [];
const failed: string[] = [];
for (const section of sections) {
  const t0 = performance.now();
  console.log(`\n== ${section.name}: ${section.title}`);
  try {
    const out = await section.run({ log: (line) => console.log(line) });
    figures.push(...out);
    console.log(`   ${section.name} done in ${Math.round((performance.now() - t0) / 1000)} s`);
  } catch (err) {
    failed.push(section.name);
    console.error(
      `FAILED section ${section.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
}
console.log('');
printTable(figures);
writeResults(figures, new Set(sections.filter((s) => !failed.includes(s.name)).map((s) => s.name)));
console.log(
  `\nbenchmark took ${Math.round((performance.now() - started) / 1000)} s; figures in bench/results.json`,
);
if (failed.length > 0) {
  console.error(`sections that failed (no figures): ${failed.join(', ')}`);
  process.exitCode = 1;
}
