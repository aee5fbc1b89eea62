/**
 * PGlite has no guard against a second open of the same data directory, and two instances writing
 * one directory corrupt it (its postmaster.pid holds a fake pid). So the embedded database takes a
 * lock file first: `<dataDir>/pd-warehouse.lock` with the owner's pid; a stale file (dead owner) is
 * replaced.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SyncError } from '../errors.js';

const LOCK_FILE = 'pd-warehouse.lock';

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

async function ownerOf(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Takes the directory's lock or throws a one-line SyncError naming the owner; returns the release. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return async () => {
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const owner = await ownerOf(path);
    if (owner !== undefined && isAlive(owner)) {
      const who = owner === process.pid ? 'this process' : `process ${owner}`;
      throw new SyncError(
        `the embedded database at ${dataDir} is already open in ${who}: wait for it to finish or use another PD_WAREHOUSE_DATA_DIR`,
        { dataDir, owner },
      );
    }
    // The owner died without cleaning up: the directory is free.
    await unlink(path).catch(() => undefined);
  }
  throw new SyncError(`cannot lock the embedded database at ${dataDir}: ${LOCK_FILE} keeps reappearing`);
}
