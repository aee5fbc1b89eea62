import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText } from '../../../src/pagerduty/jsonText.js';

describe('jsonText', () => {
  it('parses to exactly what the UTF-8 text parses to, as ASCII', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'grapheme' }), (value, extra) => {
        const bytes = Buffer.from(JSON.stringify({ value, extra }));
        const text = jsonText(bytes);
        expect(JSON.parse(text)).toEqual(JSON.parse(bytes.toString('utf8')));
        expect(Buffer.byteLength(text), 'every character ASCII').toBe(text.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps escapes, emoji and invalid UTF-8 as the plain decoder reads them', () => {
    const sent = '{"s":"Kafka – prod 🚨 é \\u003cb\\u003e \\"q\\" \\\\"}';
    expect(JSON.parse(jsonText(Buffer.from(sent)))).toEqual({ s: 'Kafka – prod 🚨 é <b> "q" \\' });
    const invalid = Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xc3, 0x22, 0x7d]);
    expect(jsonText(invalid)).toBe(invalid.toString('utf8'));
  });
});
