import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../src/simulator/index.js';
import type { Warehouse } from './syncHarness.js';

const BIN = fileURLToPath(new URL('../../bin/pd-warehouse.js', import.meta.url));

export interface Worker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

/** `pd-warehouse worker` as a child process against `sim`, into `wh`. */
export function startWorker(sim: Simulator, wh: Warehouse, env: Record<string, string>): Worker {
  const base = { ...process.env };
  for (const name of Object.keys(base)) {
    if (/^(DATABASE_|PAGERDUTY_|PD_WAREHOUSE_|SYNC_|LOG_LEVEL$)/.test(name)) delete base[name];
  }
  const child = spawn(process.execPath, [BIN, 'worker'], {
    env: {
      ...base,
      PAGERDUTY_TOKEN: 'worker-test-token-0123',
      PAGERDUTY_API_URL: sim.url,
      SYNC_START: '800d',
      LOG_LEVEL: 'info',
      ...wh.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, at: Date.now() })),
  );
  return { child, output: () => text, exited };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs: number,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
