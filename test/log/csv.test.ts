// CSV fields: RFC 4180 quoting everywhere, and formula text from a log's ids neutralised in tables for
// spreadsheets (OWASP), never in the event log recgap generate writes.
import { describe, expect, it } from 'vitest';
import { csvField, spreadsheetField } from '../../src/log/csv.ts';

describe('spreadsheetField', () => {
  it.each([
    ['p123', 'p123'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['-12.5', '-12.5'],
    ['+7', '+7'],
    ['-1e-3', '-1e-3'],
    ['', ''],
  ])('%j -> %j', (input, output) => {
    expect(spreadsheetField(input)).toBe(output);
  });
});

describe('csvField', () => {
  it('quotes as RFC 4180 asks and keeps the text exactly (the generated event log is read back)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"=HYPERLINK(""x"")"');
    expect(csvField('-k1')).toBe('-k1');
  });
});
