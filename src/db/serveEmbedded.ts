/**
 * The embedded database over the Postgres wire protocol (pglite-socket), so psql and BI tools can query a
 * warehouse that has no server. PGlite has one backend session and every client connection shares it:
 * a `SET` on one connection is seen by all, an open transaction blocks the others, and `COPY … FROM STDIN`
 * wedges the server (research Part 2 §1). There is no authentication and no SSL.
 */
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { quoteIdentifier } from './identifiers.js';
import type { EmbeddedDatabase } from './types.js';

export interface ServeOptions {
  /** Address to bind, e.g. `127.0.0.1` (loopback only) or `0.0.0.0` (every interface). */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Concurrent client connections; one more is refused at once ("Too many connections"). */
  maxConnections: number;
}

export interface EmbeddedServer {
  host: string;
  /** The port actually bound (differs from the option when that was 0). */
  port: number;
  /** Closes the listener and every client connection; the database stays open (the caller closes it). */
  stop(): Promise<void>;
}

/**
 * Serves `db` until `stop()`. The shared session's search_path becomes the account's schema, then
 * `public`, so clients can write `incidents` as well as `pagerduty.incidents`. Startup-packet options
 * (`?options=-csearch_path=…`) are ignored by PGlite, hence the session-level SET. Listen errors
 * (EADDRINUSE, EACCES…) are rethrown as they come, for the caller to word.
 */
export async function serveEmbedded(db: EmbeddedDatabase, opts: ServeOptions): Promise<EmbeddedServer> {
  await db.pglite.exec(`SET search_path TO ${quoteIdentifier(db.schema)}, public`);
  const server = new PGLiteSocketServer({
    db: db.pglite,
    host: opts.host,
    port: opts.port,
    maxConnections: opts.maxConnections,
  });
  await server.start();
  // getServerConn() is `${host}:${port}`; the host may itself contain colons (IPv6).
  const port = Number(server.getServerConn().split(':').pop());
  return { host: opts.host, port, stop: () => server.stop() };
}
