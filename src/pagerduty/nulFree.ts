/**
 * Postgres refuses U+0000 in text and jsonb, so every record is checked for it before it is written. In
 * JSON a NUL can only arrive escaped (`\u0000`), so one search of a response's text clears a whole page:
 * parsed values from such a response are remembered here and skip the per-string walk.
 */
const clean = new WeakSet<object>();

/** Remembers `value` (a parsed body, or a list taken from one) as holding no U+0000 anywhere. */
export function markNulFree(value: object): void {
  clean.add(value);
}

/** True when `value` came from a response whose text held no `\u0000` escape. */
export function isNulFree(value: object): boolean {
  return clean.has(value);
}

/** True when JSON text cannot hold a U+0000 once parsed. */
export function jsonTextIsNulFree(text: string): boolean {
  return !text.includes('\\u0000');
}
