/**
 * Simulator benchmark (issue #2 targets): generating the `burst` preset (under 5 s and 300 MB) and serving
 * a 100-item page (median under 5 ms, no injected latency). Run: `npm run bench:simulator`.
 * Prints a table and writes bench/results-simulator.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { Pool } from 'undici';

const mb = (bytes: number) => Math.round(bytes / 1e6);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

async function timePages(url: string, paths: string[], rounds: number): Promise<number[]> {
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

/** Generates `burst` in a fresh child process, so its peak RSS is the generator's and nothing else's. */
function measureGeneration(): GenerationResult {
  const script = fileURLToPath(new URL('./simulatorGenerate.ts', import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`generation child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as GenerationResult;
}

/** Runs `pd-warehouse simulator` in its own process, as a client would meet it, and resolves its URL. */
function startServerProcess(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = fileURLToPath(new URL('../bin/pd-warehouse.js', import.meta.url));
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

async function main(): Promise<void> {
  const gen = measureGeneration();
  const burstMs = gen.ms;
  const baselineRss = gen.baselineRss;
  const peakRss = gen.peakRss;
  const burstCounts = { incidents: gen.incidents, log_entries: gen.logEntries };

  const sim = await startServerProcess(['--preset', 'large', '--seed', '1', '--rpm', '1000000']);
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
  const incidentTimes = await timePages(sim.url, [...incidentPaths, ...windowPaths], 30);
  const logTimes = await timePages(sim.url, logPaths, 30);
  await sim.stop();

  const results = {
    date: new Date().toISOString(),
    cores: availableParallelism(),
    node: process.version,
    burst_generation: {
      ms: Math.round(burstMs),
      ...burstCounts,
      baseline_rss_mb: mb(baselineRss),
      peak_rss_mb: mb(peakRss),
      target: '< 5000 ms, < 300 MB',
    },
    page_100_incidents_ms: {
      median: median(incidentTimes),
      p90: percentile(incidentTimes, 0.9),
      samples: incidentTimes.length,
    },
    page_100_log_entries_ms: {
      median: median(logTimes),
      p90: percentile(logTimes, 0.9),
      samples: logTimes.length,
    },
  };
  const r = results;
  console.log(`simulator benchmark (${r.cores} cores, node ${r.node}, ${r.date})`);
  console.table({
    'burst generation': {
      value: `${r.burst_generation.ms} ms, peak RSS ${r.burst_generation.peak_rss_mb} MB (process baseline ${r.burst_generation.baseline_rss_mb} MB)`,
      target: '< 5 s, < 300 MB',
    },
    '100 incidents page': {
      value: `median ${r.page_100_incidents_ms.median.toFixed(2)} ms, p90 ${r.page_100_incidents_ms.p90.toFixed(2)} ms`,
      target: 'median < 5 ms',
    },
    '100 log entries page': {
      value: `median ${r.page_100_log_entries_ms.median.toFixed(2)} ms, p90 ${r.page_100_log_entries_ms.p90.toFixed(2)} ms`,
      target: 'median < 5 ms',
    },
  });
  writeFileSync(
    new URL('./results-simulator.json', import.meta.url),
    `${JSON.stringify(results, null, 2)}\n`,
  );
}

await main();
