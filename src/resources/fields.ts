import { z } from 'zod';
import { Instant } from '../db/values.js';

/** A PagerDuty timestamp: ISO-8601 with `Z` or an offset; becomes a Date. */
export const instant = z
  .string()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s),
    'not an ISO-8601 instant with a zone',
  )
  .transform((s): Date => new Instant(s));

const referenceShape = {
  id: z.string().min(1).max(255),
  type: z.string().optional(),
  summary: z.string().nullish(),
};

/** `{ id, type?, summary? }`: how PagerDuty embeds a related object (other keys kept). */
export const reference = z.object(referenceShape).loose();

/**
 * The same, for the high-volume listings (incidents, log entries) whose mappers read only these keys:
 * the parsed value leaves the other keys out instead of copying each one (`raw` keeps the record as sent).
 */
export const referenceOnly = z.object(referenceShape);

const SLUG_MAX = 200;

/** Lower-case slug used as a join key (at most 200 characters): `Webshop API` → `webshop-api`, `payments-worker (EU)` → `payments-worker-eu`. */
export function slugKey(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    // A join key, indexed: a pathological name must not make it too long for a btree entry.
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug || 'unnamed';
}

/** PagerDuty tag labels are free text; `key:value` splits at the first colon, a bare label has no value. */
export function splitTag(label: string): { tagKey: string; tagValue: string | null } {
  const i = label.indexOf(':');
  return i < 0
    ? { tagKey: label, tagValue: null }
    : { tagKey: label.slice(0, i), tagValue: label.slice(i + 1) };
}

/** `user_reference` → `user`: embedded references carry a `_reference` suffix in their type. */
export function referenceType(type: string | undefined): string {
  return (type ?? 'unknown').replace(/_reference$/, '');
}
