/**
 * Each listed record's JSON exactly as PagerDuty sent it. A record's `raw` column is its JSON; rather than
 * serialise the parsed object again (a third of a backfill's client CPU went to JSON.stringify, the row
 * hash over that string and copying it into the COPY buffer), the sync keeps the response's bytes and
 * finds where each item of the listed array begins and ends in them. The stored JSON is then the API's
 * own text, with its numbers as written (a parse and re-serialisation would round big ones).
 *
 * Only a response whose JSON.parse succeeded, whose bytes are valid UTF-8 and whose text holds no
 * `\u0000` escape gets here, so the scanner walks known-valid JSON; anything it does not expect (a key
 * spelled with escapes, a count that differs from the parsed list) gives no bytes, and the caller
 * serialises the parsed object as before.
 */
import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The bytes of a parsed 2xx body, kept until its page's list asks for them. */
const bodies = new WeakMap<object, Buffer>();
/** A listed array, the bytes of the body it came from and its key there. */
const lists = new WeakMap<object, { bytes: Buffer; key: string }>();

/** Remembers `bytes` as the UTF-8 text `body` was parsed from (call only with a NUL-free text). */
export function keepBody(body: object, bytes: Buffer): void {
  bodies.set(body, bytes);
}

/** Marks `list`, the value of `body[key]`, as one whose items' bytes `itemBytes` can find. */
export function keepList(body: object, list: object, key: string): void {
  const bytes = bodies.get(body);
  if (bytes) lists.set(list, { bytes, key });
}

/**
 * Each item of `list` as the bytes it was sent as (slices of the response, not copies), or null when the
 * list does not come from a kept body or its bytes cannot be matched item for item.
 */
export function itemBytes(list: readonly unknown[]): Buffer[] | null {
  const source = lists.get(list);
  if (!source) return null;
  lists.delete(list); // asked once per page
  if (!isUtf8(source.bytes)) return null;
  const spans = arraySpans(source.bytes, source.key);
  return spans && spans.length === list.length ? spans : null;
}

function skipSpace(b: Buffer, i: number): number {
  while (isSpace(b[i])) i++;
  return i;
}

/** Index just past the string that starts at b[i] (a quote); -1 when the text ends first. */
function stringEnd(b: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    // Native search for the next quote; it ends the string unless an odd run of backslashes escapes it.
    const quote = b.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let k = quote - 1;
    while (b[k] === BACKSLASH) k--;
    if ((quote - 1 - k) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just past the JSON value that starts at b[i]; -1 when the text ends first. */
function valueEnd(b: Buffer, i: number): number {
  const first = b[i];
  if (first === QUOTE) return stringEnd(b, i);
  const n = b.length;
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    let j = i;
    while (j < n) {
      const c = b[j];
      if (c === QUOTE) {
        j = stringEnd(b, j);
        if (j < 0) return -1;
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  let j = i;
  while (j < n) {
    const c = b[j];
    if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isSpace(c)) break;
    j++;
  }
  return j > i ? j : -1;
}

/** Item spans of the array at b[i] ('['); null if it is not an array. */
function elements(b: Buffer, i: number): { items: Buffer[]; end: number } | null {
  if (b[i] !== OPEN_ARRAY) return null;
  const items: Buffer[] = [];
  let j = skipSpace(b, i + 1);
  if (b[j] === CLOSE_ARRAY) return { items, end: j + 1 };
  for (;;) {
    const end = valueEnd(b, j);
    if (end < 0) return null;
    items.push(b.subarray(j, end));
    j = skipSpace(b, end);
    if (b[j] === CLOSE_ARRAY) return { items, end: j + 1 };
    if (b[j] !== COMMA) return null;
    j = skipSpace(b, j + 1);
  }
}

/**
 * The items of the array that is the value of the top-level `key` of the JSON object in `b` (the last
 * such member, as JSON.parse keeps the last); null when there is none or the text is not as expected.
 */
export function arraySpans(b: Buffer, key: string): Buffer[] | null {
  const wanted = Buffer.from(JSON.stringify(key));
  let found: Buffer[] | null = null;
  let j = skipSpace(b, 0);
  if (b[j] !== OPEN_OBJECT) return null;
  j = skipSpace(b, j + 1);
  if (b[j] === CLOSE_OBJECT) return null;
  for (;;) {
    if (b[j] !== QUOTE) return null;
    const keyEnd = stringEnd(b, j);
    if (keyEnd < 0) return null;
    const name = b.subarray(j, keyEnd);
    // An escaped key may equal `key` once decoded: do not guess.
    if (name.includes(BACKSLASH)) return null;
    j = skipSpace(b, keyEnd);
    if (b[j] !== COLON) return null;
    j = skipSpace(b, j + 1);
    if (name.equals(wanted)) {
      const array = elements(b, j);
      if (!array) return null;
      found = array.items;
      j = array.end;
    } else {
      j = valueEnd(b, j);
      if (j < 0) return null;
    }
    j = skipSpace(b, j);
    if (b[j] === CLOSE_OBJECT) return skipSpace(b, j + 1) === b.length ? found : null;
    if (b[j] !== COMMA) return null;
    j = skipSpace(b, j + 1);
  }
}
