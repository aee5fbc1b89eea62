import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/pd-warehouse.js', import.meta.url));

describe('pd-warehouse simulator (CLI)', () => {
  it('prints its URL, serves the API, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'simulator', '--preset', 'small', '--seed', '5', '--rpm', '50'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
    });
    const res = await fetch(`${url}/incidents?limit=1&total=true`, {
      headers: { authorization: 'Token token=t' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBe('50');
    const body = (await res.json()) as { total: number };
    expect(body.total).toBeGreaterThan(0);
    expect(out).toMatch(/preset small, seed 5: 300 incidents/);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 30_000);

  it.each([
    [['simulator', '--preset', 'huge'], /--preset must be one of small, large, burst \(got 'huge'\)/],
    [['simulator', '--port', 'http'], /--port must be an integer from 0 to 65535/],
    [['simulator', '--fault-rate', '1.5'], /--fault-rate must be a number from 0 to 1/],
    [['simulator', '--time-zone', 'Mars/Olympus'], /--time-zone must be an IANA zone/],
    [['simulator', '--nope'], /Unknown option '--nope'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('rejects %j with one line and exit code 2', (args, message) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
