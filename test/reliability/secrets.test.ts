import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const TOKEN = 'tok-SECRET-a1b2c3d4e5f6';
const ROUTING_KEY = 'R0UT1NGSECRET0123456789abcdefABC';
const CLIENT_SECRET = 'client-SECRET-9f8e7d6c5b4a';
const DB_PASSWORD = 'dbpw-SECRET-112233';

/** Every row of every table and view of the schema as text (jsonb included). */
async function dump(db: Database): Promise<string> {
  const relations = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v') ORDER BY 1`,
  );
  const parts: string[] = [];
  for (const { name } of relations) {
    const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe('secrets never reach the database, the logs or the errors', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 71,
      preset: 'small',
      now: NOW,
      rpm: 100_000,
      tokens: [TOKEN],
      oauth: { subdomain: 'acme', apps: [{ clientId: 'app', clientSecret: 'other', scopes: [] }] },
    });
    wh = createWarehouse('secrets');
    const target = inject('testDatabase');
    // Postgres here trusts local connections, so a password in the URL is accepted and ignored: it can
    // only leak, never be needed.
    const url = target.kind === 'url' ? new URL(target.url) : null;
    if (url) url.password = DB_PASSWORD;
    env = {
      PAGERDUTY_TOKEN: TOKEN,
      PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      PAGERDUTY_EVENTS_URL: `${sim.url}/v2/enqueue`,
      PAGERDUTY_MAX_RPM: '10000',
      ...(url ? { DATABASE_URL: url.toString() } : {}),
    };
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('across a good run, a rejected token, a refused OAuth secret, faults and an alert round trip', async () => {
    // Each syncAgainst fails its test if a secret of its env shows in its logs, stdout or stderr.
    expect((await syncAgainst(sim, wh, env)).code).toBe(0);
    expect((await syncAgainst(sim, wh, { ...env, PAGERDUTY_TOKEN: 'tok-SECRET-wrong-000111' })).code).toBe(1);
    const oauth = await syncAgainst(sim, wh, {
      ...env,
      PAGERDUTY_TOKEN: '',
      PAGERDUTY_CLIENT_ID: 'app',
      PAGERDUTY_CLIENT_SECRET: CLIENT_SECRET,
      PAGERDUTY_SUBDOMAIN: 'acme',
      PAGERDUTY_OAUTH_TOKEN_URL: `${sim.url}/oauth/token`,
    }).catch((err: unknown) => err as Error);
    if (oauth instanceof Error) expect(oauth.message).not.toContain(CLIENT_SECRET);
    sim.setFaults({ rate: 0.3 });
    try {
      await syncAgainst(sim, wh, env);
    } finally {
      sim.setFaults({ rate: 0 });
    }
    expect((await syncAgainst(sim, wh, env)).code).toBe(0);
    // The alerts went out (trigger, resolve) and carry none of the secrets but their own routing key.
    const alerts = sim.events.events.filter((e) => e.kind === 'alert');
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    for (const a of alerts) {
      const body = JSON.stringify(a.body);
      for (const s of [TOKEN, CLIENT_SECRET, DB_PASSWORD, 'tok-SECRET-wrong-000111'])
        expect(body).not.toContain(s);
    }
    const db = await wh.open();
    try {
      const text = await dump(db);
      expect(text.length).toBeGreaterThan(10_000);
      expect(text).toContain('"status":"failed"'); // the failed runs are in there, with their errors
      for (const secret of [TOKEN, ROUTING_KEY, CLIENT_SECRET, DB_PASSWORD, 'tok-SECRET-wrong-000111']) {
        expect(text.includes(secret), `a secret (${secret.slice(0, 8)}…) is stored in the database`).toBe(
          false,
        );
      }
      expect(text).not.toMatch(/Token token=|Bearer [A-Za-z0-9+_-]{8,}/);
    } finally {
      await db.close();
    }
  }, 120_000);
});
