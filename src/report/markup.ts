/** Tiny helpers for writing HTML/SVG as strings. */

/** Escapes text for element content and double-quoted attributes. */
export function esc(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A coordinate with at most one decimal: keeps the SVG small and diff-stable. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-04-06` → `6 Apr` (and the year when asked). Fixed English: the page must not depend on locale. */
export function shortDate(isoDay: string, withYear = false): string {
  const [y, m, d] = isoDay.split('-');
  const text = `${Number(d)} ${MONTHS[Number(m) - 1] ?? m}`;
  return withYear ? `${text} ${y}` : text;
}

/** `6 Apr 2026, 14:05 UTC`. */
export function dateTime(d: Date): string {
  const iso = d.toISOString();
  return `${shortDate(iso.slice(0, 10), true)}, ${iso.slice(11, 16)} UTC`;
}

/** A fragment id from a service key (keys are slugs already; anything else becomes `-`). */
export function anchor(prefix: string, key: string): string {
  return `${prefix}-${key.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;
}
