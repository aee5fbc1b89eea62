/**
 * A small HTTP client for the simulator integration tests: real requests over undici, one private Agent per
 * client (closed in afterAll, so no socket outlives its file), and zod schemas for the parts of PagerDuty's
 * answers the tests read. Query arrays repeat their key, e.g. `{ 'statuses[]': ['a', 'b'] }`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'undici';
import { expect } from 'vitest';
import { z } from 'zod';

export type QueryValue = string | number | boolean | readonly (string | number)[];
export type Query = Record<string, QueryValue | undefined>;

/** A fixed clock for the tests: a Friday in March 2026, a week after New York switched to EDT. */
export const NOW = Date.UTC(2026, 2, 20, 15, 0, 0);
export const SECOND = 1000;
export const HOUR = 3600 * SECOND;
export const DAY = 24 * HOUR;

export function toSearch(query: Query = {}): string {
  const sp = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values = typeof value === 'object' ? value : [value];
    for (const v of values) sp.append(key, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** `2026-03-20T15:00:00Z`: whole seconds, as PagerDuty renders UTC. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  ms: number;
}

export interface GetOptions {
  /** The whole Authorization header; `null` sends none. Default `Token token=<client token>`. */
  authorization?: string | null;
}

export interface SimClient {
  get(path: string, query?: Query, opts?: GetOptions): Promise<Reply>;
  /** POST with a JSON body (a string is sent as is, for malformed-body tests). */
  post(path: string, body: unknown, opts?: GetOptions): Promise<Reply>;
  close(): Promise<void>;
}

export function createClient(baseUrl: string, token = 'test-token'): SimClient {
  const agent = new Agent({ keepAliveTimeout: 2_000, connections: 4 });
  async function send(path: string, opts: GetOptions, body?: unknown): Promise<Reply> {
    const authorization = opts.authorization === undefined ? `Token token=${token}` : opts.authorization;
    const headers: Record<string, string> = { accept: 'application/vnd.pagerduty+json;version=2' };
    if (authorization !== null) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const res = await request(`${baseUrl}${path}`, {
      dispatcher: agent,
      headers,
      ...(body === undefined
        ? {}
        : { method: 'POST' as const, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.body.text();
    const ms = performance.now() - started;
    const type = String(res.headers['content-type'] ?? '');
    const json: unknown = type.includes('json') && text !== '' ? JSON.parse(text) : undefined;
    return { status: res.statusCode, headers: res.headers, text, json, ms };
  }
  return {
    get: (path, query, opts = {}) => send(`${path}${toSearch(query)}`, opts),
    post: (path, body, opts = {}) => send(path, opts, body),
    close: () => agent.close(),
  };
}

export const errorSchema = z.object({
  error: z.object({
    message: z.string().min(1),
    code: z.number().int(),
    errors: z.array(z.string()).optional(),
  }),
});

/** Asserts a PagerDuty error answer and returns its `error` object. */
export function expectError(
  reply: Reply,
  status: number,
  code: number,
): z.infer<typeof errorSchema>['error'] {
  expect(reply.status, reply.text).toBe(status);
  const body = errorSchema.parse(reply.json);
  expect(body.error.code).toBe(code);
  return body.error;
}

const envelopeSchema = z.object({
  limit: z.number().int(),
  offset: z.number().int(),
  more: z.boolean(),
  total: z.number().int().nullable(),
});

export interface Page<T> extends z.infer<typeof envelopeSchema> {
  items: T[];
}

/** Parses a classic-pagination answer (`{<key>: [...], limit, offset, more, total}`). */
export function parsePage<T>(reply: Reply, key: string, item: z.ZodType<T>): Page<T> {
  expect(reply.status, reply.text).toBe(200);
  const envelope = envelopeSchema.parse(reply.json);
  const body = z.record(z.string(), z.unknown()).parse(reply.json);
  return { ...envelope, items: z.array(item).parse(body[key]) };
}

/** Walks every page with `offset += limit` until `more` is false, checking each page's echo. */
export async function walkPages<T>(
  client: SimClient,
  path: string,
  key: string,
  item: z.ZodType<T>,
  query: Query = {},
  limit = 100,
): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = parsePage(await client.get(path, { ...query, limit, offset }), key, item);
    expect(page.offset).toBe(offset);
    expect(page.limit).toBe(limit);
    out.push(...page.items);
    if (!page.more) return out;
    expect(page.items).toHaveLength(limit);
    if (offset > 100_000) throw new Error(`${path}: runaway pagination`);
  }
}

const refSchema = z.object({ id: z.string(), type: z.string() });

export const idSchema = z.object({ id: z.string() });

export const incidentSchema = z.object({
  id: z.string(),
  type: z.literal('incident'),
  incident_number: z.number().int(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  urgency: z.enum(['high', 'low']),
  created_at: z.string(),
  updated_at: z.string(),
  last_status_change_at: z.string(),
  resolved_at: z.string().nullable(),
  service: z.looseObject({ id: z.string(), type: z.string() }),
  teams: z.array(refSchema),
  assignments: z.array(z.object({ at: z.string(), assignee: refSchema })),
  acknowledgements: z.array(z.object({ at: z.string(), acknowledger: refSchema })),
});
export type IncidentJson = z.infer<typeof incidentSchema>;

export const logEntrySchema = z.object({
  id: z.string(),
  type: z.string(),
  created_at: z.string(),
  incident: z.looseObject({ id: z.string(), type: z.string(), status: z.string().optional() }),
});
export type LogEntryJson = z.infer<typeof logEntrySchema>;

export const oncallSchema = z.object({
  escalation_policy: refSchema,
  escalation_level: z.number().int(),
  schedule: refSchema.nullable(),
  user: refSchema,
  start: z.string().nullable(),
  end: z.string().nullable(),
});
export type OncallJson = z.infer<typeof oncallSchema>;

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** `-04:00` for New York in summer, from Intl rather than from the simulator's own time code. */
export function zoneOffset(ms: number, timeZone: string): string {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = name.replace(/^GMT/, '');
  return offset === '' ? 'Z' : offset;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
