import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arraySpans, itemBytes, keepBody, keepList } from '../../../src/pagerduty/rawItems.js';

/** JSON text with whitespace in every place JSON allows it (indentation and around the top-level colons). */
function spaced(value: unknown, indent: number): string {
  return JSON.stringify(value, null, indent).replace(/^\{/, ' \r\n\t{ ').replace(/\}$/, ' }\n ');
}

// Any JSON (strings with quotes, backslashes, brackets, unicode escapes, emoji), nested.
const json = fc.jsonValue({ maxDepth: 4 });

describe('arraySpans', () => {
  it('finds each item of the top-level list, byte for byte what JSON.parse reads', () => {
    fc.assert(
      fc.property(
        fc.array(json, { maxLength: 12 }),
        // Keys written with an escape are left to the fallback (tested below).
        fc.dictionary(
          fc.string().filter((k) => k !== 'items' && !JSON.stringify(k).includes('\\')),
          json,
          { maxKeys: 4 },
        ),
        fc.integer({ min: 0, max: 3 }),
        (items, others, indent) => {
          const text = spaced({ ...others, items, more: false }, indent);
          const spans = arraySpans(Buffer.from(text), 'items');
          const parsed = JSON.parse(text) as { items: unknown[] };
          expect(spans?.map((b) => JSON.parse(b.toString()) as unknown)).toEqual(parsed.items);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('takes the last of repeated keys, as JSON.parse does, and gives up on escaped keys', () => {
    const repeated = Buffer.from('{"items":[1,2],"items":[{"a":"]"},"x\\"y"]}');
    expect(arraySpans(repeated, 'items')?.map(String)).toEqual(['{"a":"]"}', '"x\\"y"']);
    expect(arraySpans(Buffer.from('{"item\\u0073":[1]}'), 'items')).toBeNull();
    expect(arraySpans(Buffer.from('{"other":[1]}'), 'items')).toBeNull();
    expect(arraySpans(Buffer.from('{"items":{"a":1}}'), 'items')).toBeNull();
    expect(arraySpans(Buffer.from('[{"items":[1]}]'), 'items')).toBeNull();
    expect(arraySpans(Buffer.from('{"items":[]}'), 'items')).toEqual([]);
  });
});

describe('itemBytes', () => {
  const page = (text: string) => {
    const bytes = Buffer.from(text);
    const body = JSON.parse(text) as { items: unknown[] };
    keepBody(body, bytes);
    keepList(body, body.items, 'items');
    return body.items;
  };

  it("gives the kept page's items once, as slices of its bytes", () => {
    const items = page('{"items":[{"id":"P1","n":12345678901234567890},{"id":"P2","s":"é🚨"}],"more":false}');
    expect(itemBytes(items)?.map(String)).toEqual([
      '{"id":"P1","n":12345678901234567890}',
      '{"id":"P2","s":"é🚨"}',
    ]);
    expect(itemBytes(items)).toBeNull();
  });

  it('gives nothing for a list of another length (changed after parsing), nor for invalid UTF-8', () => {
    const items = page('{"items":[1,2,3]}');
    items.pop();
    expect(itemBytes(items)).toBeNull();
    const body = { items: ['x'] };
    keepBody(body, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    keepList(body, body.items, 'items');
    expect(itemBytes(body.items)).toBeNull();
    expect(itemBytes(['not kept'])).toBeNull();
  });
});
