/**
 * A small HTTP proxy in front of the simulator, for tests that need something to happen at an exact point
 * of a run (a 429 storm as its first request arrives, a failure on one kind of request only) whatever
 * the time the run took to open and migrate its database.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyReply {
  status: number;
  body: string;
  contentType?: string;
}

/** Called for each request (path with query) before it is forwarded; a reply answers it instead. */
export type Intercept = (path: string) => ProxyReply | undefined | Promise<ProxyReply | undefined>;

/** Rewrites a forwarded answer's body (path with query, the upstream status, its body). */
export type Rewrite = (path: string, status: number, body: Buffer) => Buffer;

export interface Proxy {
  url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

async function forward(
  target: string,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  rewrite: Rewrite | undefined,
) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && name !== 'host' && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  const upstream = await fetch(`${target}${path}`, { headers });
  const received = Buffer.from(await upstream.arrayBuffer());
  const body = rewrite ? rewrite(path, upstream.status, received) : received;
  const out: Record<string, string> = {};
  upstream.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) out[name] = value;
  });
  res.writeHead(upstream.status, { ...out, 'content-length': String(body.length) });
  res.end(body);
}

/**
 * Starts a proxy on 127.0.0.1 that forwards every request to `target` unless `intercept` answers it, and
 * passes each answer through `rewrite` when given.
 */
export async function startProxy(
  target: string,
  intercept: Intercept = () => undefined,
  rewrite?: Rewrite,
): Promise<Proxy> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const reply = await intercept(path);
    if (reply) {
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/html' });
      res.end(reply.body);
      return;
    }
    await forward(target, req, res, path, rewrite);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
