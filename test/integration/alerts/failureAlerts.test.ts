import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';

describe('failure alerts through the Events API v2', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let env: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 31,
      preset: 'small',
      now: NOW,
      rpm: 100_000,
      tokens: ['test-token-0123456789'],
    });
    wh = createWarehouse('alerts');
    env = {
      PAGERDUTY_MAX_RPM: '10000',
      PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      PAGERDUTY_EVENTS_URL: `${sim.url}/v2/enqueue`,
      SYNC_RESOURCES: 'services',
    };
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('a run that fails (database unreachable) triggers an alert; 429s on the way are retried', async () => {
    sim.events.forceNext(429, 2);
    const broken = { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' };
    const run = await syncAgainst(sim, wh, broken).catch((err: unknown) => err);
    expect(run).toBeInstanceOf(Error);
    const alerts = sim.events.events.filter((e) => e.kind === 'alert');
    expect(alerts).toHaveLength(1);
    const [trigger] = alerts;
    expect(trigger?.eventAction).toBe('trigger');
    expect(trigger?.routingKey).toBe(ROUTING_KEY);
    const payload = trigger?.body.payload as Record<string, unknown>;
    expect(payload.severity).toBe('error');
    expect(payload.source).toEqual(expect.any(String));
    expect(String(payload.summary)).toMatch(/^pd-warehouse sync failed \(.+\): /);
    expect(JSON.stringify(trigger?.body)).not.toContain('test-token-0123456789');
  });

  it('the next good run resolves it with the same dedup_key', async () => {
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    const alerts = sim.events.events.filter((e) => e.kind === 'alert');
    expect(alerts.map((e) => e.eventAction)).toEqual(['trigger', 'resolve']);
    expect(alerts[1]?.dedupKey).toBe(alerts[0]?.dedupKey);
    expect(alerts[0]?.dedupKey).toMatch(/^pd-warehouse\/127\.0\.0\.1:\d+\//);
  });

  it('a run whose resource fails sends its name, run id, window and counts', async () => {
    // A key PagerDuty rejects: the services listing fails at once with a 401.
    const run = await syncAgainst(sim, wh, { ...env, PAGERDUTY_TOKEN: 'revoked-key-0123456789' });
    expect(run.code).toBe(1);
    const last = sim.events.events[sim.events.events.length - 1];
    expect(last?.eventAction).toBe('trigger');
    const details = (last?.body.payload as { custom_details: Record<string, unknown> }).custom_details;
    expect(details.run_id).toEqual(expect.any(Number));
    const window = details.window as { startedAt: unknown; signpost: unknown };
    expect(typeof window.startedAt).toBe('string');
    expect(typeof window.signpost).toBe('string');
    expect(details.counts).toHaveProperty('services');
    expect((last?.body.payload as { component: string }).component).toBe('services');
    expect(JSON.stringify(last?.body)).not.toContain('revoked-key-0123456789');
  });

  it('an undeliverable alert never fails the sync', async () => {
    sim.events.forceNext(500, 10);
    const before = sim.events.events.length;
    const run = await syncAgainst(sim, wh, env);
    expect(run.code).toBe(0);
    expect(run.logs).toMatch(/could not deliver the failure alert/);
    expect(sim.events.events.length).toBe(before);
    expect(run.logs).not.toContain(ROUTING_KEY);
  });
});
