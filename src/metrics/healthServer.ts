import { createServer, type Server } from 'node:http';
import type { SyncMetrics } from './metrics.js';

export interface Readiness {
  ok: boolean;
  /** Why not ready (one line), or what was checked. */
  reason: string;
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Worker mode's HTTP endpoints: `/healthz` (the process answers), `/readyz` (the database is reachable and
 * the sync has not been failing for longer than the threshold; 503 otherwise) and `/metrics` (Prometheus).
 */
export async function startHealthServer(opts: {
  port: number;
  host: string;
  metrics: SyncMetrics;
  readiness: () => Promise<Readiness>;
}): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed\n');
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') {
      opts
        .readiness()
        .then((r) => reply(r.ok ? 200 : 503, `${r.ok ? 'ready' : 'not ready'}: ${r.reason}\n`))
        .catch((err: unknown) =>
          reply(503, `not ready: ${err instanceof Error ? err.message : String(err)}\n`),
        );
      return;
    }
    if (path === '/metrics') {
      opts.metrics.registry
        .metrics()
        .then((text) => reply(200, text, opts.metrics.registry.contentType))
        .catch(() => reply(500, 'metrics unavailable\n'));
      return;
    }
    reply(404, 'not found: try /healthz, /readyz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
