#!/usr/bin/env node
// Entry point of `npx pd-warehouse`: runs the compiled CLI from dist/, or the TypeScript sources through tsx
// in a git checkout that has not been built.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli.js', import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/cli.ts', import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
