import { z } from 'zod';

/**
 * Request schemas for the simulated Events API v2 (`POST /v2/enqueue`, `POST /v2/change/enqueue`),
 * and the translation of zod issues into PagerDuty-style error strings ("'payload.severity' must be
 * one of critical, error, warning, info"). Unknown keys pass through: PagerDuty ignores them.
 */

export const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** Integration keys are 32-character GUIDs without dashes. */
export const ROUTING_KEY_LENGTH = 32;
export const MAX_DEDUP_KEY_LENGTH = 255;
export const MAX_SUMMARY_LENGTH = 1024;

export type EventAction = (typeof EVENT_ACTIONS)[number];

/**
 * ISO 8601 date-time. Hand-written because PagerDuty's own examples use a colon-less offset
 * (`2015-07-17T08:42:58.315+0000`), which `z.iso.datetime()` rejects.
 */
const ISO_8601_DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?$/;

const routingKey = z.string().length(ROUTING_KEY_LENGTH);
const summary = z.string().min(1).max(MAX_SUMMARY_LENGTH);
const timestamp = z.string().regex(ISO_8601_DATE_TIME, { error: 'must be an ISO 8601 date-time' });
const customDetails = z.record(z.string(), z.unknown());
const links = z.array(z.object({ href: z.string().min(1), text: z.string().optional() }));
const images = z.array(
  z.object({ src: z.string().min(1), href: z.string().optional(), alt: z.string().optional() }),
);

const alertPayload = z.object({
  summary,
  source: z.string().min(1),
  severity: z.enum(SEVERITIES),
  timestamp: timestamp.optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: customDetails.optional(),
});

const alertCommon = z.object({
  routing_key: routingKey,
  dedup_key: z.string().min(1).max(MAX_DEDUP_KEY_LENGTH).optional(),
  client: z.string().optional(),
  client_url: z.string().optional(),
  links: links.optional(),
  images: images.optional(),
});

/** `payload` is required only for triggers; `dedup_key` is required for everything else. */
export const alertEventSchema = z.discriminatedUnion('event_action', [
  alertCommon.extend({ event_action: z.literal('trigger'), payload: alertPayload }),
  alertCommon.extend({
    event_action: z.enum(['acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(MAX_DEDUP_KEY_LENGTH),
  }),
]);

export const changeEventSchema = z.object({
  routing_key: routingKey,
  payload: z.object({
    summary,
    source: z.string().optional(),
    timestamp: timestamp.optional(),
    custom_details: customDetails.optional(),
  }),
  links: links.optional(),
  images: images.optional(),
});

/** The fields of a valid event that the receiver keys on. */
export interface CheckedEvent {
  routingKey: string;
  eventAction: EventAction | null;
  /** As sent; `null` when a trigger omitted it (the receiver generates one) and for change events. */
  dedupKey: string | null;
}

/** Validates a parsed body; returns the key fields, or one readable string per problem. */
export function checkEvent(kind: 'alert' | 'change', body: unknown): CheckedEvent | string[] {
  if (kind === 'change') {
    const result = changeEventSchema.safeParse(body, { reportInput: true });
    if (!result.success) return result.error.issues.map(describeIssue);
    return { routingKey: result.data.routing_key, eventAction: null, dedupKey: null };
  }
  const result = alertEventSchema.safeParse(body, { reportInput: true });
  if (!result.success) return result.error.issues.map(describeIssue);
  const { routing_key, event_action, dedup_key } = result.data;
  return { routingKey: routing_key, eventAction: event_action, dedupKey: dedup_key ?? null };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `['images', 0, 'src']` → `images[0].src`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  record: 'an object',
  object: 'an object',
  array: 'an array',
};

function sizeRule(
  iss: { origin: string; exact?: boolean | undefined },
  bound: number | bigint,
  atLeast: boolean,
) {
  const unit = iss.origin === 'array' ? 'items' : 'characters';
  if (iss.exact === true) return `must be exactly ${bound} ${unit}`;
  if (atLeast && bound === 1) return iss.origin === 'array' ? 'must not be empty' : 'must not be blank';
  return `must be ${atLeast ? 'at least' : 'at most'} ${bound} ${unit}`;
}

function describeIssue(iss: z.core.$ZodIssue): string {
  const field = formatPath(iss.path);
  if (field === '' && iss.code === 'invalid_type') return 'event must be a JSON object';
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return `'${field}' is required`;
      return `'${field}' must be ${TYPE_NAMES[iss.expected] ?? `a ${iss.expected}`}`;
    case 'invalid_value':
      if (iss.input === undefined) return `'${field}' is required`;
      return `'${field}' must be one of ${iss.values.map(String).join(', ')}`;
    case 'invalid_union': {
      if (iss.discriminator === undefined) return `'${field}' is invalid: ${iss.message}`;
      if (isRecord(iss.input) && iss.input[iss.discriminator] === undefined) return `'${field}' is required`;
      const options = 'options' in iss ? (iss.options ?? []) : [];
      return `'${field}' must be one of ${options.map(String).join(', ')}`;
    }
    case 'too_big':
      return `'${field}' ${sizeRule(iss, iss.maximum, false)}`;
    case 'too_small':
      return `'${field}' ${sizeRule(iss, iss.minimum, true)}`;
    case 'invalid_format':
    case 'custom':
      return `'${field}' ${iss.message}`;
    default:
      return `'${field}' is invalid: ${iss.message}`;
  }
}
