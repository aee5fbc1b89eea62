/**
 * A record's `raw` is its JSON as PagerDuty sent it, not a re-serialisation of the parsed object: a proxy
 * between the sync and the simulator rewrites every log entry page with whitespace, a number past double
 * precision and `\u003c`-style escapes (as Rails writes them). The stored payloads keep the number's
 * digits, and the next run, which gets the same bytes, writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { startProxy, type Proxy } from '../../helpers/proxy.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const PRECISE = '12345678901234567890.50';
const EXTRA = `"precise" : ${PRECISE}, "escaped":"\\u003cb\\u003e é",`;

/** A log entry page rewritten: every item starts with EXTRA, items on their own lines. */
function rewrite(text: string): string {
  const { log_entries: items, ...rest } = JSON.parse(text) as { log_entries: unknown[] };
  const listed = items.map((item) => `{ ${EXTRA}${JSON.stringify(item).slice(1)}`).join(' ,\n  ');
  return `{ "log_entries" : [\n  ${listed} ],\n${JSON.stringify(rest).slice(1)}\n`;
}

describe('payloads stored as sent', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let proxy: Proxy;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 53, preset: 'small', now: NOW, rpm: 100_000 });
    proxy = await startProxy(sim.url, undefined, (path, status, body) =>
      path.startsWith('/log_entries?') && status === 200 ? Buffer.from(rewrite(body.toString())) : body,
    );
    wh = createWarehouse('raw_as_sent');
  });
  afterAll(async () => {
    await proxy.close();
    await sim.close();
    await wh.drop();
  });

  it('keeps every log entry exactly as the API wrote it, and a second run writes nothing', async () => {
    const env = { PAGERDUTY_API_URL: proxy.url, PAGERDUTY_MAX_RPM: '100000' };
    const first = await syncAgainst(sim, wh, env, { resources: 'incidents,log_entries' });
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    const db = await wh.open();
    try {
      const rows = await db.query<{ n: number; precise: number; escaped: number }>(
        `SELECT count(*)::int AS n,
                count(*) FILTER (WHERE raw->>'precise' = $1)::int AS precise,
                count(*) FILTER (WHERE raw->>'escaped' = '<b> é')::int AS escaped
           FROM log_entries`,
        [PRECISE],
      );
      expect(rows[0]?.n).toBeGreaterThan(500);
      expect(rows[0]).toEqual({ n: rows[0]?.n, precise: rows[0]?.n, escaped: rows[0]?.n });
    } finally {
      await db.close();
    }
    const second = await syncAgainst(sim, wh, env, { resources: 'incidents,log_entries', full: true });
    expect(second.code).toBe(0);
    expect(second.result?.resources.log_entries?.fetched).toBeGreaterThan(500);
    expect(second.result?.resources.log_entries?.written).toBe(0);
  });
});
