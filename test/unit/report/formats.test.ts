import { describe, expect, it } from 'vitest';
import { csvField, formatCsv } from '../../../src/report/formatCsv.js';
import { formatJson } from '../../../src/report/formatJson.js';
import { formatTable } from '../../../src/report/formatTable.js';
import { displayWidth, renderTextTable } from '../../../src/report/textTable.js';
import { WEEK_COLUMNS } from '../../../src/report/types.js';
import { sampleReport } from './rows.js';

describe('--format table', () => {
  it('aligns columns, names each service once and shows human durations', () => {
    const lines = formatTable(sampleReport());
    expect(lines[0]).toBe(
      'MTTA / MTTR by service and ISO week, 2026-02-26T10:00Z to 2026-03-27T12:00Z (UTC weeks)',
    );
    const table = lines.slice(2);
    expect(table).toHaveLength(2 + 5);
    // Every line of the table puts the MTTR p90 column's right edge at the same place.
    const width = table[0]?.length;
    for (const line of table) expect(line.length).toBe(width);
    expect(table[2]).toMatch(
      /^Checkout API\s+2026-W10 \(2 Mar\)\s+4\s+3\s+2\s+4m 10s\s+9m 00s\s+2h 05m\s+5h 00m$/,
    );
    expect(table[3]?.startsWith(' ')).toBe(true);
    expect(table[6]).toMatch(/2026-W11 \(9 Mar\)\s+4\s+3\s+0\s+4m 10s\s+9m 00s\s+-\s+-$/);
  });

  it('says so when the period has no incidents', () => {
    expect(formatTable(sampleReport([]))[1]).toBe('no incidents in this period');
  });

  it('cuts long cells with an ellipsis', () => {
    const lines = renderTextTable([{ header: 'a', align: 'left', maxWidth: 4 }], [['abcdefgh'], ['ab']]);
    expect(lines).toEqual(['a', '────', 'abc…', 'ab']);
  });

  it('measures wide characters as two columns, so CJK names stay aligned', () => {
    expect(displayWidth('注文サービス')).toBe(12);
    expect(displayWidth('Données')).toBe(7);
    expect(displayWidth('e\u0301')).toBe(1);
    const lines = renderTextTable(
      [
        { header: 'name', align: 'left', maxWidth: 9 },
        { header: 'n', align: 'right' },
      ],
      [
        ['注文サービス', '1'],
        ['Données', '22'],
      ],
    );
    expect(lines.slice(2)).toEqual(['注文サー…   1', 'Données    22']);
    expect(lines.map(displayWidth)).toEqual([13, 13, 13, 13]);
  });
});

describe('--format json', () => {
  it('gives the period and the rows as they are: seconds as numbers, null when missing', () => {
    const report = sampleReport();
    const parsed = JSON.parse(formatJson(report)) as Record<string, unknown>;
    expect(parsed).toEqual({
      since: '2026-02-26T10:00:00.000Z',
      until: '2026-03-27T12:00:00.000Z',
      generated_at: '2026-03-27T12:00:00.000Z',
      weeks: ['2026-W09', '2026-W10', '2026-W11', '2026-W12', '2026-W13'],
      rows: report.rows,
    });
  });
});

describe('--format csv', () => {
  it('writes RFC 4180: header, CRLF records, quoted fields, empty for missing', () => {
    const csv = formatCsv(sampleReport());
    const records = csv.split('\r\n');
    expect(records.at(-1)).toBe('');
    expect(records[0]).toBe(WEEK_COLUMNS.join(','));
    expect(records[1]).toBe(
      'PSVC001,checkout-api,Checkout API,2026-03-02,2026-W10,4,3,2,300,250,540,9000,7500,18000',
    );
    expect(records[5]).toBe('PSVC002,search,"Search, ""beta""",2026-03-09,2026-W11,4,3,0,300,250,540,,,');
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('quotes only what needs it', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(csvField(1.5)).toBe('1.5');
  });

  it('is just the header when the period has no incidents', () => {
    expect(formatCsv(sampleReport([]))).toBe(`${WEEK_COLUMNS.join(',')}\r\n`);
  });
});
