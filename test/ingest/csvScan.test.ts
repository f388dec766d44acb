// The line scan's model of DuckDB's CSV reader: which records it accepts (and their lines), the first problem of
// each record it rejects, and a quoted field left open at the end. Each row was checked against DuckDB 1.5.
import { describe, expect, it } from 'vitest';
import { CsvScanner, type MalformedKind, type ScanLayout } from '../../src/ingest/csvScan.ts';

const CSV3: ScanLayout = { headerLines: 1, delimiter: ',', quote: '"', fields: 3 };
const JSONL: ScanLayout = { headerLines: 0, delimiter: null, quote: null, fields: null };

/** Each non-blank data record as [record (0 if rejected), line, problem]; and the open-quote line. */
function scan(layout: ScanLayout, text: string | Buffer, chunk = 7): { records: Array<[number, number, MalformedKind | null]>; open: number | null } {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const records: Array<[number, number, MalformedKind | null]> = [];
  const s = new CsvScanner(layout, (record, line, problem) => records.push([record, line, problem]));
  // Small chunks: state must carry across chunk ends.
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk), () => false);
  return { records, open: s.end() };
}
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('CsvScanner', () => {
  it.each<[string, string, Array<[number, number, MalformedKind | null]>]>([
    [
      'plain rows and a blank line',
      'a,b,c\n1,2,3\n\n4,5,6\n',
      [
        [1, 2, null],
        [2, 4, null],
      ],
    ],
    [
      'a quoted field spanning lines',
      'a,b,c\n1,"x\ny",3\n4,5,6\n',
      [
        [1, 2, null],
        [2, 4, null],
      ],
    ],
    [
      'a quote inside an unquoted field is text',
      'a,b,c\np#"1,2,3\n4,5,6\n',
      [
        [1, 2, null],
        [2, 3, null],
      ],
    ],
    ['one space before a quote still opens it', 'a,b,c\n1, "x,y",3\n', [[1, 2, null]]],
    ['two spaces before a quote make it text', 'a,b,c\n1,  "x,y",3\n', [[0, 2, 'tooMany']]],
    [
      'doubled quotes inside quotes',
      'a,b,c\n1,"x""y,z",3\n4,5,6\n',
      [
        [1, 2, null],
        [2, 3, null],
      ],
    ],
    ['spaces after a closing quote', 'a,b,c\n1,"x"  ,3\n', [[1, 2, null]]],
    [
      'text after a closing quote',
      'a,b,c\n1,"x"y,3\n4,5,6\n',
      [
        [0, 2, 'quote'],
        [1, 3, null],
      ],
    ],
    [
      'too many and too few fields',
      'a,b,c\n1,2,3,4\n1,2\n1,2,3\n',
      [
        [0, 2, 'tooMany'],
        [0, 3, 'tooFew'],
        [1, 4, null],
      ],
    ],
    [
      'CRLF line ends',
      'a,b,c\r\n1,2,3\r\n\r\n4,5,6\r\n',
      [
        [1, 2, null],
        [2, 4, null],
      ],
    ],
    ['a last row without a line break', 'a,b,c\n1,2,3', [[1, 2, null]]],
  ])('%s', (_label, text, records) => {
    expect(scan(CSV3, text)).toEqual({ records, open: null });
  });

  it.each<[string, number[]]>([
    ['lone continuation byte', [0x80]],
    ['lead byte cut short by a delimiter', [0xc3]],
    ['overlong encoding', [0xc0, 0x80]],
    ['overlong three-byte form', [0xe0, 0x80, 0x80]],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['byte that never starts a sequence', [0xf5, 0x80, 0x80, 0x80]],
  ])('invalid UTF-8 (%s) rejects the row', (_label, bad) => {
    expect(scan(CSV3, bytes('a,b,c\n1,x', bad, ',3\n4,5,6\n')).records).toEqual([
      [0, 2, 'encoding'],
      [1, 3, null],
    ]);
  });

  it('valid multi-byte characters, a BOM and a sequence split across chunks pass', () => {
    const text = bytes('a,b,c\n1,é😀', [0xef, 0xbb, 0xbf], ',3\n');
    for (const chunk of [1, 2, 3, 5]) expect(scan(CSV3, text, chunk).records).toEqual([[1, 2, null]]);
  });

  it('a sequence cut short at the end of the file or of a line', () => {
    expect(scan(CSV3, bytes('a,b,c\n1,2,x', [0xe2, 0x82])).records).toEqual([[0, 2, 'encoding']]);
    expect(scan(CSV3, bytes('a,b,c\n1,2,x', [0xe2], '\n4,5,6\n')).records).toEqual([
      [0, 2, 'encoding'],
      [1, 3, null],
    ]);
  });

  it('a rejected row gets its first problem in field order', () => {
    const { records } = scan(CSV3, bytes('a,b,c\n1,x', [0x80], ',3,4\n1,2,3,', [0x80], '\n1,"x"y,', [0x80], '\n', [0x80], ',2\n'));
    // Bad byte before the extra field; in the extra field (the extra field wins); quote before a later bad byte;
    // bad byte in a row that is also short.
    expect(records.map((r) => r[2])).toEqual(['encoding', 'tooMany', 'quote', 'encoding']);
  });

  it('a quoted field open at the end of the file: its line, and the record is rejected', () => {
    expect(scan(CSV3, 'a,b,c\n1,2,3\n1,"x,3\n4,5,6\n')).toEqual({
      records: [
        [1, 2, null],
        [0, 3, 'quote'],
      ],
      open: 3,
    });
  });

  it('the header is not checked (its bytes are checked before reading)', () => {
    expect(scan(CSV3, bytes('a,', [0x80], ',c,d\n1,2,3\n')).records).toEqual([[1, 2, null]]);
  });

  it("multi-byte delimiters ('::') and no quote character", () => {
    const layout: ScanLayout = { headerLines: 0, delimiter: '::', quote: null, fields: 3 };
    expect(scan(layout, '1::2::3\n1:2::3\n"1::2::3\n1::2\n', 1).records).toEqual([
      [1, 1, null],
      [0, 2, 'tooFew'],
      [2, 3, null],
      [0, 4, 'tooFew'],
    ]);
  });

  it('JSON lines: every line with something but white space is a record, bytes unchecked', () => {
    expect(scan(JSONL, bytes('{"a":1}\n  \n\t\r\n{"a":"', [0x80], '"}\n\n{}')).records).toEqual([
      [1, 1, null],
      [2, 4, null],
      [3, 6, null],
    ]);
  });
});
