/**
 * Real PagerDuty payloads and the API spec live in `../shared` next to the repo, which a clean
 * clone (CI) does not have. Tests that read them use
 * `describe.skipIf(!sharedDir())('... (skipped: ' + SHARED_MISSING_REASON + ')', ...)` so the
 * skip is visible in the report instead of silently passing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Why fixture-comparison tests were skipped. */
export const SHARED_MISSING_REASON = '../shared is not present: fixture comparison skipped';

/** Absolute path of `../shared` relative to the repo root, or undefined when it is absent. */
export function sharedDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../shared', import.meta.url));
  return existsSync(dir) ? dir : undefined;
}
