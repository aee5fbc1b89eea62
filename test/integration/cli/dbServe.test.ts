/**
 * `pd-warehouse db serve` as a user meets it: a warehouse made by a real sync into a fresh data directory,
 * served by `node bin/pd-warehouse.js db serve` and queried with the real psql; then the mistakes (port in
 * use, the data directory open elsewhere, no warehouse yet, a bad --port).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import type { CliIo } from '../../../src/cli/io.js';
import { openDatabase } from '../../../src/db/client.js';
import { incidents } from '../../../src/db/schema/pagerduty.js';
import { upsertRows } from '../../../src/db/upsert.js';
import { upsertSpecFor } from '../../../src/db/upsertSpec.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const BIN = fileURLToPath(new URL('../../../bin/pd-warehouse.js', import.meta.url));
const PSQL = '/usr/bin/psql';
const HAS_PSQL = existsSync(PSQL);
const NOW = Date.UTC(2026, 9, 1, 12);
const run = promisify(execFile);

/** Runs `main(argv)` in-process with the given environment, capturing its lines. */
async function runMain(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false };
  const code = await main(argv, io);
  return { code, out, err };
}

/** The test process's environment without anything that would pick a database or an account. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(DATABASE_|PAGERDUTY_|PD_WAREHOUSE_|SYNC_|LOG_LEVEL$|PG)/.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

/** `psql -X -At …` (no ~/.psqlrc, unaligned, tuples only); resolves with its trimmed stdout. */
async function psql(args: string[]): Promise<string> {
  const { stdout } = await run(PSQL, ['-X', '-At', ...args], {
    env: cleanEnv({ PGCONNECT_TIMEOUT: '10' }),
    timeout: 20_000,
  });
  return stdout.trim();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `db serve` as a child; resolves once it prints its URL, or rejects with its output if it exits. */
function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'db', 'serve', ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = / at (postgres:\/\/\S+:(\d+)\/postgres);/.exec(stdout);
      if (m?.[1] && m[2]) {
        resolve({ child, url: m[1], port: Number(m[2]), stdout: () => stdout, stderr: () => stderr, exited });
      }
    });
    void exited.then((code) => reject(new Error(`db serve exited with ${code}: ${stdout}${stderr}`)));
  });
}

/** `incident_number` → `incidentNumber`: a stored row read back as the mapper's row. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** SIGTERM, then the exit code; SIGKILL if it has not exited within 10 s. */
async function stopServe(served: Served): Promise<number | null> {
  if (served.child.exitCode !== null) return served.child.exitCode;
  served.child.kill('SIGTERM');
  const timer = setTimeout(() => served.child.kill('SIGKILL'), 10_000);
  try {
    return await served.exited;
  } finally {
    clearTimeout(timer);
  }
}

