import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startSimulator } from '../../../src/simulator/index.js';
import { createWarehouse, type Warehouse } from '../../helpers/syncHarness.js';
import { startWorker, waitFor } from '../../helpers/worker.js';

const NOW = Date.UTC(2026, 9, 1, 12);

/** A TCP proxy in front of Postgres that the test can cut, as if the database went away. */
async function startDbProxy(target: URL): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

/** The value of one Prometheus sample, e.g. `pd_warehouse_runs_total{schema="x",status="succeeded"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return null;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('worker health and metrics', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()?.();
  });

  it('/metrics counts the runs just made; /readyz turns unready when the database goes away', async () => {
    const target = inject('testDatabase');
    if (target.kind !== 'url') return; // needs a Postgres server to cut; PGlite has no connection to lose
    const sim = await startSimulator({ seed: 41, preset: 'small', now: NOW, rpm: 100_000 });
    const wh = createWarehouse('worker-metrics');
    const proxy = await startDbProxy(new URL(target.url));
    cleanup.push(
      () => sim.close(),
      () => wh.drop(),
      () => proxy.stop(),
    );
    const viaProxy = new URL(target.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const port = await freePort();
    const worker = startWorker(sim, wh, {
      DATABASE_URL: viaProxy.toString(),
      SYNC_SCHEDULE: '*/3 * * * * *',
      PAGERDUTY_MAX_RPM: '10000',
      METRICS_PORT: String(port),
      METRICS_HOST: '127.0.0.1',
      READY_FAILING_THRESHOLD_S: '0',
    });
    cleanup.push(() => Promise.resolve(worker.child.kill('SIGKILL')));
    const base = `http://127.0.0.1:${port}`;
    const metrics = await waitFor(
      'two succeeded runs in /metrics',
      async () => {
        const r = await get(`${base}/metrics`).catch(() => null);
        if (!r) return null;
        return (sample(r.text, 'pd_warehouse_runs_total', { status: 'succeeded' }) ?? 0) >= 2 ? r.text : null;
      },
      60_000,
    );
    expect((await get(`${base}/healthz`)).status).toBe(200);
    const ready = await get(`${base}/readyz`);
    expect(ready.status, ready.text).toBe(200);
    // The counters equal what the runs recorded in sync_runs (read right after, between ticks).
    const db = await wh.open();
    try {
      const runs = await db.query<{ requests: number; resources: Record<string, { written: number }> }>(
        `SELECT requests, resources FROM sync_runs WHERE status = 'succeeded' ORDER BY id`,
      );
      const succeeded = sample(metrics, 'pd_warehouse_runs_total', { status: 'succeeded' }) ?? 0;
      const counted = runs.slice(0, succeeded);
      const written = counted.reduce((n, r) => n + (r.resources.incidents?.written ?? 0), 0);
      expect(sample(metrics, 'pd_warehouse_rows_written_total', { resource: 'incidents' })).toBe(written);
      expect(written).toBeGreaterThan(0);
      const requests = counted.reduce((n, r) => n + r.requests, 0);
      expect(sample(metrics, 'pd_warehouse_api_requests_total')).toBe(requests);
      expect(sample(metrics, 'pd_warehouse_run_duration_seconds_count')).toBeGreaterThanOrEqual(2);
      expect(sample(metrics, 'pd_warehouse_seconds_since_last_success')).toBeGreaterThanOrEqual(0);
    } finally {
      await db.close();
    }
    // The database goes away: readiness says so.
    await proxy.stop();
    const unready = await waitFor(
      '/readyz to turn unready',
      async () => {
        const r = await get(`${base}/readyz`);
        return r.status === 503 ? r : null;
      },
      30_000,
    );
    expect(unready.text).toMatch(/not ready: cannot connect to Postgres/);
    expect(unready.text).not.toContain('postgres://');
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  }, 120_000);

  it('a one-shot sync pushes its metrics to PUSHGATEWAY_URL', async () => {
    const bodies: { method: string; url: string; body: string }[] = [];
    const gateway = createHttpServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const sim = await startSimulator({ seed: 42, preset: 'small', now: NOW, rpm: 100_000 });
    const wh: Warehouse = createWarehouse('pushgateway');
    cleanup.push(
      () => sim.close(),
      () => wh.drop(),
      () => new Promise<void>((resolve) => gateway.close(() => resolve())),
    );
    const { port } = gateway.address() as AddressInfo;
    const { main } = await import('../../../src/cli.js');
    const out: string[] = [];
    const code = await main(['sync'], {
      env: {
        PAGERDUTY_TOKEN: 'push-test-token-0123',
        PAGERDUTY_API_URL: sim.url,
        PAGERDUTY_MAX_RPM: '10000',
        SYNC_START: '800d',
        SYNC_RESOURCES: 'services',
        PUSHGATEWAY_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'silent',
        ...wh.env,
      },
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      isTTY: false,
    });
    expect(code, out.join('\n')).toBe(0);
    expect(bodies).toHaveLength(1);
    const [push] = bodies;
    expect(push?.method).toBe('POST');
    expect(push?.url).toBe(`/metrics/job/pd-warehouse/schema/${wh.env.DATABASE_SCHEMA}`);
    expect(sample(push?.body ?? '', 'pd_warehouse_runs_total', { status: 'succeeded' })).toBe(1);
    expect(
      sample(push?.body ?? '', 'pd_warehouse_records_fetched_total', { resource: 'services' }),
    ).toBeGreaterThan(0);
    expect(push?.body).not.toContain('push-test-token');
  });
});
