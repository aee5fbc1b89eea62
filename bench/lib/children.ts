/** Child processes of the bench: the simulator server and the sync, each in its own Node process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimServerOptions, SimServerReady } from '../simServer.js';
import { compiledBenchScript } from './compiled.js';
import { lazySimulatorAvailable } from './lazy.js';

const script = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));

/**
 * Spawns a bench TypeScript entry with the same loader (tsx) as this process, or, `compiled`, its
 * compiled JavaScript on plain Node (bench/lib/compiled.ts): how the sync runs in production.
 */
export function spawnBenchScript(
  name: string,
  arg: unknown,
  env: NodeJS.ProcessEnv = process.env,
  compiled = false,
) {
  const entry = compiled ? [compiledBenchScript(name)] : [...process.execArgv, script(name)];
  // BENCH_NODE_ARGS: extra node flags for the children, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  return spawn(process.execPath, [...extra, ...entry, JSON.stringify(arg)], {
    // stdin stays open for the child's lifetime: bench/simServer.ts exits when it closes.
    stdio: ['pipe', 'pipe', 'inherit'],
    env,
  });
}

/** Calls `onLine` with every stdout line of `child`. */
export function onLines(child: ChildProcess, onLine: (line: string) => void): void {
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
}

export interface SimProcess extends SimServerReady {
  /** The account's clock (GET /_sim/health), epoch ms. */
  now: number;
  pid: number;
  stop(): Promise<void>;
}

/** Starts bench/simServer.ts (lazy when the simulator supports it) and resolves once it listens. */
export function startSimProcess(
  opts: Omit<SimServerOptions, 'lazy'>,
  log: (line: string) => void,
): Promise<SimProcess> {
  const lazy = lazySimulatorAvailable();
  if (!lazy)
    log(
      `note: the simulator has no lazy mode yet; generating ${opts.incidents} incidents eagerly in its process`,
    );
  // Compiled like the sync: tsx's transform (and its keep-names wrappers) would bill the bench's API stand-in
  // for CPU that the machine's other processes need.
  const child = spawnBenchScript(
    'simServer.ts',
    { ...opts, lazy } satisfies SimServerOptions,
    process.env,
    true,
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const ready = new Promise<SimServerReady>((resolve, reject) => {
    onLines(child, (line) => resolve(JSON.parse(line) as SimServerReady));
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code} before listening`)));
  });
  return ready.then(async (r) => {
    try {
      const health = await simControl<{ now: string }>(r.url, '/_sim/health');
      return { ...r, now: Date.parse(health.now), pid: child.pid ?? 0, stop };
    } catch (err) {
      await stop();
      throw err;
    }
  });
}

/** GET a simulator control endpoint (/_sim/…) of a simulator in another process. */
export async function simControl<T>(url: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`);
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

/** Resident set size of a process now (VmRSS) and at its peak (VmHWM), bytes; null once it has gone. */
export function procMemory(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}
