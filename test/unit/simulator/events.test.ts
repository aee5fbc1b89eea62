import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { createSequentialDedupKey, EventsReceiver, MAX_BODY_BYTES } from '../../../src/simulator/events.js';
import type { EventsReceiverOptions, EventsReply } from '../../../src/simulator/events.js';

const KEY = 'e93facc04764012d7bfb002500d5d1a6';
const OTHER_KEY = '737ea619db564d41bd9824063e1f6b08';
const JSON_TYPE = 'application/json';
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function trigger(overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) {
  return {
    routing_key: KEY,
    event_action: 'trigger',
    dedup_key: 'srv01/mysql',
    payload: { summary: 'DISK at 99%', source: 'prod-db-1', severity: 'critical', ...payload },
    ...overrides,
  };
}

/** A receiver on a hand-cranked clock. */
function setup(opts: EventsReceiverOptions = {}) {
  const clock = { ms: T0 };
  const receiver = new EventsReceiver({
    now: () => clock.ms,
    newDedupKey: createSequentialDedupKey('gen-'),
    ...opts,
  });
  const send = (body: unknown, kind: 'alert' | 'change' = 'alert') =>
    receiver.handle(kind, JSON.stringify(body), JSON_TYPE);
  return { clock, receiver, send };
}

function errorsOf(reply: EventsReply): string[] {
  expect(reply.status).toBe(400);
  expect(reply.headers['content-type']).toBe('application/json');
  expect(reply.body).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
  return z.object({ errors: z.array(z.string()) }).parse(reply.body).errors;
}

