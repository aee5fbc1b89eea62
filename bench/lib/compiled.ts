/**
 * The sync child as production runs it: compiled JavaScript on plain Node, not TypeScript through tsx
 * (whose transformer alone adds ~70 MB of RSS and its own CPU). Built once per bench run into
 * .bench-build/ (git-ignored) with tsconfig.bench.json; migrations/ is linked beside it so the compiled
 * src/db/migrate.js finds the folder where the source tree has it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
let built = false;

/** Compiles src/ and bench/ (once); returns the path of the compiled `script` under bench/. */
export function compiledBenchScript(script: string): string {
  if (!built) {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.bench.json'], {
      cwd: root,
      stdio: 'inherit',
    });
    const link = `${root}.bench-build/migrations`;
    if (!existsSync(link)) symlinkSync('../migrations', link);
    built = true;
  }
  return `${root}.bench-build/bench/${script.replace(/\.ts$/, '.js')}`;
}
