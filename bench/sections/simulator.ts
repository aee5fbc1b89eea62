/**
 * The simulator's own figures (issue #2 targets): generating the `burst` preset (under 5 s and 300 MB, in
 * a fresh process so the RSS is the generator's) and serving 100-item pages from `pd-warehouse simulator`
 * in its own process, as a client meets it (median under 5 ms, no injected latency).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { figure, target, type Figure } from '../lib/figure.js';
import { mb, type Section } from '../lib/section.js';

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

async function timePages(url: string, paths: readonly string[], rounds: number): Promise<number[]> {
  const pool = new Pool(url, { connections: 1, pipelining: 1 });
  const times: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      for (const path of paths) {
        const t0 = performance.now();
        const res = await pool.request({
          path,
          method: 'GET',
          headers: { authorization: 'Token token=bench' },
        });
        // "Served" = the whole body has arrived; the client's own JSON parsing is not the server's time.
        const bytes = await res.body.arrayBuffer();
        const ms = performance.now() - t0;
        if (res.statusCode !== 200 || bytes.byteLength < 1000)
          throw new Error(`GET ${path} answered ${res.statusCode}`);
        if (r > 0) times.push(ms); // the first round warms up the JIT
      }
    }
  } finally {
    await pool.close();
  }
  return times;
}

interface GenerationResult {
  ms: number;
  incidents: number;
  logEntries: number;
  baselineRss: number;
  peakRss: number;
}

function measureGeneration(): GenerationResult {
  const script = fileURLToPath(new URL('../simulatorGenerate.ts', import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`generation child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as GenerationResult;
}

/** Runs `pd-warehouse simulator` in its own process and resolves its URL. */
function startServerProcess(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = fileURLToPath(new URL('../../bin/pd-warehouse.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'simulator', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m?.[1]) {
        resolve({
          url: m[1],
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
}

async function run(): Promise<Figure[]> {
  const S = 'simulator';
  const gen = measureGeneration();
  const sim = await startServerProcess(['--preset', 'large', '--seed', '1', '--rpm', '1000000']);
  let incidentTimes: number[];
  let logTimes: number[];
  try {
    const now = Date.now();
    const dayAgo = new Date(now - 25 * 86_400_000).toISOString();
    const yearAgo = new Date(now - 300 * 86_400_000).toISOString();
    const incidentPaths = [0, 100, 500, 1000, 2000, 4000].map(
      (o) => `/incidents?date_range=all&limit=100&offset=${o}&time_zone=UTC`,
    );
    const windowPaths = [0, 100, 200].map(
      (o) => `/incidents?since=${dayAgo}&limit=100&offset=${o}&total=true&time_zone=UTC`,
    );
    const logPaths = [0, 100, 1000, 5000].map(
      (o) => `/log_entries?since=${yearAgo}&limit=100&offset=${o}&time_zone=UTC&is_overview=true`,
    );
    incidentTimes = await timePages(sim.url, [...incidentPaths, ...windowPaths], 30);
    logTimes = await timePages(sim.url, logPaths, 30);
  } finally {
    await sim.stop();
  }
  const pageDetails = (xs: number[]) => ({
    p90_ms: Number(percentile(xs, 0.9).toFixed(2)),
    samples: xs.length,
  });
  return [
    figure(S, 'simulator: burst generation time', gen.ms, 'ms', target('<', 5000), {
      incidents: gen.incidents,
      log_entries: gen.logEntries,
    }),
    figure(S, 'simulator: burst generation peak RSS', gen.peakRss / 1e6, 'MB', target('<', 300), {
      process_baseline_rss_mb: mb(gen.baselineRss),
    }),
    figure(
      S,
      'simulator: 100 incidents page, median',
      percentile(incidentTimes, 0.5),
      'ms',
      target('<', 5),
      pageDetails(incidentTimes),
    ),
    figure(
      S,
      'simulator: 100 log entries page, median',
      percentile(logTimes, 0.5),
      'ms',
      target('<', 5),
      pageDetails(logTimes),
    ),
  ];
}

export const simulatorSection: Section = {
  name: 'simulator',
  title: 'the simulator: generating `burst`, serving 100-item pages from its own process',
  run: () => run(),
};
