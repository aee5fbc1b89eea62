/** The CLI as a child process (`node bin/pd-warehouse.js …`), with an environment that picks nothing by accident. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/pd-warehouse.js', import.meta.url));

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node bin/pd-warehouse.js …` as a child process (async: a simulator may live in this process). */
export function runBin(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The test process's environment without anything that would pick a database or an account. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(DATABASE_|PAGERDUTY_|PD_WAREHOUSE_|SYNC_|SHUTDOWN_|METRICS_|READY_|LOG_LEVEL$)/.test(name)) {
      delete env[name];
    }
  }
  return env;
}