describe('EventsReceiver: alert events', () => {
  it('accepts trigger, acknowledge and resolve and records them in order', () => {
    const { receiver, send } = setup();
    const full = trigger(
      {
        client: 'Sample Monitoring Service',
        client_url: 'https://monitoring.example.com',
        links: [{ href: 'https://example.com', text: 'a link' }],
        images: [{ src: 'https://example.com/chart.png', alt: 'chart' }],
      },
      {
        timestamp: '2015-07-17T08:42:58.315+0000',
        component: 'mysql',
        group: 'prod-datapipe',
        class: 'disk',
        custom_details: { 'free space': '1%' },
      },
    );
    const replies = [
      send(full),
      send({ routing_key: KEY, event_action: 'acknowledge', dedup_key: 'srv01/mysql' }),
      send({ routing_key: KEY, event_action: 'resolve', dedup_key: 'srv01/mysql' }),
    ];
    for (const reply of replies) {
      expect(reply).toEqual({
        status: 202,
        headers: { 'content-type': 'application/json' },
        body: { status: 'success', message: 'Event processed', dedup_key: 'srv01/mysql' },
      });
    }
    expect(receiver.events.map((e) => e.eventAction)).toEqual(['trigger', 'acknowledge', 'resolve']);
    expect(receiver.events[0]).toEqual({
      receivedAt: '2026-01-01T00:00:00.000Z',
      kind: 'alert',
      routingKey: KEY,
      eventAction: 'trigger',
      dedupKey: 'srv01/mysql',
      body: full,
    });
  });

  it('generates a dedup_key for a trigger without one and does not add it to the recorded body', () => {
    const { receiver, send } = setup();
    const { dedup_key: _omitted, ...body } = trigger();
    expect(send(body).body).toMatchObject({ dedup_key: 'gen-1' });
    expect(send(body).body).toMatchObject({ dedup_key: 'gen-2' });
    expect(receiver.events.map((e) => e.dedupKey)).toEqual(['gen-1', 'gen-2']);
    expect(receiver.events[0]?.body).toEqual(body);
  });

  it('defaults to 32-hex-character random dedup keys', () => {
    const receiver = new EventsReceiver();
    const { dedup_key: _omitted, ...body } = trigger();
    const reply = receiver.handle('alert', JSON.stringify(body), undefined);
    expect(reply.status).toBe(202);
    expect(z.object({ dedup_key: z.string() }).parse(reply.body).dedup_key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps unknown fields and ignores a partial payload on acknowledge', () => {
    const { receiver, send } = setup();
    const ack = {
      routing_key: KEY,
      event_action: 'acknowledge',
      dedup_key: 'x',
      payload: { foo: 1 },
      extra: true,
    };
    expect(send(ack).status).toBe(202);
    expect(receiver.events[0]?.body).toEqual(ack);
  });
});

describe('EventsReceiver: invalid alert events', () => {
  const cases: [string, unknown, string][] = [
    ['missing routing_key', trigger({ routing_key: undefined }), "'routing_key' is required"],
    ['short routing_key', trigger({ routing_key: 'abc' }), "'routing_key' must be exactly 32 characters"],
    ['missing event_action', trigger({ event_action: undefined }), "'event_action' is required"],
    [
      'bad event_action',
      trigger({ event_action: 'snooze' }),
      "'event_action' must be one of trigger, acknowledge, resolve",
    ],
    ['long dedup_key', trigger({ dedup_key: 'k'.repeat(256) }), "'dedup_key' must be at most 255 characters"],
    ['ack without dedup_key', { routing_key: KEY, event_action: 'acknowledge' }, "'dedup_key' is required"],
    ['resolve without dedup_key', { routing_key: KEY, event_action: 'resolve' }, "'dedup_key' is required"],
    ['trigger without payload', trigger({ payload: undefined }), "'payload' is required"],
    ['missing summary', trigger({}, { summary: undefined }), "'payload.summary' is required"],
    ['blank summary', trigger({}, { summary: '' }), "'payload.summary' must not be blank"],
    [
      'long summary',
      trigger({}, { summary: 's'.repeat(1025) }),
      "'payload.summary' must be at most 1024 characters",
    ],
    ['missing source', trigger({}, { source: undefined }), "'payload.source' is required"],
    ['missing severity', trigger({}, { severity: undefined }), "'payload.severity' is required"],
    [
      'bad severity',
      trigger({}, { severity: 'fatal' }),
      "'payload.severity' must be one of critical, error, warning, info",
    ],
    [
      'bad timestamp',
      trigger({}, { timestamp: 'yesterday' }),
      "'payload.timestamp' must be an ISO 8601 date-time",
    ],
    ['non-string component', trigger({}, { component: 7 }), "'payload.component' must be a string"],
    [
      'array custom_details',
      trigger({}, { custom_details: ['a'] }),
      "'payload.custom_details' must be an object",
    ],
    ['image without src', trigger({ images: [{ alt: 'x' }] }), "'images[0].src' is required"],
    [
      'link without href',
      trigger({ links: [{ href: 'https://a' }, { text: 'x' }] }),
      "'links[1].href' is required",
    ],
    ['links not an array', trigger({ links: 'https://a' }), "'links' must be an array"],
  ];
  it.each(cases)('%s → 400 naming the field', (_name, body, message) => {
    const { receiver, send } = setup();
    expect(errorsOf(send(body))).toContain(message);
    expect(receiver.events).toHaveLength(0);
  });

  it('reports every problem at once', () => {
    const { send } = setup();
    const errors = errorsOf(send(trigger({ routing_key: 'abc' }, { severity: 'fatal', source: undefined })));
    expect(errors).toHaveLength(3);
  });

  it('rejects bodies that are not a JSON object', () => {
    const { receiver } = setup();
    expect(errorsOf(receiver.handle('alert', '{"routing_key":', JSON_TYPE))).toEqual(['JSON parse error']);
    expect(errorsOf(receiver.handle('alert', '', JSON_TYPE))).toEqual(['JSON parse error']);
    expect(errorsOf(receiver.handle('alert', '[1,2]', JSON_TYPE))).toEqual(['event must be a JSON object']);
    expect(errorsOf(receiver.handle('alert', 'null', JSON_TYPE))).toEqual(['event must be a JSON object']);
  });

  it('rejects a non-JSON content type but accepts a charset parameter or none', () => {
    const { receiver } = setup();
    const body = JSON.stringify(trigger());
    expect(errorsOf(receiver.handle('alert', body, 'text/plain'))).toEqual([
      'Content-Type must be application/json',
    ]);
    expect(receiver.handle('alert', body, 'application/json; charset=utf-8').status).toBe(202);
    expect(receiver.handle('alert', body, undefined).status).toBe(202);
  });

  it('accepts a body of exactly 512 KB and rejects one byte more', () => {
    const { receiver } = setup();
    const base = JSON.stringify(trigger({}, { custom_details: { pad: '' } }));
    const exact = base.replace('"pad":""', `"pad":"${'x'.repeat(MAX_BODY_BYTES - base.length)}"`);
    expect(Buffer.byteLength(exact)).toBe(512 * 1024);
    expect(receiver.handle('alert', exact, JSON_TYPE).status).toBe(202);
    const over = exact.replace('"pad":"', '"pad":"é').replace('x', '');
    expect(Buffer.byteLength(over)).toBe(512 * 1024 + 1);
    expect(errorsOf(receiver.handle('alert', over, JSON_TYPE))).toEqual([
      'Event object exceeds the 512 KB size limit',
    ]);
    expect(receiver.events).toHaveLength(1);
  });
});

describe('EventsReceiver: change events', () => {
  it('accepts a change event without a dedup_key in the reply', () => {
    const { receiver, send } = setup();
    const change = {
      routing_key: KEY,
      payload: {
        summary: 'Build Success',
        timestamp: '2015-07-17T08:42:58.315Z',
        source: 'ci',
        custom_details: {},
      },
      links: [{ href: 'https://ci.example.com/220' }],
    };
    expect(send(change, 'change')).toEqual({
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: { status: 'success', message: 'Change event processed' },
    });
    expect(receiver.events).toEqual([
      {
        receivedAt: '2026-01-01T00:00:00.000Z',
        kind: 'change',
        routingKey: KEY,
        eventAction: null,
        dedupKey: null,
        body: change,
      },
    ]);
  });

  it('requires routing_key and payload.summary', () => {
    const { receiver, send } = setup();
    expect(errorsOf(send({ payload: { summary: 'x' } }, 'change'))).toEqual(["'routing_key' is required"]);
    expect(errorsOf(send({ routing_key: KEY }, 'change'))).toEqual(["'payload' is required"]);
    expect(errorsOf(send({ routing_key: KEY, payload: { source: 'ci' } }, 'change'))).toEqual([
      "'payload.summary' is required",
    ]);
    expect(receiver.events).toHaveLength(0);
  });
});

describe('EventsReceiver: rate limit', () => {
  it('answers 429 past the per-key budget, without recording, and recovers after 60 s', () => {
    const { clock, receiver, send } = setup({ perKeyPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      expect(send(trigger()).status).toBe(202);
      clock.ms += 10_000;
    }
    const reply = send(trigger());
    expect(reply.status).toBe(429);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.body).toMatchObject({ status: 'throttle event' });
    expect(receiver.events).toHaveLength(3);
    // Other integration keys have their own budget; change events share the key's budget.
    expect(send(trigger({ routing_key: OTHER_KEY })).status).toBe(202);
    expect(send({ routing_key: KEY, payload: { summary: 'deploy' } }, 'change').status).toBe(429);
    // The window slides: the first event (t=0) leaves it at exactly t=60 s, the second at t=70 s.
    clock.ms = T0 + 59_999;
    expect(send(trigger()).status).toBe(429);
    clock.ms = T0 + 60_000;
    expect(send(trigger()).status).toBe(202);
    expect(send(trigger()).status).toBe(429);
    clock.ms = T0 + 70_000;
    expect(send(trigger()).status).toBe(202);
    expect(receiver.events).toHaveLength(6);
  });

  it('defaults to 120 events per key per minute', () => {
    const { send } = setup();
    const statuses = Array.from({ length: 121 }, () => send(trigger()).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(120);
    expect(statuses[120]).toBe(429);
  });
});

describe('EventsReceiver: forceNext and clear', () => {
  it('forces queued 500 and 429 answers without recording, then behaves normally', () => {
    const { receiver, send } = setup();
    receiver.forceNext(500, 2);
    receiver.forceNext(429, 1);
    const first = send(trigger());
    expect(first.status).toBe(500);
    expect(first.headers['content-type']).toBe('text/html');
    expect(first.body).toEqual(expect.stringContaining('<html>'));
    expect(send(trigger()).status).toBe(500);
    expect(send(trigger())).toMatchObject({ status: 429, body: { status: 'throttle event' } });
    expect(receiver.events).toHaveLength(0);
    expect(send(trigger()).status).toBe(202);
    expect(receiver.events).toHaveLength(1);
  });

  it('forces answers even for invalid bodies, and does not spend the rate budget', () => {
    const { send, receiver } = setup({ perKeyPerMinute: 1 });
    receiver.forceNext(500, 1);
    expect(receiver.handle('alert', 'not json', JSON_TYPE).status).toBe(500);
    receiver.forceNext(429, 0);
    expect(send(trigger()).status).toBe(202);
    expect(() => receiver.forceNext(500, -1)).toThrow(RangeError);
  });

  it('clear() forgets events, rate windows and pending forced answers', () => {
    const { send, receiver } = setup({ perKeyPerMinute: 1 });
    expect(send(trigger()).status).toBe(202);
    receiver.forceNext(500, 5);
    receiver.clear();
    expect(receiver.events).toHaveLength(0);
    expect(send(trigger()).status).toBe(202);
  });
});
