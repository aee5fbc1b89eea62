import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';

const KEY = 'R0123456789abcdef0123456789abcd'.padEnd(32, 'x');

describe('Events API v2 receiver over HTTP', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 2, preset: 'small', eventsPerKeyPerMinute: 3 });
  });
  afterAll(() => sim.close());

  const post = (path: string, body: unknown) =>
    fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('accepts a trigger and a resolve with the same dedup_key and records both', async () => {
    const trigger = {
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: 'pd-warehouse/pagerduty/acct',
      payload: {
        summary: 'sync failed: incidents',
        source: 'worker-1',
        severity: 'error',
        custom_details: { run_id: 7 },
      },
    };
    const r1 = await post('/v2/enqueue', trigger);
    expect(r1.status).toBe(202);
    expect(await r1.json()).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: trigger.dedup_key,
    });
    const r2 = await post('/v2/enqueue', {
      routing_key: KEY,
      event_action: 'resolve',
      dedup_key: trigger.dedup_key,
    });
    expect(r2.status).toBe(202);
    const seen = (await (await fetch(`${sim.url}/_sim/events`)).json()) as {
      events: { eventAction: string; dedupKey: string }[];
    };
    expect(seen.events.map((e) => [e.eventAction, e.dedupKey])).toEqual([
      ['trigger', trigger.dedup_key],
      ['resolve', trigger.dedup_key],
    ]);
  });

  it('answers 400 naming the field for an invalid event, and does not record it', async () => {
    const r = await post('/v2/enqueue', {
      routing_key: KEY,
      event_action: 'trigger',
      payload: { summary: 'x', source: 'y', severity: 'fatal' },
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { errors: string[] };
    expect(body.errors.join(' ')).toMatch(/severity/);
    expect((await post('/v2/enqueue', '{not json')).status).toBe(400);
    expect(sim.events.events).toHaveLength(2);
  });

  it('throttles a routing key past its per-minute budget with 429', async () => {
    const ev = {
      routing_key: KEY,
      event_action: 'trigger',
      payload: { summary: 's', source: 'h', severity: 'info' },
    };
    const r = await post('/v2/enqueue', ev); // third accepted event for this key
    expect(r.status).toBe(202);
    const over = await post('/v2/enqueue', ev);
    expect(over.status).toBe(429);
    expect(sim.events.events).toHaveLength(3);
  });
});
