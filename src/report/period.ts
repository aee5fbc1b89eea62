/**
 * The report's period: `--since` as a duration back from now (`90d`, `12h`) or an ISO date/instant, and
 * the ISO weeks (UTC, Monday first, as the views group them) it spans.
 */
import { parseDuration } from '../config.js';
import type { Week } from './types.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** `90d` → now − 90 days; `2026-01-05` → that UTC midnight; an instant with a zone; else null. */
export function parseSince(text: string, now: Date): Date | null {
  const trimmed = text.trim();
  const duration = parseDuration(trimmed);
  if (duration !== null) return new Date(now.getTime() - duration);
  if (!ISO_DATE.test(trimmed)) return null;
  const ms = Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Midnight UTC of the Monday starting the ISO week that contains `d`. */
export function weekStartOf(d: Date): Date {
  const midnight = Math.floor(d.getTime() / DAY_MS) * DAY_MS;
  const weekday = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(midnight - weekday * DAY_MS);
}

/** `2026-W14` for the ISO week starting on the Monday `monday` (its Thursday decides the year). */
export function isoWeekLabel(monday: Date): string {
  const thursday = new Date(monday.getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - jan1) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` of a UTC date. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Every ISO week from the one containing `since` to the one containing `until`, oldest first. */
export function weeksBetween(since: Date, until: Date): Week[] {
  const weeks: Week[] = [];
  const last = weekStartOf(until).getTime();
  for (let t = weekStartOf(since).getTime(); t <= last; t += 7 * DAY_MS) {
    const monday = new Date(t);
    weeks.push({ weekStart: isoDate(monday), isoWeek: isoWeekLabel(monday) });
  }
  return weeks;
}
