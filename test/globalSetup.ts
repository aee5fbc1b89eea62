/**
 * Vitest globalSetup: picks the integration-test database ONCE per run and hands the choice to the
 * test workers through `provide`/`inject` (see test/helpers/database.ts).
 *
 * Order (STYLE.md "Tests"):
 *  1. `TEST_DATABASE_URL` if set (CI: the machine's local PostgreSQL 15);
 *  2. a testcontainers `postgres:15-alpine` when a Docker engine answers;
 *  3. embedded PGlite, so `npm test` also passes on a bare machine.
 *
 * testcontainers 11.14 without Docker throws "Could not find a working container runtime strategy"
 * within a few ms (research P3), so probing is cheap; any failure falls through to PGlite.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';

/** The database every integration test file gets a private schema (or instance) in. */
export type TestDatabase = { kind: 'url'; url: string } | { kind: 'pglite'; url?: undefined };

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabase;
  }
}

const POSTGRES_IMAGE = 'postgres:15-alpine';

function log(message: string): void {
  process.stdout.write(`[globalSetup] ${message}\n`);
}

/** Hides the password so a CI log never shows it. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable TEST_DATABASE_URL>';
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Cheap pre-check, then the real probe; never throws. */
async function dockerAnswers(): Promise<boolean> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainer(): Promise<StartedPostgreSqlContainer | undefined> {
  if (!(await dockerAnswers())) return undefined;
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    return await new PostgreSqlContainer(POSTGRES_IMAGE).start();
  } catch (error) {
    // Docker answered but the container did not come up (e.g. no image offline): still run on PGlite.
    log(`Docker answered but ${POSTGRES_IMAGE} failed to start (${errorMessage(error)}); falling back`);
    return undefined;
  }
}

/** Returns the teardown (stop the container) when there is something to tear down. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const envUrl = process.env.TEST_DATABASE_URL;
  if (envUrl) {
    log(`test database: TEST_DATABASE_URL ${redact(envUrl)}`);
    project.provide('testDatabase', { kind: 'url', url: envUrl });
    return undefined;
  }

  const container = await startContainer();
  if (container) {
    const url = container.getConnectionUri();
    log(`test database: testcontainers ${POSTGRES_IMAGE} ${redact(url)}`);
    project.provide('testDatabase', { kind: 'url', url });
    return async () => {
      await container.stop();
    };
  }

  log('test database: embedded PGlite (no TEST_DATABASE_URL, no Docker engine)');
  project.provide('testDatabase', { kind: 'pglite' });
  return undefined;
}