const TITLE = 'pd-warehouse db serve with psql';
describe.skipIf(!HAS_PSQL)(HAS_PSQL ? TITLE : `${TITLE} (skipped: ${PSQL} is missing)`, () => {
  let sim: Simulator;
  let wh: Warehouse;
  let served: Served | undefined;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 91, preset: 'small', now: NOW });
    wh = createWarehouse('serve', { embedded: true });
    const synced = await syncAgainst(sim, wh);
    expect(synced.code).toBe(0);
    served = await startServe(['--port', String(await freePort())], cleanEnv(wh.env));
  });
  afterAll(async () => {
    if (served) await stopServe(served);
    await sim.close();
    await wh.drop();
  });

  // Proves the acceptance path: a warehouse made with no server answers the real psql over the wire,
  // with the synced rows, both schema-qualified and through the default search_path.
  it('psql counts every synced incident, as pagerduty.incidents and as incidents', async () => {
    const s = served!;
    const { incidents, services } = sim.truth().counts;
    const port = ['-h', '127.0.0.1', '-p', String(s.port), '-U', 'postgres'];
    expect(await psql([...port, '-c', 'select count(*) from pagerduty.incidents'])).toBe(String(incidents));
    expect(await psql([s.url, '-c', 'select count(*) from incidents'])).toBe(String(incidents));
    expect(await psql([s.url, '-c', 'select count(*) from services'])).toBe(String(services));
    expect(await psql([s.url, '-c', 'show search_path'])).toBe('pagerduty, public');
    expect(s.stdout()).toContain(`try: psql '${s.url}'`);
    expect(s.stderr()).toBe('');
  });

  // Proves BI tools' several connections are served (the library's default is a single connection).
  it('answers several clients at once', async () => {
    const sql = 'select count(*) from log_entries';
    const counts = await Promise.all([1, 2, 3, 4].map(() => psql([served!.url, '-c', sql])));
    expect(new Set(counts).size).toBe(1);
    expect(Number(counts[0])).toBeGreaterThan(0);
  });

  // Proves a sync writing through the served URL works: its transactions must not stage batches with
  // COPY … FROM STDIN (as they do on a real server), which would wedge this one.
  it('takes upserts in a transaction through its URL, and still answers afterwards', async () => {
    const db = await openDatabase({ url: served!.url, schema: 'pagerduty' });
    try {
      const [row] = await db.query<Record<string, unknown>>(`SELECT * FROM incidents ORDER BY id LIMIT 1`);
      const base = {
        ...Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [camel(k), v])),
        raw: { served: true },
      };
      const rows = Array.from({ length: 3 }, (_, i) => ({ ...base, id: `PSERVED${i}` }));
      const written = await db.transaction((tx) => upsertRows(tx, upsertSpecFor(incidents), rows));
      expect(written).toEqual({ inserted: 3, updated: 0 });
      expect(await psql([served!.url, '-c', "select count(*) from incidents where id like 'PSERVED%'"])).toBe(
        '3',
      );
    } finally {
      await db.query(`DELETE FROM incidents WHERE id LIKE 'PSERVED%'`);
      await db.close();
    }
  });

  // Proves the data-directory lock holds while serving: a sync on the same directory refuses in one line.
  it('a sync on the same data directory fails in one line naming the server process', async () => {
    const r = await runMain(['sync'], {
      ...wh.env,
      PAGERDUTY_TOKEN: 'test-token',
      PAGERDUTY_API_URL: sim.url,
    });
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`already open in process ${served!.child.pid}`));
  });

  // Proves a clean stop: exit 0, "server stopped", and the lock released for the next sync.
  it('SIGTERM stops it with exit 0 and releases the data directory', async () => {
    const s = served!;
    expect(await stopServe(s)).toBe(0);
    expect(s.stdout()).toMatch(/server stopped\n$/);
    const db = await wh.open();
    await db.close();
  });

  // Proves a taken port is one line naming the port and the flag, exit 1, and leaves the directory unlocked.
  it('a port in use: exit 1, one line naming the port and --port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const r = await runMain(['db', 'serve', '--port', String(port)], wh.env);
      expect(r.code).toBe(1);
      expect(r.err).toEqual([
        `pd-warehouse: port ${port} on 127.0.0.1 is already in use (another Postgres?): pick another with --port`,
      ]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const db = await wh.open();
    await db.close();
  });

  // Proves the reverse of the sync case: while another process (here: this one) has the directory open,
  // `db serve` refuses in one line and exits 1.
  it('a data directory open elsewhere: exit 1, one line naming the owner', async () => {
    const db = await wh.open();
    try {
      const child = spawn(process.execPath, [BIN, 'db', 'serve', '--port', String(await freePort())], {
        env: cleanEnv(wh.env),
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`already open in process ${process.pid}: wait for it`));
    } finally {
      await db.close();
    }
  });
});

describe('pd-warehouse db serve: mistakes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pdw-serve-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves a bad --port is a usage error (exit 2) that names the range, before anything is opened.
  it.each(['0', '65536', 'abc', '80.5'])('--port %s is a usage error', async (port) => {
    const r = await runMain(['db', 'serve', '--port', port], { PD_WAREHOUSE_DATA_DIR: join(dir, 'none') });
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`pd-warehouse: --port must be an integer from 1 to 65535 (got '${port}')`]);
  });

  // Proves a directory with no warehouse is refused with the command that makes one, and is not created.
  it('no warehouse yet: exit 1 with a hint to run sync or demo, nothing created', async () => {
    const dataDir = join(dir, 'fresh');
    const r = await runMain(['db', 'serve'], { PD_WAREHOUSE_DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(`no embedded database in ${dataDir}: run 'pd-warehouse sync'`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('DATABASE_URL set: exit 2, connect to that server instead', async () => {
    const r = await runMain(['db', 'serve'], { DATABASE_URL: 'postgres://u@127.0.0.1:1/x' });
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/DATABASE_URL is set/);
  });

  it('--help lists the flags and defaults; an unknown subcommand is a usage error', async () => {
    const help = await runMain(['db', 'serve', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toMatch(/--port N .*default 5432[\s\S]*--host H .*default 127\.0\.0\.1/);
    const bad = await runMain(['db', 'nope'], {});
    expect(bad.code).toBe(2);
  });
});
